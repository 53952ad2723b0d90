"""The demo's registry of agreements: the two the public record reports (the 2016 proposal the guild
rejected, the 2018 tentative agreement with its coded overlay) and a fictional agreement under
negotiation, with the oversight bodies' consultations kept confidential."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.contracts import actions
from oversight.contracts.models import Agreement


class Command(BaseCommand):
    help = "Fill the registry of bargaining agreements for the demo."

    def handle(self, *args: Any, **options: Any) -> None:
        if Agreement.objects.exists():
            return
        director = User.objects.filter(username="director").first()
        if director is None:
            self.stdout.write("seed_contracts_demo: no 'director' login (run seed_demo first)")
            return
        actions.record_agreement(
            director,
            guild="Seattle Police Officers' Guild (SPOG)",
            title="Proposed agreement negotiated over eighteen months (2016)",
            status="rejected",
            overlay="spog-2016-rejected",
            votes_for=156,
            votes_against=823,
        )
        actions.record_agreement(
            director,
            guild="Seattle Police Officers' Guild (SPOG)",
            title="Tentative agreement reached August 2018",
            status="tentative",
            overlay="spog-2018-tentative",
            public_on=dt.date(2018, 11, 8),
        )
        today = timezone.localdate()
        nxt = actions.record_agreement(
            director,
            guild="Seattle Police Officers' Guild (SPOG)",
            title="Next agreement (demo: fictional, under negotiation)",
            status="proposed",
        )
        for office, days, text in (
            ("opa", 40, "OPA's recommendations with bargaining implications: the 180-day limit and its tolls."),
            ("oig", 33, "OIG on subpoena authority and access to records."),
            ("cpc", 26, "CPC on the appeal forum and keeping misconduct records."),
        ):
            actions.record_consultation(director, nxt, office, today - dt.timedelta(days=days), text)
        self.stdout.write("seed_contracts_demo: 3 agreements, 3 consultations")
