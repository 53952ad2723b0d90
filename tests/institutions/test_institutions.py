"""The institutions through their door and their pages: an appointment that breaks a term limit,
the residency rule or the seats is refused with the citation and leaves nothing; a vacancy raises
the interim deadline on the homes that watch it; a review past 90 days shows overdue on SPD's and
OIG's homes; referrals, reports, advice and a department's own filing of records withheld."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.cases import actions as ca
from oversight.cases.models import AuditEntry, Case
from oversight.institutions import actions
from oversight.institutions.models import Appointment, IntegrityReferral
from oversight.oig.models import WithheldItemization
from oversight.rules import access as R

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def test_a_fourth_term_is_refused_with_the_citation_and_nothing_is_written(staff, today):
    clerk = staff[R.CITY_CLERK]
    for y in (2014, 2017, 2020):
        a = actions.record_appointment(clerk, "cpc", seat="4", person="Ada Quill", kind="full", start=_jan1(y))
        actions.end_appointment(clerk, a, on=dt.date(y + 3, 1, 1), reason="term_expired")
        assert a.term_end == dt.date(y + 2, 12, 31)
    audits = AuditEntry.objects.count()
    with pytest.raises(actions.RuleBroken, match=r"at most 3 \[SMC 3\.29\.215\.C\.5\]"):
        actions.record_appointment(clerk, "cpc", seat="4", person="Ada Quill", kind="full", start=_jan1(2023))
    assert Appointment.objects.count() == 3 and AuditEntry.objects.count() == audits
    # the page says why, and keeps what was typed
    r = _client(clerk).post(
        "/institutions/bodies/cpc/appoint/",
        {
            "person": "Ada Quill",
            "seat": "4",
            "kind": "full",
            "start": "2023-01-01",
            "resides_in_city": "on",
            "civilian": "on",
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "SMC 3.29.215.C.5" in page and 'value="Ada Quill"' in page


def test_residency_and_reserved_seats_are_refused_with_the_citation(staff, today):
    clerk = staff[R.CITY_CLERK]
    start = _jan1(today.year)
    actions.record_appointment(
        clerk, "cpc", seat="1", person="Works Here", kind="full", start=start, resides_in_city=False, works_in_city=True
    )
    with pytest.raises(actions.RuleBroken, match=r"the Mayor may appoint 1 .*\[SMC 3\.29\.215\.C\.4\]"):
        actions.record_appointment(
            clerk,
            "cpc",
            seat="4",
            person="Also Works",
            kind="full",
            start=start,
            resides_in_city=False,
            works_in_city=True,
        )
    with pytest.raises(
        actions.RuleBroken, match=r"reserved for the public defense representative \[SMC 3\.29\.215\.C\.2\.c\]"
    ):
        actions.record_appointment(clerk, "cpc", seat="3", person="Not A Defender", kind="full", start=start)
    with pytest.raises(actions.RuleBroken, match=r"no seat 16"):
        actions.record_appointment(clerk, "cpc", seat="16", person="Extra", kind="full", start=start)
    with pytest.raises(actions.RuleBroken, match=r"City employee \[SMC 3\.29\.310\.A\.7\.b\]"):
        actions.record_appointment(
            clerk, "pscsc", seat="1", person="Clerk Two", kind="full", start=start, city_employee=True
        )


def test_a_vacancy_raises_the_interim_deadline_on_the_homes_that_watch_it(staff, today):
    clerk = staff[R.CITY_CLERK]
    july = dt.date(today.year - 1, 7, 1)
    d = actions.record_appointment(clerk, "opa_director", seat="1", person="Mo Reyes", kind="full", start=july)
    director, ig = _client(staff[R.DIRECTOR]), _client(staff[R.INSPECTOR_GENERAL])
    assert "Designate an interim OPA Director" not in director.get("/").content.decode()
    left = today - dt.timedelta(days=2)
    actions.end_appointment(clerk, d, on=left, reason="resigned")
    due = (left + dt.timedelta(days=10)).isoformat()
    for who in (director, _client(staff[R.CITY_CLERK]), _client(staff[R.ADMINISTRATOR])):
        home = who.get("/").content.decode()
        assert "Designate an interim OPA Director" in home and "SMC 3.29.020.C.4" in home and due in home
    assert "Designate an interim OPA Director" not in ig.get("/").content.decode()
    page = Client().get("/public/institutions/opa_director/").content.decode()
    assert "Vacant" in page and due in page and "Mo Reyes" in page
    # the interim designated: the deadline leaves the home
    actions.record_appointment(clerk, "opa_director", seat="1", person="Jo Acting", kind="interim", start=today)
    assert "Designate an interim OPA Director" not in director.get("/").content.decode()


def test_a_review_past_90_days_shows_overdue_on_the_chiefs_and_oigs_homes(staff, today):
    case = ca.open_case(
        staff[R.INTAKE],
        channel="spd_unit",
        received_on=today - dt.timedelta(days=10),
        incident_date=today - dt.timedelta(days=130),
        named_employees=[{"name": "Dana Ruiz"}],
        allegations=[{"employee": 0, "category": "use_of_force"}],
    )
    ca.record_incident_review(
        staff[R.INTAKE], case, unit="Force Review Board", step="started", on=today - dt.timedelta(days=85)
    )
    for role in (R.CHIEF, R.OIG_AUDITOR, R.INSPECTOR_GENERAL):
        assert "Incident reviews by SPD past 90 days" not in _client(staff[role]).get("/").content.decode()
    ca.record_incident_review(
        staff[R.INTAKE], case, unit="Collision Review Board", step="started", on=today - dt.timedelta(days=95)
    )
    for role in (R.CHIEF, R.OIG_AUDITOR, R.INSPECTOR_GENERAL):
        home = _client(staff[role]).get("/").content.decode()
        assert "Incident reviews by SPD past 90 days" in home and "Collision Review Board" in home, role
        assert "SMC 3.29.335.A" in home and "5 days over" in home
        assert "Force Review Board" not in home
    # the Chief reads no case before its notice: the review is listed without the case's number
    assert case.number not in _client(staff[R.CHIEF]).get("/").content.decode()
    assert case.number in _client(staff[R.OIG_AUDITOR]).get("/").content.decode()
    assert "Collision Review Board" in _client(staff[R.CHIEF]).get("/institutions/reviews/").content.decode()
    ca.record_incident_review(staff[R.INTAKE], case, unit="Collision Review Board", step="completed", on=today)
    assert "Incident reviews by SPD past 90 days" not in _client(staff[R.CHIEF]).get("/").content.decode()


def test_an_integrity_referral_opens_an_investigation_by_its_own_channel(staff, today):
    r = actions.take_integrity_referral(
        staff[R.INTAKE],
        received_on=today,
        referrer="prosecutor",
        referrer_name="King County Prosecuting Attorney's Office",
        officer="Officer Vale",
        concern="Testimony contradicted by video.",
    )
    assert "Integrity referrals to take in" in _client(staff[R.SUPERVISOR]).get("/").content.decode()
    with pytest.raises(actions.ActionError, match="integrity or honesty"):
        actions.open_case_from_referral(staff[R.SUPERVISOR], r, category="courtesy")
    case = actions.open_case_from_referral(staff[R.SUPERVISOR], r, category="honesty")
    assert case.channel == "justice_referral" and case.allegations.get().category == "honesty"
    assert IntegrityReferral.objects.get().case == case
    with pytest.raises(actions.ActionError, match="already opened"):
        actions.open_case_from_referral(staff[R.SUPERVISOR], r, category="honesty")
    assert Case.objects.count() == 1


def test_reports_to_oig_and_the_city_attorneys_advice_wait_for_their_readers(staff, today):
    actions.report_to_oig(staff[R.CHIEF], entity="SPD", reported_on=today, problem="Camera docking fails.")
    assert "Problems reported to OIG" in _client(staff[R.INSPECTOR_GENERAL]).get("/").content.decode()
    a = actions.give_advice(staff[R.CITY_ATTORNEY], source="litigation", on=today, issue="Vehicle pursuits.")
    for role in (R.DIRECTOR, R.CHIEF):
        assert "Advice from the City Attorney to answer" in _client(staff[role]).get("/").content.decode()
    actions.answer_advice(staff[R.DIRECTOR], a, text="Policy revised.", on=today)
    assert "Advice from the City Attorney to answer" not in _client(staff[R.DIRECTOR]).get("/").content.decode()
    assert "Advice from the City Attorney to answer" in _client(staff[R.CHIEF]).get("/").content.decode()


def test_a_records_officer_files_the_itemization_and_oig_reads_it(staff, today):
    officer = _client(staff[R.RECORDS_OFFICER])
    bad = officer.post(
        "/institutions/records-withheld/",
        {
            "department": "SDOT",
            "received_on": today.isoformat(),
            "request": "Camera logs",
            "items": "Log 1 without basis",
        },
    )
    assert bad.status_code == 400 and "description | legal basis" in bad.content.decode()
    assert not WithheldItemization.objects.exists()
    ok = officer.post(
        "/institutions/records-withheld/",
        {
            "department": "SDOT",
            "received_on": today.isoformat(),
            "request": "Camera logs",
            "items": "Log 1 | RCW 42.56.240",
        },
    )
    assert ok.status_code == 302
    assert "RCW 42.56.240" in _client(staff[R.OIG_AUDITOR]).get("/oig/withheld/").content.decode()
    assert officer.get("/oig/withheld/").status_code == 403


def test_staffing_refuses_a_sworn_director_and_the_chiefs_list_is_ten(staff, today):
    with pytest.raises(actions.RuleBroken, match=r"SMC 3\.29\.028\.A"):
        actions.add_staff(
            staff[R.DIRECTOR],
            person="Sgt Pike",
            position="deputy_director",
            civilian=False,
            rank="Sgt",
            started_on=today,
        )
    v = actions.open_sworn_vacancy(staff[R.DIRECTOR], position="investigator", on=today)
    with pytest.raises(actions.RuleBroken, match=r"names 10 .*SMC 3\.29\.315\.H"):
        actions.give_list(staff[R.CHIEF], v, names=[("A", "Sergeant")] * 9, on=today)
    names = [(f"Sgt {i}", "Sergeant") for i in range(10)]
    actions.give_list(staff[R.CHIEF], v, names=names, on=today)
    actions.give_list(staff[R.CHIEF], v, names=names, on=today)
    with pytest.raises(actions.RuleBroken, match="at most 2 lists"):
        actions.give_list(staff[R.CHIEF], v, names=names, on=today)
    s = actions.select_candidate(staff[R.DIRECTOR], v.candidates.first(), on=today)
    assert s.assigned_until == dt.date(today.year + 2, today.month, today.day) - dt.timedelta(days=1)


def test_removal_for_cause_runs_the_sections_days(staff, today):
    clerk = staff[R.CITY_CLERK]
    ig = actions.record_appointment(
        clerk, "inspector_general", person="Lee Park", kind="full", start=dt.date(today.year - 2, 7, 1)
    )
    notice = today - dt.timedelta(days=50)
    r = actions.start_removal(clerk, ig, notice_on=notice, basis="Misuse of office.")
    home = _client(staff[R.INSPECTOR_GENERAL]).get("/").content.decode()
    assert "Removal for cause: Inspector General" in home
    assert "Request a hearing" not in home  # the ten days to ask for one passed: the vote is next
    assert "The Council&#x27;s vote" in home and (notice + dt.timedelta(days=30)).isoformat() in home
    with pytest.raises(actions.RuleBroken, match=r"within 10 days .*\[SMC 3\.29\.114\.E\.2\]"):
        actions.removal_step(clerk, r, step="hearing_requested", on=notice + dt.timedelta(days=11))
    actions.removal_step(clerk, r, step="hearing_requested", on=notice + dt.timedelta(days=5))
    with pytest.raises(actions.RuleBroken, match=r"not sooner than 30 days"):
        actions.removal_step(clerk, r, step="hearing", on=notice + dt.timedelta(days=20))
    actions.removal_step(clerk, r, step="hearing", on=notice + dt.timedelta(days=40))
    # two thirds of the Council's members (3.29.114.E.4): five of nine is not enough, six is
    with pytest.raises(actions.RuleBroken, match=r"5 of the City Council's 9 members is not two thirds.*114\.E\.4"):
        actions.removal_step(clerk, r, step="vote", on=today, outcome="approved", votes={"council": (5, 9)})
    with pytest.raises(actions.RuleBroken, match=r"needs the vote of the City Council"):
        actions.removal_step(clerk, r, step="vote", on=today, outcome="approved")
    ig.refresh_from_db()
    assert ig.ended_on is None
    actions.removal_step(clerk, r, step="vote", on=today, outcome="approved", votes={"council": (6, 9)})
    ig.refresh_from_db()
    assert ig.ended_on == today and ig.end_reason == "removed"
    r.refresh_from_db()
    assert r.votes == {"council": [6, 9]}
    with pytest.raises(actions.ActionError, match="sets no removal procedure"):
        member = actions.record_appointment(clerk, "pscsc", seat="3", person="B", kind="full", start=today)
        actions.start_removal(clerk, member, notice_on=today, basis="x")


def test_a_commissioners_removal_needs_the_councils_majority_and_cpcs_three_quarters_for_its_own(staff, today):
    clerk = staff[R.CITY_CLERK]
    jan1 = dt.date(today.year, 1, 1)
    own = actions.record_appointment(
        clerk, "cpc", seat="3", person="C", kind="full", start=jan1, qualification="public_defense"
    )
    mayors = actions.record_appointment(clerk, "cpc", seat="4", person="M", kind="full", start=jan1)
    r = actions.start_removal(clerk, own, notice_on=today, basis="Cause.")
    with pytest.raises(actions.ActionError, match="gives no hearing"):
        actions.removal_step(clerk, r, step="hearing_requested", on=today)
    # CPC's own appointee: three quarters of its 15 members (12), and a majority of the Council (5 of 9)
    with pytest.raises(actions.RuleBroken, match=r"11 of the Community Police Commission's 15 members .*215\.C\.7"):
        actions.removal_step(
            clerk, r, step="vote", on=today, outcome="approved", votes={"council": (5, 9), "cpc": (11, 15)}
        )
    actions.removal_step(
        clerk, r, step="vote", on=today, outcome="approved", votes={"council": (5, 9), "cpc": (12, 15)}
    )
    own.refresh_from_db()
    assert own.end_reason == "removed"
    # the Mayor's appointee: the Council's majority alone (4 of 9 is not one), through the page too
    r2 = actions.start_removal(clerk, mayors, notice_on=today, basis="Cause.")
    form = {"step": "vote", "on": today.isoformat(), "outcome": "approved", "council_for": "3", "council_members": "9"}
    page = _client(clerk).post(f"/institutions/removals/{r2.pk}/", form)
    text = page.content.decode()
    assert page.status_code == 400 and "is not a majority" in text and 'name="council_for" value="3"' in text
    assert 'name="cpc_for"' not in text.split(f"/institutions/removals/{r2.pk}/")[1].split("</form>")[0]
    with pytest.raises(actions.RuleBroken, match="not a majority"):
        actions.removal_step(clerk, r2, step="vote", on=today, outcome="approved", votes={"council": (4, 9)})
    actions.removal_step(clerk, r2, step="vote", on=today, outcome="approved", votes={"council": (5, 9)})
    # the body page says what a removal needs and shows the counts of the votes recorded
    page = _client(clerk).get("/institutions/bodies/cpc/").content.decode()
    assert "Approving a removal" in page and "three quarters of the Community Police Commission" in page
    assert "the City Council: 5 of 9 for" in page


def test_an_inspector_generals_term_beginning_in_a_directors_year_is_refused(staff, today):
    clerk = staff[R.CITY_CLERK]
    actions.record_appointment(clerk, "opa_director", person="Mo Reyes", kind="full", start=dt.date(2021, 7, 1))
    actions.record_appointment(clerk, "inspector_general", person="Ida First", kind="full", start=dt.date(2018, 3, 1))
    kept = Appointment.objects.count()
    with pytest.raises(actions.RuleBroken, match=r"the year a term of the OPA Director began \[SMC 3\.29\.114\.B\]"):
        actions.record_appointment(
            clerk, "inspector_general", person="Lee Park", kind="full", start=dt.date(2021, 7, 1)
        )
    assert Appointment.objects.count() == kept
    # the Director's second term may not begin in a Mayor's year (2026 here would be one; 2025 is not)
    with pytest.raises(actions.RuleBroken, match=r"may not begin in 2026"):
        actions.record_appointment(clerk, "opa_director", person="Mo Reyes", kind="full", start=dt.date(2026, 7, 1))


def test_the_public_roster_speaks_spanish_to_a_spanish_browser(staff, today):
    clerk = staff[R.CITY_CLERK]
    actions.record_appointment(clerk, "cpc", seat="4", person="M", kind="full", start=dt.date(today.year, 1, 1))
    es = Client(headers={"accept-language": "es"})
    index = es.get("/public/institutions/").content.decode()
    assert "Quién sirve en los órganos de supervisión" in index and "El puesto 1 está vacante." in index
    assert "1 de 15 puestos ocupados." in index
    body = es.get("/public/institutions/cpc/").content.decode()
    assert "Nombrado por" in body and "Quién sirvió antes" in body and "Vacante" in body
    en = Client().get("/public/institutions/").content.decode()
    assert "1 of 15 seats filled." in en and "Seat 1 is vacant." in en
