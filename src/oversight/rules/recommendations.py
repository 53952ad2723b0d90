"""A recommendation's status, derived from its dated events (SMC 3.29.305; 3.29.030.D-E;
3.29.115.B; 3.29.215.A).

The addressee "shall meet and confer ... and respond in writing" within the profile's period
(``periods.spd_response_to_recommendations``): accepting it with a plan, or not, with its
reasons. An answer after the period is an answer, and stays marked late. Implementation is
reported over time; the issuing body may withdraw what it issued. Pure Python: the web app
stores the events, this module says what they mean, with the citation of each step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The events of a recommendation's life, in the words of its status once it happened.
ISSUED = "issued"
ANSWERED = "answered"  # a written answer that neither accepts nor declines (under study)
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
PROGRESS = "progress_report"
IMPLEMENTED = "implemented"
WITHDRAWN = "withdrawn"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"

ANSWERS = frozenset({ANSWERED, ACCEPTED, NOT_ACCEPTED})
EVENT_TYPES = (ISSUED, ANSWERED, ACCEPTED, NOT_ACCEPTED, PROGRESS, IMPLEMENTED, WITHDRAWN)

STATUS_LABELS = {
    ISSUED: "Issued, awaiting the written answer",
    OVERDUE: "Answer overdue",
    ANSWERED: "Answered, under consideration",
    ACCEPTED: "Accepted",
    IN_PROGRESS: "Accepted, implementation in progress",
    IMPLEMENTED: "Implemented",
    NOT_ACCEPTED: "Not accepted",
    WITHDRAWN: "Withdrawn",
}

EVENT_LABELS = {
    ISSUED: "Issued",
    ANSWERED: "Written answer: under consideration",
    ACCEPTED: "Written answer: accepted, with an implementation plan",
    NOT_ACCEPTED: "Written answer: not accepted, with reasons",
    PROGRESS: "Progress report",
    IMPLEMENTED: "Implemented",
    WITHDRAWN: "Withdrawn by the issuing body",
}


@dataclass(frozen=True)
class Step:
    date: dt.date
    text: str
    cite: str
    # what the text says, as data (so that a page can say it in another language): the event's
    # type, "issued_no_period" or "overdue"; ``days`` (the period, or how late the answer came)
    # and ``day`` (the due date) where the text names them
    kind: str = ""
    days: int | None = None
    day: dt.date | None = None


@dataclass(frozen=True)
class Status:
    status: str
    answer_due: dt.date | None
    answered_on: dt.date | None
    answered_late: bool
    steps: list[Step] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def awaiting_answer(self) -> bool:
        return self.status in (ISSUED, OVERDUE)


class RecommendationError(ValueError):
    """Events that cannot describe one recommendation, naming the event and why."""


def status(
    issued_on: dt.date, events: list[tuple[dt.date, str]], today: dt.date, answer_days: int | None, answer_cite: str
) -> Status:
    """The status on ``today`` of a recommendation issued on ``issued_on`` with ``events``
    (date, type), in date order (ties keep the given order). ``answer_days`` and
    ``answer_cite``: the period for the written answer, from the profile; None where the
    chapter sets none (the Council, the state legislature), when no answer is ever late."""
    due = issued_on + dt.timedelta(days=answer_days) if answer_days is not None else None
    if due is None:
        first = "issued; the chapter sets no period for this addressee's answer"
        steps = [Step(issued_on, first, answer_cite, "issued_no_period")]
    else:
        first = f"issued; the written answer is due in {answer_days} days, by {due}"
        steps = [Step(issued_on, first, answer_cite, ISSUED, answer_days, due)]
    current = ISSUED
    answered_on: dt.date | None = None
    for n, (day, kind) in enumerate(sorted(events, key=lambda e: e[0])):
        if kind not in EVENT_TYPES or kind == ISSUED:
            raise RecommendationError(f"events[{n}].type: {kind!r} is not an event of a recommendation")
        if day < issued_on:
            raise RecommendationError(f"events[{n}].date: {day} is before the recommendation was issued")
        if day > today:
            break  # not yet
        if current == WITHDRAWN:
            raise RecommendationError(f"events[{n}]: nothing follows a withdrawal")
        if kind in ANSWERS:
            late = answered_on is None and due is not None and day > due
            if answered_on is None:
                answered_on = day
            current = kind
            after = (day - due).days if late and due else None
            steps.append(
                Step(
                    day,
                    EVENT_LABELS[kind] + (f", {after} days after it was due" if after is not None else ""),
                    answer_cite,
                    kind,
                    after,
                )
            )
        elif kind in (PROGRESS, IMPLEMENTED):
            if current != ACCEPTED and current != IN_PROGRESS:
                raise RecommendationError(
                    f"events[{n}]: {EVENT_LABELS[kind].lower()} before the recommendation was accepted"
                )
            current = IN_PROGRESS if kind == PROGRESS else IMPLEMENTED
            steps.append(Step(day, EVENT_LABELS[kind], answer_cite, kind))
        else:  # withdrawn
            current = WITHDRAWN
            steps.append(Step(day, EVENT_LABELS[kind], "", kind))
    if current == ISSUED and due is not None and today > due:
        current = OVERDUE
        steps.append(
            Step(due + dt.timedelta(days=1), f"no written answer by {due}: overdue", answer_cite, OVERDUE, day=due)
        )
    late = answered_on is not None and due is not None and answered_on > due
    return Status(current, due, answered_on, late, steps)
