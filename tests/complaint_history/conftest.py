"""Fixtures for complaint history: the shared NYC CCRB file, the pseudonym key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))
NYC = DATA / "nyc_ccrb" / "allegations.csv"


@pytest.fixture
def nyc() -> Path:
    if not NYC.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{NYC}: the shared data is missing (set OVERSIGHT_SHARED_DATA)")
        pytest.skip(f"{NYC}: the shared data is not here")
    return NYC


@pytest.fixture
def history_env(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.OVERSIGHT_PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef"
    settings.OVERSIGHT_PUBLICDATA_DB = tmp_path / "store.duckdb"
    settings.OVERSIGHT_PROFILE = "seattle"
    return tmp_path
