"""Send any status message a web complainant is owed (those the signal could not send)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.public import actions
from oversight.public.models import WebComplaint


class Command(BaseCommand):
    help = "Email web complainants whose case has reached a stage they have not been told of."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = 0
        for complaint in WebComplaint.objects.exclude(email="").select_related("case").iterator():
            sent += actions.notify_status(complaint) is not None
        self.stdout.write(f"{sent} status messages sent\n")
