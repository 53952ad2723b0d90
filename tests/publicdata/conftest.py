"""Fixtures: the three Seattle exports imported once per session into a temporary store."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from oversight.publicdata import importer, store
from oversight.publicdata.mapping import load_shipped
from oversight.publicdata.pseudonym import Pseudonymizer

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))
TEST_KEY = "test-pseudonym-key-0123456789abcdef"

TERRY = DATA / "seattle_terry_stops_2023" / "Terry_Stops.csv"
UOF = DATA / "seattle_use_of_force" / "Use_Of_Force.csv"
OIS = DATA / "seattle_ois" / "SPD_Officer_Involved_Shooting__OIS__Data.csv"


def need(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path}: the shared Seattle data is missing (set OVERSIGHT_SHARED_DATA)")
        pytest.skip(f"{path}: the shared Seattle data is not here")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """The file as the csv module reads it, independently of the importer."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Session:
    db: Path
    reports: dict[str, importer.Imported]


@pytest.fixture(scope="session")
def seattle(tmp_path_factory: pytest.TempPathFactory) -> Session:
    for p in (TERRY, UOF, OIS):
        need(p)
    db = tmp_path_factory.mktemp("publicdata") / "store.duckdb"
    pseudo = Pseudonymizer(TEST_KEY)
    reports = {}
    for name, path in (("seattle-terry", TERRY), ("seattle-use-of-force", UOF), ("seattle-ois", OIS)):
        imported = importer.read_export(path, load_shipped(name), pseudo)
        store.write(db, imported)
        reports[name] = imported
    return Session(db, reports)


@pytest.fixture
def con(seattle: Session):  # type: ignore[no-untyped-def]
    c = store.connect(seattle.db, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def terry_rows() -> list[dict[str, str]]:
    return read_csv(need(TERRY))


@pytest.fixture(scope="session")
def uof_rows() -> list[dict[str, str]]:
    return read_csv(need(UOF))


@pytest.fixture(scope="session")
def ois_rows() -> list[dict[str, str]]:
    return read_csv(need(OIS))
