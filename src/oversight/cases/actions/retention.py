"""Retention of case files (SMC 3.29.320.E): legal holds, and disposal once retention ends.

A case file is disposed of only through ``dispose_case_file``: the Director states when each
named employee left the City's employment (from SPD's personnel records), the rule
(``oversight.rules.retention``) computes the earliest disposal date from those dates, the
actions related to the employees and the legal holds, and a file whose date has not come is
refused with the reasons. A disposal removes the evidence files' contents and the
complainants' and witnesses' identity, and records what it removed, on what basis, who and
when (``Disposal``, on the case's log and sealed), for OIG's review at /oig/retention/.
Discipline records are never disposed of, nor the named employees they name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight.rules import retention as R

from ..models import Case, Disposal, LegalHold, NamedEmployee
from .base import ActionError, User, append_event, audit, lock_case, require, required_text, rules_on, user_or_none

DISPOSED = "[disposed of under SMC 3.29.320.E]"


def place_legal_hold(user: User, case: Case, reason: str) -> LegalHold:
    require(user, "legal_hold", case)
    why = required_text("reason", reason)
    with transaction.atomic():
        case = lock_case(case)
        hold = LegalHold.objects.create(case=case, reason=why, placed_by=user_or_none(user), placed_at=timezone.now())
        append_event(case, "legal_hold_placed", timezone.localdate(), user, {"hold": hold.pk, "reason": why})
        audit(user, "legal_hold_placed", case, hold=hold.pk)
    return hold


def release_legal_hold(user: User, hold: LegalHold, reason: str) -> LegalHold:
    require(user, "legal_hold", hold.case)
    why = required_text("reason", reason)
    with transaction.atomic():
        case = lock_case(hold.case)
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ActionError("hold", f"the hold of {hold.placed_at:%Y-%m-%d} was already released")
        hold.released_at = timezone.now()
        hold.released_by = user_or_none(user)
        hold.release_reason = why
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        append_event(case, "legal_hold_released", timezone.localdate(), user, {"hold": hold.pk, "reason": why})
        audit(user, "legal_hold_released", case, hold=hold.pk)
    return hold


def retention_facts(case: Case, left_on: Mapping[int, dt.date | None] | None = None) -> R.Facts:
    """The case file's facts as the retention rule reads them. ``left_on``: for each named
    employee (by id), the day they left the City's employment, as SPD's records state it;
    a separation for cause recorded on the case counts too."""
    from oversight.discipline.models import FORUM_LABELS, Appeal, Separation

    given = dict(left_on or {})
    separated = {s.named_employee_id: s.separated_on for s in Separation.objects.filter(case=case)}
    employees = []
    serials = []
    for i, ne in enumerate(NamedEmployee.objects.filter(case=case).order_by("pk"), 1):
        day = given.get(ne.pk) or separated.get(ne.pk)
        employees.append(R.Employee(f"Named Employee #{i}", day))
        if ne.serial:
            serials.append(ne.serial)
    actions: list[R.Action] = []
    for a in Appeal.objects.filter(case=case).order_by("pk"):
        label = f"the appeal to the {FORUM_LABELS.get(a.forum, a.forum)} filed {a.notice_filed_on.isoformat()}"
        actions.append(R.Action(label, a.closed_on))
    if serials:  # other cases naming the same employees are actions related to them
        others = (
            Case.objects.filter(named_employees__serial__in=serials)
            .exclude(pk=case.pk)
            .distinct()
            .order_by("number")
            .values_list("number", "closed_on")
        )
        actions += [R.Action(f"case {number}, naming the same employee", closed) for number, closed in others]
    holds = tuple(h.reason for h in LegalHold.objects.filter(case=case, released_at__isnull=True).order_by("pk"))
    return R.Facts(closed_on=case.closed_on, employees=tuple(employees), actions=tuple(actions), holds=holds)


def retention_of(case: Case, left_on: Mapping[int, dt.date | None] | None = None) -> R.Retention:
    day = case.received_on or timezone.localdate()
    period = rules_on(day).periods["retention_after_employment"]
    return R.earliest_disposal(retention_facts(case, left_on), int(period.value), period.cite)


def dispose_case_file(
    user: User,
    case: Case,
    *,
    left_on: Mapping[int, dt.date | None],
    reason: str = "",
    today: dt.date | None = None,
) -> Disposal:
    """Dispose of ``case``'s file if its retention has ended; refuse with the reasons otherwise."""
    from oversight.public.models import WebComplaint, WebEvidence

    from ..models import Complainant, EvidenceFile, Witness

    require(user, "dispose_case_file", case)
    day = today or timezone.localdate()
    for pk, left in left_on.items():
        if left is not None and left > day:
            raise ActionError(f"left_on[{pk}]", f"{left.isoformat()} is in the future")
    with transaction.atomic():
        case = lock_case(case)
        if case.disposals.exists():
            raise ActionError("case", f"the file of {case.number} was already disposed of")
        ret = retention_of(case, left_on)
        if not ret.disposable_on(day):
            why = " ".join(s.text for s in ret.steps if s.text != "The file is kept.")
            when = f"not before {ret.earliest.isoformat()}" if ret.earliest else "not yet"
            raise ActionError("case", f"the file of {case.number} is kept ({when}): {why}")
        disposed: dict[str, int] = {}
        files = 0
        for ef in EvidenceFile.objects.filter(case=case):
            if ef.file and ef.file.storage.exists(ef.file.name):
                ef.file.storage.delete(ef.file.name)
                files += 1
        for we in WebEvidence.objects.filter(complaint__case=case):
            if we.file and we.file.storage.exists(we.file.name):
                we.file.storage.delete(we.file.name)
                files += 1
        disposed["evidence files' contents"] = files
        # the case's own words name people by their role from now on (the one redaction path)
        from oversight.rules import access as A
        from oversight.rules.redaction import redact

        from ..integrity import seal
        from ..people import tagged_people

        people = [p for part, p in tagged_people(case) if part in (A.COMPLAINANT, A.WITNESS)]
        summary = redact(case.summary, people).text
        if summary != case.summary:
            Case.objects.filter(pk=case.pk).update(summary=summary, search_stale=True)
            seal(case)
        disposed["the summary's names"] = int(summary != case.summary)
        disposed["names in notes, plans, interviews and corrections"] = _redact_the_rest(case, people)
        WebComplaint.objects.filter(case=case).update(email="")
        n = 0
        for c in Complainant.objects.filter(case=case):
            for f in ("name", "address", "phone", "email", "race", "ethnicity", "gender", "neighbourhood"):
                setattr(c, f, DISPOSED if f in ("name", "address") else "")
            c.save()
            n += 1
        disposed["complainants' identity"] = n
        n = 0
        for w in Witness.objects.filter(case=case):
            w.name, w.contact = DISPOSED, ""
            w.save()
            n += 1
        disposed["witnesses' identity"] = n
        assert ret.earliest is not None
        basis: list[dict[str, Any]] = [{"text": s.text, "cite": s.cite} for s in ret.steps]
        d = Disposal.objects.create(
            case=case,
            disposed_by=user_or_none(user),
            disposed_at=timezone.now(),
            earliest_on=ret.earliest,
            basis=basis,
            disposed=disposed,
            reason=(reason or "").strip(),
        )
        append_event(case, "case_file_disposed", day, user, {"disposal": d.pk, "earliest": ret.earliest.isoformat()})
        audit(user, "case_file_disposed", case, disposal=d.pk, **{"earliest": ret.earliest.isoformat()})
    return d


