"""The discipline pages serve imported and native cases together; the CSV is the page's table;
no name and no complainant on them; the staff views are permissioned and recorded."""

from __future__ import annotations

import csv
import io

import pytest

from .test_import import _row, _seattle, run

pytestmark = pytest.mark.django_db


def _ago(days: int) -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.localdate() - dt.timedelta(days=days)).strftime("%m/%d/%Y")


@pytest.fixture
def imported(history_env, tmp_path):
    rows = [
        _row(
            f"2021OPA-{i:04d}",
            str(1000 + i % 4),
            "Courtesy",
            "Sustained" if i % 3 == 0 else "Not Sustained - Unfounded",
            "Written Reprimand" if i % 3 == 0 else "Not Applicable",
            **{"Closed Date": _ago(10 * i + 5), "Received Date": _ago(10 * i + 60)},
        )
        for i in range(30)
    ]
    code, out, err = run(
        "import", "complaints", "--source", "seattle-opa", str(_seattle(tmp_path, rows)), "--no-progress"
    )
    assert code == 0, err
    return rows


def _native_closed_case(make_user):
    """A native closed case with a Chief's sustained finding, written through the bulk door."""
    import datetime as dt

    from django.utils import timezone

    from oversight.cases.actions import import_cases
    from oversight.cases.models import Case
    from oversight.discipline.models import Finding

    admin = make_user("admin1", "administrator")
    day = dt.date(2022, 3, 1)
    import_cases(
        admin,
        [
            {
                "number": "2022OPA-0042",
                "channel": "phone",
                "received_on": day,
                "closed_on": day + dt.timedelta(days=90),
                "summary": "",
                "complainants": [{"name": "Perpetua Wexcombe"}],
                "named_employees": [{"name": "Ansel Brightmoor", "serial": "7777", "rank": "Sergeant"}],
                "allegations": [{"employee": 0, "category": "courtesy"}],
                "events": [{"type": "complaint_received", "date": day}],
            }
        ],
    )
    case = Case.objects.get(number="2022OPA-0042")
    Finding.objects.create(
        case=case,
        allegation=case.allegations.get(),
        named_employee=case.named_employees.get(),
        stage="chief",
        finding="sustained",
        decided_on=day + dt.timedelta(days=80),
        recorded_by=admin,
        recorded_at=timezone.now(),
    )
    return case


def test_page_and_csv_agree_and_hold_native_and_imported(client, imported, make_user):
    from oversight.history import database as db

    _native_closed_case(make_user)
    r = client.get("/data/discipline/", {"by": "source"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "This office&#x27;s cases" in page or "This office's cases" in page
    assert "Perpetua" not in page and "Ansel" not in page and "Brightmoor" not in page
    result = db.summary(["source"], [])
    sources = {g["source"]: g for g in result["groups"]}
    assert sources["native"]["suppressed"], "one native allegation is a small group: withheld"
    assert sources["seattle-opa"]["withheld_because"].startswith("so that"), "and the other beside it"
    assert result["total"]["allegations"] == 31 and result["total"]["sustained"] == 11
    csv_r = client.get("/data/discipline/summary.csv", {"by": "finding", "source": "seattle-opa"})
    got = list(csv.DictReader(io.StringIO(csv_r.content.decode())))
    expected = db.summary(["finding"], ["source=seattle-opa"])
    assert [int(g["allegations"]) for g in got] == [g["allegations"] for g in expected["groups"]]
    assert {g["finding"] for g in got} == {"sustained", "unfounded"}
    sustained = next(g for g in got if g["finding"] == "sustained")
    assert int(sustained["sustained"]) == 10 and sustained["discipline_written_reprimand"] == "10"
    rows = client.get("/data/discipline/discipline.csv").content.decode()
    assert "Perpetua" not in rows and "Brightmoor" not in rows and "OFC-" in rows
    patterns = client.get("/data/discipline/patterns/")
    assert patterns.status_code == 200
    assert "disciplined beyond none" in patterns.content.decode()
    bad = client.get("/data/discipline/summary.json", {"by": "nonsense"})
    assert bad.status_code == 400 and "nonsense" in bad.json()["error"]


def test_employee_history_is_for_staff_and_every_view_is_recorded(client, imported, make_user):
    from oversight.cases.models import ReadRecord
    from oversight.history import database as db

    who = db.rows()[0]["named_employee"]
    cpc = make_user("cpc1", "cpc_staff")
    client.force_login(cpc)
    assert client.get(f"/history/employees/{who}/").status_code == 403
    chief = make_user("chief1", "chief")
    client.force_login(chief)
    r = client.get(f"/history/employees/{who}/")
    assert r.status_code == 200 and "SEA-2021OPA-" in r.content.decode()
    assert ReadRecord.objects.filter(user=chief, part="employee_history", record=f"named employee {who}").exists()
    assert ReadRecord.objects.filter(user=cpc, part="employee_history", outcome="refused").exists()


def test_alerts_on_the_chiefs_home_and_their_handling_audited_by_oig(client, imported, make_user):
    from oversight.history.models import AlertHandling

    chief = make_user("chief1", "chief")
    client.force_login(chief)
    home = client.get("/").content.decode()
    assert "Early-intervention alerts" in home
    page = client.get("/history/alerts/").content.decode()
    assert "SEA-2021OPA-" in page
    from oversight.history.alerts import current

    alert = current()[0]
    # no handling chosen: refused in plain words, the note kept, nothing recorded
    r = client.post("/history/alerts/", {"alert": alert.key, "action": "", "note": "Met the sergeant."})
    assert r.status_code == 400 and "choose how the alert was handled" in r.content.decode()
    assert 'value="Met the sergeant."' in r.content.decode() and not AlertHandling.objects.exists()
    r = client.post("/history/alerts/", {"alert": alert.key, "action": "mentoring", "note": "Met."})
    assert r.status_code == 302
    h = AlertHandling.objects.get()
    assert h.records and h.pseudonym == alert.who
    auditor = make_user("auditor1", "oig_auditor")
    client.force_login(auditor)
    audit = client.get("/history/alerts/audit/").content.decode()
    assert "Performance mentoring" in audit
    assert client.post("/history/alerts/", {"alert": alert.key, "action": "mentoring"}).status_code == 403


def test_an_imported_case_opens_on_its_page_as_a_closed_case(client, imported, make_user):
    director = make_user("director1", "director")
    client.force_login(director)
    r = client.get("/cases/SEA-2021OPA-0000/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "SEA-2021OPA-0000" in page
    assert "Imported history" in page and "never entered the deadline clock" in page
    assert "Not Sustained - Unfounded" in page or "Sustained" in page
