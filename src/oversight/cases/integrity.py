"""Tamper evidence that holds: a keyed chain over the events, seals over every other record
that tells a case's story, and checkpoints of both heads kept outside the database.

- **Keyed.** Every hash is an HMAC-SHA256 under the deployment's chain key
  (``settings.OVERSIGHT_CHAIN_KEY``, from the environment ``OVERSIGHT_CHAIN_KEY``; the demo
  and the tests use a fixed one). Whoever can write the database but does not hold the key
  cannot forge an entry and rehash the rest.
- **Events** (``CaseEvent``) carry their own link and hash, as before, now keyed.
- **Seals** (``RecordSeal``): each time a covered record is written (the case row, its
  complainants, witnesses and named employees, allegations, corrections, notes, plans,
  evidence, interviews, subpoenas, findings, the Chief's decision, discipline, appeals,
  separations, OIG's determinations, hotline reports, the audit and the read records), a
  seal of its fields is appended to a second chain. The verifier recomputes every record's
  digest and compares it with its latest seal: a changed record, a removed one, or one
  written outside the actions (never sealed) is named.
- **Checkpoints**: ``manage checkpoint_chain`` appends both heads with a timestamp to an
  append-only file (``settings.OVERSIGHT_CHECKPOINT_FILE``) and records it for OIG; the
  verifier checks that the chains still pass through every checkpoint in the file, so
  entries cut from the end (with the head rewritten) are caught too.

A record is sealed with the fields it had when it was written (the seal lists them): a
column added later is covered from the record's next write (a migration that must cover
old rows at once ends with ``reseal_all``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

GENESIS = "0" * 64
EVENTS_HEAD = 1
SEALS_HEAD = 2

# The records sealed, by model label, and the fields left out of the seal: projections the
# app recomputes (the board's and the search's), never what a case says.
COVERED: dict[str, frozenset[str]] = {
    "cases.case": frozenset(
        {
            "board_day",
            "board_until",
            "board_stage",
            "board_risk",
            "board_due",
            "board_deadline_id",
            "board_deadline",
            "board_flags",
            "timeline_statement_owed",
            "timeline_statement_deadline",
            "search_text",
            "search_redacted",
            "search_stale",
        }
    ),
    "cases.complainant": frozenset(),
    "cases.namedemployee": frozenset(),
    "cases.witness": frozenset(),
    "cases.allegation": frozenset(),
    "cases.partyrevision": frozenset(),
    "cases.casenote": frozenset(),
    "cases.investigationplan": frozenset(),
    "cases.evidencefile": frozenset(),
    "cases.interview": frozenset(),
    "cases.subpoena": frozenset(),
    "cases.supervisoractionreferral": frozenset(),
    "cases.auditentry": frozenset(),
    "cases.readrecord": frozenset(),
    "cases.chaincheckpoint": frozenset(),
    "cases.legalhold": frozenset(),
    "cases.disposal": frozenset(),
    "discipline.recommendation": frozenset(),
    "discipline.finding": frozenset(),
    "discipline.managementaction": frozenset(),
    "discipline.trainingreport": frozenset(),
    "discipline.chiefdecision": frozenset(),
    "discipline.discipline": frozenset(),
    "discipline.leavewithoutpay": frozenset(),
    "discipline.statement": frozenset(),
    "discipline.appeal": frozenset(),
    "discipline.settlement": frozenset(),
    "discipline.complainantnotice": frozenset(),
    "discipline.separation": frozenset(),
    "discipline.caseaccess": frozenset(),
    "oig.determination": frozenset(),
    "oig.oigauditentry": frozenset(),
    "oig.hotlinereport": frozenset(),
    "oig.hotlinemessage": frozenset(),
    "recommendations.recommendation": frozenset(),
    "recommendations.recommendationevent": frozenset(),
    "recommendations.citynotice": frozenset(),
    "cpc.review": frozenset(),
    "cpc.meeting": frozenset(),
    "cpc.communityinput": frozenset(),
}

# How the verifier names a record of each kind.
KIND_NAMES: dict[str, str] = {
    "cases.case": "the case row",
    "cases.complainant": "complainant",
    "cases.namedemployee": "named employee",
    "cases.witness": "witness",
    "cases.allegation": "allegation",
    "cases.partyrevision": "correction",
    "cases.casenote": "note",
    "cases.investigationplan": "investigation plan",
    "cases.evidencefile": "evidence file",
    "cases.interview": "interview",
    "cases.subpoena": "subpoena",
    "cases.supervisoractionreferral": "Supervisor Action referral",
    "cases.auditentry": "audit entry",
    "cases.readrecord": "read record",
    "cases.chaincheckpoint": "checkpoint",
    "cases.legalhold": "legal hold",
    "cases.disposal": "disposal",
    "discipline.recommendation": "recommendation",
    "discipline.finding": "finding",
    "discipline.managementaction": "Management Action",
    "discipline.trainingreport": "training report",
    "discipline.chiefdecision": "the Chief's decision",
    "discipline.discipline": "discipline record",
    "discipline.leavewithoutpay": "leave without pay",
    "discipline.statement": "statement",
    "discipline.appeal": "appeal",
    "discipline.settlement": "settlement",
    "discipline.complainantnotice": "complainant notice",
    "discipline.separation": "separation",
    "discipline.caseaccess": "access grant",
    "oig.determination": "OIG determination",
    "oig.oigauditentry": "OIG audit entry",
    "oig.hotlinereport": "hotline report",
    "oig.hotlinemessage": "hotline message",
    "recommendations.recommendation": "tracked recommendation",
    "recommendations.recommendationevent": "answer or report on a recommendation",
    "recommendations.citynotice": "the City's notice on recommendations",
    "cpc.review": "CPC review",
    "cpc.meeting": "CPC meeting",
    "cpc.communityinput": "community input",
}


# --------------------------------------------------------------------------
# The key and the MAC
# --------------------------------------------------------------------------


def chain_key() -> bytes:
    key = getattr(settings, "OVERSIGHT_CHAIN_KEY", "") or ""
    if not key:
        raise ImproperlyConfigured(
            "OVERSIGHT_CHAIN_KEY is not set: the tamper-evident chain needs a secret key from the environment "
            "(at least 32 characters; keep it outside the database and never change it)"
        )
    return key.encode()


def mac(obj: Any, key: bytes | None = None) -> str:
    """HMAC-SHA256 under the chain key over ``obj`` as canonical JSON (sorted keys)."""
    payload = orjson.dumps(obj, option=orjson.OPT_SORT_KEYS, default=_plain)
    return hmac.new(key or chain_key(), payload, hashlib.sha256).hexdigest()


def _plain(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, (set, frozenset)):
        return sorted(v)
    if isinstance(v, bytes | memoryview):
        return bytes(v).hex()
    return str(v)


def event_hash(
    case_number: str,
    seq: int,
    type: str,
    date: dt.date | str,
    data: Any,
    recorded_at: dt.datetime,
    username: str | None,
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """An event's hash: what it says, who recorded it, and the entry before it."""
    return mac(
        {
            "case": case_number,
            "seq": seq,
            "type": type,
            "date": date if isinstance(date, str) else date.isoformat(),
            "data": data,
            "recorded_at": recorded_at.astimezone(dt.UTC).isoformat(),
            "recorded_by": username,
            "prev": prev_hash,
        },
        key,
    )


