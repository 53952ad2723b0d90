"""When a case moves, its web complainant hears of it (SMC 3.29.020.A.13)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from oversight.cases.models import CaseEvent

log = logging.getLogger(__name__)


@receiver(post_save, sender=CaseEvent, dispatch_uid="public_status_message")
def _case_moved(sender: Any, instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    case_id = instance.case_id

    def send() -> None:
        from .actions import notify_status
        from .models import WebComplaint

        complaint = WebComplaint.objects.select_related("case").filter(case_id=case_id).first()
        if complaint is None or not complaint.email:
            return
        try:
            notify_status(complaint)
        except Exception:  # the case's own write has succeeded; the message is retried by send_status_messages
            log.exception("status message for case %s not sent", complaint.case.number)

    transaction.on_commit(send)
