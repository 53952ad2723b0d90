"""What waits for OPA's people on their home page: cases to classify, an investigator's own
cases with their next deadline, plans to approve, investigations due for OIG, findings to
recommend, and the overdue deadlines of the board."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q
from django.urls import reverse

from oversight import access
from oversight.home.registry import Waiting
from oversight.rules import access as A

from .clock import board_queryset, deadline_label, timelines
from .models import Case, CaseEvent, InvestigationPlan

# At most this many items of one kind are read for a home page (the page shows fewer).
CAP = 25
# An investigation under way whose deadline falls within this many days is listed as due for OIG.
SUBMIT_WITHIN_DAYS = 30


def _url(number: str, anchor: str = "") -> str:
    return reverse("cases:detail", args=[number]) + (f"#{anchor}" if anchor else "")


def _due(deadline: dict[str, Any] | None) -> dt.date | None:
    return dt.date.fromisoformat(deadline["due"]) if deadline and deadline.get("due") else None


def _board(**params: Any) -> str:
    from urllib.parse import urlencode

    return reverse("cases:board") + "?" + urlencode(params)


def _deadline_item(
    kind: str, case: Any, dl: dict[str, Any] | None, why: str, anchor: str = "", more: str = ""
) -> Waiting:
    status = dl["status"] if dl else "open"
    return Waiting(
        kind=kind,
        title=f"{case.number}: {deadline_label(dl['id'])}" if dl else case.number,
        url=_url(case.number, anchor),
        why=why,
        due=_due(dl),
        status={"overdue": "overdue", "tolled": "tolled", "not_applicable": "info"}.get(status, "open"),
        explanation=list(dl.get("explanation", [])) if dl else [],
        case=case.number,
        more=more,
    )


def to_classify(user: Any, today: dt.date) -> Iterator[Waiting]:
    """Complaints still at intake, for those who classify them."""
    if not access.may(user, "classify"):
        return
    board_queryset(today)  # refreshes the projection of every open case
    qs = Case.objects.filter(access.AT_INTAKE_Q).order_by("received_on", "number")
    for case in qs[: CAP + 1]:
        dl = case.board_deadline
        yield _deadline_item(
            "To classify",
            case,
            dl,
            f"Received {case.received_on:%Y-%m-%d} by {case.get_channel_display().lower()}; not yet classified.",
            "classification",
            _board(stage="Intake"),
        )


def my_cases(user: Any, today: dt.date) -> Iterator[Waiting]:
    """An investigator's own open cases, each with its next deadline."""
    roles = access.roles_of(user)
    if A.INVESTIGATOR not in roles:
        return
    qs = board_queryset(today, investigator=user.pk)
    for case in qs[: CAP + 1]:
        dl = case.board_deadline
        yield _deadline_item(
            "Your cases",
            case,
            dl,
            f"{case.board_stage}: next, {deadline_label(dl['id']).lower()}.",
            more=_board(investigator=user.pk),
        )
    plans = InvestigationPlan.objects.filter(case__investigator=user, case__closed_on__isnull=True).select_related(
        "case"
    )
    decided = _decided_versions(plans.values("case_id"))
    latest = _latest_versions(plans)
    for plan in plans:
        if decided.get((plan.case_id, plan.version)) != "plan_returned" or latest[plan.case_id] != plan.version:
            continue
        yield Waiting(
            "Plans returned",
            f"{plan.case.number}: plan version {plan.version}",
            _url(plan.case.number, "plan"),
            "The Director returned the plan with reasons: submit a new version.",
            status="new",
            case=plan.case.number,
        )


def _decided_versions(cases: Any) -> dict[tuple[int, int], str]:
    """(case, plan version) -> the Director's last decision on it (approved or returned). The
    version lives in the event's JSON data, compared here rather than in SQL, where SQLite and
    PostgreSQL compare a JSON number with an integer column differently."""
    out: dict[tuple[int, int], str] = {}
    for case_id, type, data in (
        CaseEvent.objects.filter(case__in=cases, type__in=("plan_approved", "plan_returned"))
        .order_by("seq")
        .values_list("case_id", "type", "data")
    ):
        v = data.get("version")
        if isinstance(v, int):
            out[(case_id, v)] = type
    return out


def _latest_versions(plans: Any) -> dict[int, int]:
    out: dict[int, int] = {}
    for case_id, version in plans.values_list("case_id", "version"):
        out[case_id] = max(out.get(case_id, 0), version)
    return out


def supervised(user: Any, today: dt.date) -> Iterator[Waiting]:
    """A supervisor's team: the open cases they supervise, with the next deadline of each."""
    if A.SUPERVISOR not in access.roles_of(user):
        return
    qs = board_queryset(today).filter(supervisor=user).exclude(investigator=user)
    for case in qs[:CAP]:
        dl = case.board_deadline
        who = case.investigator.get_full_name() if case.investigator else "no investigator yet"
        yield _deadline_item(
            "Cases you supervise",
            case,
            dl,
            f"{case.board_stage} ({who}): next, {deadline_label(dl['id']).lower()}.",
            more=_board(),
        )


