"""Tamper evidence that holds: each kind of record that tells a case's story, changed behind the
actions' back, is named by the verifier; a forged event rehashed without the key is caught; the
chain's head is checkpointed to a file outside the database and checked against it."""

from __future__ import annotations

import hashlib
import json

import orjson
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from oversight.cases import actions
from oversight.cases.integrity import read_checkpoints, verify
from oversight.cases.models import AuditEntry, Case, CaseEvent, ChainCheckpoint, Complainant, NamedEmployee

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.OVERSIGHT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    call_command("seed_demo", cases=40, seed=7)
    call_command("seed_discipline_demo", cases=4)
    v = verify()
    assert v.ok, v.problems
    return v


def _sql(sql: str, *params: object) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, list(params))


def _table(model: type) -> str:
    return model._meta.db_table  # type: ignore[attr-defined,no-any-return]


def test_the_demo_is_sealed_throughout(world):
    assert world.events > 100 and world.seals >= world.records > 100
    assert world.records >= Case.objects.count() + Complainant.objects.count() + AuditEntry.objects.count()


def test_a_closed_case_whose_closing_date_is_moved_is_named(world):
    case = Case.objects.filter(closed_on__isnull=False).order_by("pk").first()
    _sql(f"UPDATE {_table(Case)} SET closed_on = %s WHERE id = %s", "2001-01-01", case.pk)
    v = verify()
    assert v.record == f"the case row of {case.number}"
    assert "does not match its seal" in v.why


def test_a_case_reopened_by_clearing_closed_on_is_named(world):
    case = Case.objects.filter(closed_on__isnull=False).order_by("pk").first()
    _sql(f"UPDATE {_table(Case)} SET closed_on = NULL WHERE id = %s", case.pk)
    assert verify().record == f"the case row of {case.number}"


def test_the_board_projection_may_change_without_breaking_anything(world):
    Case.objects.update(board_day=None, search_stale=True)
    assert verify().ok
    # the statement owed and its deadline, kept by the board's recomputation and the Director's list
    Case.objects.update(timeline_statement_owed=True, timeline_statement_deadline={"id": "timeline_statement"})
    assert verify().ok


def test_rows_sealed_with_the_statement_projection_are_sealed_again_only_when_nothing_else_changed(world, monkeypatch):
    """Migration 0014: seals made while timeline_statement_owed was inside the case row's seal
    (migration 0013 to 0014) are made again for rows that differ from them in that field only."""
    import importlib

    from django.apps import apps

    from oversight.cases import integrity

    migration = importlib.import_module("oversight.cases.migrations.0014_timeline_statement_deadline")
    kept, changed = Case.objects.order_by("pk")[:2]
    old_skip = integrity.COVERED["cases.case"] - {"timeline_statement_owed", "timeline_statement_deadline"}
    Case.objects.filter(pk__in=[kept.pk, changed.pk]).update(timeline_statement_owed=True)
    with monkeypatch.context() as m:
        m.setitem(integrity.COVERED, "cases.case", old_skip | {"timeline_statement_deadline"})
        integrity.seal_rows(Case, [kept.pk, changed.pk])  # as 0013's seals were made
    Case.objects.filter(pk__in=[kept.pk, changed.pk]).update(timeline_statement_owed=False)
    _sql(f"UPDATE {_table(Case)} SET summary = %s WHERE id = %s", "Rewritten.", changed.pk)
    v = verify(all_problems=True)
    assert {p.split(": ")[0] for p in v.problems} >= {f"the case row of {kept.number}"}, v.problems
    migration.seal_without_the_projection(apps, None)
    v = verify(all_problems=True)
    assert not any(kept.number in p for p in v.problems), v.problems
    assert any(changed.number in p and "does not match its seal" in p for p in v.problems), v.problems


@pytest.mark.parametrize(
    "model_path, column, value, words",
    [
        ("oversight.cases.models.Complainant", "name", "Someone Else", "complainant"),
        ("oversight.cases.models.NamedEmployee", "name", "Officer Nobody", "named employee"),
        ("oversight.cases.models.Witness", "contact", "nowhere", "witness"),
        ("oversight.cases.models.Allegation", "category", "courtesy", "allegation"),
        ("oversight.discipline.models.Finding", "finding", "not_sustained_unfounded", "finding"),
        ("oversight.discipline.models.Discipline", "kind", "none", "discipline record"),
        ("oversight.cases.models.AuditEntry", "action", "nothing_happened", "audit entry"),
    ],
)
def test_each_kind_of_record_changed_behind_the_actions_back_is_named(world, model_path, column, value, words):
    module, name = model_path.rsplit(".", 1)
    model = getattr(__import__(module, fromlist=[name]), name)
    row = model._base_manager.exclude(**{column: value}).order_by("pk").first()
    assert row is not None, f"the demo has no {words}"
    _sql(f"UPDATE {_table(model)} SET {column} = %s WHERE id = %s", value, row.pk)
    v = verify()
    assert not v.ok
    assert v.record.startswith(f"{words} {row.pk}"), v.record
    case_id = getattr(row, "case_id", None)
    if case_id:
        assert Case.objects.get(pk=case_id).number in v.record
    with pytest.raises(CommandError, match=f"{words} {row.pk}"):
        call_command("verify_chain")


