"""The Chief's decision, the statements SMC 3.29.027 requires, and the record of discipline (SMC 3.29.310.A,
3.29.320.E)."""

from __future__ import annotations

import pytest

from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused
from oversight.cases.clock import timeline
from oversight.discipline import actions
from oversight.discipline.models import ChiefDecision, Discipline, DisciplineRecordError, Separation, Statement

from .conftest import ago, allegation_pks, employees, open_case


@pytest.fixture
def recommended(case, people, today):
    a1, a2, a3 = allegation_pks(case)
    actions.recommend_findings(
        people["director"], case, on=ago(today, 100), findings={a1: "sustained", a2: "unfounded", a3: "sustained"}
    )
    return case


def decide(case, people, today, **over):
    a1, a2, a3 = allegation_pks(case)
    e1, e2 = employees(case)
    kw = dict(
        decided_on=ago(today, 80),
        due_process_hearing_on=ago(today, 90),
        findings={a1: "sustained", a2: "unfounded", a3: "sustained"},
        discipline={e1.pk: ("suspension", 10), e2.pk: ("written_reprimand", None)},
    )
    kw.update(over)
    return actions.record_chief_decision(people["chief"], case, **kw)


def test_following_the_recommendations_needs_no_statement(recommended, people, today):
    d = decide(recommended, people, today)
    assert d.follows_recommendation is True
    ev = recommended.events.get(type="chief_decision")
    assert ev.data == {"follows_recommendation": True}
    assert "chief_statement" not in {x["id"] for x in timeline(recommended, today)["deadlines"]}
    with pytest.raises(ActionError, match="no statement is required"):
        actions.issue_chief_statement(people["chief"], recommended, reasons="x", on=today)


def test_departing_requires_the_supplemental_meeting_with_the_inspector_general(recommended, people, today):
    a1, a2, a3 = allegation_pks(recommended)
    findings = {a1: "inconclusive", a2: "unfounded", a3: "sustained"}
    with pytest.raises(ActionError, match="3.29.027.A") as e:
        decide(recommended, people, today, findings=findings, discipline={})
    assert e.value.field == "supplemental_meeting_on"
    with pytest.raises(ActionError, match="Inspector General must be present"):
        decide(recommended, people, today, findings=findings, discipline={}, supplemental_meeting_on=ago(today, 85))
    with pytest.raises(ActionError, match="after the due process hearing"):
        decide(
            recommended,
            people,
            today,
            findings=findings,
            discipline={},
            supplemental_meeting_on=ago(today, 95),
            inspector_general_present=True,
        )
    assert not ChiefDecision.objects.exists()
    d = decide(
        recommended,
        people,
        today,
        findings=findings,
        discipline={},
        supplemental_meeting_on=ago(today, 85),
        inspector_general_present=True,
    )
    assert d.follows_recommendation is False
    cs = next(x for x in timeline(recommended, today)["deadlines"] if x["id"] == "chief_statement")
    assert cs["due"] == ago(today, 50).isoformat()  # 30 days from the decision, read from the profile
    assert cs["status"] == "overdue"


def test_the_statement_names_no_employee(recommended, people, today):
    a1, a2, a3 = allegation_pks(recommended)
    decide(
        recommended,
        people,
        today,
        findings={a1: "inconclusive", a2: "unfounded", a3: "sustained"},
        discipline={},
        supplemental_meeting_on=ago(today, 85),
        inspector_general_present=True,
    )
    with pytest.raises(actions.NamesSomeone) as e:
        actions.issue_chief_statement(
            people["chief"],
            recommended,
            on=ago(today, 60),
            reasons="Officer Ironside's video was ambiguous; badge 7421 was obscured.",
        )
    assert "Ironside" in str(e.value) and "3.29.027.D" in str(e.value)
    assert "Ironside" not in e.value.suggestion and "7421" not in e.value.suggestion
    assert "Named Employee #1" in e.value.suggestion
    assert not Statement.objects.exists()
    st = actions.issue_chief_statement(people["chief"], recommended, on=ago(today, 60), reasons=e.value.suggestion)
    for name in ("Ironside", "Kai", "Quarry", "Robin", "7421", "Brightwater", "Northcott"):
        assert name not in st.document
    assert "Named Employee #1" in st.document
    assert "Not Sustained: Inconclusive" in st.document
    for who in (
        "the Mayor",
        "the City Councilmembers",
        "the City Attorney",
        "the OPA Director",
        "the Inspector General",
        "the complainant",
        "the public",
    ):
        assert who in st.document
    cs = next(x for x in timeline(recommended, today)["deadlines"] if x["id"] == "chief_statement")
    assert cs["status"] == "met"


