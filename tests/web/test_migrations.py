"""Every change to a model has its migration: an install from a clean checkout builds the
schema the code reads."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_and_the_migrations_agree():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as e:  # --check exits 1 when a migration is missing
        pytest.fail(f"a model changed without its migration (exit {e.code}):\n{out.getvalue()}")