def plans_to_approve(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "approve_plan"):
        return
    # Only cases whose last word on a plan is a submission can have one awaiting approval.
    plan_events = ("plan_submitted", "plan_approved", "plan_returned")
    # One pass over the plan events, grouped by case: the last is a submission when the last
    # submission's place in the log is the last of them all.
    submitted_last = list(
        CaseEvent.objects.filter(type__in=plan_events, case__closed_on__isnull=True)
        .values("case_id")
        .annotate(last=Max("seq"), last_submitted=Max("seq", filter=Q(type="plan_submitted")))
        .filter(last_submitted=F("last"))
        .values_list("case_id", flat=True)
    )
    plans = InvestigationPlan.objects.filter(case_id__in=submitted_last)
    decided = _decided_versions(submitted_last)
    latest = _latest_versions(plans)
    qs = [
        p
        for p in plans.select_related("case", "submitted_by").order_by("submitted_at")
        if latest[p.case_id] == p.version and (p.case_id, p.version) not in decided
    ]
    for plan in qs[: CAP + 1]:
        who = plan.submitted_by.get_full_name() or plan.submitted_by.get_username()
        yield Waiting(
            "Plans to approve",
            f"{plan.case.number}: plan version {plan.version}",
            _url(plan.case.number, "plan"),
            f"Submitted by {who} on {plan.submitted_at:%Y-%m-%d}; no investigation step can be recorded before "
            "approval [SMC 3.29.025.E].",
            status="new",
            case=plan.case.number,
        )


def due_for_oig(user: Any, today: dt.date) -> Iterator[Waiting]:
    """Investigations under way whose deadline is near and that OIG has not yet received."""
    if not access.may(user, "submit_to_oig"):
        return
    qs = (
        board_queryset(today, deadline="investigation", within=SUBMIT_WITHIN_DAYS)
        .filter(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="plan_approved")))
        .filter(access.action_q(user, "submit_to_oig"))
        .exclude(board_stage__in=["Awaiting OIG review"])
    )
    for case in qs[: CAP + 1]:
        late = case.board_deadline and case.board_deadline.get("status") == "overdue"
        yield _deadline_item(
            "Due for OIG review",
            case,
            case.board_deadline,
            ("The investigation deadline has passed" if late else "The investigation deadline is near")
            + ": submit it to OIG for review and certification when it is complete [SMC 3.29.112.A.1].",
            "investigation",
            _board(deadline="investigation", within=SUBMIT_WITHIN_DAYS),
        )


def findings_to_recommend(user: Any, today: dt.date) -> Iterator[Waiting]:
    """Cases whose findings OIG's review now allows and that have none yet."""
    if not access.may(user, "recommend_findings"):
        return
    from oversight.discipline.actions import recommendation_of, recommending_again
    from oversight.oig.review import PREFETCH, current_policy, findings_gate, review_state

    answered = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type__in=("oig_certified", "oig_not_certified")))
    chief_asked = Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), type="additional_investigation", data__by="the Chief of Police")
    )
    qs = (
        Case.objects.filter(closed_on__isnull=True, routed_to="")
        .filter(answered)
        .filter(~Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="proposed_findings_issued")) | chief_asked)
        .order_by("number")
    )
    waiting_for_lapse = (
        Case.objects.filter(closed_on__isnull=True, routed_to="", board_stage="Awaiting OIG review")
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type="proposed_findings_issued")))
        .filter(board_deadline_id__startswith="oig_review_", board_risk=0)
    )
    pks = {*qs.values_list("pk", flat=True)[: CAP + 1], *waiting_for_lapse.values_list("pk", flat=True)[:CAP]}
    candidates = Case.objects.filter(pk__in=pks).order_by("number").prefetch_related(*PREFETCH, "recommendations")
    policy = current_policy()
    tls = timelines(Case.objects.filter(pk__in=pks), today)
    for case in candidates:
        if recommendation_of(case) is not None and not recommending_again(case):
            continue
        state = review_state(case, today, policy=policy, tl=tls[case.pk])
        gate = findings_gate(case, today, state)
        if not gate.allowed:
            continue
        inv = next((d for d in state.timeline["deadlines"] if d["id"] == "investigation"), None)
        yield _deadline_item("Findings to recommend", case, inv, f"{gate.reason} [{gate.cite}].", "findings")


def overdue(user: Any, today: dt.date) -> Iterator[Waiting]:
    """The board's overdue deadlines, for those who run the board."""
    roles = access.roles_of(user)
    if not roles & {A.SUPERVISOR, A.DIRECTOR}:
        return
    qs = board_queryset(today, status="overdue")
    if A.DIRECTOR not in roles:
        qs = qs.filter(Q(supervisor=user) | Q(supervisor__isnull=True))
    more = reverse("cases:board") + "?status=overdue"
    for c in qs[:CAP]:
        it = _deadline_item("Overdue deadlines", c, c.board_deadline, f"{c.board_stage}: past its deadline.")
        it.more = more
        yield it


PROVIDERS = [to_classify, my_cases, plans_to_approve, due_for_oig, findings_to_recommend, supervised, overdue]


def register() -> None:
    from oversight.home.registry import register_waiting

    for fn in PROVIDERS:
        register_waiting(fn)
