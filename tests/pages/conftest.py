"""Fixtures for the page tests: a working office (tests/office.py) and a small public-data
store cut from Seattle's own exports."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest

from tests.office import Office, fill

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))
EXPORTS = {
    "seattle-terry": (DATA / "seattle_terry_stops_2023" / "Terry_Stops.csv", 4000),
    "seattle-use-of-force": (DATA / "seattle_use_of_force" / "Use_Of_Force.csv", 3000),
    "seattle-ois": (DATA / "seattle_ois" / "SPD_Officer_Involved_Shooting__OIS__Data.csv", 600),
}


@pytest.fixture
def office(db: Any) -> Office:
    return fill()


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The first few thousand rows of each Seattle export, imported; None without the shared data."""
    from oversight.publicdata import importer, store
    from oversight.publicdata.mapping import load_shipped
    from oversight.publicdata.pseudonym import Pseudonymizer

    if not all(path.exists() for path, _ in EXPORTS.values()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DATA}: the shared Seattle data is missing (set OVERSIGHT_SHARED_DATA)")
        return None
    tmp = tmp_path_factory.mktemp("pages-publicdata")
    db = tmp / "store.duckdb"
    pseudo = Pseudonymizer("pages-test-pseudonym-key-0123456789")
    for name, (path, rows) in EXPORTS.items():
        cut = tmp / path.name
        with path.open(encoding="utf-8-sig", newline="") as src, cut.open("w", encoding="utf-8", newline="") as out:
            w = csv.writer(out)
            for i, row in enumerate(csv.reader(src)):
                if i > rows:
                    break
                w.writerow(row)
        store.write(db, importer.read_export(cut, load_shipped(name), pseudo))
    return db
