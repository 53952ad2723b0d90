"""`oversight import complaints`: the NYC CCRB file as the shipped mapping reads it, counted
independently with the csv module; the Seattle OPA shape from a fixture; the guarantees."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oversight.cli import app

pytestmark = pytest.mark.django_db(transaction=False)
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


def test_nyc_ccrb_import_agrees_with_an_independent_count(nyc, history_env):
    from oversight.cases.models import Case, NamedEmployee
    from oversight.discipline.models import Finding
    from oversight.history.models import ImportedAllegation, ImportedCase

    with nyc.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    complaints = {r["complaint_id"] for r in rows}
    officers = {r["unique_mos_id"] for r in rows}
    pairs = {(r["complaint_id"], r["unique_mos_id"]) for r in rows}
    allegations = {(r["complaint_id"], r["unique_mos_id"], r["fado_type"], r["allegation"]) for r in rows}
    first: dict[tuple[str, ...], str] = {}
    for r in rows:
        first.setdefault(
            (r["complaint_id"], r["unique_mos_id"], r["fado_type"], r["allegation"]), r["board_disposition"]
        )
    sustained = sum(1 for d in first.values() if d.startswith("Substantiated"))

    code, out, err = run("import", "complaints", "--source", "nyc-ccrb", str(nyc), "--format", "json", "--no-progress")
    assert code == 0, err
    rep = json.loads(out)
    assert rep["rows_read"] == len(rows) == 33358
    assert rep["complaints"] == len(complaints) == 12056
    assert rep["officers"] == len(officers) == 3996
    assert rep["named_employees"] == len(pairs)
    assert rep["allegations"] == len(allegations)
    assert rep["duplicates"] == len(rows) - len(allegations)
    assert rep["set_aside"] == 0
    assert rep["unknowns"]["precinct"]["values"].keys() <= {"0", "1000", ""}
    assert rep["cases_added"] == len(complaints)
    # in the records: closed, imported, outside the clock, no names
    assert ImportedCase.objects.count() == Case.objects.filter(number__startswith="CCRB-").count() == len(complaints)
    assert not Case.objects.filter(number__startswith="CCRB-", closed_on__isnull=True).exists()
    assert not Case.objects.filter(number__startswith="CCRB-", events__isnull=False).exists()
    assert NamedEmployee.objects.count() == len(pairs)
    assert not NamedEmployee.objects.exclude(name="").exists(), "names are never stored for this mapping"
    last_names = {r["last_name"] for r in rows if len(r["last_name"]) > 5}
    raw_text = json.dumps(list(ImportedAllegation.objects.values_list("raw", flat=True)[:2000]))
    assert not any(n in raw_text for n in list(last_names)[:200])
    assert Finding.objects.filter(finding="sustained").count() == sustained
    a = ImportedAllegation.objects.filter(raw__finding="Substantiated (Command Discipline A)").first()
    assert a.recommended_discipline == "Command Discipline A"
    assert a.allegation.findings.get().finding == "sustained"

    # the same file again changes nothing
    code, out, err = run("import", "complaints", "--source", "nyc-ccrb", str(nyc), "--format", "json", "--no-progress")
    assert code == 0, err
    again = json.loads(out)
    assert (again["cases_added"], again["cases_unchanged"], again["cases_withdrawn"]) == (0, len(complaints), 0)
    assert Case.objects.count() == len(complaints)

    # the discipline database holds them, and its summary counts as the test does
    code, out, err = run("discipline", "summary", "--by", "finding", "--format", "json")
    assert code == 0, err
    groups = {g["finding"]: g for g in json.loads(out)}
    assert groups["sustained"]["allegations"] == sustained
    assert set(groups["sustained"]) == {
        "finding",
        "allegations",
        "complaints",
        "named_employees",
        "sustained",
        "complaints_with_sustained",
        "sustained_rate",
        "sustained_rate_ci",
        "discipline",
    }
    assert sum(g["allegations"] for g in groups.values()) == len(allegations)
    code, out, err = run(
        "discipline", "summary", "--by", "allegation_category", "--where", "finding=sustained", "--format", "csv"
    )
    assert code == 0, err
    by_cat = list(csv.DictReader(out.splitlines()))
    assert sum(int(r["sustained"]) for r in by_cat) == sustained
    assert {r["allegation_category"] for r in by_cat} == {"use_of_force", "courtesy", "bias", "other"}
    code, out, err = run("discipline", "summary", "--by", "named_employee")
    assert code == 2 and "not a column to group by" in err


SEATTLE_HEADER = [
    "File Number",
    "Occurred Date",
    "Received Date",
    "Closed Date",
    "Incident Precinct",
    "Complaint Classification",
    "Named Employee ID",
    "Named Employee Title at Incident",
    "Named Employee Squad at Incident",
    "Named Employee Race",
    "Named Employee Gender",
    "Named Employee Years of Service",
    "Allegation",
    "Finding",
    "Discipline",
]


def _seattle(tmp_path: Path, rows: list[list[str]]) -> Path:
    p = tmp_path / "opa.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(SEATTLE_HEADER)
        w.writerows(rows)
    return p


def _row(
    file: str, emp: str, allegation: str, finding: str, discipline: str = "Not Applicable", **kw: str
) -> list[str]:
    base = {
        "File Number": file,
        "Occurred Date": "01/05/2021 10:00:00 PM",
        "Received Date": "01/07/2021",
        "Closed Date": "08/30/2021",
        "Incident Precinct": "East",
        "Complaint Classification": "Investigation",
        "Named Employee ID": emp,
        "Named Employee Title at Incident": "Police Officer",
        "Named Employee Squad at Incident": "EAST PCT 2ND W - E/G RELIEF",
        "Named Employee Race": "White",
        "Named Employee Gender": "Male",
        "Named Employee Years of Service": "7",
        "Allegation": allegation,
        "Finding": finding,
        "Discipline": discipline,
    }
    base.update(kw)
    return [base[h] for h in SEATTLE_HEADER]


def test_seattle_opa_shape_folds_rejects_and_guards(history_env, tmp_path):
    from oversight.cases.models import Case
    from oversight.discipline.models import Discipline
    from oversight.history.models import ImportedCase

    rows = [
        _row("2021OPA-0001", "1234", "Professionalism", "Sustained", "Written Reprimand"),
        _row("2021OPA-0001", "1234", "Honesty", "Not Sustained - Inconclusive", "Not Applicable"),
        _row("2021OPA-0001", "5678", "Professionalism", "Not Sustained - Unfounded"),
        _row("2021OPA-0002", "1234", "Use of Force", "Sustained", "Suspension Without Pay"),
        _row("2021OPA-0003", "9999", "Courtesy", "Sustained", **{"Received Date": "31/31/2021"}),
        _row("bad-number", "9999", "Courtesy", "Sustained"),
    ] + [_row(f"2021OPA-01{i:02d}", "4321", "Courtesy", "Not Sustained - Unfounded") for i in range(40)]
    # the words the published dataset uses ("-" for none yet; a supervisor action has no finding)
    rows += [
        _row("2021OPA-0004", "2468", "Bias-free Policing", "Sustained Rapid Adjudication", "Oral Reprimand"),
        _row("2021OPA-0004", "2468", "Video and Audio Recording", "Process as Supv Action", "-"),
    ]
    export = _seattle(tmp_path, rows)
    rejects = tmp_path / "rejects.csv"
    code, out, err = run(
        "import",
        "complaints",
        "--source",
        "seattle-opa",
        str(export),
        "--rejects",
        str(rejects),
        "--format",
        "json",
        "--no-progress",
    )
    assert code == 0, err
    rep = json.loads(out)
    assert (rep["rows_read"], rep["complaints"], rep["allegations"], rep["set_aside"]) == (48, 43, 46, 2)
    assert "finding" not in rep["unmapped"] and "discipline" not in rep["unmapped"], rep["unmapped"]
    assert rep["unknowns"]["finding"]["values"] == {"Process as Supv Action": 1}
    with rejects.open(newline="") as fh:
        got = list(csv.reader(fh))
    assert [r[0] for r in got[1:]] == ["6", "7"]
    assert "Received Date" in got[1][1] and "not a date" in got[1][1]
    assert "does not match" in got[2][1]
    case = Case.objects.get(number="SEA-2021OPA-0001")
    assert case.closed_on.isoformat() == "2021-08-30" and case.received_on.isoformat() == "2021-01-07"
    assert case.named_employees.count() == 2 and case.allegations.count() == 3
    assert Discipline.objects.filter(case=case).get().kind == "written_reprimand"
    assert sorted(case.allegations.values_list("category", flat=True)) == [
        "honesty",
        "professionalism",
        "professionalism",
    ]
    rapid = Case.objects.get(number="SEA-2021OPA-0004")
    got = {
        a.category: (list(a.findings.values_list("finding", flat=True)), a.imported.raw["finding"])
        for a in rapid.allegations.all()
    }
    assert got == {
        "bias": (["sustained"], "Sustained Rapid Adjudication"),
        "in_car_and_body_worn_video": ([], "Process as Supv Action"),
    }
    assert Discipline.objects.get(case__number="SEA-2021OPA-0002").kind == "suspension"
    # no clock events: known to owe no timeline statement, never asked of the clock on a home page
    assert set(Case.objects.filter(number__startswith="SEA-").values_list("timeline_statement_owed", flat=True)) == {
        False
    }
    # same serial namespace as the Terry stops: the same pseudonym as there
    from oversight.publicdata.pseudonym import Pseudonymizer

    ps = Pseudonymizer("test-pseudonym-key-0123456789abcdef")("seattle-spd-serial", "1234")
    assert case.named_employees.filter(imported__pseudonym=ps).exists()

    # a later export without most complaints stops and asks for --replace
    fewer = _seattle(tmp_path, rows[:4])
    code, out, err = run("import", "complaints", "--source", "seattle-opa", str(fewer), "--no-progress")
    assert code == 2 and "--replace" in err
    assert ImportedCase.objects.filter(withdrawn_at__isnull=True).count() == 43
    code, out, err = run("import", "complaints", "--source", "seattle-opa", str(fewer), "--replace", "--no-progress")
    assert code == 0, err
    assert ImportedCase.objects.filter(withdrawn_at__isnull=True).count() == 2
    assert Case.objects.filter(number__startswith="SEA-").count() == 43, "withdrawn, never deleted"


def test_a_mapping_naming_a_missing_column_fails_before_anything_loads(history_env, tmp_path):
    from oversight.cases.models import Case

    export = tmp_path / "x.csv"
    export.write_text("File Number,Finding\n2021OPA-0001,Sustained\n")
    code, out, err = run("import", "complaints", "--source", "seattle-opa", str(export), "--no-progress")
    assert code == 2
    assert "'Named Employee ID' (for officer_id)" in err
    assert not Case.objects.exists()


def test_the_template_maps_onto_the_profile_and_a_bad_value_is_named(history_env, tmp_path):
    from oversight.history import mapping
    from oversight.history.database import vocabularies

    text = (Path(mapping.__file__).parent / "mappings" / "template.toml").read_text()
    assert mapping.parse(text, "template.toml", vocabularies()).name == "mycity-complaints"
    with pytest.raises(mapping.MappingError, match="'upheld' not in the findings"):
        mapping.parse(text.replace('"Sustained" = "sustained"', '"Sustained" = "upheld"'), "t.toml", vocabularies())


def test_a_json_export_reads_as_its_csv_would(history_env, tmp_path):
    from oversight.history import mapping, reader
    from oversight.history.database import vocabularies
    from oversight.publicdata.pseudonym import Pseudonymizer

    rows = [
        _row("2021OPA-0001", "1234", "Courtesy", "Sustained", "Written Reprimand"),
        _row("2021OPA-0001", "5678", "Courtesy", "Not Sustained - Unfounded"),
        _row("2021OPA-0002", "1234", "Honesty", "Sustained", **{"Closed Date": "not a date"}),
    ]
    as_csv = _seattle(tmp_path, rows)
    as_json = tmp_path / "opa.json"
    as_json.write_text(json.dumps({"data": [dict(zip(SEATTLE_HEADER, r, strict=True)) for r in rows]}))
    text = (Path(mapping.__file__).parent / "mappings" / "seattle-opa.toml").read_text()
    m_csv = mapping.parse(text, "csv", vocabularies())
    m_json = mapping.parse(
        text.replace('encoding = "utf-8-sig"', 'encoding = "utf-8"\nformat = "json"'), "j", vocabularies()
    )
    pseudo = Pseudonymizer("test-pseudonym-key-0123456789abcdef")
    a, b = reader.read(as_csv, m_csv, pseudo, vocabularies()), reader.read(as_json, m_json, pseudo, vocabularies())
    assert {k: c.digest() for k, c in a.complaints.items()} == {k: c.digest() for k, c in b.complaints.items()}
    assert (b.report["complaints"], b.report["allegations"], b.report["set_aside"]) == (1, 2, 1)
    assert "Closed Date" in b.rejects[0][1]
