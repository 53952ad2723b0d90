"""System checks of the tamper-evident record's settings (``manage check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

DEMO_CHAIN_KEY = "demo-and-tests-only-chain-key-not-secret"


@checks.register(checks.Tags.security, deploy=True)
def chain_key_set(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    key = getattr(settings, "OVERSIGHT_CHAIN_KEY", "") or ""
    if not key or key == DEMO_CHAIN_KEY or len(key) < 32:
        return [
            checks.Error(
                "OVERSIGHT_CHAIN_KEY must be set from the environment to a secret of at least 32 characters "
                "(not the demo's): it keys the hash chain and the seals of every case record.",
                id="oversight.E101",
            )
        ]
    return []
