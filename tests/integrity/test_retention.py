"""Legal holds and disposal (SMC 3.29.320.E): a file is disposed of only through the recorded
action, once its retention has ended and no hold is in place; discipline records stay; OIG
reviews every disposal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from oversight.cases import actions
from oversight.cases.integrity import verify
from oversight.cases.models import Case, CaseEvent, Complainant, Disposal, EvidenceFile, NamedEmployee
from oversight.rules import access as R
from oversight.uploads import sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_case(staff, today):
    """A case received and closed nine years ago, naming one employee, with evidence."""
    day = today - dt.timedelta(days=9 * 366)
    actions.import_cases(
        staff[R.ADMINISTRATOR],
        [
            {
                "number": f"{day.year}OPA-7001",
                "channel": "phone",
                "received_on": day,
                "closed_on": day + dt.timedelta(days=100),
                "summary": "Mira Oldfield said the officer was rude; Ode Farrow saw it.",
                "complainants": [{"name": "Mira Oldfield", "phone": "206-555-0142"}],
                "witnesses": [{"name": "Ode Farrow", "contact": "by mail"}],
                "named_employees": [{"name": "Rory Vance", "serial": "4411"}],
                "allegations": [{"employee": 0, "category": "courtesy"}],
                "events": [
                    {"type": "complaint_received", "date": day},
                    {"type": "case_closed", "date": day + dt.timedelta(days=100), "data": {"reason": "Imported."}},
                ],
            }
        ],
    )
    case = Case.objects.get(number=f"{day.year}OPA-7001")
    ef = EvidenceFile(
        case=case, name="old.pdf", sha256="0" * 64, size=10, added_by=staff[R.DIRECTOR], added_at=timezone.now()
    )
    ef.file.save("old-evidence", SimpleUploadedFile("old.pdf", sample_pdf("old")), save=False)
    ef.save()
    return case


def _left(case, day):
    return {ne.pk: day for ne in NamedEmployee.objects.filter(case=case)}


def test_a_file_whose_employee_is_still_employed_is_kept(staff, old_case):
    with pytest.raises(actions.ActionError, match="is kept.*employed by the City"):
        actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on={})
    assert not Disposal.objects.exists()


def test_within_six_years_of_leaving_the_file_is_kept_and_the_date_is_named(staff, old_case, today):
    left = today - dt.timedelta(days=365)
    with pytest.raises(actions.ActionError) as err:
        actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on=_left(old_case, left))
    assert f"not before {actions.retention_of(old_case, _left(old_case, left)).earliest.isoformat()}" in str(err.value)


def test_a_legal_hold_keeps_it_and_its_release_lets_it_go(staff, old_case, today, settings):
    left = _left(old_case, today - dt.timedelta(days=7 * 366))
    hold = actions.place_legal_hold(staff[R.CITY_ATTORNEY], old_case, "Claim for damages filed 2026-11-02.")
    with pytest.raises(actions.ActionError, match="legal hold is in place: Claim for damages"):
        actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on=left)
    actions.release_legal_hold(staff[R.CITY_ATTORNEY], hold, "Claim settled.")
    from oversight.cases.models import CaseNote, PartyRevision

    # what the file kept from before it closed (written then through the actions)
    c0 = Complainant.objects.get(case=old_case)
    now = timezone.now()
    CaseNote.objects.create(case=old_case, text="Called Mira Oldfield back.", added_by=staff[R.DIRECTOR], added_at=now)
    PartyRevision.objects.create(
        case=old_case,
        kind="complainant",
        object_id=c0.pk,
        before={"phone": "206-555-0141"},
        after={"phone": "206-555-0142"},
        changed_by=staff[R.DIRECTOR],
        changed_at=now,
    )
    ef = EvidenceFile.objects.get(case=old_case)
    stored = Path(settings.MEDIA_ROOT, ef.file.name)
    assert stored.exists()
    d = actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on=left, reason="Retention ended.")
    assert d.disposed == {
        "evidence files' contents": 1,
        "the summary's names": 1,
        "names in notes, plans, interviews and corrections": 2,
        "complainants' identity": 1,
        "witnesses' identity": 1,
    }
    summary = Case.objects.get(pk=old_case.pk).summary
    assert "Mira" not in summary and "Ode Farrow" not in summary and "the Complainant" in summary
    assert not stored.exists()
    c = Complainant.objects.get(case=old_case)
    assert "Mira" not in c.name and c.phone == ""
    assert "Mira" not in CaseNote.objects.get(case=old_case).text
    rev = PartyRevision.objects.get(case=old_case)
    assert "206-555" not in str(rev.before) + str(rev.after)
    assert NamedEmployee.objects.get(case=old_case).name == "Rory Vance"  # discipline records name them: kept
    types = list(CaseEvent.objects.filter(case=old_case).values_list("type", flat=True))
    assert types[-3:] == ["legal_hold_placed", "legal_hold_released", "case_file_disposed"]
    assert verify().ok
    with pytest.raises(actions.ActionError, match="already disposed"):
        actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on=left)


def test_only_the_director_disposes_and_oig_reviews_it(staff, old_case, today):
    left = _left(old_case, today - dt.timedelta(days=7 * 366))
    for role in (R.INTAKE, R.OIG_AUDITOR, R.CITY_ATTORNEY, R.ADMINISTRATOR):
        with pytest.raises(actions.Refused):
            actions.dispose_case_file(staff[role], old_case, left_on=left)
    actions.dispose_case_file(staff[R.DIRECTOR], old_case, left_on=left, reason="Retention ended.")
    c = Client()
    c.force_login(staff[R.OIG_AUDITOR])
    page = c.get("/oig/retention/").content.decode()
    assert old_case.number in page and "Retention ended." in page and "SMC 3.29.320.E" in page
    assert "plus 6 years" in page


def test_a_hold_needs_a_reason(staff, old_case):
    with pytest.raises(actions.ActionError, match="reason"):
        actions.place_legal_hold(staff[R.DIRECTOR], old_case, "  ")


def test_from_the_case_page_hold_release_and_dispose(staff, old_case, today):
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    url = f"/cases/{old_case.number}/"
    page = c.get(url).content.decode()
    assert 'id="retention"' in page and "employed by the City" in page
    r = c.post(f"{url}do/legal_hold/", {"reason": "Claim for damages filed."})
    assert r.status_code == 302
    hold = old_case.legal_holds.get()
    ne = NamedEmployee.objects.get(case=old_case)
    left = (today - dt.timedelta(days=7 * 366)).isoformat()
    r = c.post(f"{url}do/dispose/", {f"left_{ne.pk}": left, "reason": "Retention ended."})
    assert r.status_code == 400
    body = r.content.decode()
    assert "legal hold is in place: Claim for damages filed." in body and f'value="{left}"' in body
    assert c.post(f"{url}do/release_hold/", {"hold": hold.pk, "reason": "Settled."}).status_code == 302
    r = c.post(f"{url}do/dispose/", {f"left_{ne.pk}": left, "reason": "Retention ended."})
    assert r.status_code == 302 and Disposal.objects.filter(case=old_case).count() == 1
    assert "Disposed of on" in c.get(url).content.decode()
