"""The one door for writes to cases.

Every function here checks the person's role (``oversight.rules.roles``), appends
the event to the hash-chained log, writes the audit entry, and does it all in one
transaction: a refused or failed write leaves nothing behind. Views and the API
parse input and call these; they never write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oversight.rules import classification as rules_classification
from oversight.rules import roles as R
from oversight.rules.events import EVENT_TYPES, CaseError, parse_case
from oversight.rules.profile import Rules, get_profile
from oversight.rules.timeline import compute

from .clock import profile_name
from .models import (
    CHANNELS,
    GENESIS,
    REFERRAL_CHANNELS,
    SUBPOENA_STATUSES,
    Allegation,
    AuditEntry,
    Case,
    CaseEvent,
    CaseNumber,
    ChainHead,
    Complainant,
    EvidenceFile,
    Interview,
    InvestigationPlan,
    NamedEmployee,
    Subpoena,
    SupervisorActionReferral,
    Witness,
)

User = AbstractBaseUser | AnonymousUser | None


class ActionError(ValueError):
    """Bad input for an action: names the field and what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Refused(PermissionDenied):
    """The person's role does not allow the action (or the law forbids it now)."""


# --------------------------------------------------------------------------
# Roles, the chain, the audit
# --------------------------------------------------------------------------


def user_roles(user: User) -> frozenset[str]:
    """The OPA roles a user holds: the names of their groups that are roles."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_oversight_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
        if getattr(user, "is_superuser", False):
            names.add(R.ADMINISTRATOR)
        cached = frozenset(n for n in names if n in R.ROLES)
        user._oversight_roles = cached  # type: ignore[union-attr]
    return cached


def require(user: User, action: str) -> None:
    roles = user_roles(user)
    if not R.may(roles, action):
        raise Refused(R.refusal(roles, action))


def can_read(user: User, case: Case) -> bool:
    return R.may_read(user_roles(user), case.closed)


def rules_on(day: dt.date) -> Rules:
    return get_profile(profile_name()).at(day)


def _user_or_none(user: User) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def append_event(case: Case, type: str, date: dt.date, user: User, data: Mapping[str, Any] | None = None) -> CaseEvent:
    """Append one event to the case and to the chain. Call inside a transaction."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    seq = (CaseEvent.objects.filter(case=case).aggregate(m=Max("seq"))["m"] or 0) + 1
    who = _user_or_none(user)
    ev = CaseEvent(
        case=case,
        seq=seq,
        type=type,
        date=date,
        data=dict(data or {}),
        recorded_at=timezone.now(),
        recorded_by=who,
        prev_hash=head.last_hash,
    )
    ev.hash = ev.content_hash(case.number, _username(who))
    ev.save()
    head.last_hash = ev.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    Case.objects.filter(pk=case.pk).update(board_day=None)  # the board recomputes this case
    return ev


def audit(user: User, action: str, case: Case | None, **detail: Any) -> None:
    AuditEntry.objects.create(at=timezone.now(), user=_user_or_none(user), action=action, case=case, detail=detail)


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def check_clock(case: Case, extra: Iterable[dict[str, Any]] = ()) -> None:
    """The case with ``extra`` events must still be a case the clock can read."""
    clock_input = case.as_clock_input(list(case.events.order_by("seq")))
    clock_input["events"].extend(extra)
    compute(parse_case(clock_input), get_profile(profile_name()), timezone.localdate())


def _not_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ActionError(field, f"{day.isoformat()} is in the future")


def _text(field: str, value: str | None) -> str:
    v = (value or "").strip()
    if not v:
        raise ActionError(field, "is required")
    return v


def _open(case: Case) -> None:
    if case.closed_on is not None:
        raise ActionError("case", f"{case.number} was closed on {case.closed_on.isoformat()}")
    if case.routed_to:
        raise ActionError("case", f"{case.number} was routed to {case.routed_to.upper()} and is not OPA's to handle")


# --------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------


def next_case_number(year: int) -> str:
    """Seattle's form, e.g. 2026OPA-0001; a number once issued is never issued again."""
    fmt = get_profile(profile_name()).spec.profile.case_number_format
    counter, _ = CaseNumber.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fmt.format(year=year, seq=counter.last)


