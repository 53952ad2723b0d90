"""The hash chain over every case's events: its verifier."""

from __future__ import annotations

from ..models import GENESIS, CaseEvent, ChainHead


def verify_chain() -> tuple[int, CaseEvent | None, str]:
    """Walk the log in the order it was written. Returns (entries checked, the first
    broken entry or None, what is wrong with it)."""
    prev = GENESIS
    n = 0
    qs = CaseEvent.objects.select_related("case", "recorded_by").order_by("pk")
    for ev in qs.iterator(chunk_size=2000):
        n += 1
        if ev.prev_hash != prev:
            return n, ev, "its link to the entry before does not match (an entry was removed, inserted or changed)"
        expected = ev.content_hash(ev.case.number, ev.recorded_by.get_username() if ev.recorded_by else None)
        if ev.hash != expected:
            return n, ev, "its content does not match its hash (the entry was changed)"
        prev = ev.hash
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev and n:
        return n, None, "the last entry is not the one the chain head recorded (entries were removed from the end)"
    return n, None, ""