def test_personal_circumstances_replace_the_reasons(recommended, people, today):
    a1, a2, a3 = allegation_pks(recommended)
    decide(
        recommended,
        people,
        today,
        findings={a1: "unfounded", a2: "unfounded", a3: "sustained"},
        discipline={},
        supplemental_meeting_on=ago(today, 85),
        inspector_general_present=True,
    )
    st = actions.issue_chief_statement(
        people["chief"], recommended, on=ago(today, 60), reasons="a family illness", personal_circumstances=True
    )
    assert "Personal circumstances." in st.document and "illness" not in st.document
    assert st.reasons == "Personal circumstances."


def test_discipline_takes_effect_when_imposed_and_is_never_removed(recommended, people, today):
    decide(recommended, people, today)
    d = Discipline.objects.get(kind="suspension")
    assert d.effective_on == d.imposed_on == ago(today, 80)
    with pytest.raises(DisciplineRecordError, match="3.29.320.E"):
        d.delete()
    with pytest.raises(DisciplineRecordError, match="3.29.320.E"):
        Discipline.objects.all().delete()
    with pytest.raises(DisciplineRecordError, match="3.29.320.E"):
        Discipline.objects.filter(pk=d.pk).update(kind="none")
    d.kind = "none"
    with pytest.raises(DisciplineRecordError, match="3.29.320.E"):
        d.save()
    assert Discipline.objects.filter(kind="suspension").count() == 1


def test_unpaid_suspension_cannot_be_served_with_accrued_leave(recommended, people, today):
    with pytest.raises(ActionError, match="3.29.310.A.9"):
        decide(recommended, people, today, suspension_with_accrued_leave=True)
    assert not Discipline.objects.exists()


def test_discipline_needs_a_sustained_finding_and_days_for_a_suspension(recommended, people, today):
    e1, e2 = employees(recommended)
    a1, a2, a3 = allegation_pks(recommended)
    with pytest.raises(ActionError, match="number of days"):
        decide(recommended, people, today, discipline={e1.pk: ("suspension", None)})
    with pytest.raises(ActionError, match="needs a Sustained finding"):
        decide(
            recommended,
            people,
            today,
            findings={a1: "sustained", a2: "unfounded", a3: "unfounded"},
            discipline={e2.pk: ("written_reprimand", None)},
            supplemental_meeting_on=ago(today, 85),
            inspector_general_present=True,
        )


def test_termination_is_presumed_for_material_dishonesty(recommended, people, today):
    a1, a2, a3 = allegation_pks(recommended)
    e1, e2 = employees(recommended)
    findings = {a1: "sustained", a2: "sustained", a3: "sustained"}
    extra = dict(
        supplemental_meeting_on=ago(today, 85),
        inspector_general_present=True,
        findings=findings,
        material_dishonesty=[a2],
    )
    with pytest.raises(ActionError, match="3.29.027.F") as e:
        decide(recommended, people, today, **extra)
    assert e.value.field == "dishonesty_reasons"
    d = decide(recommended, people, today, **extra, dishonesty_reasons="The misstatement was corrected the same day.")
    assert d.dishonesty_reasons


def test_termination_opens_the_separation_record_and_blocks_closing(recommended, people, today):
    from oversight.cases import actions as case_actions

    e1, e2 = employees(recommended)
    decide(recommended, people, today, discipline={e1.pk: ("termination", None)})
    sep = Separation.objects.get(named_employee=e1)
    assert len(sep.missing()) == 4
    with pytest.raises(ActionError, match="WSCJTC"):
        case_actions.close_case(people["director"], recommended, "Done.")
    assert recommended.events.filter(type="case_closed").count() == 0
    with pytest.raises(ActionError, match="record the letter first"):
        actions.record_separation_step(people["chief"], sep, step="wscjtc_response", on=today, text="No action yet")
    with pytest.raises(ActionError, match="facts and circumstances"):
        actions.record_separation_step(people["chief"], sep, step="wscjtc_letter", on=today)
    actions.record_separation_step(
        people["chief"],
        sep,
        step="wscjtc_letter",
        on=ago(today, 70),
        text="Termination for force and dishonesty; the record is attached.",
    )
    actions.record_separation_step(
        people["chief"], sep, step="wscjtc_response", on=ago(today, 20), text="Decertification proceedings opened."
    )
    actions.record_separation_step(people["chief"], sep, step="no_special_commission", on=ago(today, 70))
    with pytest.raises(ActionError, match="LEOSA"):
        case_actions.close_case(people["director"], recommended, "Done.")
    with pytest.raises(Refused):
        actions.record_separation_step(people["city_attorney"], sep, step="no_concealed_carry", on=ago(today, 70))
    actions.record_separation_step(people["chief"], sep, step="no_concealed_carry", on=ago(today, 70))
    case_actions.close_case(people["director"], recommended, "Done.")
    recommended.refresh_from_db()
    assert recommended.closed_on == today


