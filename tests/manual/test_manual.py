"""The OPA Manual: the annual update with OIG's and CPC's comment rounds recorded (SMC
3.29.020.A.4; 3.29.110.A.10; 3.29.215.A.2) and each version posted online with its effective
date and file (3.29.010.D); the next update due from the profile, on the Director's home."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from oversight.access import Refused
from oversight.cases.actions import ActionError
from oversight.manual import actions as ma
from oversight.rules import access as R
from oversight.rules import get_profile
from oversight.uploads import sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_round_comments_answer_then_the_version_published_online(staff, today):
    director, ig, cpc = _client(staff[R.DIRECTOR]), _client(staff[R.INSPECTOR_GENERAL]), _client(staff[R.CPC_STAFF])
    home = director.get("/").content.decode()
    assert "No version of the OPA Manual is posted yet" in home
    r = director.post("/manual/", {"title": "2026 update", "proposed": "", "on": today.isoformat()})
    assert r.status_code == 400 and "2026 update" in r.content.decode()  # kept as typed
    r = director.post("/manual/", {"title": "2026 update", "proposed": "Mediation timelines.", "on": today.isoformat()})
    assert r.status_code == 302
    rnd = ma.ManualRound.objects.get()
    assert "OPA asks for your comments" in ig.get("/").content.decode()
    assert "OPA asks for your comments" in cpc.get("/").content.decode()
    ig.post(f"/manual/{rnd.pk}/do/comment/", {"text": "The timelines are clear.", "on": today.isoformat()})
    with pytest.raises(ActionError, match="Community Police Commission"):
        ma.respond(staff[R.DIRECTOR], rnd, response="Thanks.", on=today)  # CPC has not commented
    cpc.post(f"/manual/{rnd.pk}/do/comment/", {"text": "Translate the Manual.", "on": today.isoformat()})
    assert "OPA asks for your comments" not in cpc.get("/").content.decode()
    assert "comments are in" in director.get("/").content.decode()
    pdf = sample_pdf("The OPA Manual, 2026.")
    with pytest.raises(ActionError, match="answer OIG's and CPC's comments"):
        ma.publish(
            staff[R.DIRECTOR], rnd, version="2026.1", effective_on=today, summary="x", file_name="m.pdf", content=pdf
        )
    director.post(f"/manual/{rnd.pk}/do/respond/", {"response": "Translation in 2027.", "on": today.isoformat()})
    with pytest.raises(ActionError, match="not a file type"):
        ma.publish(
            staff[R.DIRECTOR], rnd, version="2026.1", effective_on=today, summary="x", file_name="m.exe", content=b"MZ"
        )
    import io

    up = io.BytesIO(pdf)
    up.name = "opa-manual-2026.pdf"
    r = director.post(
        f"/manual/{rnd.pk}/do/publish/",
        {"version": "2026.1", "effective_on": today.isoformat(), "summary": "Mediation timelines.", "file": up},
    )
    assert r.status_code == 302, r.content.decode()[:500]
    public = Client().get("/public/manual/").content.decode()
    for words in (
        "2026.1",
        today.isoformat(),
        "Mediation timelines.",
        "Office of Inspector General commented",
        "Community Police Commission commented",
        "OPA answered the comments",
    ):
        assert words in public, words
    v = ma.ManualVersion.objects.get()
    got = Client().get(f"/public/manual/{v.pk}/file/")
    assert got.status_code == 200 and got.content == pdf
    # the next update: the profile's period after the version took effect, on the Director's home
    months = int(get_profile("seattle").at(today).periods["opa_manual_update"].value)
    due, cite, _ = ma.next_update_due(today)
    assert due == ma.add_months(today, months) and "3.29.020.A.4" in cite
    assert due.isoformat() in director.get("/").content.decode()
    late, _, _ = ma.next_update_due(due + dt.timedelta(days=1))
    assert late == due


def test_only_the_director_opens_and_publishes_only_oig_and_cpc_comment(staff, today):
    with pytest.raises(Refused):
        ma.open_round(staff[R.CPC_STAFF], title="Ours", proposed="x", on=today)
    rnd = ma.open_round(staff[R.DIRECTOR], title="2026 update", proposed="x", on=today)
    with pytest.raises(Refused):
        ma.comment(staff[R.DIRECTOR], rnd, text="Mine.", on=today)
    with pytest.raises(ActionError, match="a round is open already"):
        ma.open_round(staff[R.DIRECTOR], title="Another", proposed="y", on=today)
    assert _client(staff[R.CHIEF]).get("/manual/").status_code == 403
    assert "Open a round" not in _client(staff[R.CPC_STAFF]).get("/manual/").content.decode()


def test_add_months_keeps_the_day_or_the_months_last():
    assert ma.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert ma.add_months(dt.date(2026, 3, 2), 12) == dt.date(2027, 3, 2)
