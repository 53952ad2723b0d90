"""What OIG's review means for a stored case: whether it must be reviewed, the
submission waiting, its ten-day window (from the deadline clock), and whether the
OPA Director may now issue proposed findings. Reads only; writes are in actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Max, Q

from oversight.cases.clock import profile_name, rules_for, timeline, timelines
from oversight.cases.models import Case, CaseEvent
from oversight.rules import review as rules_review
from oversight.rules.profile import get_profile
from oversight.rules.timeline import Deadline

from .models import FURTHER, NOT_CERTIFIED, Determination, ReviewPolicy

ANSWERS = ("oig_certified", "oig_not_certified")


def current_policy() -> ReviewPolicy | None:
    return ReviewPolicy.objects.order_by("-pk").first()


# "The caller did not say": the policy is read. None is an office with no policy recorded.
ASK: Any = object()


def requirement(case: Case, policy: ReviewPolicy | None = ASK) -> rules_review.Requirement:
    """Whether OIG must review this investigation, and why (SMC 3.29.112.A.1-3)."""
    policy = current_policy() if policy is ASK else policy
    day = case.received_on or dt.date.today()
    allegations = list(case.allegations.all())  # read from what a list prefetched (PREFETCH), if it did
    return rules_review.review_requirement(
        [a.category for a in allegations],
        rules_for(day),
        type_iii_force=any(a.type_iii_force for a in allegations),
        mode=policy.mode if policy else rules_review.ALL_MANDATORY,
        chosen=frozenset(policy.chosen) if policy else frozenset(),
        directed_by_oig=bool(list(case.oig_directions.all())),
    )


# What a list of cases prefetches so that requirement, review_state and findings_gate read
# no more rows per case (a case not prefetched reads them itself, fresh).
PREFETCH = ("events", "allegations", "oig_determinations", "oig_directions")


@dataclass
class Submission:
    event: CaseEvent
    round: int  # N of the clock's oig_review_N
    window: Deadline | None
    answer: CaseEvent | None
    determination: Determination | None = None

    @property
    def due(self) -> dt.date | None:
        return dt.date.fromisoformat(self.window["due"]) if self.window else None

    def lapsed_on(self, day: dt.date) -> bool:
        """The window passed on ``day`` with no answer before it (SMC 3.29.112.G)."""
        if self.due is None:
            return False
        if self.answer is not None and self.answer.date <= self.due:
            return False
        return day > self.due


@dataclass
class ReviewState:
    case: Case
    today: dt.date
    requirement: rules_review.Requirement
    submissions: list[Submission] = field(default_factory=list)
    timeline: Any = None

    @property
    def latest(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def pending(self) -> Submission | None:
        """The submission awaiting OIG's answer, if any."""
        s = self.latest
        return s if s is not None and s.answer is None else None


def _ordered(events: list[CaseEvent]) -> list[CaseEvent]:
    # The clock orders by date, ties keep the log's order.
    return sorted(events, key=lambda e: (e.date, e.seq))


def review_state(case: Case, today: dt.date, *, policy: ReviewPolicy | None = ASK, tl: Any = None) -> ReviewState:
    """``policy`` and ``tl`` (the case's timeline on ``today``) when the caller has them already:
    a list of cases reads the policy once and the clock in bulk (cases.clock.timelines)."""
    events = _ordered(list(case.events.all()))
    tl = tl if tl is not None else timeline(case, today)
    windows = {d["id"]: d for d in tl["deadlines"] if d["id"].startswith("oig_review_")}
    dets = {d.submission_id: d for d in case.oig_determinations.all()}
    subs: list[Submission] = []
    waiting: Submission | None = None
    for ev in events:
        if ev.type == "submitted_to_oig":
            n = len(subs) + 1
            waiting = Submission(ev, n, windows.get(f"oig_review_{n}"), None, dets.get(ev.pk))
            subs.append(waiting)
        elif ev.type in ANSWERS and waiting is not None:
            waiting.answer = ev
            waiting = None
    return ReviewState(case, today, requirement(case, policy), subs, tl)


@dataclass(frozen=True)
class Gate:
    allowed: bool
    reason: str
    cite: str
    carry_non_certification: bool = False  # SMC 3.29.112.H

    def text(self) -> str:
        return f"{self.reason} [{self.cite}]"


