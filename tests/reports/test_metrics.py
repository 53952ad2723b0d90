"""Each measure of the reports, computed again here from the generated cases by another road
(the model objects, one by one; the clock through the case's own input), and compared."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from oversight.cases.models import Case, Complainant, NamedEmployee, SupervisorActionReferral
from oversight.discipline.models import Appeal, Discipline, Finding
from oversight.reports import opa as opa_module
from oversight.reports.document import Report
from oversight.reports.kinds import build
from oversight.rules.events import EVENT_TYPES, parse_case
from oversight.rules.profile import get_profile
from oversight.rules.timeline import compute

TODAY = dt.date.today()
START, END = dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)
RANK = {"recommended": 0, "chief": 1, "appeal": 2}
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", cases=80, seed=11, history_years=2, per_year=300)
        call_command("seed_discipline_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def annual(seeded: None, monkeypatch: pytest.MonkeyPatch) -> Report:
    """The annual report with nothing withheld, so that every count can be compared."""
    real = opa_module.rules_for

    def every_count(day: dt.date) -> Any:
        r = real(day)
        return dataclasses.replace(r, publication=dataclasses.replace(r.publication, min_cell=0))

    monkeypatch.setattr(opa_module, "rules_for", every_count)
    return build("opa-annual", START, END, TODAY)


def _received() -> list[Case]:
    return [c for c in Case.objects.all() if c.received_on and START <= c.received_on <= END]


def _column(report: Report, table: str, col: int = 0) -> dict[str, Any]:
    return {r.key: r.cells[col] for r in report.table(table).rows if not r.total}


def _finals(upto: dt.date) -> dict[int, Finding]:
    """Each allegation's last finding by ``upto``, the later stage winning."""
    out: dict[int, Finding] = {}
    for f in Finding.objects.all():
        if f.decided_on > upto:
            continue
        cur = out.get(f.allegation_id)
        if cur is None or (RANK[f.stage], f.pk) > (RANK[cur.stage], cur.pk):
            out[f.allegation_id] = f
    return out


def _in_period(fs: dict[int, Finding]) -> list[Finding]:
    return [f for f in fs.values() if START <= f.decided_on <= END]


def test_there_is_something_to_compare(annual: Report) -> None:
    assert len(_received()) > 200
    assert _in_period(_finals(END)), "the generated history has findings in the period"


def test_1_complaints_by_classification_channel_and_allegation(annual: Report) -> None:
    cases = _received()
    want = Counter("routed" if c.routed_to else c.classification for c in cases)
    got = _column(annual, "complaints_by_classification")
    assert {k: v for k, v in got.items()} == {k: v for k, v in want.items() if v}
    assert annual.table("complaints_by_classification").value("") == len(cases)
    assert _column(annual, "complaints_by_channel") == dict(Counter(c.channel for c in cases))
    cats: Counter[str] = Counter()
    for c in cases:
        for cat in {a.category for a in c.allegations.all()}:
            cats[cat] += 1
    assert _column(annual, "complaints_by_allegation") == dict(cats)
    pct = _column(annual, "complaints_by_allegation", 1)
    k = cats.most_common(1)[0][0]
    assert pct[k] == round(100 * cats[k] / len(cases), 1)


def test_2_and_5_findings_sustained_and_not(annual: Report) -> None:
    fs = _in_period(_finals(END))
    assert _column(annual, "findings") == dict(Counter(f.finding for f in fs))
    sustained = [f for f in fs if f.finding == "sustained"]
    assert _column(annual, "sustained_by_allegation") == dict(Counter(f.allegation.category for f in sustained))
    text = " ".join(annual.sections[1].text)
    assert f"{len(sustained):,} allegations" in text
    assert f"{len({f.case_id for f in sustained}):,} complaints" in text


def test_2_discipline_imposed(annual: Report) -> None:
    want = Counter(d.kind for d in Discipline.objects.all() if START <= d.imposed_on <= END and d.appeal_id is None)
    assert want, "the history imposes discipline"
    assert _column(annual, "discipline_imposed") == dict(want)