# --------------------------------------------------------------------------
# Seals
# --------------------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def sealed_fields(model: type[models.Model]) -> list[str]:
    skip = COVERED[_label(model)]
    return sorted(f.attname for f in model._meta.concrete_fields if f.name not in skip and not f.primary_key)


def record_digest(kind: str, pk: int, values: dict[str, Any], key: bytes | None = None) -> str:
    return mac({"kind": kind, "id": pk, "values": values}, key)


def seal_hash(kind: str, pk: int, fields: str, digest: str, prev: str, key: bytes | None = None) -> str:
    return mac({"kind": kind, "id": pk, "fields": fields, "digest": digest, "prev": prev}, key)


def _rows(model: type[models.Model], names: list[str], pks: Iterable[int] | None = None) -> Iterator[dict[str, Any]]:
    qs = model._base_manager.all()  # type: ignore[attr-defined]
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    yield from qs.order_by("pk").values("pk", *names).iterator(chunk_size=2000)


def seal_rows(model: type[models.Model], pks: Iterable[int], *, apps: Any = None) -> int:
    """Append a seal for each of ``model``'s rows ``pks`` as the database has them now.
    Call inside the writing transaction (the seals' head is locked)."""
    pks = [int(p) for p in pks if p is not None]
    if not pks:
        return 0
    head_model = apps.get_model("cases", "ChainHead") if apps else _model("ChainHead")
    seal_model = apps.get_model("cases", "RecordSeal") if apps else _model("RecordSeal")
    kind = _label(model)
    names = sealed_fields(model)
    fields = ",".join(names)
    head, _ = head_model.objects.select_for_update().get_or_create(id=SEALS_HEAD, defaults={"last_hash": GENESIS})
    prev = head.last_hash
    now = timezone.now()
    seals = []
    for row in _rows(model, names, pks):
        pk = row.pop("pk")
        digest = record_digest(kind, pk, row)
        h = seal_hash(kind, pk, fields, digest, prev)
        seals.append(seal_model(kind=kind, object_id=pk, fields=fields, digest=digest, at=now, prev_hash=prev, hash=h))
        prev = h
    seal_model.objects.bulk_create(seals, batch_size=2000)
    head.last_hash = prev
    head.count += len(seals)
    head.save(update_fields=["last_hash", "count"])
    return len(seals)


