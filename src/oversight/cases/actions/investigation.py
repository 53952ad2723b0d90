"""The investigation: the plan and its approval, interviews and evidence, the clock's
events, subpoenas, the submission to OIG, and closing."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oversight.access import Refused
from oversight.rules.events import EVENT_TYPES, CaseError

from ..integrity import seal
from ..models import SUBPOENA_STATUSES, Case, CaseEvent, EvidenceFile, Interview, InvestigationPlan, Subpoena
from .base import (
    ActionError,
    User,
    append_event,
    audit,
    check_clock,
    ensure_open,
    lock_case,
    not_future,
    require,
    required_text,
)

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
    require(user, "submit_plan", case)
    clean = {k: required_text(k, fields.get(k)) for k in PLAN_FIELDS}
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
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


# What ends a criminal pause in the clock (SMC 3.29.026.F; shared/spec/timeline.md version 2).
PAUSE_ENDS = ("criminal_pause_ended", "administrative_step", "submitted_to_oig", "proposed_findings_issued")


def running_pause(case: Case) -> CaseEvent | None:
    """The criminal pause still running: started, and nothing that resumes the clock after it."""
    last = case.events.filter(type="criminal_pause_started").order_by("-date", "-seq").first()
    if last is None:
        return None
    ended = case.events.filter(type__in=PAUSE_ENDS, date__gte=last.date).exclude(seq__lt=last.seq).exists()
    return None if ended else last


def resume_if_paused(case: Case, user: User, on: dt.date, what: str) -> CaseEvent | None:
    """ "The 180-day clock shall resume whenever any administrative investigation steps are taken
    by OPA" (SMC 3.29.026.F): a step recorded while a criminal pause runs appends the
    administrative_step that ends it. ``what`` names the step, never a person. Inside a transaction."""
    pause = running_pause(case)
    if pause is None or on <= pause.date:  # a step dated before the pause, or on its first day, resumes nothing
        return None
    check_clock(case, [{"type": "administrative_step", "date": on.isoformat(), "what": what}])
    ev = append_event(case, "administrative_step", on, user, {"what": what})
    audit(user, "administrative_step", case, what=what)
    return ev


def plan_awaiting(case: Case) -> InvestigationPlan | None:
    """The latest plan, if it awaits the Director's decision (neither approved nor returned)."""
    latest = case.plans.order_by("-version").first()
    if latest is None:
        return None
    decided = case.events.filter(type__in=("plan_approved", "plan_returned"), data__version=latest.version)
    return None if decided.exists() else latest


def _awaiting(case: Case, plan: InvestigationPlan) -> None:
    latest = case.plans.aggregate(m=Max("version"))["m"]
    if plan.version != latest:
        raise ActionError("plan", f"version {plan.version} is not the latest (version {latest})")
    if plan_awaiting(case) is None:
        raise ActionError("plan", f"version {plan.version} was already approved or returned")


def approve_plan(user: User, plan: InvestigationPlan, on: dt.date | None = None) -> CaseEvent:
    require(user, "approve_plan", plan.case)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(plan.case)
        ensure_open(case)
        _awaiting(case, plan)
        ev = append_event(case, "plan_approved", on, user, {"version": plan.version})
        audit(user, "approve_plan", case, version=plan.version)
        resume_if_paused(case, user, on, f"investigation plan version {plan.version} approved")
    return ev


def return_plan(user: User, plan: InvestigationPlan, reasons: str, on: dt.date | None = None) -> CaseEvent:
    """The Director sends the plan back with reasons; the investigator submits a new version."""
    require(user, "approve_plan", plan.case)
    reasons = required_text("reasons", reasons)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(plan.case)
        ensure_open(case)
        _awaiting(case, plan)
        ev = append_event(case, "plan_returned", on, user, {"version": plan.version, "reasons": reasons})
        audit(user, "return_plan", case, version=plan.version)
    return ev