def test_a_deleted_audit_entry_is_named(world):
    entry = AuditEntry.objects.order_by("pk")[5]
    _sql(f"DELETE FROM {_table(AuditEntry)} WHERE id = %s", entry.pk)
    v = verify()
    assert v.record == f"audit entry {entry.pk}" and "removed" in v.why


def test_a_row_inserted_behind_the_actions_back_is_named(world):
    case = Case.objects.order_by("pk").first()
    _sql(
        f"INSERT INTO {_table(NamedEmployee)} (case_id, name, serial, rank, unit, assignment, shift, "
        "supervisor_name, captain, bargaining_unit) VALUES (%s, 'Planted', '', '', '', '', '', '', '', '')",
        case.pk,
    )
    v = verify()
    assert v.record.startswith("named employee") and "never sealed" in v.why


def test_a_forged_event_rehashed_without_the_key_is_caught(world):
    """The attacker holds the database, not the key: they change an event and rehash it and every
    entry after it the way an unkeyed chain would, and fix the head."""
    events = list(CaseEvent.objects.select_related("case", "recorded_by").order_by("pk"))
    target = events[10]
    prev = events[9].hash
    for ev in events[10:]:
        data = {"forged": True} if ev.pk == target.pk else ev.data
        payload = orjson.dumps(
            {
                "case": ev.case.number,
                "seq": ev.seq,
                "type": ev.type,
                "date": ev.date.isoformat(),
                "data": data,
                "recorded_at": ev.recorded_at.isoformat(),
                "recorded_by": ev.recorded_by.get_username() if ev.recorded_by else None,
                "prev": prev,
            },
            option=orjson.OPT_SORT_KEYS,
        )
        h = hashlib.sha256(payload).hexdigest()
        CaseEvent.objects.filter(pk=ev.pk).update(data=data, prev_hash=prev, hash=h)
        prev = h
    _sql("UPDATE cases_chainhead SET last_hash = %s WHERE id = 1", prev)
    n, broken, why = actions.verify_chain()
    assert broken is not None and broken.pk == target.pk and n == 11
    assert "content does not match its hash" in why


def test_a_forged_seal_without_the_key_is_caught(world):
    """Change a complainant's name and put a new digest in its seal, computed with a guessed key."""
    from oversight.cases.integrity import record_digest, sealed_fields
    from oversight.cases.models import RecordSeal

    c = Complainant.objects.exclude(name="").order_by("pk").first()
    _sql(f"UPDATE {_table(Complainant)} SET name = 'Forged' WHERE id = %s", c.pk)
    values = Complainant.objects.filter(pk=c.pk).values(*sealed_fields(Complainant)).get()
    seal = RecordSeal.objects.filter(kind="cases.complainant", object_id=c.pk).order_by("pk").last()
    digest = record_digest("cases.complainant", c.pk, values, key=b"guessed")
    RecordSeal.objects.filter(pk=seal.pk).update(digest=digest)
    v = verify()
    assert v.record.startswith(f"seal {seal.pk}") and "forged" in v.why


def test_a_checkpoint_catches_entries_cut_from_the_end_with_the_head_rewritten(world, settings):
    call_command("checkpoint_chain")
    (cp,) = read_checkpoints()
    assert cp["events"] == world.events and ChainCheckpoint.objects.count() == 1
    line = json.loads(settings.OVERSIGHT_CHECKPOINT_FILE.read_text().splitlines()[0])
    assert line["events_head"] == CaseEvent.objects.order_by("pk").last().hash
    assert verify().ok
    last_two = list(CaseEvent.objects.order_by("-pk")[:2])
    _sql("DELETE FROM cases_caseevent WHERE id = %s", last_two[0].pk)
    _sql("UPDATE cases_chainhead SET last_hash = %s, count = count - 1 WHERE id = 1", last_two[1].hash)
    v = verify()
    assert "checkpoint" in v.why and "removed from the end" in v.why


def test_the_checkpoint_file_is_only_appended_to(world, settings):
    call_command("checkpoint_chain")
    first = settings.OVERSIGHT_CHECKPOINT_FILE.read_text()
    call_command("checkpoint_chain")
    assert settings.OVERSIGHT_CHECKPOINT_FILE.read_text().startswith(first)
    assert len(read_checkpoints()) == 2


def test_no_checkpoint_of_a_broken_chain(world):
    c = Complainant.objects.order_by("pk").first()
    _sql(f"UPDATE {_table(Complainant)} SET phone = '0' WHERE id = %s", c.pk)
    with pytest.raises(CommandError, match="complainant"):
        call_command("checkpoint_chain")
    assert ChainCheckpoint.objects.count() == 0
