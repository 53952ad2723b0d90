"""Fill the database with a generated year of cases (no real people), once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from oversight.cases.models import Allegation, Case, CaseEvent, CaseNumber
from oversight.demo import generate_year


class Command(BaseCommand):
    help = "Fill an empty database with a demo year of OPA cases at every stage."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cases", type=int, default=240)
        parser.add_argument("--seed", type=int, default=3_29_026)

    @transaction.atomic
    def handle(self, *args: Any, cases: int, seed: int, **opts: Any) -> None:
        if Case.objects.exists():
            self.stdout.write("Demo data already present; nothing added.")
            return
        today = dt.date.today()
        last: dict[int, int] = {}
        for data in generate_year(seed, today, cases):
            case = Case.objects.create(
                number=data["case_id"],
                incident_date=data["incident_date"],
                summary=data["summary"],
            )
            year, seq = data["case_id"].split("OPA-")
            last[int(year)] = max(last.get(int(year), 0), int(seq))
            for a, employee in zip(data["allegations"], data["named_employees"], strict=True):
                Allegation.objects.create(
                    case=case, named_employee=employee, category=a["category"],
                    criminal=a["criminal"], concealment=a["concealment"],
                )
            CaseEvent.objects.bulk_create(
                CaseEvent(case=case, seq=i, type=e["type"], date=e["date"],
                          data={k: v for k, v in e.items() if k not in ("type", "date")})
                for i, e in enumerate(data["events"], 1)
            )
        for year, seq in last.items():
            CaseNumber.objects.update_or_create(year=year, defaults={"last": seq})
        self.stdout.write(f"Demo data: {Case.objects.count()} cases.")