def test_resignation_in_lieu_needs_the_same_documentation(recommended, people, today):
    e1, _ = employees(recommended)
    sep = actions.record_separation(
        people["chief"], recommended, named_employee=e1, kind="resigned_in_lieu", separated_on=ago(today, 60)
    )
    assert len(sep.missing()) == 4
    other = open_case(people["intake"], today)
    case_actions.send_notice(people["intake"], other, on=ago(today, 100))  # SPD knows of the case (3.29.026.A)
    e = employees(other)[0]
    s2 = actions.record_separation(
        people["chief"], other, named_employee=e, kind="left_pending_complaint", separated_on=ago(today, 60)
    )
    assert len(s2.missing()) == 2  # only the two refusals (SMC 3.29.320.F, last sentence)


@pytest.mark.parametrize("role", ["director", "city_attorney", "named_employee", "union", "nobody"])
def test_only_the_chief_decides(recommended, people, today, role):
    with pytest.raises(Refused, match="Chief of Police"):
        actions.record_chief_decision(
            people[role], recommended, decided_on=today, due_process_hearing_on=today, findings={}
        )


def test_a_second_decision_is_refused(recommended, people, today):
    decide(recommended, people, today)
    with pytest.raises(ActionError, match="already recorded"):
        decide(recommended, people, today)


def test_decision_needs_the_recommendations_first(case, people, today):
    with pytest.raises(Refused, match="only on cases whose proposed findings have reached the Chief"):
        decide(case, people, today)


def test_leave_without_pay_before_the_investigation_completes(case, people, today):
    e1, _ = employees(case)
    with pytest.raises(Refused, match="only on cases whose notice went to SPD"):
        actions.record_leave_without_pay(
            people["chief"],
            case,
            named_employee=e1,
            charge="felony",
            charged_on=ago(today, 120),
            leave_from=ago(today, 119),
        )
    case_actions.send_notice(people["intake"], case, on=ago(today, 130))
    with pytest.raises(ActionError, match="felony or gross misdemeanor"):
        actions.record_leave_without_pay(
            people["chief"],
            case,
            named_employee=e1,
            charge="misdemeanor",
            charged_on=ago(today, 120),
            leave_from=ago(today, 119),
        )
    lwp = actions.record_leave_without_pay(
        people["chief"],
        case,
        named_employee=e1,
        charge="felony",
        charged_on=ago(today, 120),
        leave_from=ago(today, 119),
    )
    assert lwp.charge == "felony"
    assert case.events.filter(type="leave_without_pay").exists()


def test_timeline_statement_only_when_the_limit_was_exceeded(people, today):
    late = open_case(people["intake"], today, received_days_ago=250)
    on_time = open_case(people["intake"], today, received_days_ago=150)
    for c, ago_days in ((late, 40), (on_time, 40)):
        actions.recommend_findings(
            people["director"], c, on=ago(today, ago_days), findings=dict.fromkeys(allegation_pks(c), "sustained")
        )
    with pytest.raises(ActionError, match="met its time limit"):
        actions.issue_timeline_statement(people["director"], on_time, nature="Force.", reasons="x", on=today)
    with pytest.raises(actions.NamesSomeone):
        actions.issue_timeline_statement(
            people["director"], late, nature="Force by Officer Ironside.", reasons="Staffing.", on=ago(today, 20)
        )
    st = actions.issue_timeline_statement(
        people["director"],
        late,
        nature="Allegations of force and dishonesty.",
        reasons="Two investigators left OPA.",
        on=ago(today, 20),
    )
    assert "the Mayor" in st.document and "Ironside" not in st.document
    ts = next(x for x in timeline(late, today)["deadlines"] if x["id"] == "timeline_statement")
    assert ts["status"] == "met"