def record_exigent(user: User, case: Case, interviewee: str, reason: str) -> CaseEvent:
    """The Director's determination that exigent circumstances require an interview not in person."""
    require(user, "record_exigent", case)
    interviewee = required_text("interviewee", interviewee)
    reason = required_text("reason", reason)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ev = append_event(
            case, "exigent_circumstances", timezone.localdate(), user, {"interviewee": interviewee, "reason": reason}
        )
        audit(user, "record_exigent", case)
    return ev


def _store(case: Case, user: User, upload: Any, kind: str, description: str = "", field: str = "file") -> EvidenceFile:
    """Check the file by what it is (``oversight.uploads``), then store it under its SHA-256
    (encrypted when a media key is set). A refused file stores nothing."""
    from django.conf import settings

    from oversight.uploads import Rejected, for_storage, inspect

    name = getattr(upload, "name", "file") or "file"
    limit = int(getattr(settings, "OVERSIGHT_STAFF_MAX_UPLOAD_BYTES", 2 * 1024**3))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ActionError(field, f"{name} is larger than {limit // 2**20} MB")
    try:
        seen = inspect(name, content)
    except Rejected as e:
        raise ActionError(field, str(e)) from None
    digest = hashlib.sha256(content).hexdigest()
    ef = EvidenceFile(
        case=case,
        name=name,
        description=description,
        kind=kind,
        sha256=digest,
        size=len(content),
        content_type=seen.content_type,
        added_by=user,
        added_at=timezone.now(),
    )
    ef.scan = seen.scan  # type: ignore[attr-defined]  (said in the event, not a column)
    existing = EvidenceFile.objects.filter(sha256=digest).first()
    if existing is not None:
        ef.file.name = existing.file.name  # same bytes, same stored file: nothing is overwritten
    else:
        ef.file.save(digest, ContentFile(for_storage(content)), save=False)
    ef.save()
    return ef


def add_evidence(user: User, case: Case, upload: Any, description: str = "", kind: str = "other") -> EvidenceFile:
    """Store a file in the case file under its SHA-256."""
    require(user, "investigate", case)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        _require_plan(case)
        ef = _store(case, user, upload, kind, description, field="evidence")
        append_event(
            case,
            "evidence_added",
            timezone.localdate(),
            user,
            {"name": ef.name, "sha256": ef.sha256, "size": ef.size, "kind": kind, "scan": ef.scan},  # type: ignore[attr-defined]
        )
        audit(user, "add_evidence", case, sha256=ef.sha256)
        resume_if_paused(case, user, timezone.localdate(), "evidence stored")
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
    require(user, "investigate", case)
    interviewee = required_text("interviewee", interviewee)
    not_future("held_on", held_on)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
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
        a = _store(case, user, audio, "audio", f"Interview of {interviewee}", "audio") if audio is not None else None
        t = (
            _store(case, user, transcript, "transcript", f"Interview of {interviewee}", "transcript")
            if transcript
            else None
        )
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
        resume_if_paused(case, user, held_on, "an interview recorded")
    return iv


# Clock events recorded directly, and who may record each.
CLOCK_ACTIONS: dict[str, tuple[str, bool]] = {
    # type: (permission, needs an approved plan)
    "interview_postponed": ("toll", True),
    "criminal_pause_started": ("toll", False),
    "criminal_pause_ended": ("toll", False),
    "additional_investigation": ("toll", True),
    "director_vacancy": ("director_vacancy", False),
    "submitted_to_oig": ("submit_to_oig", True),
    # OIG's determinations are OIG's to record (oversight.oig.actions); findings, the Chief's
    # decision, statements and appeals have their own doors (oversight.discipline.actions).
}


def check_oig_allows_findings(case: Case, on: dt.date) -> None:
    """Proposed findings wait for OIG's certification, or for its window to lapse (SMC 3.29.112)."""
    from oversight.oig.review import findings_gate

    gate = findings_gate(case, on)
    if not gate.allowed:
        raise Refused(gate.reason + ".", cite=gate.cite, what="to issue proposed findings")


