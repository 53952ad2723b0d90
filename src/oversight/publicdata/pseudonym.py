"""Officers appear only as keyed-hash pseudonyms.

HMAC-SHA256 over ``namespace:id`` with a deployment secret: the same officer (same ID in
the same ID namespace) gets the same pseudonym in every dataset of a deployment, and no
one without the secret can go from a pseudonym back to an ID by trying all IDs.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_KEY_BYTES = 16


class KeyError_(ValueError):
    """The deployment secret is missing or too short."""


def check_key(key: str | bytes) -> bytes:
    raw = key.encode() if isinstance(key, str) else key
    if len(raw) < MIN_KEY_BYTES:
        raise KeyError_(f"the pseudonym key must be at least {MIN_KEY_BYTES} bytes (OVERSIGHT_PSEUDONYM_KEY)")
    return raw


class Pseudonymizer:
    """Turns (namespace, id) into a stable pseudonym; remembers the ones it has made."""

    def __init__(self, key: str | bytes, prefix: str = "OFC") -> None:
        self._key = check_key(key)
        self._prefix = prefix
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, namespace: str, value: str) -> str:
        k = (namespace, value)
        p = self._cache.get(k)
        if p is None:
            digest = hmac.new(self._key, f"{namespace}:{value}".encode(), hashlib.sha256).hexdigest()
            p = f"{self._prefix}-{digest[:16]}"
            self._cache[k] = p
        return p
