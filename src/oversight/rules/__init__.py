"""The law as data and the engines that read it. Pure Python: no Django here.

The clock's modules (events, timeline, plan, batch) may also be compiled with mypyc
(``scripts/build-native``, run by ``make install``); the compiled modules answer exactly
as the pure ones. The pure-Python modules are imported instead under ``OVERSIGHT_PURE=1``,
or when a source changed since the build (its digest is in native.sha256), so an edit is
never shadowed by an older build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).parent
NATIVE_MODULES = ("events", "timeline", "plan", "batch")  # scripts/build-native compiles these


def _native_is_current() -> bool:
    """Whether compiled modules are here and were built from the sources as they are."""
    try:
        recorded = (_HERE / "native.sha256").read_text().strip()
        h = hashlib.sha256()
        for m in NATIVE_MODULES:
            h.update((_HERE / f"{m}.py").read_bytes())
    except OSError:
        return False
    return h.hexdigest() == recorded


class _PureFinder:
    """Finds the clock's modules as their Python sources, ahead of any compiled build."""

    @staticmethod
    def find_spec(name: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:
        pkg, _, mod = name.rpartition(".")
        if pkg != __name__ or mod not in NATIVE_MODULES:
            return None
        return importlib.util.spec_from_file_location(name, _HERE / f"{mod}.py")


COMPILED = not os.environ.get("OVERSIGHT_PURE") and _native_is_current()
if not COMPILED:
    sys.meta_path.insert(0, _PureFinder)

from oversight.rules.events import Case, CaseError, Event, parse_case  # noqa: E402
from oversight.rules.profile import Profile, ProfileError, Rules, get_profile, load_profile  # noqa: E402
from oversight.rules.timeline import Timeline, compute  # noqa: E402

__all__ = [
    "COMPILED",
    "Case",
    "CaseError",
    "Event",
    "Profile",
    "ProfileError",
    "Rules",
    "Timeline",
    "compute",
    "get_profile",
    "load_profile",
    "parse_case",
]
