"""Filing a complaint on the web and following it (SMC 3.29.020.A.13, A.17; 3.29.030.B)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from oversight.cases import actions as case_actions
from oversight.cases.models import Case, CaseEvent, Complainant
from oversight.public import actions
from oversight.public.models import ComplainantUpdate, StatusMessage, WebComplaint, WebEvidence
from oversight.rules import access as R
from oversight.uploads import sample_pdf, sample_png

pytestmark = pytest.mark.django_db

CODE = re.compile(r'id="tracking-code">([A-Z0-9-]{14})<')


def _file(client: Client, lang: str = "en", **fields: Any) -> Any:
    client.cookies["django_language"] = lang
    data = {"what_happened": "An officer shoved me outside the library.", "in_person_interview": "undecided"}
    data.update(fields)
    return client.post(reverse("public:complaint"), data, follow=True)


def test_an_anonymous_complaint_in_spanish_lands_in_opa_intake_as_a_web_case() -> None:
    client = Client()
    resp = _file(
        client,
        "es",
        anonymous="on",
        topic="use_of_force",
        precinct="east",
        incident_date="2026-01-10",
        officer_badge="8812",
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Recibimos su queja" in html  # Spanish
    code = CODE.search(html).group(1)  # type: ignore[union-attr]
    web = actions.find_by_code(code)
    assert web is not None and web.language == "es"
    case = web.case
    assert case.channel == "web" and case.precinct == "east"
    assert list(case.events.values_list("type", flat=True)[:1]) == ["complaint_received"]
    comp = Complainant.objects.get(case=case)
    assert comp.anonymous and comp.name == "" and comp.email == ""
    assert "8812" in case.summary  # the badge reaches intake staff
    # the code is kept only as a hash
    assert code not in str(list(WebComplaint.objects.values_list("code_hash", flat=True)))


def test_the_tracking_code_shows_the_status_in_plain_language_and_the_deadlines() -> None:
    client = Client()
    code = CODE.search(_file(client, anonymous="on").content.decode()).group(1)  # type: ignore[union-attr]
    other = Client()  # another device: only the code opens the case
    assert other.get(reverse("public:track_status")).status_code == 302
    wrong = other.post(reverse("public:track"), {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "No complaint has this tracking code" in wrong.content.decode()
    resp = other.post(reverse("public:track"), {"code": code.lower().replace("-", " ")}, follow=True)
    html = resp.content.decode()
    assert "We received your complaint. Intake staff are reviewing it." in html
    web = actions.find_by_code(code)
    assert web is not None
    # the investigation deadline the clock computes, from the profile
    from oversight.cases.clock import timeline

    due = next(d["due"] for d in timeline(web.case)["deadlines"] if d["id"] == "investigation")
    assert due in html


def test_a_form_with_mistakes_keeps_what_was_typed_says_what_is_wrong_and_saves_nothing() -> None:
    client = Client()
    before = Case.objects.count()
    resp = _file(
        client,
        what_happened="It happened at the park by the lake.",
        incident_date="2026-02-31",
        anonymous="on",
        name="Robin Q",
        status_emails="on",
        email="not-an-email",
    )
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Your complaint has not been sent yet." in html
    assert "It happened at the park by the lake." in html  # kept
    assert "Enter the date as year-month-day" in html
    assert "You chose to file anonymously" in html
    assert Case.objects.count() == before
    assert "tracking-code" not in html


def test_a_missing_description_is_named() -> None:
    resp = _file(Client(), what_happened="", name="Robin Q")
    assert resp.status_code == 400
    assert "Tell us what happened." in resp.content.decode()


def test_a_named_complaint_needs_a_name_or_a_way_to_reach_them_or_anonymity() -> None:
    resp = _file(Client())
    assert resp.status_code == 400
    assert "give your name or a way to reach you" in resp.content.decode()


def test_evidence_is_checked_for_type_size_and_content(settings: Any) -> None:
    settings.OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES = 2000
    before = Case.objects.count()
    fake = SimpleUploadedFile("photo.png", b"this is not a png", content_type="image/png")
    resp = _file(Client(), anonymous="on", evidence=[fake])
    assert resp.status_code == 400
    assert "photo.png is not really a .png file" in resp.content.decode()
    assert "attach them again" in resp.content.decode()
    exe = SimpleUploadedFile("run.exe", b"MZ....", content_type="application/octet-stream")
    resp = _file(Client(), anonymous="on", evidence=[exe])
    assert "run.exe is not a file type we accept" in resp.content.decode()
    big = SimpleUploadedFile("big.pdf", sample_pdf("x" * 3000), content_type="application/pdf")
    resp = _file(Client(), anonymous="on", evidence=[big])
    assert "big.pdf is larger than" in resp.content.decode()
    assert Case.objects.count() == before
    good = SimpleUploadedFile("statement.pdf", sample_pdf("hello"), content_type="application/pdf")
    photo = SimpleUploadedFile("scene.png", sample_png(), content_type="image/png")
    resp = _file(Client(), anonymous="on", evidence=[good, photo])
    assert resp.status_code == 200
    assert sorted(WebEvidence.objects.values_list("name", flat=True)) == ["scene.png", "statement.pdf"]


def test_a_submission_that_cannot_be_saved_is_not_acknowledged(monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "_store_evidence", broken)
    client = Client(raise_request_exception=False)
    good = SimpleUploadedFile("statement.pdf", sample_pdf("hello"), content_type="application/pdf")
    resp = _file(client, anonymous="on", evidence=[good])
    assert resp.status_code == 500
    assert "tracking-code" not in resp.content.decode()
    assert Case.objects.count() == 0 and WebComplaint.objects.count() == 0  # the case went with it


def test_voluntary_demographics_and_the_interview_choice_reach_the_case() -> None:
    _file(
        Client(),
        name="Robin Quill",
        email="robin@example.org",
        in_person_interview="yes",
        race="Asian",
        gender="Woman",
        neighbourhood="Beacon Hill",
    )
    comp = Complainant.objects.get()
    assert (comp.name, comp.in_person_interview, comp.race, comp.gender, comp.neighbourhood) == (
        "Robin Quill",
        "yes",
        "Asian",
        "Woman",
        "Beacon Hill",
    )


def test_the_complainant_adds_information_later() -> None:
    client = Client()
    _file(client, anonymous="on")
    resp = client.post(reverse("public:track_add"), {"text": ""})
    assert resp.status_code == 400 and "write what you want to add" in resp.content.decode()
    resp = client.post(reverse("public:track_add"), {"text": "I found a second witness."}, follow=True)
    assert "what you added was saved" in resp.content.decode()
    assert list(ComplainantUpdate.objects.values_list("text", flat=True)) == ["I found a second witness."]


def test_status_messages_reach_the_complainant_as_the_case_moves(
    smtp: Any, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _file(
            client,
            name="Robin Quill",
            email="robin@example.org",
            status_emails="on",
            topic="courtesy",
            officer_name="Kai Ironside",
        )
    web = WebComplaint.objects.get()
    assert smtp.to("robin@example.org") == []  # the acknowledgement is the page; no message yet
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.classify(staff[R.SUPERVISOR], web.case, "investigation", "Courtesy alleged; investigate.")
    msgs = smtp.to("robin@example.org")
    assert len(msgs) == 1
    assert "OPA is investigating your complaint." in smtp.body(msgs[0])
    assert web.case.number in msgs[0]["Subject"]
    # another event at the same stage sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.send_notice(staff[R.INTAKE], web.case)
    assert len(smtp.to("robin@example.org")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.close_case(staff[R.SUPERVISOR], web.case, "Done.")
    assert "Your case is closed." in smtp.body(smtp.to("robin@example.org")[-1])
    assert set(StatusMessage.objects.values_list("status", flat=True)) == {"classified_investigation", "closed"}


def test_status_messages_go_in_the_complainants_language(
    smtp: Any, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _file(Client(), "es", name="Robin Quill", email="robin@example.org", status_emails="on")
    web = WebComplaint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.close_case(staff[R.SUPERVISOR], web.case, "Done.")
    assert "Su caso está cerrado." in smtp.body(smtp.to("robin@example.org")[0])


def test_the_received_page_is_shown_once() -> None:
    client = Client()
    _file(client, anonymous="on")
    assert client.get(reverse("public:complaint_received")).status_code == 302


def test_incident_in_the_future_is_refused(today: dt.date) -> None:
    with pytest.raises(actions.ActionError) as e:
        actions.submit_complaint(
            actions.ComplaintInput(what_happened="x", anonymous=True, incident_date=today + dt.timedelta(days=2))
        )
    assert e.value.field == "incident_date"
    assert not CaseEvent.objects.exists()
