"""The test suite's settings: ``oversight.settings`` as OVERSIGHT_ENV=test has them (DEBUG off,
fixed test keys, plain HTTP, no second factor but in the tests of it), on a database file of
the run's own when it is SQLite, so that the live-server tests' threads write to one database."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ["OVERSIGHT_ENV"] = "test"

from oversight.settings import *  # noqa: E402, F403
from oversight.settings import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"oversight-test-{os.getpid()}.sqlite3")
    }

# The chain's checkpoints of this run's own (the SQLite and PostgreSQL runs may run side by side).
OVERSIGHT_CHECKPOINT_FILE = Path(tempfile.gettempdir()) / f"oversight-test-{os.getpid()}-checkpoints.jsonl"

# A fast hasher: the tests make hundreds of users, and the production hasher (PBKDF2, about
# half a second a password here) is the point of production, not of a test. The production
# settings keep Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