def findings_gate(case: Case, today: dt.date, state: ReviewState | None = None) -> Gate:
    """Whether the OPA Director may certify the investigation and issue proposed findings now."""
    st = state or review_state(case, today)
    if not st.requirement.required:
        return Gate(True, "OIG review is not required for this investigation", "SMC 3.29.112.A")
    s = st.latest
    if s is None:
        return Gate(
            False,
            "The investigation must be submitted to OIG for review and certification before proposed findings",
            "SMC 3.29.112.A",
        )
    later_work = [
        e
        for e in case.events.all()
        if e.type == "additional_investigation" and (e.date, e.seq) > (s.event.date, s.event.seq)
    ]
    if later_work:
        return Gate(
            False,
            "Further investigation was recorded after the last submission: the case must be "
            "re-submitted to OIG for certification before proposed findings",
            "SMC 3.29.112.D",
        )
    if s.answer is None:
        if s.lapsed_on(today):
            return Gate(
                True,
                f"OIG did not answer within the review window (due {s.due}): the Director may certify "
                "the case and issue findings, and OIG may no longer require further investigation",
                "SMC 3.29.112.G",
            )
        return Gate(False, f"The investigation awaits OIG's review (window due {s.due})", "SMC 3.29.112.G")
    if s.answer.type == "oig_certified":
        return Gate(True, "OIG certified the investigation as thorough, timely and objective", "SMC 3.29.112.C")
    det = s.determination
    if det is not None and det.outcome == NOT_CERTIFIED:
        return Gate(
            True,
            "OIG did not certify the investigation and further investigation cannot remedy it: the "
            "recommended findings must include OIG's non-certification",
            "SMC 3.29.112.H",
            True,
        )
    if det is not None and det.outcome == FURTHER and det.further_kind == "meet_director":
        return Gate(
            False,
            "OIG asked to meet the Director to discuss possible further investigation; the case "
            "returns to OIG before proposed findings",
            "SMC 3.29.112.F; SMC 3.29.112.D",
        )
    return Gate(
        False,
        "OIG did not certify the investigation; after the further investigation the case must be "
        "re-submitted to OIG before proposed findings",
        "SMC 3.29.112.D",
    )


@dataclass
class QueueRow:
    case: Case
    submission: Submission
    status: str  # open | overdue
    days_remaining: int | None
    required: rules_review.Requirement


def queue(today: dt.date) -> list[QueueRow]:
    """Every case awaiting OIG's answer, the ones at risk first (overdue, then fewest days left)."""
    # In the database: cases whose last submission has no answer logged after it; the clock confirms each.
    waiting = (
        Case.objects.filter(closed_on__isnull=True)
        .annotate(
            last_sub=Max("events__seq", filter=Q(events__type="submitted_to_oig")),
            last_ans=Max("events__seq", filter=Q(events__type__in=ANSWERS)),
        )
        .filter(last_sub__isnull=False)
        .filter(Q(last_ans__isnull=True) | Q(last_ans__lt=F("last_sub")))
        .prefetch_related(*PREFETCH)
    )
    rows: list[QueueRow] = []
    cases = list(waiting)
    policy = current_policy()
    tls = timelines(Case.objects.filter(pk__in=[c.pk for c in cases]), today)
    for case in cases:
        st = review_state(case, today, policy=policy, tl=tls[case.pk])
        s = st.pending
        if s is None or s.window is None:
            continue
        rows.append(QueueRow(case, s, s.window["status"], s.window["days_remaining"], st.requirement))
    rows.sort(key=lambda r: (r.status != "overdue", r.submission.due or dt.date.max, r.case.number))
    return rows


def review_days(day: dt.date) -> int:
    """The review window's length in force on ``day`` (the profile's oig_review deadline)."""
    return get_profile(profile_name()).at(day).deadlines["oig_review"].days


def classification_gate(case: Case, proposed: str, policy: ReviewPolicy | None = None) -> Gate:
    """Whether OPA may make ``proposed`` its final classification now: while OIG requires
    pre-classification review, only after OIG gave its input on that proposal (SMC 3.29.111.B).
    For the cases app to call before it records a classification."""
    from .models import ClassificationInput

    policy = policy if policy is not None else current_policy()
    if policy is None or not policy.preclassification:
        return Gate(True, "OIG reviews classifications by quarterly random audit", "SMC 3.29.111")
    given = ClassificationInput.objects.filter(case=case, proposed=proposed, given_on__gte=policy.set_on)
    latest = given.order_by("-pk").first()
    if latest is None:
        return Gate(
            False,
            f"OIG requires each proposed classification for its review and input first: {proposed.replace('_', ' ')} "
            "awaits OIG's input",
            "SMC 3.29.111.B",
        )
    word = "concurred" if latest.concur else "gave its input without concurring"
    return Gate(True, f"OIG {word} on {latest.given_on.isoformat()}: {latest.comment}", "SMC 3.29.111.B")
