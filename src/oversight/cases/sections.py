"""OPA's sections of the one case page: the complaint and its people, classification,
the notice, the plan, the investigation record, notes, the deadlines, closing and the
history. Each shows what the reader may read and offers only the actions the reader may
take at the stage where they apply."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms as djforms

from oversight.home import registry as reg
from oversight.labels import classification_label
from oversight.rules import access as A
from oversight.rules import classification as rc

from . import actions
from . import forms as F
from .clock import rules_for, stage_of
from .history import history
from .models import REFERRAL_CHANNELS, Case, event_label
from .page import CasePage


def _employees(case: Case, page: CasePage) -> list[tuple[Any, str]]:
    """(named employee, how this reader reads them): the name, or the role in the case."""
    out = []
    for i, ne in enumerate(case.named_employees.order_by("pk"), 1):
        out.append((ne, f"{ne}" if page.reader.reads[A.EMPLOYEES] else f"Named Employee #{i}"))
    return out


def _edit_form(page: CasePage, action: str, pk: int, cls: type[djforms.Form], obj: Any, fields: Iterable[str]) -> Any:
    key = f"{action}:{pk}"
    if page.failed is not None and page.failed.action == key and page.failed.form is not None:
        return page.failed.form
    return cls(initial={f: getattr(obj, f) for f in fields}, prefix=f"{action}-{pk}")


def summary(page: CasePage) -> reg.Section:
    case = page.case
    intake = next((e for e in page.events if e.type == "intake_recorded"), None)
    classified = [e for e in page.events if e.type == "classified"]
    return reg.Section(
        "summary",
        "Where the case stands",
        "cases/sections/summary.html",
        {
            "stage": "Closed"
            if case.closed_on
            else f"Routed to {rc.ROUTES[case.routed_to][0]}"
            if case.routed_to in rc.ROUTES
            else stage_of([e.type for e in page.events], case.classification),
            "classification": classification_label(case.classification) if case.classification else "",
            "rationale": page.reader.redact(classified[-1].data.get("rationale", "")) if classified else "",
            "next": page.next_deadline,
            "not_applicable": next(
                (
                    d
                    for d in page.timeline["deadlines"]
                    if d["id"] == "investigation" and d["status"] == "not_applicable"
                ),
                None,
            ),
            "limitation": intake.data.get("limitation") if intake else None,
            "withheld": _withheld(page),
            "related": [
                {"label": event_label(e.type), "number": e.data.get("case")}
                for e in page.events
                if e.type in ("failure_to_refer_of", "failure_to_refer_opened")
            ],
            "failure_to_refer_due": actions.failure_to_refer_due(case, page.today)
            if page.is_open or case.closed_on
            else None,
            "may_failure_to_refer": page.reader.may["open_case"] and not page.has("failure_to_refer_opened"),
            "failure_form": page.form("failure_to_refer", F.FailureToReferForm),
            "reviews": [
                {"label": event_label(e.type), "unit": e.data.get("unit"), "date": e.date}
                for e in page.events
                if e.type in actions.INCIDENT_REVIEW_STEPS.values()
            ],
            "may_review": page.is_open and case.channel in REFERRAL_CHANNELS and page.reader.may["open_case"],
            "review_form": page.form("incident_review", F.IncidentReviewForm),
            "review_days": rules_for(case.received_on or page.today).deadlines["incident_review"].days,
            "review_error": page.error("incident_review"),
            "error": page.error("failure_to_refer"),
            "summary": page.reader.redact(case.summary),
        },
        reg.SUMMARY,
    )


def _withheld(page: CasePage) -> list[str]:
    """What this reader does not see, among the parts this case has."""
    case = page.case
    present = {
        A.COMPLAINANT: case.complainants.exclude(anonymous=True).exists(),
        A.WITNESS: case.witnesses.exists(),
        A.EMPLOYEES: case.named_employees.exists(),
        A.EVIDENCE: case.evidence.exists(),
        A.ADDITIONS: hasattr(case, "web_complaint"),
        A.DISCIPLINE: page.has("proposed_findings_issued"),
    }
    return [A.WITHHELD[p] for p in A.WITHHELD if present.get(p) and not page.reader.reads[p]]


def people(page: CasePage) -> reg.Section:
    case = page.case
    reads = page.reader.reads
    may_edit = page.is_open and page.reader.may["edit_parties"]
    employees = _employees(case, page)
    labels = {ne.pk: label for ne, label in employees}
    allegations = [
        {
            "a": a,
            "against": labels.get(a.named_employee_id, ""),
            "n": i,
            "description": page.reader.redact(a.description),
        }
        for i, a in enumerate(case.allegations.order_by("pk"), 1)
    ]
    frozen = page.has("proposed_findings_issued")
    ctx: dict[str, Any] = {
        "complainants": list(case.complainants.order_by("pk")),
        "employees": employees,
        "witnesses": list(case.witnesses.order_by("pk")),
        "allegations": allegations,
        "reads_complainant": reads[A.COMPLAINANT],
        "reads_witness": reads[A.WITNESS],
        "reads_employees": reads[A.EMPLOYEES],
        "may_edit": may_edit,
        "may_allege": may_edit and not frozen and bool(employees),
        "frozen": frozen,
        "error": page.error("add_complainant", "add_employee", "add_witness", "add_allegation", *_edit_keys(page)),
    }
    if may_edit:
        ctx["forms"] = {
            "add_complainant": page.form("add_complainant", lambda: F.ComplainantForm(prefix="newc")),
            "add_employee": page.form("add_employee", lambda: F.NamedEmployeeForm(prefix="newe")),
            "add_witness": page.form("add_witness", lambda: F.WitnessForm(prefix="neww")),
            "add_allegation": page.form(
                "add_allegation", lambda: F.CaseAllegationForm(prefix="newa", employees=employees)
            ),
        }
        ctx["edit"] = {
            "complainant": {
                c.pk: _edit_form(page, "edit_complainant", c.pk, F.ComplainantForm, c, actions.COMPLAINANT_FIELDS)
                for c in ctx["complainants"]
            }
            if reads[A.COMPLAINANT]
            else {},
            "employee": {
                ne.pk: _edit_form(page, "edit_employee", ne.pk, F.NamedEmployeeForm, ne, actions.EMPLOYEE_FIELDS)
                for ne, _ in employees
            }
            if reads[A.EMPLOYEES]
            else {},
            "witness": {
                w.pk: _edit_form(page, "edit_witness", w.pk, F.WitnessForm, w, actions.WITNESS_FIELDS)
                for w in ctx["witnesses"]
            }
            if reads[A.WITNESS]
            else {},
            "allegation": {}
            if frozen
            else {row["a"].pk: _allegation_edit_form(page, row["a"], employees) for row in allegations},
        }
    return reg.Section("people", "The complaint: people and allegations", "cases/sections/people.html", ctx, reg.PEOPLE)


def _edit_keys(page: CasePage) -> list[str]:
    if page.failed is None or ":" not in page.failed.action:
        return []
    return [page.failed.action]


def _allegation_edit_form(page: CasePage, a: Any, employees: list[tuple[Any, str]]) -> Any:
    key = f"edit_allegation:{a.pk}"
    if page.failed is not None and page.failed.action == key and page.failed.form is not None:
        return page.failed.form
    return F.CaseAllegationForm(
        initial={
            "named_employee": a.named_employee_id,
            "category": a.category,
            "description": a.description,
            "criminal": a.criminal,
            "concealment": a.concealment,
            "type_iii_force": a.type_iii_force,
        },
        prefix=f"edit_allegation-{a.pk}",
        employees=employees,
    )


def classification(page: CasePage) -> reg.Section:
    case = page.case
    may = page.reader.may
    rules = rules_for(case.received_on or page.today)
    views = [
        rc.AllegationView(str(a.named_employee), a.category) for a in case.allegations.select_related("named_employee")
    ]
    findings_made = page.has("proposed_findings_issued")
    can_classify = page.is_open and may["classify"] and not findings_made
    ctx: dict[str, Any] = {
        "classified": [
            {
                "date": e.date,
                "classification": e.data.get("classification", ""),
                "rationale": page.reader.redact(e.data.get("rationale", "")),
            }
            for e in page.events
            if e.type == "classified"
        ],
        "allowed": [classification_label(c) for c in rc.allowed(rules, views)],
        "can_classify": can_classify,
        "can_route": page.is_open and may["route"] and not findings_made,
        "can_assign": page.is_open and may["assign"] and not findings_made,
        "referrals": [
            {"r": r, "report": page.reader.redact(r.report), "supervisor": page.reader.redact(r.supervisor_name)}
            for r in case.supervisor_actions.select_related("named_employee")
        ],
        "can_refer": page.is_open and may["refer_supervisor_action"] and case.classification == "supervisor_action",
        "may_report": may["record_supervisor_report"],
        "error": page.error("classify", "route", "assign", "referral", "report"),
        "today": page.today,
    }
    ctx["classify_form"] = page.form("classify", F.ClassifyForm)
    ctx["route_form"] = page.form("route", F.RouteForm)
    ctx["assign_form"] = page.form(
        "assign",
        lambda: F.AssignForm(initial={"investigator": case.investigator_id, "supervisor": case.supervisor_id}),
    )
    ref = page.form("referral", lambda: F.ReferralForm(initial={"date": page.today}))
    ref.fields["named_employee"] = djforms.TypedChoiceField(
        coerce=int, choices=_employees(case, page), label="Named employee"
    )
    ctx["referral_form"] = ref
    return reg.Section(
        "classification", "Classification and assignment", "cases/sections/classification.html", ctx, reg.CLASSIFICATION
    )


def notice(page: CasePage) -> reg.Section | None:
    case = page.case
    notices = [e for e in page.events if e.type == "notice_sent"]
    may_send = page.is_open and page.reader.may["send_notice"] and case.named_employees.exists()
    if not notices and not may_send:
        return None
    deadline = next((d for d in page.timeline["deadlines"] if d["id"] == "named_employee_notice"), None)
    return reg.Section(
        "notice",
        "Notice to named employees",
        "cases/sections/notice.html",
        {
            "notices": notices,
            "may_send": may_send,
            "reads_employees": page.reader.reads[A.EMPLOYEES],
            "form": page.form("notice", lambda: F.NoticeForm(initial={"date": page.today})),
            "deadline": deadline,
            "error": page.error("notice"),
        },
        reg.NOTICE,
    )


def plan(page: CasePage) -> reg.Section | None:
    case = page.case
    plans = list(case.plans.select_related("submitted_by").order_by("version"))
    if case.classification != "investigation" and not plans:
        return None
    approved = actions.approved_plan(case)
    awaiting = actions.plan_awaiting(case)
    returned = {
        e.data.get("version"): page.reader.redact(e.data.get("reasons", ""))
        for e in page.events
        if e.type == "plan_returned"
    }
    reads_text = page.reader.reads[A.EVIDENCE]  # the plan's text is part of the evidence (rules.access)
    rows = [
        {
            "plan": p,
            "approved": approved is not None and p.pk == approved.pk,
            "returned": p.version in returned,
            "returned_text": returned.get(p.version) if reads_text else "",
            "awaiting": awaiting is not None and p.pk == awaiting.pk,
            "text": None
            if not reads_text
            else {
                f: page.reader.redact(getattr(p, f))
                for f in (
                    "priority",
                    "witnesses",
                    "perishable_evidence",
                    "other_evidence",
                    "approach",
                    "resource_constraints",
                )
            },
        }
        for p in plans
    ]
    may = page.reader.may
    return reg.Section(
        "plan",
        "Investigation plan",
        "cases/sections/plan.html",
        {
            "rows": rows,
            "withheld": "" if reads_text else A.WITHHELD[A.EVIDENCE],
            "approved": approved,
            "awaiting": awaiting,
            "may_decide": page.is_open and awaiting is not None and may["approve_plan"],
            "may_submit": page.is_open and may["submit_plan"] and awaiting is None,
            "submit_open": not plans or (plans and plans[-1].version in returned),
            "form": page.form("plan", F.PlanForm),
            "return_form": page.form("return_plan", F.ReturnPlanForm),
            "error": page.error("plan", "approve", "return_plan"),
        },
        reg.PLAN,
    )


def investigation(page: CasePage) -> reg.Section | None:
    case = page.case
    may = page.reader.may
    approved = actions.approved_plan(case)
    interviews = list(case.interviews.select_related("audio", "transcript").order_by("held_on", "pk"))
    evidence = list(case.evidence.order_by("added_at", "pk"))
    subpoenas = list(case.subpoenas.order_by("issued_on", "pk"))
    for s in subpoenas:
        s.recipient_shown = page.reader.redact(s.recipient)
    is_investigation = case.classification in ("investigation", "rapid_adjudication") or bool(approved)
    if not (interviews or evidence or subpoenas or is_investigation):
        return None
    from oversight.oig.review import review_state

    pending = review_state(case, page.today).pending if page.has("submitted_to_oig") else None
    submission_open = actions.oig_submission_open(case)[0]
    step_ok = page.is_open and approved is not None
    ctx: dict[str, Any] = {
        "interviews": [{"i": i, "who": page.reader.redact(i.interviewee)} for i in interviews],
        "evidence": [
            {"f": f, "name": page.reader.redact(f.name), "description": page.reader.redact(f.description)}
            for f in evidence
        ],
        "subpoenas": [
            {"s": sp, "recipient": page.reader.redact(sp.recipient), "material": page.reader.redact(sp.material)}
            for sp in subpoenas
        ],
        "reads_evidence": page.reader.reads[A.EVIDENCE],
        "approved": approved,
        "may_investigate": step_ok and may["investigate"],
        "may_toll": page.is_open and may["toll"],
        "may_exigent": page.is_open and may["record_exigent"],
        "may_subpoena": page.is_open and may["issue_subpoena"],
        "may_update_subpoena": page.is_open and may["update_subpoena"],
        "may_submit_oig": step_ok and may["submit_to_oig"] and submission_open,
        "pending": pending,
        "subpoena_statuses": F.SUBPOENA_STATUSES,
        "today": page.today,
        "error": page.error(
            "interview", "evidence", "postpone", "clock", "exigent", "subpoena", "subpoena_status", "submit_to_oig"
        ),
        "forms": {
            "interview": page.form("interview", lambda: F.InterviewForm(initial={"held_on": page.today})),
            "evidence": page.form("evidence", F.EvidenceForm),
            "postpone": page.form("postpone", lambda: F.PostponeForm(initial={"date": page.today})),
            "clock": page.form("clock", lambda: F.ClockEventForm(initial={"date": page.today}, allowed=may)),
            "exigent": page.form("exigent", F.ExigentForm),
            "subpoena": page.form("subpoena", lambda: F.SubpoenaForm(initial={"date": page.today})),
            "submit_to_oig": page.form("submit_to_oig", lambda: F.SubmitToOigForm(initial={"date": page.today})),
        },
    }
    ctx["clock_events_offered"] = bool(ctx["forms"]["clock"].fields["type"].choices)
    return reg.Section(
        "investigation", "The investigation", "cases/sections/investigation.html", ctx, reg.INVESTIGATION
    )


def notes(page: CasePage) -> reg.Section | None:
    case = page.case
    rows = [{"n": n, "text": page.reader.redact(n.text)} for n in case.notes.select_related("added_by")]
    may_add = page.reader.may["add_note"]
    if not rows and not may_add:
        return None
    return reg.Section(
        "notes",
        "Notes",
        "cases/sections/notes.html",
        {"rows": rows, "may_add": may_add, "form": page.form("note", F.NoteForm), "error": page.error("note")},
        reg.NOTES,
    )


def deadlines(page: CasePage) -> reg.Section:
    return reg.Section(
        "deadlines", "Deadlines", "cases/sections/deadlines.html", {"timeline": page.timeline}, reg.CLOCK
    )


def closing(page: CasePage) -> reg.Section | None:
    if not (page.is_open and page.reader.may["close_case"]):
        return None
    return reg.Section(
        "close",
        "Close the case",
        "cases/sections/close.html",
        {"form": page.form("close", lambda: F.CloseForm(initial={"date": page.today})), "error": page.error("close")},
        reg.CLOCK + 5,
    )


def retention(page: CasePage) -> reg.Section | None:
    """SMC 3.29.320.E: how long the file is kept, its legal holds, and its disposal."""
    may_hold, may_dispose = page.reader.may["legal_hold"], page.reader.may["dispose_case_file"]
    if not (may_hold or may_dispose):
        return None
    case = page.case
    ret = actions.retention_of(case)
    disposal = case.disposals.first()
    employees = [
        (ne, f"{ne}" if page.reader.reads[A.EMPLOYEES] else f"Named Employee #{i}")
        for i, ne in enumerate(case.named_employees.order_by("pk"), 1)
    ]
    return reg.Section(
        "retention",
        "Retention",
        "cases/sections/retention.html",
        {
            "retention": ret,
            "holds": list(case.legal_holds.select_related("placed_by", "released_by")),
            "disposal": disposal,
            "may_hold": may_hold,
            "may_dispose": may_dispose and disposal is None,
            "hold_form": page.form("legal_hold", F.LegalHoldForm),
            "release_form": page.form("release_hold", F.ReleaseHoldForm),
            "dispose_form": page.form("dispose", lambda: F.DisposeForm(employees=employees)),
            "error": page.error("legal_hold", "release_hold", "dispose"),
        },
        reg.HISTORY - 2,
    )


def event_history(page: CasePage) -> reg.Section:
    return reg.Section(
        "history",
        "History",
        "cases/sections/history.html",
        {"rows": history(page.events, page.reader)},
        reg.HISTORY,
    )


PROVIDERS = [
    summary,
    people,
    classification,
    notice,
    plan,
    investigation,
    notes,
    deadlines,
    closing,
    retention,
    event_history,
]


def register() -> None:
    for fn in PROVIDERS:
        reg.register_section(fn)