def test_3_not_certified_and_what_followed(annual: Report) -> None:
    reviewed, not_cert = set(), set()
    followed: Counter[str] = Counter()
    for c in Case.objects.all():
        evs = list(c.events.order_by("seq"))
        dets = [e for e in evs if e.type in ("oig_certified", "oig_not_certified") and START <= e.date <= END]
        if dets:
            reviewed.add(c.pk)
        if any(e.type == "oig_not_certified" for e in dets):
            not_cert.add(c.pk)
            last = max(i for i, e in enumerate(evs) if e.type == "oig_not_certified")
            after = {e.type for e in evs[last + 1 :] if e.date <= TODAY}
            followed[
                "certified"
                if "oig_certified" in after
                else "further"
                if after & {"additional_investigation", "submitted_to_oig"}
                else "findings_without"
                if "proposed_findings_issued" in after
                else "none"
            ] += 1
    assert not_cert, "the history has investigations OIG did not certify"
    assert _column(annual, "not_certified_followup") == dict(followed)
    assert f"did not certify {len(not_cert):,} of them" in " ".join(annual.sections[2].text)
    assert f"on {len(reviewed):,} investigations" in " ".join(annual.sections[2].text)


def test_4_appeals(annual: Report) -> None:
    logged = {
        c.pk
        for c in Case.objects.all()
        for e in c.events.all()
        if e.type == "appeal_notice_filed" and START <= e.date <= END
    }
    recorded = {a.case_id for a in Appeal.objects.all() if START <= a.notice_filed_on <= END}
    got = _column(annual, "appeal_outcomes")
    assert got.get("not_recorded", 0) == len(logged - recorded)


def test_6_other_resolutions(annual: Report) -> None:
    cases = _received()
    got = _column(annual, "other_resolutions")
    for k in ("supervisor_action", "mediation", "rapid_adjudication", "contact_log"):
        n = sum(1 for c in cases if c.classification == k and not c.routed_to)
        assert got.get(k, 0) == n, k
    tr = {f.case_id for f in _in_period(_finals(END)) if f.finding == "training_referral"}
    assert got.get("training_referral", 0) == len(tr)


def test_7_precinct_by_shift(annual: Report) -> None:
    t = annual.table("incidents_by_precinct_shift")
    cases = _received()
    want = Counter((c.precinct or "not_given", c.shift or "not_given") for c in cases)
    cols = t.col_keys[:-1]
    for r in t.rows:
        if r.total:
            assert r.cells[-1] == len(cases)
            continue
        for j, ck in enumerate(cols):
            assert r.cells[j] == want.get((r.key, ck), 0), (r.key, ck)


def test_8_complainants_as_volunteered(annual: Report) -> None:
    comps = [c for c in Complainant.objects.all() if START <= c.case.received_on <= END]
    for field in ("race", "gender"):
        want = Counter(getattr(c, field) or "not_given" for c in comps)
        assert _column(annual, f"complainants_by_{field}") == dict(want), field


def test_9_named_employees(annual: Report) -> None:
    emps = [e for e in NamedEmployee.objects.all() if START <= e.case.received_on <= END]
    bands: Counter[str] = Counter()
    for e in emps:
        y = e.years_of_service
        bands[
            "not_given"
            if y is None
            else "0-2"
            if y <= 2
            else "3-5"
            if y <= 5
            else "6-10"
            if y <= 10
            else "11-20"
            if y <= 20
            else "21+"
        ] += 1
    assert _column(annual, "employees_by_seniority") == dict(bands)
    assert _column(annual, "employees_by_assignment") == dict(Counter(e.assignment or "not_given" for e in emps))
    assert any("race, ethnicity and gender" in m for m in annual.sections[8].missing)


def test_10_named_employees_with_two_sustained_within_a_year(annual: Report) -> None:
    window = get_profile("seattle").at(END).periods["repeat_sustained_window"].value
    dates: dict[str, dict[int, dt.date]] = {}
    for f in _finals(END).values():
        if f.finding == "sustained":
            who = f.named_employee.serial or f"record-{f.named_employee_id}"
            d = dates.setdefault(who, {})
            d[f.case_id] = min(d.get(f.case_id, f.decided_on), f.decided_on)
    want = 0
    for per_case in dates.values():
        ds = sorted(per_case.values())
        pairs = [(a, b) for i, a in enumerate(ds) for b in ds[i + 1 :] if (b - a).days <= window and START <= b <= END]
        want += bool(pairs)
    assert annual.table("repeat_sustained").rows[0].cells[0] == want


def test_11_year_over_year(annual: Report) -> None:
    rows = {r.label: r.cells for r in annual.table("year_over_year").rows}
    for k in range(3):
        year = END.year - k
        n = sum(1 for c in Case.objects.all() if c.received_on and c.received_on.year == year)
        assert rows[str(year)][0] == n, year


