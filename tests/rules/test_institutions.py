"""The bodies' seats, terms and deadlines, each rule drawn from the text of Chapter 3.29."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from oversight.rules import institutions as I
from oversight.rules.profile import ProfileError, get_profile, load_profile

D = dt.date
TODAY = D(2026, 12, 2)
P = get_profile("seattle")
CODES = I.labels(P)


def rules(body: str) -> I.BodyRules:
    return I.body_rules(P, body, TODAY)


def cpc_term(person: str, seat: str, start: int, **kw: object) -> I.Tenure:
    r = rules("cpc")
    s = D(start, 1, 1)
    return I.Tenure(person, seat, I.FULL, s, I.term_end(r, s), authority=r.authority(seat), **kw)  # type: ignore[arg-type]


def cites(breaches: list[I.Breach]) -> list[str]:
    return [b.cite for b in breaches]


def test_the_numbers_are_the_texts() -> None:
    d, ig, cpc, ed, ps = (
        rules(b) for b in ("opa_director", "inspector_general", "cpc", "cpc_executive_director", "pscsc")
    )
    # "up to three, four-year terms"; "up to two, six-year terms"; "three three-year terms"
    assert (d.term_years.value, d.max_terms.value) == (4, 3) and d.max_terms.cite == "SMC 3.29.020.C.2"
    assert (ig.term_years.value, ig.max_terms.value) == (6, 2) and ig.term_years.cite == "SMC 3.29.114.B"
    assert (cpc.term_years.value, cpc.max_terms.value, cpc.term_starts.value) == (3, 3, "01-01")
    assert ed.term_years.value == 4 and ed.max_terms is None and ed.council_action_before_end_days.value == 60
    assert ps.term_years.value == 3 and ps.max_terms.value == 3 and ps.no_city_employees.value is True
    # fifteen seats: the Mayor 1, 4, 7, 10, 13; the Council 2, 5, 8, 11, 14; CPC 3, 6, 9, 12, 15
    assert len(cpc.seats.value) == 15
    assert [s for s in cpc.seat_numbers if cpc.authority(s) == "mayor"] == ["1", "4", "7", "10", "13"]
    assert [s for s in cpc.seat_numbers if cpc.authority(s) == "cpc"] == ["3", "6", "9", "12", "15"]
    assert cpc.reserved.value == {"3": "public_defense", "6": "civil_liberties"}
    assert [ps.authority(s) for s in ps.seat_numbers].count("mayor") == 2
    assert d.interim_within_days.value == ig.interim_within_days.value == ed.interim_within_days.value == 10
    assert (d.removal_hearing_request_days.value, d.removal_hearing_earliest_days.value) == (10, 30)
    assert (d.removal_hearing_latest_days.value, d.removal_vote_within_days.value) == (60, 30)


def test_a_fourth_cpc_term_is_refused_with_the_citation() -> None:
    r = rules("cpc")
    history = [cpc_term("Ada Quill", "4", y) for y in (2015, 2018, 2021)]
    history = [replace(t, ended_on=t.term_end + dt.timedelta(days=1)) for t in history]
    fourth = cpc_term("ada quill ", "4", 2024)
    got = I.check_appointment(r, fourth, history, CODES)
    assert "SMC 3.29.215.C.5" in cites(got) and "at most 3" in str(got[0])
    # a mid-term remainder does not count: three full terms after it are allowed
    history[0] = replace(history[0], kind=I.MID_TERM)
    assert I.check_appointment(r, fourth, history, CODES) == []


def test_a_third_ig_term_and_a_fourth_director_term_are_refused() -> None:
    ig = rules("inspector_general")
    held = [I.Tenure("Lee Park", "1", I.FULL, D(2014, 7, 1), D(2020, 6, 30), ended_on=D(2020, 7, 1))]
    held.append(I.Tenure("Lee Park", "1", I.FULL, D(2020, 7, 1), D(2026, 6, 30), ended_on=D(2026, 7, 1)))
    third = I.Tenure("Lee Park", "1", I.FULL, D(2026, 7, 1), D(2032, 6, 30))
    assert cites(I.check_appointment(ig, third, held)) == ["SMC 3.29.114.B"]
    # an interim term does not count (3.29.114.D)
    held[0] = replace(held[0], kind=I.INTERIM)
    assert I.check_appointment(ig, third, held) == []


def test_a_term_begins_on_its_day() -> None:
    d = rules("opa_director")
    before = [I.Tenure("Al Prior", "1", I.FULL, D(2023, 7, 1), D(2027, 6, 30), ended_on=D(2027, 2, 1))]
    wrong = I.Tenure("Mo Reyes", "1", I.FULL, D(2027, 3, 1), D(2031, 2, 28))
    assert "SMC 3.29.020.C.2" in cites(I.check_appointment(d, wrong, before))
    right = I.Tenure("Mo Reyes", "1", I.FULL, D(2027, 7, 1), D(2031, 6, 30))
    assert I.check_appointment(d, right, before) == []
    # the first Director: from confirmation, the first term running to the June 30 four years on
    assert I.check_appointment(d, replace(wrong, term_end=D(2031, 6, 30)), []) == []
    assert I.check_appointment(d, replace(wrong, term_end=D(2032, 6, 30)), []) != []


def test_the_directors_terms_begin_apart_from_the_mayors_and_the_igs_apart_from_the_directors() -> None:
    d = rules("opa_director")
    before = [I.Tenure("Al Prior", "1", I.FULL, D(2021, 7, 1), D(2025, 6, 30), ended_on=D(2025, 7, 1))]
    # Seattle's Mayor's terms begin in 2018, 2022, 2026: a Director's full term may not begin then
    in_mayors_year = I.Tenure("Mo Reyes", "1", I.FULL, D(2026, 7, 1), D(2030, 6, 30))
    got = I.check_appointment(d, in_mayors_year, before)
    assert cites(got) == [
        "SMC 3.29.020.C.2 (the Mayor's terms: four years from January 1, 2018, City Charter Art. V, Sec. 2)"
    ]
    assert "may not begin in 2026" in str(got[0])
    assert I.check_appointment(d, replace(in_mayors_year, start=D(2025, 7, 1), term_end=D(2029, 6, 30)), before) == []
    # the first Director's first term begins on confirmation, whatever the year
    assert I.check_appointment(d, replace(in_mayors_year, start=D(2026, 3, 1)), []) == []
    ig = rules("inspector_general")
    held = [I.Tenure("Ida First", "1", I.FULL, D(2018, 3, 15), D(2023, 6, 30), ended_on=D(2023, 7, 1))]
    same_year = I.Tenure("Lee Park", "1", I.FULL, D(2025, 7, 1), D(2031, 6, 30))
    got = I.check_appointment(ig, same_year, held, other_terms=("OPA Director", {2021, 2025}))
    assert cites(got) == ["SMC 3.29.114.B"] and "the year a term of the OPA Director began" in str(got[0])
    assert I.check_appointment(ig, same_year, held, other_terms=("OPA Director", {2021})) == []
    # CPC has no such first term: its first recorded term begins on January 1 too
    assert cites(
        I.check_appointment(
            rules("cpc"),
            I.Tenure("A", "1", I.FULL, D(2026, 3, 1), D(2029, 2, 28), authority="mayor"),
            [],
        )
    ) == ["SMC 3.29.215.C.5"]


def test_the_first_inspector_generals_first_term_is_five_years() -> None:
    ig = rules("inspector_general")
    first = I.Tenure("Ida First", "1", I.FULL, D(2018, 3, 15), D(2023, 6, 30))
    assert ig.first_term_years.value == 5 and I.check_appointment(ig, first, []) == []
    second = I.Tenure("Ida First", "1", I.FULL, D(2023, 7, 1), D(2028, 6, 30))
    got = I.check_appointment(ig, second, [replace(first, ended_on=D(2023, 7, 1))])
    assert cites(got) == ["SMC 3.29.114.B"] and "ends 2029-06-30" in str(got[0])


def test_residency_twelve_of_fifteen_and_one_per_authority() -> None:
    r = rules("cpc")
    # seats 1 (Mayor) and 2 (Council) and 3 (CPC) each hold one who only works in the City
    history = [
        cpc_term(f"P{s}", s, 2025 if int(s) % 3 else 2024, resides_in_city=int(s) > 3, works_in_city=True)
        for s in r.seat_numbers
        if s != "4"
    ]
    history = [replace(t, qualification=r.reserved_for(t.seat)) for t in history]
    nonresident = cpc_term("Quinn Ode", "4", 2026, resides_in_city=False, works_in_city=True)
    got = I.check_appointment(r, nonresident, history, CODES)
    assert cites(got).count("SMC 3.29.215.C.4") == 2  # three already; and the Mayor has one (seat 1)
    assert "12 of the 15" in str(got[0]) and "Mayor may appoint 1" in str(got[1])
    # one who neither lives nor works in Seattle
    nowhere = replace(nonresident, works_in_city=False)
    assert "must live or work in Seattle" in str(I.check_appointment(r, nowhere, [], CODES)[0])
    # a resident is fine
    assert I.check_appointment(r, replace(nonresident, resides_in_city=True), history, CODES) == []


def test_lived_outside_sixty_days_is_not_reappointed_without_proof_of_residency() -> None:
    r = rules("cpc")
    first = replace(cpc_term("Ivy Marsh", "7", 2023), lived_outside_city_days=60, ended_on=D(2026, 1, 1))
    again = cpc_term("Ivy Marsh", "7", 2026, resides_in_city=False, works_in_city=True)
    assert "SMC 3.29.215.C.4" in cites(I.check_appointment(r, again, [first], CODES))
    assert I.check_appointment(r, replace(again, resides_in_city=True), [first], CODES) == []
    short = replace(first, lived_outside_city_days=59)
    assert I.check_appointment(r, again, [short], CODES) == []


def test_seats_authority_reservation_and_occupancy() -> None:
    r = rules("cpc")
    assert cites(I.check_appointment(r, cpc_term("A", "16", 2026), [])) == ["SMC 3.29.215.C.1; SMC 3.29.215.C.2.c"]
    wrong_hand = replace(cpc_term("A", "2", 2026), authority="mayor")
    assert "appointed by the City Council, not the Mayor" in str(I.check_appointment(r, wrong_hand, [], CODES)[0])
    unqualified = cpc_term("A", "3", 2026)
    assert cites(I.check_appointment(r, unqualified, [])) == ["SMC 3.29.215.C.2.c"]
    assert I.check_appointment(r, replace(unqualified, qualification="public_defense"), []) == []
    held = cpc_term("B", "5", 2025)
    assert "held by B" in str(I.check_appointment(r, cpc_term("C", "5", 2026), [held])[0])


def test_no_more_than_six_terms_end_in_one_year() -> None:
    r = rules("cpc")
    six = [cpc_term(f"P{s}", s, 2024) for s in ("1", "2", "4", "5", "7", "8")]
    seventh = cpc_term("Z", "10", 2024)
    got = I.check_appointment(r, seventh, six)
    assert cites(got) == ["SMC 3.29.215.C.5"] and "no more than 6" in str(got[0])
    assert I.check_appointment(r, cpc_term("Z", "10", 2025), six) == []


def test_pscsc_members_are_not_city_employees_and_the_director_is_civilian() -> None:
    ps = rules("pscsc")
    m = I.Tenure("Ola Brandt", "3", I.FULL, D(2026, 2, 1), I.term_end(ps, D(2026, 2, 1)), city_employee=True)
    assert cites(I.check_appointment(ps, m, [])) == ["SMC 3.29.310.A.7.b"]
    d = rules("opa_director")
    sworn = I.Tenure("Cy Voss", "1", I.FULL, D(2026, 7, 1), D(2030, 6, 30), civilian=False)
    assert cites(I.check_appointment(d, sworn, [])) == ["SMC 3.29.028.A"]


def test_a_vacancy_raises_the_interim_and_fallback_deadlines() -> None:
    d = rules("opa_director")
    left = I.Tenure("Mo Reyes", "1", I.FULL, D(2024, 7, 1), D(2028, 6, 30), ended_on=D(2026, 11, 25))
    due = {x.what: x for x in I.deadlines(d, [left], TODAY, CODES)}
    interim = due["Designate an interim OPA Director"]
    assert (interim.due, interim.cite, interim.status) == (D(2026, 12, 5), "SMC 3.29.020.C.4", "due")
    fallback = next(x for x in due.values() if x.cite == "SMC 3.29.020.C.3")
    assert fallback.due == D(2027, 2, 23) and "Special Committee" in fallback.why
    assert I.deadlines(d, [left], D(2026, 12, 6), CODES)[0].status == "overdue"
    # an interim designated: the interim deadline is gone, the appointment still due
    acting = I.Tenure("Jo Acting", "1", I.INTERIM, D(2026, 11, 28), None)
    whats = [x.what for x in I.deadlines(d, [left, acting], TODAY, CODES)]
    assert "Designate an interim OPA Director" not in whats


def test_cpc_vacancy_filled_within_ninety_days_and_council_action_before_the_end() -> None:
    r = rules("cpc")
    gone = replace(cpc_term("Res Igned", "9", 2025), ended_on=D(2026, 10, 1), end_reason="resigned_without_notice")
    seated = cpc_term("Tam Ends", "8", 2024)  # ends 2026-12-31: the Council acts 45 days before
    due = I.deadlines(r, [gone, seated], TODAY, CODES)
    fill = next(x for x in due if x.seat == "9")
    assert (fill.due, fill.cite) == (D(2026, 12, 30), "SMC 3.29.215.C.6")
    council = next(x for x in due if x.seat == "8")
    assert (council.due, council.status) == (D(2026, 11, 16), "overdue")


def test_a_nomination_is_deemed_confirmed_after_thirty_days() -> None:
    d = rules("opa_director")
    n = I.Tenure("Mo Reyes", "1", I.FULL, D(2026, 7, 1), D(2030, 6, 30), nominated_on=D(2026, 11, 20))
    got = next(x for x in I.deadlines(d, [n], TODAY) if x.cite == "SMC 3.29.020.C.3")
    assert got.due == D(2026, 12, 20) and "deemed confirmed" in got.why


def test_removal_and_the_executive_directors_successive_term() -> None:
    d = rules("opa_director")
    steps = I.removal_deadlines(d, D(2026, 1, 5), hearing_requested_on=D(2026, 1, 10))
    assert steps[0].latest == D(2026, 1, 15)
    assert (steps[1].earliest, steps[1].latest) == (D(2026, 2, 9), D(2026, 3, 11))
    no_hearing = I.removal_deadlines(d, D(2026, 1, 5))
    assert no_hearing[-1].latest == D(2026, 2, 4)
    ed = rules("cpc_executive_director")
    assert I.successive_term_start(ed, D(2026, 12, 31), D(2026, 11, 15)) == D(2027, 1, 1)
    assert I.successive_term_start(ed, D(2026, 12, 31), D(2026, 9, 1)) == D(2026, 9, 1)


def test_civilianization_deadlines_and_rotation_lists() -> None:
    st = I.staffing_rules(P, TODAY)
    due = {x.position: x for x in I.staffing_deadlines(st)}
    assert due["investigative_supervisor"].due == D(2019, 1, 1) and due["intake"].due == D(2018, 7, 1)
    assert I.check_position(st, "investigative_supervisor", False, D(2018, 12, 31)) is None
    assert I.check_position(st, "investigative_supervisor", False, D(2019, 1, 1)).cite == "SMC 3.29.028.A"
    assert I.check_position(st, "director", False, D(2017, 7, 1)).cite.startswith("SMC 3.29.028.A")
    assert I.check_position(st, "investigator", False, TODAY) is None
    assert I.rotation_problem(st, I.RotationState(0, []), 9).cite == "SMC 3.29.315.H"
    assert I.rotation_problem(st, I.RotationState(0, [10, 10]), 10) is not None
    assert I.rotation_problem(st, I.RotationState(0, [10]), 10) is None


def test_a_broken_institutions_table_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    head = '[profile]\nname = "bad"\ntitle = "t"\njurisdiction = "j"\nextends = "seattle"\n'
    bad.write_text(head + '[institutions.bodies.cpc]\nsurprise."2017-07-01" = { value = 1, cite = "x" }\n')
    with pytest.raises(ProfileError, match=r"institutions\.bodies\.cpc\.surprise: unknown key"):
        load_profile(bad)
    bad.write_text(
        head + '[institutions.bodies.pscsc.seats]\n"2018-01-01" = { value = { "1" = "the_king" }, cite = "x" }\n'
    )
    with pytest.raises(ProfileError, match="'the_king' has no label"):
        load_profile(bad)


def test_the_executive_directors_successive_term_begins_when_the_last_one_ended() -> None:
    ed = rules("cpc_executive_director")
    held = [I.Tenure("Harper Ode", "1", I.FULL, D(2023, 1, 1), D(2026, 12, 31))]
    early = I.Tenure("Harper Ode", "1", I.FULL, D(2026, 11, 20), D(2030, 11, 19))
    got = I.check_appointment(ed, early, held, appointed_on=D(2026, 11, 20))
    assert cites(got) == ["SMC 3.29.206.B.3"] and "begins on 2027-01-01" in str(got[0])
    on_time = I.Tenure("Harper Ode", "1", I.FULL, D(2027, 1, 1), D(2030, 12, 31))
    assert I.check_appointment(ed, on_time, held, appointed_on=D(2026, 11, 20)) == []
    # reappointed more than 60 days ahead: the term may begin on the day of reappointment
    ahead = I.Tenure("Harper Ode", "1", I.FULL, D(2026, 9, 1), D(2030, 8, 31))
    assert "SMC 3.29.206.B.3" not in cites(I.check_appointment(ed, ahead, held, appointed_on=D(2026, 9, 1)))
