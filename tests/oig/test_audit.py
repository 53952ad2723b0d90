"""The quarterly classification audit (SMC 3.29.111) on a quarter of demo data."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest
from django.core.exceptions import PermissionDenied

from oversight.cases import actions as ca
from oversight.cases.seed import demo_cases, ensure_demo_users
from oversight.oig import actions as oa
from oversight.oig.models import ClassificationAudit
from oversight.rules import access as OR
from oversight.rules import access as R

from .conftest import open_investigation

pytestmark = pytest.mark.django_db

DEMO_SEED = 3_29_111
DEMO_UNTIL = dt.date(2026, 6, 30)  # a fixed year of demo data: the same cases on every database
YEAR, QUARTER = 2026, 1
AUDIT_SEED = 20260401
Z95 = 1.959963984540054  # the standard normal quantile for 95% confidence, from a table


def independent_size(population: int, z: float, margin: float, p: float) -> int:
    """Cochran's formula with finite population correction, written out again here."""
    n0 = (z**2) * p * (1 - p) / margin**2
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def test_the_independent_formula_matches_textbook_values():
    assert independent_size(100, Z95, 0.05, 0.5) == 80
    assert independent_size(1000, Z95, 0.05, 0.5) == 278
    assert independent_size(10, Z95, 0.05, 0.5) == 10


@pytest.fixture
def demo_quarter(db):
    users = ensure_demo_users()
    cases = demo_cases(DEMO_SEED, DEMO_UNTIL, 240, users)
    ca.import_cases(users["admin"], cases)
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 3, 31)
    classified = sorted(
        {c["number"] for c in cases for e in c["events"] if e["type"] == "classified" and start <= e["date"] <= end}
    )
    return classified


def test_audit_draws_the_stated_sample_reproducibly(people, demo_quarter):
    population = demo_quarter
    assert len(population) > 20  # the demo quarter has something to audit
    audit = oa.create_audit(people[OR.OIG_AUDITOR], YEAR, QUARTER, seed=AUDIT_SEED)
    rule = ca.rules_on(dt.date(YEAR, 1, 1)).sampling["classification_audit"]
    assert (rule.confidence, rule.margin_of_error, rule.expected_proportion) == (0.95, 0.05, 0.5)
    expected_size = independent_size(len(population), Z95, 0.05, 0.5)
    assert audit.population == len(population)
    assert audit.population_ids == population
    assert audit.size == expected_size == len(audit.sample)
    # The draw, recomputed without the database: Mersenne Twister seeded by the recorded seed,
    # over the case numbers in sorted order. Same on SQLite and on PostgreSQL.
    assert audit.sample == sorted(random.Random(AUDIT_SEED).sample(population, expected_size))
    assert audit.seed == AUDIT_SEED
    assert f"population {len(population)}: sample {expected_size}" in audit.method
    assert f"seed {AUDIT_SEED}" in audit.method
    assert sorted(audit.items.values_list("case__number", flat=True)) == audit.sample
    # A second audit of the same quarter is refused; the first is the record.
    with pytest.raises(ca.ActionError, match="already has its audit"):
        oa.create_audit(people[OR.OIG_AUDITOR], YEAR, QUARTER, seed=1)


def test_without_a_seed_one_is_chosen_and_recorded(people, demo_quarter):
    audit = oa.create_audit(people[OR.INSPECTOR_GENERAL], YEAR, QUARTER)
    redo = sorted(random.Random(audit.seed).sample(demo_quarter, audit.size))
    assert audit.sample == redo


@pytest.mark.parametrize(
    ("year", "quarter", "seed", "field"),
    [(2026, 5, 1, "quarter"), (2026, 0, 1, "quarter"), (2999, 1, 1, "quarter"), (2026, 1, -4, "seed")],
)
def test_bad_audit_requests_name_the_field(people, year, quarter, seed, field):
    with pytest.raises(ca.ActionError) as e:
        oa.create_audit(people[OR.OIG_AUDITOR], year, quarter, seed=seed)
    assert e.value.field == field
    assert not ClassificationAudit.objects.exists()