IDENTITY_FIELDS = ("name", "address", "phone", "email", "contact", "race", "ethnicity", "gender", "neighbourhood")


def _redact_the_rest(case: Case, people: list[Any]) -> int:
    """The complainants' and witnesses' names wherever else the file keeps them as written
    (notes, plans, interviewees, the corrections' before and after), each record resealed."""
    from oversight.rules.redaction import redact

    from ..integrity import seal_rows
    from ..models import CaseNote, Interview, InvestigationPlan, PartyRevision

    changed = 0

    def scrub(model: Any, fields: tuple[str, ...]) -> None:
        nonlocal changed
        pks = []
        for row in model.objects.filter(case=case).values("pk", *fields):
            new = {f: redact(row[f], people).text for f in fields if row[f]}
            new = {f: v for f, v in new.items() if v != row[f]}
            if new:
                model.objects.filter(pk=row["pk"]).update(**new)
                pks.append(row["pk"])
        seal_rows(model, pks)
        changed += len(pks)

    scrub(CaseNote, ("text",))
    scrub(InvestigationPlan, ("witnesses", "approach", "perishable_evidence", "other_evidence", "priority"))
    scrub(Interview, ("interviewee",))
    pks = []
    for rev in PartyRevision.objects.filter(case=case, kind__in=("complainant", "witness")):
        before = {k: (DISPOSED if k in IDENTITY_FIELDS and v else v) for k, v in rev.before.items()}
        after = {k: (DISPOSED if k in IDENTITY_FIELDS and v else v) for k, v in rev.after.items()}
        if before != rev.before or after != rev.after:
            PartyRevision.objects.filter(pk=rev.pk).update(before=before, after=after)
            pks.append(rev.pk)
    seal_rows(PartyRevision, pks)
    return changed + len(pks)
