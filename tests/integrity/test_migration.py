"""The migration that keys the chain rehashes the events already recorded (under the old,
unkeyed SHA-256) and seals every record that exists, so that an office upgrading keeps a chain
that verifies; a record changed after the upgrade is then caught."""

from __future__ import annotations

import datetime as dt
import hashlib

import orjson
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("cases", "0007_board_until"), ("discipline", "0002_groups"), ("oig", "0002_groups")]
AFTER = [("cases", "0009_retention_events")]


def _old_hash(number: str, seq: int, type_: str, date: dt.date, data: dict, at: dt.datetime, prev: str) -> str:
    payload = orjson.dumps(
        {
            "case": number,
            "seq": seq,
            "type": type_,
            "date": date.isoformat(),
            "data": data,
            "recorded_at": at.astimezone(dt.UTC).isoformat(),
            "recorded_by": None,
            "prev": prev,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(payload).hexdigest()


def test_existing_data_is_rehashed_and_sealed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    ChainHead = apps.get_model("cases", "ChainHead")
    Complainant = apps.get_model("cases", "Complainant")
    AuditEntry = apps.get_model("cases", "AuditEntry")
    prev = "0" * 64
    day = dt.date(2025, 3, 1)
    for i in range(3):
        case = Case.objects.create(number=f"2025OPA-000{i + 1}", received_on=day, summary="Before the upgrade.")
        Complainant.objects.create(case=case, name=f"Person {i}")
        for seq, t in enumerate(("complaint_received", "intake_recorded"), 1):
            at = timezone.now()
            h = _old_hash(case.number, seq, t, day, {}, at, prev)
            CaseEvent.objects.create(
                case=case, seq=seq, type=t, date=day, data={}, recorded_at=at, prev_hash=prev, hash=h
            )
            prev = h
        AuditEntry.objects.create(at=timezone.now(), action="open_case", case=case, detail={})
    ChainHead.objects.update_or_create(id=1, defaults={"last_hash": prev, "count": 6})

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # then on to the latest schema, which the live models below read (and the tests after this one)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from oversight.cases.integrity import verify
    from oversight.cases.models import Case as LiveCase
    from oversight.cases.models import CaseEvent as LiveEvent

    v = verify()
    assert v.ok, v.problems
    assert v.events == 6 and v.records == 3 + 3 + 3  # cases, complainants, audit entries
    assert LiveEvent.objects.order_by("pk").first().hash != _old_hash(  # rehashed under the key
        "2025OPA-0001", 1, "complaint_received", day, {}, LiveEvent.objects.order_by("pk").first().recorded_at, "0" * 64
    )
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_case SET summary = 'Changed.' WHERE number = '2025OPA-0002'")
    assert verify().record == f"the case row of {LiveCase.objects.get(number='2025OPA-0002').number}"
