"""The clock's two builds: compiled by mypyc (make install) and pure Python (OVERSIGHT_PURE=1)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import oversight.rules
from oversight.rules import NATIVE_MODULES

WHICH = "import oversight.rules as r, {mods}; print(r.COMPILED, {files})"


def _files(env: dict[str, str]) -> list[str]:
    mods = ", ".join(f"oversight.rules.{m}" for m in NATIVE_MODULES)
    files = ", ".join(f"oversight.rules.{m}.__file__" for m in NATIVE_MODULES)
    out = subprocess.run(
        [sys.executable, "-c", WHICH.format(mods=mods, files=files)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_oversight_pure_imports_every_module_from_its_source() -> None:
    compiled, *files = _files({**os.environ, "OVERSIGHT_PURE": "1"})
    assert compiled == "False"
    assert all(f.endswith(".py") for f in files), files


@pytest.mark.skipif(not oversight.rules.COMPILED, reason="the clock is not compiled here (pure Python)")
def test_the_compiled_build_serves_every_module_together() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_PURE"}
    compiled, *files = _files(env)
    assert compiled == "True"
    assert not any(f.endswith(".py") for f in files), files


def test_ci_tests_the_compiled_build() -> None:
    """Under CI=true, make install must have compiled the clock (scripts/build-native fails otherwise),
    so that the suite runs on it; make test-pure runs tests/rules again on the sources."""
    if os.environ.get("CI") != "true" or os.environ.get("OVERSIGHT_PURE"):
        pytest.skip("not CI, or the pure run")
    assert oversight.rules.COMPILED