@pytest.mark.parametrize("role", [R.DIRECTOR, R.SUPERVISOR, R.CPC_STAFF, "nobody"])
def test_only_oig_draws_audits(people, role):
    with pytest.raises(PermissionDenied, match="3.29.111"):
        oa.create_audit(people[role], 2025, 1, seed=1)


def test_checking_and_the_public_report_names_no_employee(people, today):
    case = open_investigation(people, received=200)
    d = case.events.get(type="classified").date
    year, quarter = d.year, (d.month - 1) // 3 + 1
    end = oa.quarter_bounds(year, quarter)[1]
    assert end < today  # classified 198 days ago: a past quarter
    audit = oa.create_audit(people[OR.OIG_AUDITOR], year, quarter, seed=7)
    assert audit.sample == [case.number]
    with pytest.raises(ca.ActionError, match="not yet checked"):
        oa.publish_audit(people[OR.INSPECTOR_GENERAL], audit, findings="f", recommendations="r")
    item = audit.items.get()
    oa.check_audit_item(
        people[OR.OIG_AUDITOR],
        item,
        classification_appropriate=True,
        allegations_identified=False,
        employees_identified=True,
        notes="A second allegation of courtesy was missed.",
    )
    with pytest.raises(PermissionDenied, match="Only Inspector General may publish"):
        oa.publish_audit(people[OR.OIG_AUDITOR], audit, findings="f", recommendations="r")
    audit = oa.publish_audit(
        people[OR.INSPECTOR_GENERAL],
        audit,
        findings="In one case Officer Quinn Larchmont (serial 8812) faced an allegation that was not recorded.",
        recommendations="Intake should read the whole complaint from Reese Dunmore again before classifying.",
    )
    report = audit.public_report
    assert "All allegations properly identified: 0 of 1." in report
    assert "Classification appropriately assigned: 1 of 1." in report
    for name in ("Larchmont", "Quinn", "8812", "Dunmore", "Reese"):
        assert name not in report
    assert "Named Employee #1" in report
    with pytest.raises(ca.ActionError, match="already published"):
        oa.publish_audit(people[OR.INSPECTOR_GENERAL], audit, findings="f", recommendations="r")
    with pytest.raises(ca.ActionError, match="can no longer change"):
        oa.check_audit_item(
            people[OR.OIG_AUDITOR],
            item,
            classification_appropriate=False,
            allegations_identified=False,
            employees_identified=False,
        )


def test_audit_over_the_web_and_its_public_report(client, people):
    case = open_investigation(people, received=200)
    d = case.events.get(type="classified").date
    year, quarter = d.year, (d.month - 1) // 3 + 1
    client.force_login(people[R.DIRECTOR])
    assert client.get("/oig/audits/").status_code == 403
    client.force_login(people[OR.OIG_AUDITOR])
    r = client.post("/oig/audits/", {"year": str(year), "quarter": str(quarter), "seed": "twelve"})
    assert r.status_code == 400 and "Seed: &#x27;twelve&#x27; is not a whole number" in r.content.decode()
    assert not ClassificationAudit.objects.exists()
    r = client.post("/oig/audits/", {"year": str(year), "quarter": str(quarter), "seed": "12"})
    audit = ClassificationAudit.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/oig/audits/{audit.pk}/"
    item = audit.items.get()
    r = client.post(
        f"/oig/audits/{audit.pk}/",
        {"item": str(item.pk), "appropriate": "yes", "allegations": "yes", "employees": "no", "notes": "n"},
    )
    assert r.status_code == 302
    client.logout()
    assert client.get(f"/oig/audits/{audit.pk}/report/").status_code == 404  # not yet published
    oa.publish_audit(
        people[OR.INSPECTOR_GENERAL], audit, findings="One employee missed.", recommendations="Check rosters."
    )
    page = client.get(f"/oig/audits/{audit.pk}/report/").content.decode()
    assert "All employees properly identified: 0 of 1." in page and "Quinn Larchmont" not in page
