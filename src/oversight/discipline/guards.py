"""Rules that hold whichever door a write comes through.

- A record of discipline is never deleted, not even in bulk (SMC 3.29.320.E).
- A case with a separation for cause cannot close while any of the documentation
  SMC 3.29.320.F requires is missing: appending ``case_closed`` is refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from oversight.cases.models import CaseEvent

from .models import Discipline, DisciplineRecordError, Separation


@receiver(pre_delete, sender=Discipline)
def _never_delete_discipline(sender: Any, instance: Discipline, **kwargs: Any) -> None:
    raise DisciplineRecordError(Discipline.NEVER_REMOVED)


def closing_blockers(case_id: int) -> list[str]:
    """What must be on file before the case may close (empty when nothing is missing)."""
    out = []
    for sep in Separation.objects.filter(case_id=case_id).select_related("named_employee"):
        for item in sep.missing():
            out.append(f"{item} for Named Employee {sep.named_employee.name}")
    return out


@receiver(pre_save, sender=CaseEvent)
def _no_closing_without_wscjtc(sender: Any, instance: CaseEvent, **kwargs: Any) -> None:
    if instance.type != "case_closed" or not instance._state.adding:
        return
    missing = closing_blockers(instance.case_id)
    if missing:
        from oversight.cases.actions import ActionError

        raise ActionError("case", "cannot close while the separation for cause lacks " + "; ".join(missing))
