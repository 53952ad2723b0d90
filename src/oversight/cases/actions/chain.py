"""The verifier of the tamper-evident record (``oversight.cases.integrity``)."""

from __future__ import annotations

from ..integrity import Verdict, verify
from ..models import CaseEvent

__all__ = ["verify", "verify_chain", "Verdict"]


def verify_chain() -> tuple[int, CaseEvent | None, str]:
    """Walk the event log in the order it was written, then the seals of every other record
    and the checkpoints. Returns (events checked, the first broken event or None, what is
    wrong: for a record other than an event, the record named first)."""
    v = verify()
    why = f"{v.record}: {v.why}" if v.record else v.why
    return v.events, v.broken_event, why
