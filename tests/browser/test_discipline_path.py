"""One case in the browser from recommended findings to the PSCSC ruling (SMC 3.29.027, 3.29.310, 3.29.030.G).

Chromium from Debian (/usr/bin/chromium), driven by Playwright, which never downloads a
browser; the server is pytest-django's live_server.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from oversight.cases import actions as case_actions
from oversight.discipline.models import ComplainantNotice, Discipline, Statement

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop in this thread

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def users(transactional_db: Any, settings: Any, tmp_path: Any) -> dict[str, User]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = {}
    for role in ("intake", "investigator", "investigation_supervisor", "director", "chief", "city_attorney"):
        u = User.objects.create_user(f"{role}-user", f"{role}@example.org", "pw")
        u.groups.add(Group.objects.get_or_create(name=role)[0])
        out[role] = u
    return out


def test_departing_decision_statement_appeal_on_day_ten_and_reduced_discipline(users, browse_as):
    today = timezone.localdate()

    def ago(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    case = case_actions.open_case(
        users["intake"],
        channel="web",
        received_on=today - dt.timedelta(days=150),
        incident_date=today - dt.timedelta(days=155),
        complainants=[{"name": "Taylor Brightwater", "phone": "206-555-0100"}],
        named_employees=[
            {"name": "Kai Ironside", "rank": "Officer", "serial": "7421"},
            {"name": "Robin Quarry", "rank": "Sergeant", "serial": "5310"},
        ],
        allegations=[{"employee": 0, "category": "use_of_force"}, {"employee": 1, "category": "courtesy"}],
    )
    # The law's path to findings on a force case: investigated under an approved plan and
    # submitted to OIG, whose ten days then pass without a word (SMC 3.29.112.G).
    case_actions.classify(
        users["investigation_supervisor"], case, "investigation", "Force.", on=today - dt.timedelta(150)
    )
    case_actions.assign(users["investigation_supervisor"], case, users["investigator"])
    plan = case_actions.submit_plan(
        users["investigator"],
        case,
        priority="High",
        witnesses="W",
        perishable_evidence="BWV",
        other_evidence="CAD",
        approach="Compare the reports with the video.",
    )
    case_actions.approve_plan(users["director"], plan, on=today - dt.timedelta(days=149))
    case_actions.record_clock_event(
        users["investigation_supervisor"], case, "submitted_to_oig", today - dt.timedelta(days=130)
    )
    a1, a2 = case.allegations.order_by("pk").values_list("pk", flat=True)
    e1, e2 = case.named_employees.order_by("pk").values_list("pk", flat=True)
    url = f"/cases/{case.number}/"

    # The Director recommends: both allegations Sustained.
    director = browse_as(users["director"])
    director.goto(url)
    form = director.locator("#form-recommend")
    form.locator("input[name=on]").fill(ago(100))
    form.locator(f"select[name=finding_{a1}]").select_option("sustained")
    form.locator(f"select[name=finding_{a2}]").select_option("sustained")
    form.get_by_role("button", name="Record").click()
    expect(director.get_by_role("status")).to_contain_text("Recommended findings recorded")

    # The Chief departs on the second allegation, after the supplemental meeting with the IG present.
    chief = browse_as(users["chief"])
    chief.goto(url)
    form = chief.locator("#form-decide")
    form.locator("input[name=due_process_hearing_on]").fill(ago(90))
    form.locator("input[name=supplemental_meeting_on]").fill(ago(85))
    form.locator("input[name=inspector_general_present]").check()
    form.locator("input[name=decided_on]").fill(ago(80))
    form.locator(f"select[name=finding_{a1}]").select_option("sustained")
    form.locator(f"select[name=finding_{a2}]").select_option("training_referral")
    form.locator(f"select[name=discipline_{e1}]").select_option("suspension")
    form.locator(f"input[name=days_{e1}]").fill("10")
    form.get_by_role("button", name="Record").click()
    expect(chief.get_by_role("status")).to_contain_text("departs from the Director's recommendations")
    expect(chief.locator("#findings tr[data-deadline=chief_statement]")).to_contain_text("overdue")

    form = chief.locator("#form-determination")
    form.locator("select[name=named_employee]").select_option(str(e1))
    form.locator("input[name=on]").fill(ago(80))
    form.get_by_role("button", name="Record").click()
    expect(chief.get_by_role("status")).to_contain_text("Receipt of the final determination recorded")

    # The statement of reasons: a name is caught, and the cleaned text issued.
    form = chief.locator("#form-chief_statement")
    form.locator("input[name=on]").fill(ago(60))
    form.locator("textarea[name=reasons]").fill("Sergeant Robin Quarry had not been trained on the new policy.")
    form.get_by_role("button", name="Record").click()
    form = chief.locator("#form-chief_statement")
    expect(form.locator(".errorlist")).to_contain_text("SMC 3.29.027.D")
    expect(form.locator("#suggestion")).to_contain_text("Named Employee #2 had not been trained")
    expect(form.locator("textarea[name=reasons]")).to_have_value(
        "Sergeant Robin Quarry had not been trained on the new policy."
    )
    form.get_by_role("button", name="Issue with the cleaned text").click()
    expect(chief.get_by_role("status")).to_contain_text("statement of reasons is issued")
    chief.locator("#statements a").first.click()
    body = chief.locator("body").inner_text()
    assert "Named Employee #2 had not been trained on the new policy." in body
    for name in ("Quarry", "Robin", "Ironside", "Kai", "7421", "5310", "Brightwater"):
        assert name not in body
    assert Statement.objects.get(case=case).issued_on.isoformat() == ago(60)

    # The City Attorney records the appeal on day 10, the hearing and the PSCSC's ruling.
    ca = browse_as(users["city_attorney"])
    ca.goto(url)
    form = ca.locator("#form-appeal")
    form.locator("select[name=named_employee]").select_option(str(e1))
    form.locator("select[name=appellant]").select_option("employee")
    form.locator("select[name=forum]").select_option("pscsc")
    form.locator("textarea[name=nature]").fill("The suspension is too severe.")
    form.locator("input[name=notice_filed_on]").fill(ago(70))
    form.get_by_role("button", name="Record").click()
    expect(ca.get_by_role("status")).to_contain_text("Appeal recorded")
    expect(ca.locator("#findings tr[data-deadline=appeal_notice]")).to_contain_text("met")
    expect(ca.locator("#findings tr[data-deadline=appeal_notice]")).to_contain_text(ago(70))
    expect(ca.locator("#findings tr[data-deadline=chief_statement]")).to_contain_text("met")

    form = ca.locator("#form-hearing")
    form.locator("input[name=hearing_on]").fill(ago(30))
    form.get_by_role("button", name="Record").click()
    expect(ca.get_by_role("status")).to_contain_text("Hearing date recorded")

    form = ca.locator("#form-ruling")
    form.locator("input[name=ruling_on]").fill(ago(10))
    form.locator("select[name=outcome]").select_option("modified")
    form.locator("select[name=new_discipline]").select_option("suspension")
    form.locator("input[name=new_days]").fill("3")
    form.get_by_role("button", name="Record").click()
    expect(ca.get_by_role("status")).to_contain_text("notice to the complainant and the public is produced")
    expect(ca.locator("#discipline")).to_contain_text("Unpaid suspension of 10 days")
    expect(ca.locator("#discipline")).to_contain_text("Unpaid suspension of 3 days")
    ca.locator("#appeal-notices a").first.click()
    notice = ca.locator("body").inner_text()
    assert "Public Safety Civil Service Commission" in notice
    assert "Unpaid suspension of 10 days → Unpaid suspension of 3 days" in notice
    for name in ("Ironside", "Kai", "7421", "Brightwater"):
        assert name not in notice

    assert [d.suspension_days for d in Discipline.objects.filter(named_employee_id=e1).order_by("pk")] == [10, 3]
    assert ComplainantNotice.objects.filter(case=case).count() == 1
