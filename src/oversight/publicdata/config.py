"""Where the public-data settings come from (Django settings, hence the environment), and the
small-cell threshold (the deployment's rule profile)."""

from __future__ import annotations

import os
from pathlib import Path

from oversight.publicdata.pseudonym import Pseudonymizer


def _settings():  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.conf import settings

    return settings


def db_path(override: Path | None = None) -> Path:
    return override if override is not None else Path(_settings().OVERSIGHT_PUBLICDATA_DB)


def min_cell() -> int:
    """The smallest group whose numbers are published: the deployment's rule profile
    (settings OVERSIGHT_PROFILE), as in force today (``publication.min_cell``)."""
    from django.utils import timezone

    from oversight.rules.profile import get_profile

    s = _settings()
    return get_profile(str(s.OVERSIGHT_PROFILE)).at(timezone.localdate()).publication.min_cell


def reimport_max_removed() -> float:
    """The largest share of a dataset a re-import may remove without --replace (the profile's
    ``publication.reimport_max_removed``, in force today)."""
    from django.utils import timezone

    from oversight.rules.profile import get_profile

    s = _settings()
    return get_profile(str(s.OVERSIGHT_PROFILE)).at(timezone.localdate()).publication.reimport_max_removed


def rejects_dir() -> Path:
    return Path(_settings().OVERSIGHT_PUBLICDATA_DB).parent / "rejects"


def pseudonymizer() -> Pseudonymizer:
    """The deployment's pseudonym key, OVERSIGHT_PSEUDONYM_KEY: required in production (the
    settings refuse to start without it), random and kept in the data folder for the demo; never
    derived from another secret, so that no fixed or shared string can reverse a pseudonym."""
    key = _settings().OVERSIGHT_PSEUDONYM_KEY
    if not key:
        from oversight.publicdata.pseudonym import KeyError_

        raise KeyError_("OVERSIGHT_PSEUDONYM_KEY is not set: officers cannot be given pseudonyms")
    return Pseudonymizer(key)