def seal(obj: models.Model) -> None:
    """Seal one record after it was written (the models' post_save does this)."""
    seal_rows(type(obj), [obj.pk])


def seal_objects(objs: Iterable[models.Model]) -> None:
    """Seal records written with ``bulk_create`` or ``update`` (no post_save)."""
    by_model: dict[type[models.Model], list[int]] = {}
    for o in objs:
        by_model.setdefault(type(o), []).append(o.pk)
    for model, pks in by_model.items():
        seal_rows(model, pks)


def _model(name: str) -> Any:
    from django.apps import apps

    return apps.get_model("cases", name)


def covered_models(apps: Any = None) -> list[type[models.Model]]:
    from django.apps import apps as live

    registry = apps or live
    out = []
    for label in COVERED:
        app_label, name = label.split(".")
        try:
            out.append(registry.get_model(app_label, name))
        except LookupError:
            continue  # not migrated yet (a migration sealing what exists so far)
    return out


def _on_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata (a restore) brings the seals with it
        return
    seal(instance)


def connect() -> None:
    """Seal every covered record on save (called from the cases app's ready())."""
    from django.db.models.signals import post_save

    for model in covered_models():
        post_save.connect(_on_save, sender=model, dispatch_uid=f"oversight-seal-{_label(model)}")


def reseal_all(apps: Any = None, schema_editor: Any = None) -> int:
    """Seal every covered row as it stands (a migration's RunPython)."""
    n = 0
    for model in covered_models(apps):
        pks = list(model._base_manager.values_list("pk", flat=True))  # type: ignore[attr-defined]
        for i in range(0, len(pks), 2000):
            n += seal_rows(model, pks[i : i + 2000], apps=apps)
    return n


# --------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------


def checkpoint_file() -> Path:
    return Path(
        getattr(settings, "OVERSIGHT_CHECKPOINT_FILE", "") or Path(settings.DATA_DIR) / "chain-checkpoints.jsonl"
    )