REFUSALS = [
    # (action, roles refused, call)
    (
        "management_action",
        ["chief", "city_attorney", "investigator"],
        lambda u, c, t: actions.issue_management_action(u, c, letter="x", on=t),
    ),
    (
        "chief_statement",
        ["director", "city_attorney", "named_employee"],
        lambda u, c, t: actions.issue_chief_statement(u, c, reasons="x", on=t),
    ),
    (
        "timeline_statement",
        ["chief", "city_attorney", "union"],
        lambda u, c, t: actions.issue_timeline_statement(u, c, nature="x", reasons="y", on=t),
    ),
    (
        "leave_without_pay",
        ["director", "city_attorney", "nobody"],
        lambda u, c, t: actions.record_leave_without_pay(
            u, c, named_employee=employees(c)[0], charge="felony", charged_on=t, leave_from=t
        ),
    ),
    (
        "separation",
        ["director", "city_attorney", "named_employee"],
        lambda u, c, t: actions.record_separation(
            u, c, named_employee=employees(c)[0], kind="resigned_in_lieu", separated_on=t
        ),
    ),
    (
        "determination",
        ["director", "city_attorney", "union"],
        lambda u, c, t: actions.record_determination_received(u, c, named_employee=employees(c)[0], on=t),
    ),
]


@pytest.mark.parametrize(("name", "roles", "call"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_each_refusal_says_who_may(case, people, today, name, roles, call):
    n_events = case.events.count()
    for role in roles:
        with pytest.raises(Refused, match="^Only .* may .*you hold"):
            call(people[role], case, today)
    assert case.events.count() == n_events


def test_the_directors_statements_due_come_from_each_decided_cases_clock_asked_once(people, today):
    """The Director's "Statements due" lists a decided case that missed its time limit and none
    that met it, however many decided cases there are: each case is asked the clock once (the
    answer is kept on the case) and again after any event is appended to it."""
    from oversight.cases.models import Case
    from oversight.discipline.waiting import statements

    late = open_case(people["intake"], today, received_days_ago=250)
    on_time = open_case(people["intake"], today, received_days_ago=150)
    for c in (late, on_time):
        actions.recommend_findings(
            people["director"], c, on=ago(today, 40), findings=dict.fromkeys(allegation_pks(c), "sustained")
        )
        decide(
            c,
            people,
            today,
            decided_on=ago(today, 30),
            due_process_hearing_on=ago(today, 35),
            findings=dict.fromkeys(allegation_pks(c), "sustained"),
        )

    def listed() -> list[str]:
        return [w.case for w in statements(people["director"], today) if "timeline statement" in w.title]

    assert listed() == [late.number]
    owed = dict(Case.objects.filter(pk__in=[late.pk, on_time.pk]).values_list("number", "timeline_statement_owed"))
    assert owed == {late.number: True, on_time.number: False}
    case_actions.add_note(people["director"], on_time, "a note")
    assert Case.objects.get(pk=on_time.pk).timeline_statement_owed is None  # asked again on the next list
    assert listed() == [late.number]
    assert Case.objects.get(pk=on_time.pk).timeline_statement_owed is False


def test_the_timeline_statement_is_kept_with_its_deadline_and_listed_without_the_clock(people, today, monkeypatch):
    """The board's recomputation of an open case keeps whether it owes the Director's statement
    and that deadline; the list then reads it as the clock would on any later day, asking the
    clock nothing."""
    import datetime as dt

    from oversight.cases import clock
    from oversight.cases.models import Case
    from oversight.discipline import waiting

    late = open_case(people["intake"], today, received_days_ago=250)
    actions.recommend_findings(
        people["director"], late, on=ago(today, 40), findings=dict.fromkeys(allegation_pks(late), "sustained")
    )
    # owed from the findings (the final certification), before the Chief decides
    assert clock.refresh_board(today, [late.pk]) == 1
    assert [w.case for w in waiting.statements(people["director"], today) if "timeline" in w.title] == [late.number]
    decide(
        late,
        people,
        today,
        decided_on=ago(today, 30),
        due_process_hearing_on=ago(today, 35),
        findings=dict.fromkeys(allegation_pks(late), "sustained"),
    )
    assert clock.refresh_board(today, [late.pk]) == 1
    kept = Case.objects.get(pk=late.pk)
    expected = next(d for d in timeline(kept, today)["deadlines"] if d["id"] == "timeline_statement")
    assert kept.timeline_statement_owed is True and kept.timeline_statement_deadline == expected

    def no_clock(*args, **kwargs):
        raise AssertionError("the list asked the clock")

    monkeypatch.setattr(waiting, "timelines", no_clock)
    monkeypatch.setattr(waiting, "timeline", no_clock)
    due = dt.date.fromisoformat(expected["due"])
    for day in (today, due, due + dt.timedelta(days=1)):
        got = [w for w in waiting.statements(people["director"], day) if w.case == late.number]
        monkeypatch.undo()
        clock_says = next(d for d in timeline(kept, day)["deadlines"] if d["id"] == "timeline_statement")
        monkeypatch.setattr(waiting, "timelines", no_clock)
        monkeypatch.setattr(waiting, "timeline", no_clock)
        assert [(w.status, w.due) for w in got] == [(clock_says["status"], due)], day
