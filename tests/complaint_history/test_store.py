"""The public discipline rows live in the public-data store (the DuckDB file of the stops and
force data): the summaries read from it equal the ones computed from the app's records, native
and imported together; the store follows a case that closes, and a change made in place
through the actions (an appeal's ruling); no name is stored."""

from __future__ import annotations

import pytest

from .test_web import _native_closed_case, imported  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

BYS = [[], ["finding"], ["source"], ["source", "finding"], ["allegation_category", "discipline"], ["year"]]


def test_store_backed_summary_equals_the_computation(imported, make_user):  # noqa: F811
    import duckdb

    from oversight.history import database as db
    from oversight.publicdata import config

    _native_closed_case(make_user)
    computed = db.compute_rows()
    assert {r["source"] for r in computed} == {"native", "seattle-opa"}
    stored = db.rows()
    con = duckdb.connect(str(config.db_path()), read_only=True)
    n = con.execute(f"SELECT count(*) FROM {db.TABLE}").fetchone()[0]
    con.close()
    assert n == len(computed) == len(stored)
    key = lambda r: (r["case_number"], r["_emp"], str(r["allegation_category"]), str(r["finding"]))  # noqa: E731
    assert sorted(stored, key=key) == sorted(computed, key=key)
    for by in BYS:
        for where in ([], ["finding=sustained"], ["source!=native"]):
            assert db.summary(by, where) == db.summary(by, where, computed), (by, where)
            assert db.summary(by, where, min_cell=1) == db.summary(by, where, computed, min_cell=1), (by, where)


def test_the_store_follows_a_case_that_closes_and_holds_no_name(imported, make_user):  # noqa: F811
    import duckdb

    from oversight.history import database as db
    from oversight.publicdata import config

    before = db.summary([], [], min_cell=1)["total"]["allegations"]
    _native_closed_case(make_user)
    after = db.summary([], [], min_cell=1)["total"]["allegations"]
    assert after == before + 1
    con = duckdb.connect(str(config.db_path()), read_only=True)
    cells = [str(v) for row in con.execute(f"SELECT * FROM {db.TABLE}").fetchall() for v in row]
    con.close()
    assert not any(("Ansel" in c or "Brightmoor" in c or "Perpetua" in c) for c in cells)


def test_the_store_follows_a_change_made_in_place(imported, make_user):  # noqa: F811
    """An appeal's ruling updates the appeal's row in place (no row is added or removed): the
    event the write appends to the case's log is what tells the store to compute again."""
    import datetime as dt

    from django.db import transaction

    from oversight.cases.actions import append_event
    from oversight.discipline.models import Appeal
    from oversight.history import database as db

    case = _native_closed_case(make_user)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin1")
    emp = case.named_employees.get()
    appeal = Appeal.objects.create(
        case=case,
        named_employee=emp,
        appellant="employee",
        forum="pscsc",
        nature="the finding",
        notice_filed_on=dt.date(2022, 6, 10),
        recorded_by=admin,
    )

    def outcome() -> set[str | None]:
        return {r["appeal_outcome"] for r in db.rows() if r["case_number"] == "2022OPA-0042"}

    assert outcome() == {"pending"}
    with transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(outcome="upheld", ruling_on=dt.date(2022, 9, 1))
        append_event(case, "appeal_ruling", dt.date(2022, 9, 1), admin, {"appeal": appeal.pk, "outcome": "upheld"})
    assert outcome() == {"upheld"}
