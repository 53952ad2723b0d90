"""One complaint through every office, in Chromium, through the pages only.

A member of the public files on the web form with a file attached and later adds more through
the tracking code; intake reads it and completes it; a supervisor classifies and assigns; the
investigator's plan is returned by the Director, then approved; the investigator records an
interview and evidence; the supervisor submits to OIG; OIG certifies; the Director recommends
findings; the Chief decides and imposes discipline; the City Attorney records the appeal, its
hearing and its ruling; the Director publishes the summary, which the public reads naming no one.
At each hand-off the next person finds the case on their own home page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from oversight.rules import access as A
from oversight.uploads import sample_m4a, sample_mp3

from .axe import axe

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [
    ("robin", A.INTAKE, "Robin", "Intake"),
    ("pat", A.SUPERVISOR, "Pat", "Lindqvist"),
    ("sam", A.INVESTIGATOR, "Sam", "Okafor"),
    ("jordan", A.DIRECTOR, "Jordan", "Reyes"),
    ("kit", A.OIG_AUDITOR, "Kit", "Auditor"),
    ("avery", A.CHIEF, "Avery", "Chief"),
    ("rowan", A.CITY_ATTORNEY, "Rowan", "Counsel"),
]
# The complainant, the officer and the witness: they must never reach the public summary.
SECRETS = ["Harper Quarry", "Quarry", "harper@example.org", "Wren Stillwater", "Stillwater", "7421", "Jules Northcott"]


def _people() -> None:
    for username, role, first, last in PEOPLE:
        u = User.objects.create_user(username, f"{username}@city.example.org", "pw", first_name=first, last_name=last)
        u.groups.add(Group.objects.get_or_create(name=role)[0])


def _login(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _from_home(page: Any, username: str, number: str, kind: str) -> None:
    """Sign in, find the case on the home page under ``kind``, and open it from there."""
    _login(page, username)
    item = page.locator(f"#waiting li.item[data-case='{number}'][data-kind='{kind}']")
    assert item.count() >= 1, f"{username}'s home does not list {number} under {kind!r}:\n{page.inner_text('main')}"
    axe(page)
    item.first.locator("p.what a").click()
    page.wait_for_load_state()


def _ok(page: Any) -> None:
    """The last action was saved: a confirmation, no error on the page."""
    assert page.locator(".messages li").count() >= 1, page.inner_text("main")[:2000]
    assert page.locator("#error").count() == 0, page.inner_text("#error")


def test_one_complaint_from_the_web_form_to_the_appeal_ruling(page: Any, tmp_path: Any) -> None:
    from oversight.cases.models import Case, CaseEvent
    from oversight.public.models import Publication

    _people()
    today = dt.date.today()

    # --- a member of the public files, with a file attached
    note = tmp_path / "what-i-wrote.txt"
    note.write_text("Written the same evening: the officer pushed me at 9:40 pm.\n")
    page.goto("/public/")
    page.get_by_role("link", name="File a complaint").first.click()
    page.get_by_label("What happened?").fill(
        "Harper Quarry here. An officer, badge 7421, pushed me to the pavement at Westlake Park. "
        "Jules Northcott saw it."
    )
    page.get_by_label("What is your complaint mostly about?").select_option("use_of_force")
    page.get_by_label("When did it happen?").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Badge or serial number, if you know it").fill("7421")
    page.get_by_label("Anyone who saw what happened").fill("Jules Northcott")
    page.get_by_label("Your name").fill("Harper Quarry")
    page.get_by_label("Your email address").fill("harper@example.org")
    page.get_by_label("Photos, videos, recordings or documents (optional)").set_input_files(str(note))
    page.get_by_role("button", name="Send my complaint").click()
    code = page.locator("#tracking-code").inner_text().strip()
    number = re.search(r"\d{4}OPA-\d{4}", page.inner_text("main")).group(0)  # type: ignore[union-attr]

    # --- later, they add more through the tracking code
    later = page.context.browser.new_context(base_url=page.url.split("/public/")[0])
    p2 = later.new_page()
    p2.goto("/public/track/")
    p2.get_by_label("Tracking code").fill(code)
    p2.get_by_role("button", name="Show the status").click()
    p2.get_by_label("What would you like to add?").fill("I went to the clinic the next day; the note is attached.")
    clinic = tmp_path / "clinic.txt"
    clinic.write_text("Clinic visit: bruised shoulder.\n")
    p2.get_by_label("Files (optional)").set_input_files(str(clinic))
    p2.get_by_role("button", name="Add to my complaint").click()
    assert "added" in p2.inner_text("main").lower()
    later.close()

    # --- intake: the new web complaint is waiting; the topic, the files and the addition are there
    _from_home(page, "robin", number, "New web complaints")
    sent = page.locator("#sent")
    assert "Force was used on me or someone else" in sent.inner_text()
    assert "clinic the next day" in sent.inner_text()
    with page.expect_download() as dl:
        sent.get_by_role("link", name="what-i-wrote.txt").click()
    assert dl.value.suggested_filename == "what-i-wrote.txt"
    sent.get_by_role("button", name=re.compile("Mark .* as read")).click()
    _ok(page)
    assert page.locator("#sent .kind", has_text="unread").count() == 0
    # the web form named no officer: intake completes the case
    page.locator("#add-employee").evaluate("d => d.open = true")
    page.fill("input[name=newe-name]", "Wren Stillwater")
    page.fill("input[name=newe-serial]", "7421")
    page.fill("input[name=newe-rank]", "Officer")
    page.locator("#add-employee button[type=submit]").click()
    _ok(page)
    page.locator("#add-allegation").evaluate("d => d.open = true")
    page.select_option("select[name=newa-category]", "use_of_force")
    page.locator("#add-allegation button[type=submit]").click()
    _ok(page)
    assert "Use of force" in page.inner_text("#allegations")
    page.locator("#notice button[type=submit]").click()
    _ok(page)

    # --- the supervisor classifies and assigns
    _from_home(page, "pat", number, "To classify")
    assert "Supervisor Action" not in page.inner_text("#classify p")  # force cannot be a Supervisor Action
    page.select_option("#classify select[name=classification]", "investigation")
    page.fill("#classify textarea[name=rationale]", "Force alleged: a full investigation.")
    page.locator("#classify button[type=submit]").click()
    _ok(page)
    page.select_option("#assign select[name=investigator]", label="sam")
    page.select_option("#assign select[name=supervisor]", label="pat")
    page.locator("#assign button[type=submit]").click()
    _ok(page)

    # --- the investigator submits a plan; the Director returns it, then approves the next
    plan = {
        "priority": "High",
        "witnesses": "The complainant; Jules Northcott; the named employee.",
        "perishable_evidence": "Body-worn video; park cameras.",
        "other_evidence": "CAD log; clinic note.",
        "approach": "Use of force: video first, then interviews.",
    }

    def submit_plan() -> None:
        page.locator("#submit-plan").evaluate("d => d.open = true")
        for k, v in plan.items():
            page.fill(f"#submit-plan [name={k}]", v)
        page.locator("#submit-plan button[type=submit]").click()
        _ok(page)

    _from_home(page, "sam", number, "Your cases")
    submit_plan()
    _from_home(page, "jordan", number, "Plans to approve")
    page.fill("#decide-plan textarea[name=reasons]", "Add the bus shelter camera to the perishable evidence.")
    page.get_by_role("button", name="Return it with these reasons").click()
    _ok(page)
    _from_home(page, "sam", number, "Plans returned")
    assert "bus shelter camera" in page.inner_text("#plan")
    plan["perishable_evidence"] = "Body-worn video; park cameras; the bus shelter camera."
    submit_plan()
    _from_home(page, "jordan", number, "Plans to approve")
    page.get_by_role("button", name="Approve version 2").click()
    _ok(page)

    # --- the investigator records an interview with its recording and transcript, and evidence
    _from_home(page, "sam", number, "Your cases")
    audio, transcript, video = tmp_path / "interview.mp3", tmp_path / "interview.txt", tmp_path / "bwv.mp4"
    audio.write_bytes(sample_mp3(b"demo-audio"))
    transcript.write_text("Q: What happened? A: I was pushed.\n")
    video.write_bytes(sample_m4a(b"demo-video"))
    page.locator("#interview").evaluate("d => d.open = true")
    page.fill("#interview input[name=interviewee]", "Harper Quarry")
    page.set_input_files("#interview input[name=audio]", str(audio))
    page.set_input_files("#interview input[name=transcript]", str(transcript))
    page.locator("#interview button[type=submit]").click()
    _ok(page)
    page.locator("#evidence-form").evaluate("d => d.open = true")
    page.set_input_files("#evidence-form input[name=file]", str(video))
    page.fill("#evidence-form input[name=description]", "Body-worn video")
    page.locator("#evidence-form button[type=submit]").click()
    _ok(page)
    # the investigator is never offered the submission to OIG (the supervisor's)
    assert page.locator("#submit-to-oig").count() == 0

    # --- the supervisor submits it to OIG
    _from_home(page, "pat", number, "Cases you supervise")
    page.locator("#submit-to-oig button[type=submit]").click()
    _ok(page)

    # --- OIG opens the full file, downloads the evidence, and certifies
    _from_home(page, "kit", number, "Reviews due")
    assert "Harper Quarry" in page.inner_text("#people")  # full and direct access (SMC 3.29.105.D)
    with page.expect_download() as dl:
        page.locator("#evidence").get_by_role("link", name="bwv.mp4").click()
    assert dl.value.suggested_filename == "bwv.mp4"
    page.check("#determination-form input[value=certified]")
    page.fill(
        "#determination-form textarea[name=criterion_a]", "Every witness was interviewed; the video was reviewed."
    )
    page.locator("#determination-form button[type=submit]").click()
    _ok(page)
    assert "Certified" in page.inner_text("#oig")

    # --- the Director recommends a finding on each allegation, once, in one place
    _from_home(page, "jordan", number, "Findings to recommend")
    form = page.locator("#form-recommend")
    for sel in form.locator("select[name^=finding_]").all():
        sel.select_option("sustained")
    form.locator("button[type=submit]").last.click()
    _ok(page)
    assert CaseEvent.objects.filter(case__number=number, type="proposed_findings_issued").count() == 1

    # --- the Chief decides, with discipline, and records the employee's receipt of it
    _from_home(page, "avery", number, "Findings awaiting your decision")
    assert "Harper Quarry" not in page.inner_text("main")  # the Chief does not read the complainant's identity
    form = page.locator("#form-decide")
    form.locator("input[name=due_process_hearing_on]").fill(today.isoformat())
    form.locator("input[name=decided_on]").fill(today.isoformat())
    for sel in form.locator("select[name^=finding_]").all():
        sel.select_option("sustained")
    form.locator("select[name^=discipline_]").first.select_option("suspension")
    form.locator("input[name^=days_]").first.fill("5")
    form.locator("button[type=submit]").last.click()
    _ok(page)
    page.locator("#form-determination button[type=submit]").last.click()
    _ok(page)

    # --- the City Attorney records the appeal, its hearing and its ruling
    _from_home(page, "rowan", number, "Appeal windows open")
    form = page.locator("#form-appeal")
    form.locator("textarea[name=nature]").fill("The employee says the suspension is too severe.")
    form.locator("button[type=submit]").last.click()
    _ok(page)
    _from_home(page, "rowan", number, "Appeals")
    page.locator("#form-hearing input[name=hearing_on]").fill(today.isoformat())
    page.locator("#form-hearing button[type=submit]").last.click()
    _ok(page)
    form = page.locator("#form-ruling")
    form.locator("select[name=outcome]").select_option("modified")
    form.locator("select[name=new_discipline]").select_option("suspension")
    form.locator("input[name=new_days]").fill("2")
    form.locator("input[name=modification]").fill("Suspension reduced to two days.")
    form.locator("button[type=submit]").last.click()
    _ok(page)
    assert "Suspension reduced to two days." in page.inner_text("#findings")

    # --- the Director publishes the summary; the public reads it, naming no one
    _from_home(page, "jordan", number, "Summaries to publish")
    page.fill("input[name=title]", "Force at Westlake Park")
    page.fill(
        "textarea[name=text]",
        "Harper Quarry alleged that Officer Wren Stillwater (serial 7421) pushed them; Jules Northcott saw it. "
        "Body-worn video confirmed the push. Finding: Sustained. Discipline: a suspension, reduced on appeal.",
    )
    page.check("input[name=findings][value=sustained]")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Publish this text").click()
    pub = Publication.objects.get(case__number=number, kind="summary")
    public = page.context.browser.new_context(base_url=page.url.split("/public/")[0])
    p3 = public.new_page()
    p3.goto(f"/public/published/{pub.pk}/")
    body = p3.inner_text("main")
    assert "Named Employee #1" in body
    for secret in SECRETS:
        assert secret not in body, secret
    public.close()

    case = Case.objects.get(number=number)
    types = list(case.events.order_by("seq").values_list("type", flat=True))
    for t in (
        "complainant_added",
        "additions_read",
        "party_added",
        "plan_returned",
        "submitted_to_oig",
        "oig_certified",
    ):
        assert t in types, t
