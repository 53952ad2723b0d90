"""Fixtures for the page tests: a working office and a small public-data store (tests/office.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.office import DATA, Office, fill, small_public_data


@pytest.fixture
def office(db: Any) -> Office:
    return fill()


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    db = small_public_data(tmp_path_factory.mktemp("pages-publicdata"))
    if db is None and os.environ.get("CI") == "true":
        pytest.fail(f"{DATA}: the shared Seattle data is missing (set OVERSIGHT_SHARED_DATA)")
    return db
