"""The one door for writes to cases, split by area as Zulip's ``zerver/actions/`` is.

Every function here checks the person's permission in the one access model
(``oversight.access``), appends the event to the hash-chained log, writes the audit
entry, and does it all in one transaction: a refused or failed write leaves nothing
behind. Views and the API parse input and call these; they never write.

- ``base``: errors, the permission check, the log, the audit, the lock
- ``intake``: taking in a complaint; adding and correcting its people and allegations; notes
- ``classification``: classifying, routing, assigning, Supervisor Action referrals
- ``notice``: the notice to named employees
- ``investigation``: the plan, interviews, evidence, the clock's events, subpoenas,
  the submission to OIG, closing
- ``chain``: the verifier of the hash chain
- ``bulk``: many finished cases at once
- ``search_index``: the search's projection of each case's words (as written and redacted),
  recomputed for the cases any appended event marked stale
"""

from .base import (
    ActionError,
    Refused,
    User,
    append_event,
    audit,
    can_read,
    check_clock,
    ensure_open,
    lock_case,
    not_future,
    pick,
    require,
    required_text,
    rules_on,
    user_or_none,
    user_roles,
    username,
)
from .bulk import import_cases
from .chain import verify_chain
from .classification import (
    allegation_views,
    assign,
    classify,
    record_supervisor_report,
    refer_supervisor_action,
    route,
)
from .intake import (
    COMPLAINANT_FIELDS,
    EMPLOYEE_FIELDS,
    INCIDENT_REVIEW_STEPS,
    PARTY_MODELS,
    WITNESS_FIELDS,
    add_allegation,
    add_complainant,
    add_named_employee,
    add_note,
    add_witness,
    edit_allegation,
    edit_complainant,
    edit_named_employee,
    edit_witness,
    failure_to_refer_due,
    limitation_check,
    next_case_number,
    open_case,
    open_failure_to_refer,
    record_incident_review,
    which,
)
from .investigation import (
    CLOCK_ACTIONS,
    PLAN_FIELDS,
    add_evidence,
    approve_plan,
    approved_plan,
    check_oig_allows_findings,
    close_case,
    issue_subpoena,
    oig_submission_open,
    plan_awaiting,
    postpone_interview,
    record_clock_event,
    record_exigent,
    record_interview,
    return_plan,
    submit_plan,
    submit_to_oig,
    update_subpoena,
)
from .notice import send_notice
from .retention import dispose_case_file, place_legal_hold, release_legal_hold, retention_facts, retention_of
from .search_index import case_words, refresh_search_index

__all__ = [
    "ActionError",
    "CLOCK_ACTIONS",
    "COMPLAINANT_FIELDS",
    "EMPLOYEE_FIELDS",
    "PARTY_MODELS",
    "PLAN_FIELDS",
    "Refused",
    "User",
    "WITNESS_FIELDS",
    "add_allegation",
    "add_complainant",
    "add_evidence",
    "add_named_employee",
    "add_note",
    "add_witness",
    "allegation_views",
    "append_event",
    "approve_plan",
    "approved_plan",
    "assign",
    "audit",
    "can_read",
    "case_words",
    "check_clock",
    "check_oig_allows_findings",
    "classify",
    "close_case",
    "edit_allegation",
    "edit_complainant",
    "edit_named_employee",
    "edit_witness",
    "ensure_open",
    "failure_to_refer_due",
    "import_cases",
    "issue_subpoena",
    "limitation_check",
    "lock_case",
    "next_case_number",
    "not_future",
    "oig_submission_open",
    "open_case",
    "INCIDENT_REVIEW_STEPS",
    "open_failure_to_refer",
    "record_incident_review",
    "pick",
    "plan_awaiting",
    "postpone_interview",
    "record_clock_event",
    "record_exigent",
    "record_interview",
    "record_supervisor_report",
    "refer_supervisor_action",
    "refresh_search_index",
    "require",
    "required_text",
    "return_plan",
    "route",
    "rules_on",
    "send_notice",
    "submit_plan",
    "submit_to_oig",
    "update_subpoena",
    "user_or_none",
    "user_roles",
    "username",
    "verify_chain",
    "dispose_case_file",
    "place_legal_hold",
    "release_legal_hold",
    "retention_facts",
    "retention_of",
    "which",
]