def _deadlines_at(case: Case, on: dt.date) -> list[dict[str, Any]]:
    data = case.as_clock_input()
    data["events"] = [e for e in data["events"] if e["date"] <= on.isoformat() and e["type"] in EVENT_TYPES]
    if not data["events"]:
        return []
    return [dict(d) for d in compute(parse_case(data), get_profile("seattle"), on)["deadlines"]]


def test_12_deadlines_met_by_the_clock(annual: Report) -> None:
    met = missed = 0
    for c in Case.objects.all():
        # a case closed before the period, with nothing on the clock in it, is not the period's work
        if c.closed_on and c.closed_on < START and not c.events.filter(date__gte=START, date__lte=END).exists():
            continue
        for d in _deadlines_at(c, END):
            if d["id"] != "named_employee_notice":
                continue
            if d["status"] in ("met", "missed") and START.isoformat() <= d["completed_on"] <= END.isoformat():
                met += d["status"] == "met"
                missed += d["status"] == "missed"
            elif d["status"] == "overdue" and START.isoformat() <= d["due"] <= END.isoformat():
                missed += 1
    row = annual.table("deadlines_met").value("named_employee_notice", 1)
    assert row == met
    assert annual.table("deadlines_met").value("named_employee_notice", 2) == missed
    refs = [r for r in SupervisorActionReferral.objects.all() if START <= r.report_due <= END]
    on_time = sum(1 for r in refs if r.reported_on and r.reported_on <= r.report_due)
    assert annual.table("deadlines_met").value("supervisor_action", 0) == len(refs)
    assert annual.table("deadlines_met").value("supervisor_action", 1) == on_time


def test_12_days_to_findings(annual: Report) -> None:
    days = []
    for c in Case.objects.all():
        evs = list(c.events.order_by("seq"))
        pf = next((e for e in evs if e.type == "proposed_findings_issued" and START <= e.date <= END), None)
        start = next((e for e in evs if e.type in ("complaint_received", "complaint_initiated")), None)
        if pf and start:
            days.append((pf.date - start.date).days)
    days.sort()
    n = len(days)
    median = (days[n // 2] if n % 2 else (days[n // 2 - 1] + days[n // 2]) / 2) if n else None
    t = annual.table("investigation_days")
    assert t.value("n") == n
    assert t.value("median") == (float(median) if median is not None else "—")


def test_the_semiannual_review_counts_complaints_not_investigated(seeded: None) -> None:
    rep = build("oig-semiannual", START, END, TODAY)
    cases = _received()
    t = rep.table("not_investigated")
    for r in t.rows:
        if r.total or r.cells[0] is None:
            continue
        assert r.cells[0] == sum(1 for c in cases if c.classification == r.key), r.key


def test_small_counts_are_withheld_with_their_complements_and_nobody_is_named(seeded: None) -> None:
    from oversight.reports import render

    rep = build("opa-annual", START, END, TODAY)
    mc = rep.min_cell
    assert mc > 1
    withheld = 0
    for t in rep.tables():
        if "Percent" not in t.columns and t.col_keys[-1:] != [""]:
            continue  # measures, not counts of people
        n = len(t.columns) - 1 if "Percent" not in t.columns else 1
        for r in t.rows:
            cells = r.cells[:n]
            for c in cells:
                assert c is None or c == 0 or c >= mc, (t.id, r.label, c)
            if n > 1:  # a line with one withheld count would give it away
                assert sum(c is None for c in cells) != 1, (t.id, r.label)
            withheld += sum(c is None for c in cells)
        one = [r.cells[0] for r in t.rows]
        assert sum(c is None for c in one) != 1, t.id
    assert withheld, "the period has small groups to withhold"
    page = render.html(rep)
    for e in NamedEmployee.objects.all()[:300]:
        assert e.name not in page
    for c in Complainant.objects.exclude(name="")[:300]:
        assert c.name not in page


def test_the_command_writes_the_numbers_the_page_shows(seeded: None, tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from oversight.cli import app

    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "report",
            "opa-annual",
            "--from",
            START.isoformat(),
            "--to",
            END.isoformat(),
            "--format",
            "csv",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    rep = build("opa-annual", START, END, TODAY)
    files = sorted(out.rglob("*.csv"))
    assert len(files) == len(rep.tables())
    text = next(f for f in files if f.name.endswith("-findings.csv")).read_text()
    assert text.splitlines()[-1].split(",")[1] == str(rep.table("findings").value(""))
    bad = CliRunner().invoke(
        app, ["report", "opa-annual", "--from", END.isoformat(), "--to", START.isoformat(), "--out", str(out)]
    )
    assert bad.exit_code == 2 and "is before from" in bad.output
