"""What waits for the Chief, the City Attorney and the Director once findings exist:
findings awaiting the Chief's decision, statements due, appeals and their hearings,
Management Actions awaiting SPD's answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from oversight import access
from oversight.cases.clock import deadline_label, statement_on, statement_owed, timeline, timelines
from oversight.cases.models import Case, CaseEvent
from oversight.home.registry import Waiting

from .models import Appeal, ManagementAction, Recommendation


def _url(number: str) -> str:
    return reverse("cases:detail", args=[number]) + "#findings"


def _deadline(case: Case, today: dt.date, deadline_id: str) -> dict[str, Any] | None:
    return next((d for d in timeline(case, today)["deadlines"] if d["id"] == deadline_id), None)


def _with_deadline(cases: Any, today: dt.date, deadline_id: str) -> Iterator[tuple[Case, dict[str, Any] | None]]:
    """Each of ``cases`` (a sliced queryset) with its deadline ``deadline_id``: the clock reads
    them all at once (a fixed number of queries, however many cases)."""
    cases = list(cases)
    tls = timelines(Case.objects.filter(pk__in=[c.pk for c in cases]), today)
    for case in cases:
        yield case, next((d for d in tls[case.pk]["deadlines"] if d["id"] == deadline_id), None)


# How many decided cases a request asks the clock about, at most (the rest on the next one).
SETTLE = 500


def _timeline_statements_owed(today: dt.date) -> Any:
    """The cases that owe the Director's statement on an exceeded time limit (SMC 3.29.027.C: 30
    days from the final certification, the last proposed findings, of an investigation that
    missed its limit) and have not had it. Whether a case owes it, and that deadline, are kept on
    the case until an event is appended: by the board's recomputation of an open case
    (clock.refresh_board), and here, a few hundred a request at most, for any case not yet asked
    (a closed or routed case after an event, every case after an upgrade)."""
    with transaction.atomic():
        # The rows locked before their events are read: a write to one of them (append_event clears
        # the answer) waits for this answer and clears it after, never before.
        unknown = list(
            Case.objects.filter(timeline_statement_owed__isnull=True)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:SETTLE]
        )
        if unknown:
            tls = timelines(Case.objects.filter(pk__in=unknown), today)
            owing = []
            for pk, tl in tls.items():
                d = statement_owed(tl)
                if d is not None:
                    owing.append(Case(pk=pk, timeline_statement_owed=True, timeline_statement_deadline=d))
            Case.objects.bulk_update(owing, ["timeline_statement_owed", "timeline_statement_deadline"], batch_size=200)
            Case.objects.filter(pk__in=unknown).exclude(pk__in=[c.pk for c in owing]).update(
                timeline_statement_owed=False
            )
    return Case.objects.filter(timeline_statement_owed=True)


def _due(d: dict[str, Any] | None) -> dt.date | None:
    return dt.date.fromisoformat(d["due"]) if d and d.get("due") else None


def decisions(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "chief_decision"):
        return
    qs = (
        Case.objects.filter(Exists(Recommendation.objects.filter(case=OuterRef("pk"))))
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="chief_decision")))
        .order_by("number")
    )
    for case in qs[:50]:
        rec = case.recommendations.order_by("-pk").first()
        yield Waiting(
            "Findings awaiting your decision",
            f"{case.number}: the Director's recommended findings",
            _url(case.number),
            f"Recommended on {rec.issued_on:%Y-%m-%d}; the Chief makes the final findings and discipline after "
            "the due process hearing [SMC 3.29.310.A].",
            status="new",
            case=case.number,
        )


def statements(user: Any, today: dt.date) -> Iterator[Waiting]:
    """The Chief's statement of reasons, the Director's timeline statement: due by the clock."""
    wanted = [(d, p) for d, p in (("chief_statement", "chief_statement"), ("timeline_statement", "timeline_statement"))]
    wanted = [(d, p) for d, p in wanted if access.may(user, p)]
    if not wanted:
        return
    # Only cases that may owe a statement are given to the clock: the Chief's when the decision
    # departed from the recommendations, the Director's when the investigation missed its time
    # limit and none was issued yet (known per case once asked: _timeline_statements_owed).
    owed = {  # asked only of those who may make the statement
        "chief_statement": lambda: Case.objects.filter(
            Exists(
                CaseEvent.objects.filter(case=OuterRef("pk"), type="chief_decision", data__follows_recommendation=False)
            )
        ).exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="chief_statement_issued"))),
        "timeline_statement": lambda: _timeline_statements_owed(today),
    }
    for deadline_id, _ in wanted:
        listed = owed[deadline_id]().only("pk", "number", "timeline_statement_deadline").order_by("-number")[:200]
        if deadline_id == "timeline_statement":  # kept on the case: no clock
            found: Any = ((c, statement_on(c.timeline_statement_deadline, today)) for c in listed)
        else:
            found = _with_deadline(listed, today, deadline_id)
        for case, d in found:
            if d is None or d["status"] not in ("open", "overdue"):
                continue
            yield Waiting(
                "Statements due",
                f"{case.number}: {deadline_label(deadline_id)}",
                _url(case.number),
                "A written statement the chapter requires; it names no named employee [SMC 3.29.027.D].",
                due=_due(d),
                status=d["status"],
                explanation=list(d["explanation"]),
                case=case.number,
            )


def appeals(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "appeal"):
        return
    for ap in Appeal.objects.filter(closed_on__isnull=True).select_related("case").order_by("notice_filed_on")[:100]:
        hearing = ap.hearing_on
        why = f"{ap.get_forum_display()}; notice filed {ap.notice_filed_on:%Y-%m-%d}; " + (
            f"hearing on {hearing:%Y-%m-%d}." if hearing else "no hearing date yet."
        )
        yield Waiting(
            "Appeals",
            f"{ap.case.number}: appeal #{ap.pk}",
            _url(ap.case.number),
            why,
            due=hearing,
            status="overdue" if hearing and hearing < today else "open",
            case=ap.case.number,
        )


def appeal_windows(user: Any, today: dt.date) -> Iterator[Waiting]:
    """For the City Attorney: decided cases whose notice of intent to appeal may still be filed."""
    if not access.may(user, "appeal"):
        return
    qs = (
        Case.objects.filter(
            Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="discipline_determination_received"))
        )
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="appeal_notice_filed")))
        .order_by("-number")
    )
    for case, d in _with_deadline(qs[:100], today, "appeal_notice"):
        if d is None or d["status"] not in ("open", "overdue"):
            continue
        yield Waiting(
            "Appeal windows open",
            f"{case.number}: notice of intent to appeal",
            _url(case.number),
            "The employee received the Chief's final determination; a notice of intent to appeal may be filed "
            "until this date, and an appeal is recorded here when it is.",
            due=_due(d),
            status="open",
            explanation=list(d["explanation"]),
            case=case.number,
        )


def management_actions(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "management_action"):
        return
    for ma in ManagementAction.objects.filter(status="awaiting_response").select_related("case").order_by("issued_on"):
        yield Waiting(
            "Management Actions awaiting SPD",
            f"{ma.case.number}: Management Action #{ma.pk}",
            _url(ma.case.number),
            f"Issued {ma.issued_on:%Y-%m-%d}; SPD's written response is recorded when it arrives [SMC 3.29.030.D].",
            status="info",
            case=ma.case.number,
        )


def own_cases(user: Any, today: dt.date) -> Iterator[Waiting]:
    """A named employee's or union representative's own cases: the notices and determinations, and
    the time left to give notice of an appeal."""
    roles = access.roles_of(user)
    if not roles & {"named_employee", "union"}:
        return
    from .models import CaseAccess

    seen: set[int] = set()
    for grant in CaseAccess.objects.filter(user=user).select_related("case"):
        case = grant.case
        if case.pk in seen:
            continue
        seen.add(case.pk)
        d = _deadline(case, today, "appeal_notice")
        open_ = d is not None and d["status"] in ("open", "overdue")
        yield Waiting(
            "Your cases",
            f"{case.number}: notices and determinations",
            reverse("discipline:case", args=[case.number]),
            "The notice of intent to appeal is due by this date [SMC 3.29.310.A.7.b]."
            if open_
            else "The notices and determinations of your case.",
            due=_due(d) if open_ else None,
            status=d["status"] if open_ and d else "info",
            explanation=list(d["explanation"]) if open_ and d else [],
            case=case.number,
        )


def register() -> None:
    from oversight.home.registry import register_waiting

    for fn in (decisions, statements, appeals, appeal_windows, management_actions, own_cases):
        register_waiting(fn)
