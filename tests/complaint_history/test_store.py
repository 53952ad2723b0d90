"""The public discipline rows live in the public-data store (the DuckDB file of the stops and
force data): the summaries read from it equal the ones computed from the app's records, native
and imported together; the store follows a case that closes; no name is stored."""

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
