"""Generated cases for the demo and the benchmarks: no real people, every stage.

Pure Python. ``generate_case`` returns a case in the timeline contract's input shape
(shared/spec/timeline.md), with events dated no later than ``until``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

CATEGORIES = [
    "use_of_force",
    "courtesy",
    "professionalism",
    "bias",
    "stops_detentions_arrests",
    "in_car_and_body_worn_video",
    "honesty",
    "search_seizure",
    "law",
    "standards_and_duties",
    "type_iii_force",
    "retaliation",
    "evidence_and_property",
    "vehicle_operations",
]
_SUMMARIES = [
    "The complainant alleged that the named employee used unnecessary force during an arrest.",
    "The complainant alleged that the named employee was discourteous during a traffic stop.",
    "The complainant alleged that the named employee failed to activate body-worn video.",
    "The complainant alleged biased policing during a pedestrian stop.",
    "An SPD supervisor referred a possible failure to report force.",
    "OPA initiated a complaint after reviewing a news report of an off-duty incident.",
]


def _d(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


def generate_case(rng: random.Random, case_id: str, received: dt.date, until: dt.date) -> dict[str, Any]:
    """One case at a random stage, its events in order and none after ``until``."""
    r = received.toordinal()
    end = until.toordinal()
    events: list[dict[str, Any]] = []

    def add(o: int, type: str, **extra: Any) -> bool:
        if o > end:
            return False
        events.append({"type": type, "date": _d(o), **extra})
        return True

    incident = r - rng.choice([0, 1, 2, 3, 5, 10, 30, 90, 400, 1200])
    how = "complaint_initiated" if rng.random() < 0.1 else "complaint_received"
    if how == "complaint_received" and rng.random() < 0.08:
        add(r - rng.randint(5, 40), "should_have_been_referred")
    add(r, how)
    n_alleg = rng.choice([1, 1, 1, 2, 2, 3])
    allegations = []
    for i in range(n_alleg):
        allegations.append(
            {
                "id": f"A{i + 1}",
                "category": rng.choice(CATEGORIES),
                "criminal": rng.random() < 0.05,
                "concealment": rng.random() < 0.02,
            }
        )
    t = r
    stage = rng.random()
    if stage > 0.03:
        add(r + rng.randint(3, 36), "notice_sent")
    if rng.random() < 0.08:
        t = r + rng.randint(5, 30)
        add(t, "criminal_pause_started")
        t += rng.randint(20, 120)
        if rng.random() < 0.8:
            add(t, "criminal_pause_ended")
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        t += rng.randint(10, 40)
        add(t, "interview_postponed", days=rng.randint(1, 14), reason="union representative unavailable")
    if rng.random() < 0.02:
        add(t + rng.randint(1, 30), "director_vacancy")
    if stage < 0.35:
        return _case(case_id, incident, allegations, events)
    t = max(t, r) + rng.randint(90, 175)
    if not add(t, "submitted_to_oig"):
        return _case(case_id, incident, allegations, events)
    if rng.random() < 0.15:
        t += rng.randint(3, 12)
        add(t, "oig_not_certified")
        add(t, "additional_investigation", reason="directed by OIG")
        t += rng.randint(20, 55)
        if not add(t, "submitted_to_oig"):
            return _case(case_id, incident, allegations, events)
    t += rng.randint(1, 12)
    if rng.random() < 0.95:
        add(t, "oig_certified")
    t += rng.randint(1, 15)
    if not add(t, "proposed_findings_issued"):
        return _case(case_id, incident, allegations, events)
    t += rng.randint(20, 60)
    follows = rng.random() < 0.85
    if add(t, "chief_decision", follows_recommendation=follows):
        if not follows:
            add(t + rng.randint(5, 40), "chief_statement_issued")
        d = t + rng.randint(1, 5)
        if rng.random() < 0.3 and add(d, "discipline_determination_received") and rng.random() < 0.4:
            add(d + rng.randint(2, 12), "appeal_notice_filed")
    return _case(case_id, incident, allegations, events)


def _case(
    case_id: str, incident: int, allegations: list[dict[str, Any]], events: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"case_id": case_id, "incident_date": _d(incident), "allegations": allegations, "events": events}


def generate_year(seed: int, until: dt.date, n: int = 240) -> Iterator[dict[str, Any]]:
    """A year of cases received up to ``until``, numbered in Seattle's form per year."""
    rng = random.Random(seed)
    start = until.toordinal() - 365
    days = sorted(rng.randint(start, until.toordinal()) for _ in range(n))
    seq: dict[int, int] = {}
    for o in days:
        received = dt.date.fromordinal(o)
        seq[received.year] = seq.get(received.year, 0) + 1
        case_id = f"{received.year}OPA-{seq[received.year]:04d}"
        case = generate_case(rng, case_id, received, until)
        case["summary"] = rng.choice(_SUMMARIES)
        case["named_employees"] = [f"Employee {rng.randint(1000, 9999)}" for _ in case["allegations"]]
        yield case