COMPLAINANT_FIELDS = (
    "anonymous",
    "name",
    "address",
    "phone",
    "email",
    "race",
    "ethnicity",
    "gender",
    "neighbourhood",
    "in_person_interview",
)
EMPLOYEE_FIELDS = (
    "name",
    "serial",
    "rank",
    "unit",
    "assignment",
    "shift",
    "years_of_service",
    "supervisor_name",
    "captain",
    "bargaining_unit",
)
WITNESS_FIELDS = ("kind", "name", "contact")


def _pick(d: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {k: d[k] for k in fields if k in d and d[k] is not None}


def limitation_check(
    incident_date: dt.date | None, received_on: dt.date, allegations: Iterable[Mapping[str, Any]]
) -> rules_classification.LimitCheck:
    return rules_classification.limitation(
        rules_on(received_on),
        incident_date,
        received_on,
        [(bool(a.get("criminal")), bool(a.get("concealment"))) for a in allegations],
    )


def open_case(
    user: User,
    *,
    channel: str,
    received_on: dt.date,
    should_have_been_referred_on: dt.date | None = None,
    incident_date: dt.date | None = None,
    incident_time: dt.time | None = None,
    incident_place: str = "",
    precinct: str = "",
    sector: str = "",
    beat: str = "",
    shift: str = "",
    summary: str = "",
    complainants: Iterable[Mapping[str, Any]] = (),
    named_employees: Iterable[Mapping[str, Any]] = (),
    witnesses: Iterable[Mapping[str, Any]] = (),
    allegations: Iterable[Mapping[str, Any]] = (),
) -> Case:
    """Take in a complaint. ``allegations`` name their employee by ``employee`` (index
    into ``named_employees``). Nothing is saved unless all of it is valid."""
    require(user, "open_case")
    if channel not in dict(CHANNELS):
        raise ActionError("channel", f"{channel!r} is not a channel OPA takes complaints from")
    _not_future("received_on", received_on)
    if incident_date is not None and incident_date > received_on:
        raise ActionError("incident_date", "falls after the date the complaint reached OPA")
    if should_have_been_referred_on is not None:
        if channel not in REFERRAL_CHANNELS:
            raise ActionError("should_have_been_referred_on", "applies only to a referral (SPD, SPD unit or OIG)")
        if should_have_been_referred_on > received_on:
            raise ActionError("should_have_been_referred_on", "falls after the date the complaint reached OPA")
    employees = [dict(e) for e in named_employees]
    for i, e in enumerate(employees):
        if not str(e.get("name") or "").strip():
            raise ActionError(f"named_employees[{i}].name", "is required")
    rules = rules_on(received_on)
    categories = set(rules.taxonomies["allegation_categories"].value)
    alls = [dict(a) for a in allegations]
    for i, a in enumerate(alls):
        idx = a.get("employee")
        if not isinstance(idx, int) or not 0 <= idx < len(employees):
            raise ActionError(f"allegations[{i}].employee", "must name one of the case's named employees")
        if a.get("category") not in categories:
            raise ActionError(f"allegations[{i}].category", f"{a.get('category')!r} is not a policy category")
    comps = [dict(c) for c in complainants]
    for i, c in enumerate(comps):
        if not c.get("anonymous") and not str(c.get("name") or "").strip():
            raise ActionError(f"complainants[{i}].name", "is required unless the complainant is anonymous")
        if c.get("anonymous"):
            for k in ("name", "address", "phone", "email"):
                c[k] = ""
    wits = [dict(w) for w in witnesses]
    for i, w in enumerate(wits):
        if not str(w.get("name") or "").strip():
            raise ActionError(f"witnesses[{i}].name", "is required")
    how = "complaint_initiated" if channel == "opa_initiated" else "complaint_received"
    clock_events: list[dict[str, Any]] = []
    if should_have_been_referred_on is not None:
        clock_events.append({"type": "should_have_been_referred", "date": should_have_been_referred_on.isoformat()})
    clock_events.append({"type": how, "date": received_on.isoformat()})
    parse_case({"incident_date": incident_date.isoformat() if incident_date else None, "events": clock_events})
    limit = rules_classification.limitation(
        rules, incident_date, received_on, [(bool(a.get("criminal")), bool(a.get("concealment"))) for a in alls]
    )
    with transaction.atomic():
        case = Case.objects.create(
            number=next_case_number(received_on.year),
            channel=channel,
            received_on=received_on,
            should_have_been_referred_on=should_have_been_referred_on,
            incident_date=incident_date,
            incident_time=incident_time,
            incident_place=incident_place,
            precinct=precinct,
            sector=sector,
            beat=beat,
            shift=shift,
            summary=summary,
        )
        for c in comps:
            Complainant.objects.create(case=case, **_pick(c, COMPLAINANT_FIELDS))
        saved = [NamedEmployee.objects.create(case=case, **_pick(e, EMPLOYEE_FIELDS)) for e in employees]
        for w in wits:
            Witness.objects.create(case=case, **_pick(w, WITNESS_FIELDS))
        for a in alls:
            Allegation.objects.create(
                case=case,
                named_employee=saved[a["employee"]],
                category=a["category"],
                description=a.get("description") or "",
                criminal=bool(a.get("criminal")),
                concealment=bool(a.get("concealment")),
            )
        if should_have_been_referred_on is not None:
            append_event(case, "should_have_been_referred", should_have_been_referred_on, user)
        append_event(case, how, received_on, user, {"channel": channel})
        append_event(
            case,
            "intake_recorded",
            received_on,
            user,
            {
                "complainants": len(comps),
                "anonymous": sum(1 for c in comps if c.get("anonymous")),
                "named_employees": len(employees),
                "witnesses": len(wits),
                "allegations": len(alls),
                "limitation": limit.text(),
            },
        )
        audit(user, "open_case", case, channel=channel, limitation_barred=limit.barred)
    return case


def add_named_employee(user: User, case: Case, **fields: Any) -> NamedEmployee:
    require(user, "add_party")
    _text("name", fields.get("name"))
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ne = NamedEmployee.objects.create(case=case, **_pick(fields, EMPLOYEE_FIELDS))
        append_event(case, "party_added", timezone.localdate(), user, {"named_employee": str(ne)})
        audit(user, "add_named_employee", case, named_employee=ne.pk)
    return ne


def add_allegation(
    user: User,
    case: Case,
    *,
    named_employee: NamedEmployee,
    category: str,
    description: str = "",
    criminal: bool = False,
    concealment: bool = False,
) -> Allegation:
    require(user, "add_party")
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    if category not in rules_on(case.received_on or timezone.localdate()).taxonomies["allegation_categories"].value:
        raise ActionError("category", f"{category!r} is not a policy category")
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        a = Allegation.objects.create(
            case=case,
            named_employee=named_employee,
            category=category,
            description=description,
            criminal=criminal,
            concealment=concealment,
        )
        append_event(case, "party_added", timezone.localdate(), user, {"allegation": f"{named_employee}: {category}"})
        audit(user, "add_allegation", case, allegation=a.pk)
    return a


# --------------------------------------------------------------------------
# Classification and routing
# --------------------------------------------------------------------------


def allegation_views(case: Case) -> list[rules_classification.AllegationView]:
    return [
        rules_classification.AllegationView(f"{a.named_employee}", a.category)
        for a in case.allegations.select_related("named_employee")
    ]


def classify(user: User, case: Case, classification: str, rationale: str, on: dt.date | None = None) -> CaseEvent:
    """Classify with a written rationale; the profile's constraints are enforced
    (e.g. no Supervisor Action for force, bias or violations of law, SMC 3.29.025.A)."""
    require(user, "classify")
    on = on or timezone.localdate()
    _not_future("date", on)
    rationale = _text("rationale", rationale)
    rules = rules_on(case.received_on or on)
    try:
        rules_classification.check(rules, classification, allegation_views(case))
    except rules_classification.ClassificationRefused as e:
        # The refused attempt is itself a fact worth keeping.
        audit(user, "classify_refused", case, classification=classification, reason=str(e), cite=e.cite)
        raise
    from oversight.oig.review import classification_gate

    gate = classification_gate(case, classification)
    if not gate.allowed:  # OIG's pre-classification review is on (SMC 3.29.111.B)
        raise ActionError("classification", f"{gate.reason} ({gate.cite})")
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ev = append_event(
            case,
            "classified",
            on,
            user,
            {
                "classification": classification,
                "rationale": rationale,
                "label": rules_classification.label(classification),
            },
        )
        Case.objects.filter(pk=case.pk).update(classification=classification)
        audit(user, "classify", case, classification=classification)
    return ev


def route(user: User, case: Case, to: str, reason: str, on: dt.date | None = None) -> CaseEvent:
    """Send a complaint OPA may not handle to OIG (conflict of interest, SMC 3.29.025.G)
    or to the Seattle Department of Human Resources (EEO, SMC 3.29.300.G)."""
    require(user, "route")
    if to not in rules_classification.ROUTES:
        raise ActionError("to", f"{to!r} is not one of: {', '.join(rules_classification.ROUTES)}")
    reason = _text("reason", reason)
    on = on or timezone.localdate()
    dest, when, cite = rules_classification.ROUTES[to]
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ev = append_event(case, "routed", on, user, {"to": dest, "reason": reason, "cite": cite, "because": when})
        Case.objects.filter(pk=case.pk).update(routed_to=to)
        audit(user, "route", case, to=to)
    return ev


def assign(user: User, case: Case, investigator: Any, supervisor: Any = None) -> CaseEvent:
    require(user, "assign")
    if R.INVESTIGATOR not in user_roles(investigator) and R.SUPERVISOR not in user_roles(investigator):
        raise ActionError("investigator", f"{investigator} is not an OPA investigator")
    if supervisor is not None and R.SUPERVISOR not in user_roles(supervisor):
        raise ActionError("supervisor", f"{supervisor} is not an investigation supervisor")
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ev = append_event(
            case,
            "assigned",
            timezone.localdate(),
            user,
            {
                "investigator": investigator.get_username(),
                "supervisor": supervisor.get_username() if supervisor else None,
            },
        )
        Case.objects.filter(pk=case.pk).update(investigator=investigator, supervisor=supervisor)
        audit(user, "assign", case, investigator=investigator.pk)
    return ev


def refer_supervisor_action(
    user: User,
    case: Case,
    named_employee: NamedEmployee,
    report_due: dt.date,
    supervisor_name: str = "",
    on: dt.date | None = None,
) -> SupervisorActionReferral:
    require(user, "refer_supervisor_action")
    on = on or timezone.localdate()
    if case.classification != "supervisor_action":
        raise ActionError("case", "only a case classified as Supervisor Action is referred to a supervisor")
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    supervisor_name = supervisor_name.strip() or named_employee.supervisor_name
    if not supervisor_name:
        raise ActionError("supervisor_name", "is required (the named employee's supervisor)")
    if report_due <= on:
        raise ActionError("report_due", "must fall after the referral")
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ref = SupervisorActionReferral.objects.create(
            case=case,
            named_employee=named_employee,
            supervisor_name=supervisor_name,
            referred_on=on,
            report_due=report_due,
        )
        append_event(
            case,
            "supervisor_action_referred",
            on,
            user,
            {
                "named_employee": str(named_employee),
                "supervisor": supervisor_name,
                "report_due": report_due.isoformat(),
            },
        )
        audit(user, "refer_supervisor_action", case, referral=ref.pk)
    return ref


def record_supervisor_report(
    user: User, referral: SupervisorActionReferral, report: str, on: dt.date | None = None
) -> SupervisorActionReferral:
    require(user, "record_supervisor_report")
    report = _text("report", report)
    on = on or timezone.localdate()
    _not_future("date", on)
    with transaction.atomic():
        lock_case(referral.case)
        ref = SupervisorActionReferral.objects.select_for_update().get(pk=referral.pk)
        if ref.reported_on is not None:
            raise ActionError("referral", f"the supervisor's report was already recorded on {ref.reported_on}")
        ref.reported_on = on
        ref.report = report
        ref.save(update_fields=["reported_on", "report"])
        append_event(
            ref.case, "supervisor_action_reported", on, user, {"supervisor": ref.supervisor_name, "report": report}
        )
        audit(user, "record_supervisor_report", ref.case, referral=ref.pk)
    return ref


# --------------------------------------------------------------------------
# Notice
# --------------------------------------------------------------------------


def send_notice(user: User, case: Case, on: dt.date | None = None) -> tuple[CaseEvent, str]:
    """Generate the notice to named employees, their captain and bargaining unit
    (SMC 3.29.026.A) and record it as sent. The document never names a complainant."""
    from .notice import notice_document

    require(user, "send_notice")
    on = on or timezone.localdate()
    _not_future("date", on)
    if not case.named_employees.exists():
        raise ActionError("named_employees", "the case names no employee to notify")
    document = notice_document(case, on)
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        check_clock(case, [{"type": "notice_sent", "date": on.isoformat()}])
        ev = append_event(
            case,
            "notice_sent",
            on,
            user,
            {"document_sha256": hashlib.sha256(document.encode()).hexdigest(), "document": document},
        )
        audit(user, "send_notice", case)
    return ev, document


# --------------------------------------------------------------------------
# The investigation
# --------------------------------------------------------------------------

PLAN_FIELDS = ("priority", "witnesses", "perishable_evidence", "other_evidence", "approach")


def approved_plan(case: Case) -> InvestigationPlan | None:
    ev = case.events.filter(type="plan_approved").order_by("-seq").first()
    if ev is None:
        return None
    return case.plans.filter(version=ev.data.get("version")).first()


def _require_plan(case: Case) -> None:
    if approved_plan(case) is None:
        raise Refused(
            "No investigation step can be recorded before the Director or a designee approves "
            "an investigation plan [SMC 3.29.025.E]."
        )


def submit_plan(user: User, case: Case, **fields: str) -> InvestigationPlan:
    require(user, "submit_plan")
    clean = {k: _text(k, fields.get(k)) for k in PLAN_FIELDS}
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        version = (case.plans.aggregate(m=Max("version"))["m"] or 0) + 1
        plan = InvestigationPlan.objects.create(
            case=case,
            version=version,
            resource_constraints=(fields.get("resource_constraints") or "").strip(),
            submitted_by=user,
            submitted_at=timezone.now(),
            **clean,
        )
        append_event(case, "plan_submitted", timezone.localdate(), user, {"version": version})
        audit(user, "submit_plan", case, version=version)
    return plan


def approve_plan(user: User, plan: InvestigationPlan, on: dt.date | None = None) -> CaseEvent:
    require(user, "approve_plan")
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(plan.case)
        _open(case)
        latest = case.plans.aggregate(m=Max("version"))["m"]
        if plan.version != latest:
            raise ActionError("plan", f"version {plan.version} is not the latest (version {latest})")
        ev = append_event(case, "plan_approved", on, user, {"version": plan.version})
        audit(user, "approve_plan", case, version=plan.version)
    return ev


def record_exigent(user: User, case: Case, interviewee: str, reason: str) -> CaseEvent:
    """The Director's determination that exigent circumstances require an interview not in person."""
    require(user, "record_exigent")
    interviewee = _text("interviewee", interviewee)
    reason = _text("reason", reason)
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        ev = append_event(
            case, "exigent_circumstances", timezone.localdate(), user, {"interviewee": interviewee, "reason": reason}
        )
        audit(user, "record_exigent", case)
    return ev


def _store(case: Case, user: User, upload: Any, kind: str, description: str = "") -> EvidenceFile:
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    ef = EvidenceFile(
        case=case,
        name=getattr(upload, "name", "file") or "file",
        description=description,
        kind=kind,
        sha256=digest,
        size=len(content),
        content_type=getattr(upload, "content_type", "") or "",
        added_by=user,
        added_at=timezone.now(),
    )
    existing = EvidenceFile.objects.filter(sha256=digest).first()
    if existing is not None:
        ef.file.name = existing.file.name  # same bytes, same stored file: nothing is overwritten
    else:
        ef.file.save(digest, ContentFile(content), save=False)
    ef.save()
    return ef


def add_evidence(user: User, case: Case, upload: Any, description: str = "", kind: str = "other") -> EvidenceFile:
    """Store a file in the case file under its SHA-256."""
    require(user, "investigate")
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        _require_plan(case)
        ef = _store(case, user, upload, kind, description)
        append_event(
            case,
            "evidence_added",
            timezone.localdate(),
            user,
            {"name": ef.name, "sha256": ef.sha256, "size": ef.size, "kind": kind},
        )
        audit(user, "add_evidence", case, sha256=ef.sha256)
    return ef


def record_interview(
    user: User,
    case: Case,
    *,
    interviewee: str,
    held_on: dt.date,
    in_person: bool = True,
    audio: Any = None,
    transcript: Any = None,
) -> Interview:
    """An interview: in person unless the Director recorded exigent circumstances;
    audio and transcript attached except before a Rapid Adjudication (SMC 3.29.025.B)."""
    require(user, "investigate")
    interviewee = _text("interviewee", interviewee)
    _not_future("held_on", held_on)
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        _require_plan(case)
        if (
            not in_person
            and not case.events.filter(type="exigent_circumstances", data__interviewee=interviewee).exists()
        ):
            raise Refused(
                f"The interview of {interviewee} must be in person unless the OPA Director records "
                "exigent circumstances [SMC 3.29.025.B]."
            )
        if case.classification != "rapid_adjudication":
            if audio is None:
                raise ActionError("audio", "the audio recording is required [SMC 3.29.025.B]")
            if transcript is None:
                raise ActionError("transcript", "the transcript is required [SMC 3.29.025.B]")
        a = _store(case, user, audio, "audio", f"Interview of {interviewee}") if audio is not None else None
        t = _store(case, user, transcript, "transcript", f"Interview of {interviewee}") if transcript else None
        iv = Interview.objects.create(
            case=case,
            interviewee=interviewee,
            held_on=held_on,
            in_person=in_person,
            audio=a,
            transcript=t,
            recorded_by=user,
        )
        append_event(
            case,
            "interview_recorded",
            held_on,
            user,
            {
                "interviewee": interviewee,
                "in_person": in_person,
                "audio_sha256": a.sha256 if a else None,
                "transcript_sha256": t.sha256 if t else None,
            },
        )
        audit(user, "record_interview", case, interview=iv.pk)
    return iv


# Clock events recorded directly, and who may record each.
CLOCK_ACTIONS: dict[str, tuple[str, bool]] = {
    # type: (permission, needs an approved plan)
    "interview_postponed": ("toll", True),
    "criminal_pause_started": ("toll", False),
    "criminal_pause_ended": ("toll", False),
    "additional_investigation": ("toll", True),
    "director_vacancy": ("director_vacancy", False),
    "submitted_to_oig": ("oig_step", True),
    # OIG's determinations are OIG's to record (oversight.oig.actions), never OPA's.
    "proposed_findings_issued": ("issue_findings", False),
    "chief_decision": ("record_outcome", False),
    "chief_statement_issued": ("record_outcome", False),
    "timeline_statement_issued": ("issue_findings", False),
    "discipline_determination_received": ("record_outcome", False),
    "appeal_notice_filed": ("record_outcome", False),
}


def check_oig_allows_findings(case: Case, on: dt.date) -> None:
    """Proposed findings wait for OIG's certification, or for its window to lapse (SMC 3.29.112)."""
    from oversight.oig.review import findings_gate

    gate = findings_gate(case, on)
    if not gate.allowed:
        raise ActionError("proposed_findings_issued", f"{gate.reason} ({gate.cite})")


def record_clock_event(user: User, case: Case, type: str, on: dt.date, **data: Any) -> CaseEvent:
    """Record an event the deadline clock reads (postponement, pause, vacancy, ...);
    the clock reflects it at once."""
    if type not in CLOCK_ACTIONS:
        raise ActionError("type", f"{type!r} is not an event recorded here")
    perm, needs_plan = CLOCK_ACTIONS[type]
    require(user, perm)
    _not_future("date", on)
    fields = EVENT_TYPES[type]
    data = {k: v for k, v in data.items() if k in fields and v not in (None, "")}
    with transaction.atomic():
        case = lock_case(case)
        if type not in (
            "chief_decision",
            "chief_statement_issued",
            "discipline_determination_received",
            "appeal_notice_filed",
            "timeline_statement_issued",
        ):
            _open(case)
        if needs_plan:
            _require_plan(case)
        if type == "proposed_findings_issued":
            check_oig_allows_findings(case, on)
        try:
            check_clock(case, [{"type": type, "date": on.isoformat(), **data}])
        except CaseError as e:
            raise ActionError(type, str(e).split(": ", 1)[-1]) from None
        ev = append_event(case, type, on, user, data)
        audit(user, type, case, **data)
    return ev


def postpone_interview(user: User, case: Case, days: int, reason: str, on: dt.date | None = None) -> CaseEvent:
    """An interview postponed for the interviewee's or labor representative's
    unavailability: the investigation period grows by ``days`` (SMC 3.29.026.D)."""
    if not isinstance(days, int) or days < 1:
        raise ActionError("days", "must be a whole number of days, 1 or more")
    return record_clock_event(
        user, case, "interview_postponed", on or timezone.localdate(), days=days, reason=_text("reason", reason)
    )


def issue_subpoena(user: User, case: Case, recipient: str, material: str, on: dt.date | None = None) -> Subpoena:
    require(user, "issue_subpoena")
    recipient = _text("recipient", recipient)
    material = _text("material", material)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(case)
        _open(case)
        sp = Subpoena.objects.create(case=case, recipient=recipient, material=material, issued_on=on, issued_by=user)
        append_event(
            case, "subpoena_issued", on, user, {"subpoena": sp.pk, "recipient": recipient, "material": material}
        )
        audit(user, "issue_subpoena", case, subpoena=sp.pk)
    return sp


def update_subpoena(user: User, subpoena: Subpoena, status: str, on: dt.date | None = None) -> Subpoena:
    require(user, "update_subpoena")
    if status not in dict(SUBPOENA_STATUSES):
        raise ActionError("status", f"{status!r} is not one of: {', '.join(dict(SUBPOENA_STATUSES))}")
    on = on or timezone.localdate()
    with transaction.atomic():
        lock_case(subpoena.case)
        sp = Subpoena.objects.select_for_update().get(pk=subpoena.pk)
        old = sp.status
        sp.status = status
        sp.save(update_fields=["status"])
        append_event(sp.case, "subpoena_status", on, user, {"subpoena": sp.pk, "from": old, "to": status})
        audit(user, "update_subpoena", sp.case, subpoena=sp.pk, status=status)
    return sp


def close_case(user: User, case: Case, reason: str, on: dt.date | None = None) -> CaseEvent:
    require(user, "close_case")
    reason = _text("reason", reason)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(case)
        if case.closed_on is not None:
            raise ActionError("case", f"already closed on {case.closed_on.isoformat()}")
        ev = append_event(case, "case_closed", on, user, {"reason": reason})
        Case.objects.filter(pk=case.pk).update(closed_on=on)
        audit(user, "close_case", case)
    return ev


# --------------------------------------------------------------------------
# The chain
# --------------------------------------------------------------------------


def verify_chain() -> tuple[int, CaseEvent | None, str]:
    """Walk the log in the order it was written. Returns (entries checked, the first
    broken entry or None, what is wrong with it)."""
    prev = GENESIS
    n = 0
    qs = CaseEvent.objects.select_related("case", "recorded_by").order_by("pk")
    for ev in qs.iterator(chunk_size=2000):
        n += 1
        if ev.prev_hash != prev:
            return n, ev, "its link to the entry before does not match (an entry was removed, inserted or changed)"
        expected = ev.content_hash(ev.case.number, ev.recorded_by.get_username() if ev.recorded_by else None)
        if ev.hash != expected:
            return n, ev, "its content does not match its hash (the entry was changed)"
        prev = ev.hash
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev and n:
        return n, None, "the last entry is not the one the chain head recorded (entries were removed from the end)"
    return n, None, ""


# --------------------------------------------------------------------------
# Import: many finished records at once (the demo, a migration from another system)
# --------------------------------------------------------------------------


def import_cases(user: User, cases: Iterable[Mapping[str, Any]], batch: int = 2000) -> int:
    """Load whole cases (their people and their dated events) in bulk, extending the
    chain as if each event had been appended in turn. Each case must be a valid case
    for the clock; nothing is saved unless every case is. Returns the number loaded.

    A case is a mapping with the Case fields, and ``complainants``, ``named_employees``,
    ``witnesses``, ``allegations`` (``employee`` an index), ``events`` (``type``,
    ``date``, ``data``, ``by``: a user or None), ``plans``, ``referrals``.
    """
    require(user, "import_cases")
    items = [dict(c) for c in cases]
    for i, c in enumerate(items):
        clock = [
            {"type": e["type"], "date": e["date"].isoformat(), **(e.get("data") or {})}
            for e in c["events"]
            if e["type"] in EVENT_TYPES
        ]
        try:
            parse_case({"case_id": c["number"], "events": clock})
        except CaseError as e:
            raise ActionError(f"cases[{i}] ({c['number']})", str(e)) from None
    numbers = [c["number"] for c in items]
    taken = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
    if taken or len(set(numbers)) != len(numbers):
        dup = sorted(taken) or sorted(n for n in numbers if numbers.count(n) > 1)
        raise ActionError("cases", f"case number {dup[0]} was already issued; numbers are never reused")
    case_fields = {f.name for f in Case._meta.concrete_fields} - {"id", "created_at"}
    n = 0
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
        prev = head.last_hash
        count = head.count
        years: dict[int, int] = {}
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            made = Case.objects.bulk_create([Case(**{k: v for k, v in c.items() if k in case_fields}) for c in chunk])
            comps, emps, wits = [], [], []
            for case, c in zip(made, chunk, strict=True):
                year, _, seq = case.number.partition("OPA-")
                if seq.isdigit():
                    years[int(year)] = max(years.get(int(year), 0), int(seq))
                comps += [Complainant(case=case, **_pick(x, COMPLAINANT_FIELDS)) for x in c.get("complainants", ())]
                emps.append(
                    [NamedEmployee(case=case, **_pick(x, EMPLOYEE_FIELDS)) for x in c.get("named_employees", ())]
                )
                wits += [Witness(case=case, **_pick(x, WITNESS_FIELDS)) for x in c.get("witnesses", ())]
            Complainant.objects.bulk_create(comps)
            Witness.objects.bulk_create(wits)
            NamedEmployee.objects.bulk_create([e for lst in emps for e in lst])
            alls, events, plans, refs = [], [], [], []
            for case, c, case_emps in zip(made, chunk, emps, strict=True):
                for a in c.get("allegations", ()):
                    alls.append(
                        Allegation(
                            case=case,
                            named_employee=case_emps[a["employee"]],
                            category=a["category"],
                            description=a.get("description", ""),
                            criminal=bool(a.get("criminal")),
                            concealment=bool(a.get("concealment")),
                        )
                    )
                for p in c.get("plans", ()):
                    plans.append(InvestigationPlan(case=case, **p))
                for r in c.get("referrals", ()):
                    refs.append(
                        SupervisorActionReferral(
                            case=case,
                            named_employee=case_emps[r["employee"]],
                            **{k: v for k, v in r.items() if k != "employee"},
                        )
                    )
                for seq, e in enumerate(c["events"], 1):
                    by = e.get("by")
                    ev = CaseEvent(
                        case=case,
                        seq=seq,
                        type=e["type"],
                        date=e["date"],
                        data=e.get("data") or {},
                        recorded_at=e.get("at") or timezone.now(),
                        recorded_by=by,
                        prev_hash=prev,
                    )
                    ev.hash = ev.content_hash(case.number, _username(by))
                    prev = ev.hash
                    events.append(ev)
            Allegation.objects.bulk_create(alls)
            InvestigationPlan.objects.bulk_create(plans)
            SupervisorActionReferral.objects.bulk_create(refs)
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            count += len(events)
            n += len(made)
        head.last_hash = prev
        head.count = count
        head.save(update_fields=["last_hash", "count"])
        for year, seq in years.items():
            counter, _ = CaseNumber.objects.select_for_update().get_or_create(year=year)
            if counter.last < seq:
                counter.last = seq
                counter.save(update_fields=["last"])
        audit(user, "import_cases", None, cases=n)
    return n
