"""Notices, the plan gate, interviews and evidence, tolling events, subpoenas."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from oversight.cases import actions
from oversight.cases.clock import timeline
from oversight.cases.models import AppendOnlyError, EvidenceFile
from oversight.rules import access as R
from oversight.uploads import sample_m4a, sample_mp3, sample_wav

pytestmark = pytest.mark.django_db


def test_notice_never_names_a_public_complainant(force_case, staff, today):
    ev, doc = actions.send_notice(staff[R.INTAKE], force_case)
    assert "Kai Ironside" in doc and "Use of force" in doc and "Capt. Oakhurst" in doc and "SPOG" in doc
    for secret in ("Taylor", "Brightwater", "12 Yarrow Ave", "206-555-0100"):
        assert secret.lower() not in doc.lower()
    assert "Complainant #1" in doc  # the summary named them; the notice gives their role
    assert ev.type == "notice_sent" and ev.data["document_sha256"] == hashlib.sha256(doc.encode()).hexdigest()
    tl = timeline(force_case, today)
    notice = next(d for d in tl["deadlines"] if d["id"] == "named_employee_notice")
    assert notice["status"] == "met" and notice["completed_on"] == today.isoformat()
    c = Client()
    c.force_login(staff[R.INVESTIGATOR])
    served = c.get(f"/cases/{force_case.number}/notice/{ev.seq}/")
    assert served.status_code == 200 and "Brightwater" not in served.content.decode()


def test_no_investigation_step_before_an_approved_plan(force_case, staff, today):
    actions.classify(staff[R.SUPERVISOR], force_case, "investigation", "Force.")
    actions.assign(staff[R.SUPERVISOR], force_case, staff[R.INVESTIGATOR])
    with pytest.raises(actions.Refused, match="SMC 3.29.025.E"):
        actions.postpone_interview(staff[R.INVESTIGATOR], force_case, 7, "guild rep unavailable")
    with pytest.raises(actions.Refused, match="plan"):
        actions.add_evidence(staff[R.INVESTIGATOR], force_case, ContentFile(b"x", name="x.txt"))
    plan = actions.submit_plan(
        staff[R.INVESTIGATOR],
        force_case,
        priority="High",
        witnesses="w",
        perishable_evidence="BWV",
        other_evidence="CAD",
        approach="a",
        resource_constraints="Canvass limited to one block: staffing.",
    )
    with pytest.raises(actions.Refused):  # submitted is not approved
        actions.postpone_interview(staff[R.INVESTIGATOR], force_case, 7, "guild rep unavailable")
    actions.approve_plan(staff[R.DIRECTOR], plan)
    actions.postpone_interview(staff[R.INVESTIGATOR], force_case, 7, "guild rep unavailable")
    assert plan.resource_constraints.startswith("Canvass")


def test_a_plan_needs_every_part(force_case, staff):
    actions.assign(staff[R.SUPERVISOR], force_case, staff[R.INVESTIGATOR])
    with pytest.raises(actions.ActionError) as err:
        actions.submit_plan(
            staff[R.INVESTIGATOR],
            force_case,
            priority="High",
            witnesses="w",
            perishable_evidence="",
            other_evidence="o",
            approach="a",
        )
    assert err.value.field == "perishable_evidence"


def test_a_postponement_moves_the_investigation_due_date_at_once(investigation, staff, today):
    before = next(d for d in timeline(investigation, today)["deadlines"] if d["id"] == "investigation")
    actions.postpone_interview(staff[R.INVESTIGATOR], investigation, 7, "labor representative unavailable")
    after = next(d for d in timeline(investigation, today)["deadlines"] if d["id"] == "investigation")
    assert dt.date.fromisoformat(after["due"]) - dt.date.fromisoformat(before["due"]) == dt.timedelta(days=7)
    assert any(s["cite"] == "SMC 3.29.026.D" and s["days"] == 7 for s in after["explanation"])


@pytest.mark.parametrize(
    ("type", "days", "cite"),
    [
        ("additional_investigation", 60, "SMC 3.29.026.I"),
        ("director_vacancy", 60, "SMC 3.29.026.E"),
    ],
)
def test_extensions_show_on_the_clock(investigation, staff, today, type, days, cite):
    before = next(d for d in timeline(investigation, today)["deadlines"] if d["id"] == "investigation")
    actions.record_clock_event(staff[R.DIRECTOR], investigation, type, today, reason="new evidence")
    after = next(d for d in timeline(investigation, today)["deadlines"] if d["id"] == "investigation")
    assert (dt.date.fromisoformat(after["due"]) - dt.date.fromisoformat(before["due"])).days == days
    assert any(s["cite"] == cite for s in after["explanation"])


def test_a_running_criminal_pause_tolls_and_an_end_without_start_is_refused(investigation, staff, today):
    with pytest.raises(actions.ActionError, match="criminal_pause_started"):
        actions.record_clock_event(staff[R.INVESTIGATOR], investigation, "criminal_pause_ended", today)
    actions.record_clock_event(
        staff[R.INVESTIGATOR], investigation, "criminal_pause_started", today - dt.timedelta(days=5)
    )
    inv = next(d for d in timeline(investigation, today)["deadlines"] if d["id"] == "investigation")
    assert inv["status"] == "tolled"


def test_interviews_in_person_unless_exigent_and_recorded(investigation, staff, today):
    audio = ContentFile(sample_wav(b"audio"), name="interview.wav")
    transcript = ContentFile(b"Q: ... A: ...", name="interview.txt")
    with pytest.raises(actions.Refused, match="exigent"):
        actions.record_interview(
            staff[R.INVESTIGATOR],
            investigation,
            interviewee="Kai Ironside",
            held_on=today,
            in_person=False,
            audio=audio,
            transcript=transcript,
        )
    with pytest.raises(actions.ActionError) as err:
        actions.record_interview(staff[R.INVESTIGATOR], investigation, interviewee="Kai Ironside", held_on=today)
    assert err.value.field == "audio"
    actions.record_exigent(staff[R.DIRECTOR], investigation, "Kai Ironside", "Deployed out of state.")
    iv = actions.record_interview(
        staff[R.INVESTIGATOR],
        investigation,
        interviewee="Kai Ironside",
        held_on=today,
        in_person=False,
        audio=audio,
        transcript=transcript,
    )
    assert iv.audio.sha256 == hashlib.sha256(sample_wav(b"audio")).hexdigest()
    assert iv.transcript.file.read() == b"Q: ... A: ..."


def test_rapid_adjudication_interview_needs_no_recording(force_case, staff, today):
    actions.classify(staff[R.DIRECTOR], force_case, "rapid_adjudication", "Employee accepts the finding.")
    actions.assign(staff[R.DIRECTOR], force_case, staff[R.INVESTIGATOR])
    plan = actions.submit_plan(
        staff[R.SUPERVISOR],
        force_case,
        priority="Low",
        witnesses="w",
        perishable_evidence="none",
        other_evidence="o",
        approach="a",
    )
    actions.approve_plan(staff[R.DIRECTOR], plan)
    force_case.refresh_from_db()
    iv = actions.record_interview(staff[R.INVESTIGATOR], force_case, interviewee="Kai Ironside", held_on=today)
    assert iv.audio is None


def test_evidence_is_stored_under_its_sha256_and_never_overwritten(investigation, staff):
    first = actions.add_evidence(
        staff[R.INVESTIGATOR], investigation, ContentFile(sample_m4a(b"frame 1"), name="cam.mp4")
    )
    digest = hashlib.sha256(sample_m4a(b"frame 1")).hexdigest()
    assert first.sha256 == digest and first.file.name.endswith(digest)
    other = actions.add_evidence(
        staff[R.INVESTIGATOR], investigation, ContentFile(sample_m4a(b"frame 2"), name="cam.mp4")
    )
    assert other.file.name != first.file.name  # same upload name, different bytes: both kept
    again = actions.add_evidence(
        staff[R.INVESTIGATOR], investigation, ContentFile(sample_m4a(b"frame 1"), name="copy.mp4")
    )
    assert again.file.name == first.file.name
    first.refresh_from_db()
    assert first.file.read() == sample_m4a(b"frame 1")
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    assert EvidenceFile.objects.count() == 3


def test_subpoenas_are_recorded_with_their_status(investigation, staff):
    sp = actions.issue_subpoena(staff[R.DIRECTOR], investigation, "Corner store", "Camera footage of 3rd and Pine")
    actions.update_subpoena(staff[R.INVESTIGATOR], sp, "not_responded")
    sp.refresh_from_db()
    assert sp.status == "not_responded"
    with pytest.raises(actions.ActionError, match="status"):
        actions.update_subpoena(staff[R.INVESTIGATOR], sp, "lost")
    types = list(investigation.events.values_list("type", flat=True))
    assert types[-2:] == ["subpoena_issued", "subpoena_status"]


def test_web_postpone_with_bad_input_keeps_it_and_writes_nothing(investigation, staff):
    c = Client()
    c.force_login(staff[R.INVESTIGATOR])
    n = investigation.events.count()
    r = c.post(
        f"/cases/{investigation.number}/do/postpone/", {"date": "2026-13-40", "days": "7", "reason": "my typed reason"}
    )
    assert r.status_code == 400 and "my typed reason" in r.content.decode()
    assert investigation.events.count() == n


def test_closed_case_takes_no_more_steps(investigation, staff, today):
    actions.close_case(staff[R.DIRECTOR], investigation, "Complete.")
    with pytest.raises(actions.ActionError, match="closed"):
        actions.postpone_interview(staff[R.INVESTIGATOR], investigation, 3, "x")
    with pytest.raises(actions.ActionError, match="closed"):
        actions.add_evidence(staff[R.INVESTIGATOR], investigation, ContentFile(b"late", name="late.txt"))
    with pytest.raises(actions.ActionError, match="already closed"):
        actions.close_case(staff[R.DIRECTOR], investigation, "Again.")


def test_an_investigation_step_during_a_criminal_pause_resumes_the_clock(investigation, staff, today):
    """3.29.026.F: "the 180-day clock shall resume whenever any administrative investigation steps
    are taken by OPA". An interview recorded while the pause runs appends the administrative step
    that ends it; the board shows the clock running again, and says why."""
    from oversight.cases.clock import board

    actions.send_notice(
        staff[R.INTAKE], investigation, today - dt.timedelta(12)
    )  # the board's next deadline: the period
    actions.record_clock_event(staff[R.INVESTIGATOR], investigation, "criminal_pause_started", today - dt.timedelta(10))
    assert next(r for r in board(today) if r.number == investigation.number).deadline["status"] == "tolled"
    actions.record_interview(
        staff[R.INVESTIGATOR],
        investigation,
        interviewee="Jules Northcott",
        held_on=today - dt.timedelta(4),
        audio=ContentFile(sample_mp3(b"audio"), name="a.mp3"),
        transcript=ContentFile(b"Q: A:", name="t.txt"),
    )
    step = investigation.events.get(type="administrative_step")
    assert step.date == today - dt.timedelta(4) and step.data == {"what": "an interview recorded"}
    assert "Northcott" not in str(step.data)
    row = next(r for r in board(today) if r.number == investigation.number)
    assert row.deadline["id"] == "investigation" and row.deadline["status"] == "open"
    assert any("6 days" in s["text"] or s["days"] == 6 for s in row.deadline["explanation"]), row.deadline
    # a second step while the clock runs appends nothing more
    actions.add_evidence(staff[R.INVESTIGATOR], investigation, ContentFile(sample_m4a(b"video"), name="v.mp4"))
    assert investigation.events.filter(type="administrative_step").count() == 1