def record_clock_event(user: User, case: Case, type: str, on: dt.date, **data: Any) -> CaseEvent:
    """Record an event the deadline clock reads (postponement, pause, vacancy, ...);
    the clock reflects it at once."""
    if type not in CLOCK_ACTIONS:
        raise ActionError("type", f"{type!r} is not an event recorded here")
    perm, needs_plan = CLOCK_ACTIONS[type]
    require(user, perm, case)
    not_future("date", on)
    fields = EVENT_TYPES[type]
    data = {k: v for k, v in data.items() if k in fields and v not in (None, "")}
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        if needs_plan:
            _require_plan(case)
        if type == "submitted_to_oig":
            _submittable(case)
        try:
            check_clock(case, [{"type": type, "date": on.isoformat(), **data}])
        except CaseError as e:
            raise ActionError(type, str(e).split(": ", 1)[-1]) from None
        ev = append_event(case, type, on, user, data)
        audit(user, type, case, **data)
    return ev


def oig_submission_open(case: Case) -> tuple[bool, str]:
    """Whether OPA may submit the investigation to OIG now, and if not, why: the first time
    before proposed findings, and again after any further investigation (SMC 3.29.112.A.1, D)."""
    from oversight.oig.review import review_state

    today = timezone.localdate()
    st = review_state(case, today)
    if st.pending is not None and not st.pending.lapsed_on(today):
        return False, "the last submission still awaits OIG's answer"
    last = st.latest
    if last is None:
        if case.events.filter(type="proposed_findings_issued").exists():
            return False, "the proposed findings were already issued"
        return True, ""
    later = case.events.filter(type="additional_investigation")
    if any((e.date, e.seq) > (last.event.date, last.event.seq) for e in later):
        return True, ""
    return False, "OIG answered the last submission and no further investigation was recorded since"


def _submittable(case: Case) -> None:
    ok, why = oig_submission_open(case)
    if not ok:
        raise ActionError("submitted_to_oig", why)


def submit_to_oig(user: User, case: Case, on: dt.date | None = None) -> CaseEvent:
    """OPA submits an investigation it believes complete to OIG (SMC 3.29.112.A.1)."""
    return record_clock_event(user, case, "submitted_to_oig", on or timezone.localdate())


def postpone_interview(user: User, case: Case, days: int, reason: str, on: dt.date | None = None) -> CaseEvent:
    """An interview postponed for the interviewee's or labor representative's
    unavailability: the investigation period grows by ``days`` (SMC 3.29.026.D)."""
    if not isinstance(days, int) or days < 1:
        raise ActionError("days", "must be a whole number of days, 1 or more")
    return record_clock_event(
        user, case, "interview_postponed", on or timezone.localdate(), days=days, reason=required_text("reason", reason)
    )


def issue_subpoena(user: User, case: Case, recipient: str, material: str, on: dt.date | None = None) -> Subpoena:
    require(user, "issue_subpoena", case)
    recipient = required_text("recipient", recipient)
    material = required_text("material", material)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        sp = Subpoena.objects.create(case=case, recipient=recipient, material=material, issued_on=on, issued_by=user)
        append_event(
            case, "subpoena_issued", on, user, {"subpoena": sp.pk, "recipient": recipient, "material": material}
        )
        audit(user, "issue_subpoena", case, subpoena=sp.pk)
        resume_if_paused(case, user, on, "a subpoena issued")
    return sp


def update_subpoena(user: User, subpoena: Subpoena, status: str, on: dt.date | None = None) -> Subpoena:
    require(user, "update_subpoena", subpoena.case)
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
    require(user, "close_case", case)
    reason = required_text("reason", reason)
    on = on or timezone.localdate()
    with transaction.atomic():
        case = lock_case(case)
        if case.closed_on is not None:
            raise ActionError("case", f"already closed on {case.closed_on.isoformat()}")
        ev = append_event(case, "case_closed", on, user, {"reason": reason})
        Case.objects.filter(pk=case.pk).update(closed_on=on)
        seal(case)
        audit(user, "close_case", case)
    return ev