def read_checkpoints(path: Path | None = None) -> list[dict[str, Any]]:
    """The checkpoints in the file, oldest first; a line that does not parse is reported as such."""
    p = path or checkpoint_file()
    if not p.exists():
        return []
    out = []
    for i, line in enumerate(p.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            cp = json.loads(line)
            cp["events"] = int(cp["events"])
            cp["seals"] = int(cp["seals"])
            str(cp["events_head"])
            str(cp["seals_head"])
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{p}, line {i}: not a checkpoint ({e})") from None
        if "mac" in cp:
            body = {k: cp[k] for k in ("at", "events", "events_head", "seals", "seals_head") if k in cp}
            if not hmac.compare_digest(str(cp["mac"]), mac(body)):
                raise ValueError(f"{p}, line {i}: its MAC does not match (the checkpoint was forged or changed)")
        cp["line_no"] = i
        out.append(cp)
    return out


def append_checkpoint(line: str, path: Path | None = None) -> Path:
    """Append one line to the checkpoint file, opened append-only, and flush it to disk."""
    p = path or checkpoint_file()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return p


# --------------------------------------------------------------------------
# The verifier
# --------------------------------------------------------------------------


@dataclass
class Verdict:
    events: int = 0
    seals: int = 0
    records: int = 0
    checkpoints: int = 0
    broken_event: Any = None  # the first CaseEvent that fails, if an event fails
    record: str = ""  # the first other record that fails, in words
    why: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.why

    def fail(self, why: str, *, event: Any = None, record: str = "") -> None:
        if not self.why:
            self.why, self.broken_event, self.record = why, event, record
        self.problems.append(f"{record}: {why}" if record else why)


def _describe(kind: str, pk: int, case_numbers: dict[int, str], case_id: int | None) -> str:
    name = KIND_NAMES.get(kind, kind)
    if kind == "cases.case":
        return f"the case row of {case_numbers.get(pk, f'case id {pk}')}"
    where = f" of case {case_numbers.get(case_id, f'id {case_id}')}" if case_id else ""
    return f"{name} {pk}{where}"


def verify(checkpoints: list[dict[str, Any]] | None = None, *, all_problems: bool = False) -> Verdict:
    """Walk both chains, every covered record and every checkpoint; stop at the first failure
    (or collect them all)."""
    from .models import Case, CaseEvent, ChainHead, RecordSeal

    v = Verdict()
    try:
        cps = read_checkpoints() if checkpoints is None else checkpoints
    except ValueError as e:
        v.fail(str(e), record="the checkpoint file")
        return v
    v.checkpoints = len(cps)
    ev_marks = {cp["events"]: cp for cp in cps}
    seal_marks = {cp["seals"]: cp for cp in cps}
    key = chain_key()

    # 1. the events
    prev = GENESIS
    qs = CaseEvent.objects.select_related("case", "recorded_by").order_by("pk")
    for ev in qs.iterator(chunk_size=2000):
        v.events += 1
        if ev.prev_hash != prev:
            v.fail("its link to the entry before does not match (an entry was removed, inserted or changed)", event=ev)
            break
        user = ev.recorded_by.get_username() if ev.recorded_by else None
        expected = event_hash(
            ev.case.number, ev.seq, ev.type, ev.date, ev.data, ev.recorded_at, user, ev.prev_hash, key
        )
        if ev.hash != expected:
            v.fail("its content does not match its hash (the entry was changed)", event=ev)
            break
        cp = ev_marks.get(v.events)
        if cp is not None and cp["events_head"] != ev.hash:
            v.fail(f"it is not the entry the checkpoint of {cp.get('at', '?')} recorded at this place", event=ev)
            break
        prev = ev.hash
    if not v.why or all_problems:
        head = ChainHead.objects.filter(id=EVENTS_HEAD).first()
        if v.ok and head is not None and head.last_hash != prev and v.events:
            v.fail("the last entry is not the one the chain head recorded (entries were removed from the end)")
        beyond = [cp for cp in cps if cp["events"] > v.events]
        if v.ok and beyond:
            v.fail(
                f"the checkpoint of {beyond[0].get('at', '?')} recorded {beyond[0]['events']} events, and only "
                f"{v.events} remain (entries were removed from the end)"
            )
    if v.why and not all_problems:
        return v

    # 2. the seals
    case_numbers = dict(Case.objects.values_list("pk", "number"))
    latest: dict[tuple[str, int], tuple[str, str]] = {}
    prev = GENESIS
    for s in RecordSeal.objects.order_by("pk").iterator(chunk_size=5000):
        v.seals += 1
        what = f"seal {s.pk} ({KIND_NAMES.get(s.kind, s.kind)} {s.object_id})"
        if s.prev_hash != prev:
            v.fail("its link to the seal before does not match (a seal was removed, inserted or changed)", record=what)
            break
        if s.hash != seal_hash(s.kind, s.object_id, s.fields, s.digest, s.prev_hash, key):
            v.fail("its content does not match its hash (the seal was changed or forged)", record=what)
            break
        cp = seal_marks.get(v.seals)
        if cp is not None and cp["seals_head"] != s.hash:
            v.fail(f"it is not the seal the checkpoint of {cp.get('at', '?')} recorded at this place", record=what)
            break
        latest[(s.kind, s.object_id)] = (s.fields, s.digest)
        prev = s.hash
    if v.ok:
        head = ChainHead.objects.filter(id=SEALS_HEAD).first()
        if head is not None and head.last_hash != prev and v.seals:
            v.fail("the last seal is not the one the chain head recorded (seals were removed from the end)")
        beyond = [cp for cp in cps if cp["seals"] > v.seals]
        if v.ok and beyond:
            v.fail(
                f"the checkpoint of {beyond[0].get('at', '?')} recorded {beyond[0]['seals']} seals, and only "
                f"{v.seals} remain (seals were removed from the end)"
            )
    if v.why and not all_problems:
        return v

    # 3. every covered record against its latest seal
    for model in covered_models():
        kind = _label(model)
        names = sealed_fields(model)
        has_case = "case_id" in names
        by_fields: dict[str, list[str]] = {}
        for row in _rows(model, names):
            pk = row.pop("pk")
            v.records += 1
            sealed = latest.pop((kind, pk), None)
            case_id = pk if kind == "cases.case" else (row.get("case_id") if has_case else None)
            what = _describe(kind, pk, case_numbers, case_id)
            if sealed is None:
                v.fail("it was never sealed (written behind the actions' back)", record=what)
                if not all_problems:
                    return v
                continue
            fields, digest = sealed
            cols = by_fields.get(fields)
            if cols is None:
                cols = by_fields[fields] = [f for f in fields.split(",") if f]
            values = {f: row.get(f) for f in cols}
            if record_digest(kind, pk, values, key) != digest:
                v.fail("it does not match its seal (the record was changed)", record=what)
                if not all_problems:
                    return v
    for (kind, pk), _ in sorted(latest.items()):
        if kind in COVERED:
            v.fail("it was sealed and is gone (the record was removed)", record=_describe(kind, pk, case_numbers, None))
            if not all_problems:
                return v
    return v


class ChainBroken(Exception):
    pass


def checkpoint(path: Path | None = None) -> dict[str, Any]:
    """Verify, then append both chains' heads with a timestamp to the checkpoint file (outside
    the database) and record the checkpoint for OIG. Refuses to checkpoint a broken chain."""
    from django.db import transaction

    from .models import ChainCheckpoint, ChainHead

    v = verify()
    if not v.ok:
        raise ChainBroken(f"{v.record}: {v.why}" if v.record else v.why)
    with transaction.atomic():
        heads = {h.id: h for h in ChainHead.objects.select_for_update().filter(id__in=[EVENTS_HEAD, SEALS_HEAD])}
        ev = heads.get(EVENTS_HEAD)
        se = heads.get(SEALS_HEAD)
        body = {
            "at": timezone.now().astimezone(dt.UTC).isoformat(),
            "events": ev.count if ev else 0,
            "events_head": ev.last_hash if ev else GENESIS,
            "seals": se.count if se else 0,
            "seals_head": se.last_hash if se else GENESIS,
        }
        body["mac"] = mac(body)
        line = json.dumps(body, sort_keys=True)
        p = append_checkpoint(line, path)
        ChainCheckpoint.objects.create(
            at=timezone.now(),
            events=body["events"],
            events_head=body["events_head"],
            seals=body["seals"],
            seals_head=body["seals_head"],
            file=str(p),
            line=line,
        )
    return body
