"""Properties of the clock that must hold for every case, not just the ones we thought of."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oversight.rules import compute, get_profile, parse_case

PROFILE = get_profile("seattle")
CHAPTER = dt.date(2017, 7, 1).toordinal()  # Ordinance 125315 in force (SMC 3.29.400.F: not retroactive)
FIRST = CHAPTER + 61  # a complaint late enough that everything said to precede it is still in force
LAST = dt.date(2026, 12, 31).toordinal()
ADJUSTING = ("interview_postponed", "director_vacancy", "additional_investigation", "criminal_pause_started")


def _iso(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


@st.composite
def cases(draw: Any, early_adjustments_only: bool = False, first: int = FIRST, last: int = LAST) -> dict[str, Any]:
    """A plausible case: a complaint and any mix of the events that follow it."""
    r = draw(st.integers(first, last))
    horizon = 100 if early_adjustments_only else 400
    day = st.integers(0, horizon)
    events: list[dict[str, Any]] = [{"type": "complaint_received", "date": _iso(r)}]
    if draw(st.booleans()):
        events.append({"type": "should_have_been_referred", "date": _iso(r - draw(st.integers(0, 60)))})
    if draw(st.integers(0, 5)) == 0:
        unit = draw(st.sampled_from(["Force Review Board", "Collision Review"]))
        seen = r - draw(st.integers(0, 60))
        events.append({"type": "incident_review_started", "date": _iso(seen - draw(st.integers(0, 30))), "unit": unit})
        events.append({"type": "review_found_potential_misconduct", "date": _iso(seen), "unit": unit})
        if draw(st.booleans()):
            events.append(
                {"type": "incident_review_completed", "date": _iso(seen + draw(st.integers(0, 120))), "unit": unit}
            )
    if draw(st.booleans()):
        events.append({"type": "notice_sent", "date": _iso(r + draw(st.integers(0, 60)))})
    if draw(st.integers(0, 5)) == 0:
        events.append(
            {
                "type": "failure_to_refer_determined",
                "date": _iso(r + draw(st.integers(0, 30))),
                "underlying_due": _iso(r + draw(st.integers(-200, 60))),
            }
        )
    for _ in range(draw(st.integers(0, 3))):
        events.append(
            {
                "type": "interview_postponed",
                "date": _iso(r + draw(day)),
                "days": draw(st.integers(0, 30)),
                "reason": "x",
            }
        )
    if draw(st.booleans()):
        a = r + draw(day)
        events.append({"type": "criminal_pause_started", "date": _iso(a)})
        if draw(st.integers(0, 3)):
            events.append({"type": "criminal_pause_ended", "date": _iso(a + draw(st.integers(0, 90)))})
    for _ in range(draw(st.integers(0, 2))):
        events.append({"type": "administrative_step", "date": _iso(r + draw(day)), "what": "an interview"})
    for _ in range(draw(st.integers(0, 2))):
        events.append({"type": "director_vacancy", "date": _iso(r + draw(day))})
    for _ in range(draw(st.integers(0, 2))):
        events.append({"type": "additional_investigation", "date": _iso(r + draw(day)), "reason": "y"})
    if not early_adjustments_only:
        sub = r + draw(st.integers(30, 300))
        for _ in range(draw(st.integers(0, 2))):
            events.append({"type": "submitted_to_oig", "date": _iso(sub)})
            if draw(st.booleans()):
                sub += draw(st.integers(0, 20))
                events.append(
                    {"type": draw(st.sampled_from(["oig_certified", "oig_not_certified"])), "date": _iso(sub)}
                )
            sub += draw(st.integers(0, 40))
        for _ in range(draw(st.integers(0, 2))):
            f = r + draw(st.integers(0, 400))
            events.append({"type": "proposed_findings_issued", "date": _iso(f)})
            if draw(st.booleans()):
                events.append({"type": "additional_investigation", "date": _iso(f + draw(st.integers(0, 60)))})
            if draw(st.booleans()):
                events.append({"type": "timeline_statement_issued", "date": _iso(f + draw(st.integers(0, 45)))})
            if draw(st.booleans()):
                c = f + draw(st.integers(0, 90))
                events.append(
                    {"type": "chief_decision", "date": _iso(c), "follows_recommendation": draw(st.booleans())}
                )
                if draw(st.booleans()):
                    events.append({"type": "chief_statement_issued", "date": _iso(c + draw(st.integers(0, 45)))})
                if draw(st.booleans()):
                    events.append({"type": "discipline_determination_received", "date": _iso(c + 1)})
                    if draw(st.booleans()):
                        events.append({"type": "appeal_notice_filed", "date": _iso(c + 1 + draw(st.integers(0, 20)))})
    category = draw(st.sampled_from(["use_of_force", "courtesy", "type_iii_force", "honesty", "other"]))
    return {
        "case_id": "P",
        "incident_date": _iso(r - draw(st.integers(0, 1500))),
        "allegations": [
            {
                "id": "A1",
                "category": category,
                "criminal": draw(st.booleans()),
                "concealment": False,
                "type_iii_force": draw(st.booleans()),
            }
        ],
        "events": events,
    }


def _run(case: dict[str, Any], today: int) -> dict[str, Any]:
    return dict(compute(parse_case(case), PROFILE, today))


def _deadline(result: dict[str, Any], dl_id: str) -> dict[str, Any]:
    return next(d for d in result["deadlines"] if d["id"] == dl_id)


def _days(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def _without(case: dict[str, Any], *types: str) -> dict[str, Any]:
    return dict(case, events=[e for e in case["events"] if e["type"] not in types])


def _with(case: dict[str, Any], *events: dict[str, Any]) -> dict[str, Any]:
    return dict(case, events=[*case["events"], *events])


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 700), st.randoms(use_true_random=False))
def test_the_order_of_the_days_never_changes_the_result(case: dict[str, Any], offset: int, rnd: random.Random) -> None:
    """The spec: "Events may come in any order; the engine orders them by date (ties keep file
    order)": any listing that keeps each day's events in their order gives the same result,
    the listing sorted by date among them."""
    today = _days(case["events"][0]["date"]) + offset
    expected = _run(case, today)
    shuffled = list(case["events"])
    rnd.shuffle(shuffled)
    days: dict[str, list[dict[str, Any]]] = {}
    for e in case["events"]:
        days.setdefault(e["date"], []).append(e)
    kept = [days[e["date"]].pop(0) for e in shuffled]  # the shuffled days, each day's events as listed
    assert _run(dict(case, events=kept), today) == expected
    by_date = sorted(case["events"], key=lambda e: e["date"])  # a stable sort: ties keep their order
    assert _run(dict(case, events=by_date), today) == expected


@settings(max_examples=300, deadline=None)
@given(cases(early_adjustments_only=True), st.integers(1, 60), st.integers(0, 170), st.integers(0, 700))
def test_postponing_n_days_moves_the_due_date_exactly_n_days(
    case: dict[str, Any], n: int, at: int, offset: int
) -> None:
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _deadline(_run(case, today), "investigation")
    start = _days(before["start"])  # a postponement inside the 180 days, whatever else happened
    postponed = _with(case, {"type": "interview_postponed", "date": _iso(start + at), "days": n})
    after = _deadline(_run(postponed, today), "investigation")
    assert _days(after["due"]) - _days(before["due"]) == n


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 400), st.integers(0, 120), st.integers(0, 700))
def test_a_pause_never_shortens_a_deadline(case: dict[str, Any], at: int, length: int, offset: int) -> None:
    case = _without(case, "criminal_pause_started", "criminal_pause_ended")
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _run(case, today)
    paused = _with(
        case,
        {"type": "criminal_pause_started", "date": _iso(r + at)},
        {"type": "criminal_pause_ended", "date": _iso(r + at + length)},
    )
    after = _run(paused, today)
    assert _days(_deadline(after, "investigation")["due"]) >= _days(_deadline(before, "investigation")["due"])
    # and a pause left running never shortens it either
    running = _with(case, {"type": "criminal_pause_started", "date": _iso(r + at)})
    assert _days(_deadline(_run(running, today), "investigation")["due"]) >= _days(
        _deadline(before, "investigation")["due"]
    )


@settings(max_examples=300, deadline=None)
@given(cases(early_adjustments_only=True), st.integers(0, 400), st.integers(0, 700))
def test_a_vacancy_never_delays_more_than_60_days(case: dict[str, Any], at: int, offset: int) -> None:
    """3.29.026.E: the period "shall toll for 60 days", and no more: 0 days when the vacancy falls
    after the period, fewer when some of its days are already tolled, never more than 60."""
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _days(_deadline(_run(case, today), "investigation")["due"])
    after = _days(
        _deadline(_run(_with(case, {"type": "director_vacancy", "date": _iso(r + at)}), today), "investigation")["due"]
    )
    assert 0 <= after - before <= 60


@settings(max_examples=300, deadline=None)
@given(
    cases(early_adjustments_only=True),
    st.integers(0, 100),
    st.integers(0, 150),
    st.integers(-80, 160),
    st.integers(0, 700),
)
def test_tolling_a_day_twice_counts_it_once(case: dict[str, Any], at: int, length: int, v: int, offset: int) -> None:
    """3.29.026.E-F: a criminal pause and a vacancy toll days; a day inside both delays the due date by one day.
    A pause of ``length`` days from day ``at`` of the period and a vacancy ``v`` days after the pause began
    delay the due date by exactly the number of days in the union of the two spans."""
    case = _without(case, "criminal_pause_started", "criminal_pause_ended", "director_vacancy", "administrative_step")
    r = _days(case["events"][0]["date"])
    today = r + offset + 1000  # both tolls over by today
    base = _deadline(_run(case, today), "investigation")
    start = _days(base["start"])
    a = start + at
    vacancy = max(a + v, start)
    assume(vacancy <= start + 180 + length)  # while the period runs: the due date is at least that late by then
    both = _with(
        case,
        {"type": "criminal_pause_started", "date": _iso(a)},
        {"type": "criminal_pause_ended", "date": _iso(a + length)},
        {"type": "director_vacancy", "date": _iso(vacancy)},
    )
    tolled = set(range(a, a + length)) | set(range(vacancy, vacancy + 60))
    assert _days(_deadline(_run(both, today), "investigation")["due"]) - _days(base["due"]) == len(tolled)


@settings(max_examples=300, deadline=None)
@given(cases(), st.sampled_from(ADJUSTING + ("administrative_step", "submitted_to_oig")), st.integers(1, 400))
def test_an_event_after_the_findings_never_changes_the_investigation(
    case: dict[str, Any], kind: str, after: int
) -> None:
    """3.29.026.B: "The time period ends on the date the OPA Director issues proposed findings." Nothing later
    (an additional investigation, a vacancy, a postponement, a pause, a step) reopens it or moves its due date."""
    result = _run(case, LAST + 1000)
    inv = _deadline(result, "investigation")
    assume(inv["completed_on"] is not None)
    day = _days(inv["completed_on"]) + after
    extra: dict[str, Any] = {"type": kind, "date": _iso(day)}
    if kind == "interview_postponed":
        extra["days"] = 30
    elif kind == "administrative_step":
        extra["what"] = "an interview"
    assert _deadline(_run(_with(case, extra), LAST + 1000), "investigation") == inv


@settings(max_examples=200, deadline=None)
@given(cases(first=CHAPTER - 900, last=CHAPTER - 61), st.integers(0, 3000))
def test_nothing_before_the_chapter_is_anything_but_not_applicable(case: dict[str, Any], offset: int) -> None:
    """3.29.400.F: "The terms and provisions of this Chapter 3.29 are not retroactive"."""
    result = _run(case, CHAPTER - 900 + offset)
    assert result["deadlines"], "a case with a complaint has deadlines, if only to say they do not apply"
    for d in result["deadlines"]:
        assert d["status"] == "not_applicable" and d["due"] is None and d["days_remaining"] is None
        assert [(s["days"], s["cite"]) for s in d["explanation"]] == [(0, "SMC 3.29.400.F")]
    assert result["flags"] == []


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 60), st.integers(0, 700))
def test_an_additional_investigation_after_the_period_never_makes_it_met(
    case: dict[str, Any], after: int, offset: int
) -> None:
    """3.29.026.I: the 60 days are "to complete that work": they cannot turn a missed or overdue period into a
    met one; the late additional investigation gets a deadline of its own, 60 days long."""
    r = _days(case["events"][0]["date"])
    today = r + offset
    before = _run(case, today)
    inv = _deadline(before, "investigation")
    assume(inv["status"] != "tolled")  # a pause still running: the period has not ended
    late = _days(inv["completed_on"] or inv["due"]) + 1 + after
    result = _run(_with(case, {"type": "additional_investigation", "date": _iso(late)}), today)
    assert _deadline(result, "investigation") == inv

    def own(res: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            d for d in res["deadlines"] if d["id"].startswith("additional_investigation_") and d["start"] == _iso(late)
        ]

    assert len(own(result)) == len(own(before)) + 1
    assert all(_days(d["due"]) - late == 60 for d in own(result))


@settings(max_examples=400, deadline=None)
@given(cases(), st.integers(-30, 900))
def test_status_agrees_with_the_dates(case: dict[str, Any], offset: int) -> None:
    today = _days(case["events"][0]["date"]) + offset
    result = _run(case, today)
    names = [d["id"] for d in result["deadlines"]]
    assert len(names) == len(set(names))
    for d in result["deadlines"]:
        due = _days(d["due"])
        status = d["status"]
        done = d["completed_on"]
        assert _days(d["start"]) <= due
        if status == "met":
            assert done is not None and _days(done) <= due and d["days_remaining"] is None
        elif status == "missed":
            assert done is not None and _days(done) > due and d["days_remaining"] is None
        elif status == "open":
            assert done is None and today <= due and d["days_remaining"] == due - today
        elif status == "overdue":
            assert done is None and today > due and d["days_remaining"] is None
        elif status == "tolled":
            assert done is None and d["id"] == "investigation" and d["days_remaining"] == due - today
        else:
            raise AssertionError(f"unexpected status {status!r}")
        assert sum(s["days"] for s in d["explanation"]) == due - _days(d["start"])
        assert all(s["cite"].startswith("SMC 3.29.") and s["text"] for s in d["explanation"])
    flags = {f["id"] for f in result["flags"]}
    assert ("discipline_barred_timeline" in flags) == (_deadline(result, "investigation")["status"] == "missed")
    assert any(d["id"] == "timeline_statement" for d in result["deadlines"]) == ("discipline_barred_timeline" in flags)
    a = case["allegations"][0]
    reviewed = a["category"] in ("use_of_force", "type_iii_force", "honesty") or a["type_iii_force"]
    assert ("oig_review_required" in flags) == reviewed


@given(cases(), st.integers(-30, 900), st.integers(0, 1000), st.booleans())
def test_a_timeline_stays_true_through_the_day_the_board_keeps_it(
    case: dict[str, Any], offset: int, k: int, recorded_so_far: bool
) -> None:
    """The board recomputes a case only after ``unchanged_through``: every day up to it must
    give the same deadlines, statuses and flags (days remaining aside). Cases as the web app
    holds them (nothing dated after today) and with later-dated events alike."""
    from oversight.rules.projection import unchanged_through

    today = _days(case["events"][0]["date"]) + offset
    if recorded_so_far:
        case = {**case, "events": [e for e in case["events"] if _days(e["date"]) <= today]}
    parsed = parse_case(case)
    tl = compute(parsed, PROFILE, today)
    last = unchanged_through(parsed, tl, today)
    assert last >= today

    def same(t: dict[str, Any]) -> Any:
        return [{**d, "days_remaining": None} for d in t["deadlines"]], t["flags"]

    for day in {today + 1, min(last, today + 1 + k), min(last, today + 5000)}:
        if day <= last:
            assert same(compute(parsed, PROFILE, day)) == same(tl), (dt.date.fromordinal(day), last)


def test_a_pause_open_when_a_later_dated_event_is_applied_keeps_the_case_for_a_day_only() -> None:
    """Found by the property above: a criminal pause begun on the day of the complaint, ended by
    a submission to OIG dated months later, and an interview postponement dated that later day.
    Applying the postponement the clock counts the open pause only up to today, so the
    postponement falls inside the period from the next day on: the board keeps such a case for
    the day only."""
    from oversight.rules.projection import unchanged_through

    day = "2017-08-31"
    case = {
        "case_id": "P",
        "incident_date": day,
        "allegations": [
            {"id": "A1", "category": "use_of_force", "criminal": False, "concealment": False, "type_iii_force": False}
        ],
        "events": [
            {"type": "complaint_received", "date": day},
            {"type": "interview_postponed", "date": "2018-02-28", "days": 1, "reason": "x"},
            {"type": "criminal_pause_started", "date": day},
            {"type": "submitted_to_oig", "date": "2018-02-28"},
        ],
    }
    parsed = parse_case(case)
    today = _days(day)
    tl = compute(parsed, PROFILE, today)
    assert unchanged_through(parsed, tl, today) == today
    # and the answer does move the next day (the reason the board may not keep it)
    due = {d["id"]: d["due"] for d in compute(parsed, PROFILE, today + 1)["deadlines"]}
    assert due["investigation"] != _deadline(tl, "investigation")["due"]
