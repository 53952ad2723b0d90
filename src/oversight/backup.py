"""Backup and restore: the database, the media files (evidence as stored, encrypted or not)
and the chain's checkpoint file, in one ``.tar.gz``; after a restore the chain is verified.

- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists``.
- SQLite (the embedded default): SQLite's online backup API, a consistent copy taken while
  the app runs, restored the same way.

The archive's ``manifest.json`` says when it was taken, from which kind of database, how
many events and sealed records it holds and the chain's heads: a restore checks them.
Keys (OVERSIGHT_CHAIN_KEY, OVERSIGHT_MEDIA_KEY, the secret key) are never in a backup: keep
them apart, or the restored chain cannot be verified and encrypted files cannot be read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    pass


def _vendor() -> str:
    return str(connection.vendor)


def _pg_args(cmd: str) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    exe = shutil.which(cmd)
    if exe is None:
        raise BackupError(f"{cmd} is not installed: install PostgreSQL's client programs")
    args = [exe, "--no-owner"]
    if s.get("HOST"):
        args += ["-h", str(s["HOST"])]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _heads() -> dict[str, Any]:
    from oversight.cases.integrity import EVENTS_HEAD, SEALS_HEAD
    from oversight.cases.models import ChainHead

    heads = {h.id: h for h in ChainHead.objects.all()}
    ev, se = heads.get(EVENTS_HEAD), heads.get(SEALS_HEAD)
    return {
        "events": ev.count if ev else 0,
        "events_head": ev.last_hash if ev else "",
        "seals": se.count if se else 0,
        "seals_head": se.last_hash if se else "",
    }


def backup(out: Path) -> dict[str, Any]:
    """Write the backup archive to ``out`` (a .tar.gz); return its manifest."""
    from oversight.cases.integrity import checkpoint_file

    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="oversight-backup-") as tmp:
        work = Path(tmp)
        if _vendor() == "sqlite":
            db_name = "db.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(work / db_name)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif _vendor() == "postgresql":
            db_name = "db.pgdump"
            args, env = _pg_args("pg_dump")
            args += ["--format=custom", "-f", str(work / db_name), str(connection.settings_dict["NAME"])]
            done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise BackupError(f"backups of a {_vendor()} database are not supported")
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = {
            "format": FORMAT,
            "taken_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": _vendor(),
            "db_file": db_name,
            "media_files": len(files),
            "chain": _heads(),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            tar.add(work / db_name, db_name)
            for p in files:
                tar.add(p, f"media/{p.relative_to(media).as_posix()}")
            cp = checkpoint_file()
            if cp.exists():
                tar.add(cp, "checkpoints.jsonl")
        partial.replace(out)  # a backup is there whole, or not at all
    return manifest


def _has_data() -> bool:
    from oversight.cases.models import Case

    try:
        return Case.objects.exists()
    except Exception:  # no tables yet: an empty database
        return False


def restore(archive: Path, *, force: bool = False) -> tuple[dict[str, Any], Any]:
    """Replace the database and add the media files from ``archive``; return the manifest and
    the chain's verdict after the restore."""
    from oversight.cases.integrity import checkpoint_file, verify

    if not archive.exists():
        raise BackupError(f"{archive} does not exist")
    if _has_data() and not force:
        raise BackupError("the database already holds cases: a restore replaces it (pass --force to do so)")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="oversight-restore-") as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as e:
            raise BackupError(f"{archive} is not an Oversight backup ({e})") from None
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError) as e:
            raise BackupError(f"{archive} has no readable manifest.json ({e})") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive} is a backup of format {manifest.get('format')!r}; this restores {FORMAT}")
        if manifest.get("database") != _vendor():
            raise BackupError(
                f"{archive} holds a {manifest.get('database')} database; this one is {_vendor()}: "
                "restore into the same kind"
            )
        db_file = work / str(manifest["db_file"])
        if _vendor() == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(db_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            args, env = _pg_args("pg_restore")
            args += ["--clean", "--if-exists", "--single-transaction", "-d", str(connection.settings_dict["NAME"])]
            connection.close()
            done = subprocess.run([*args, str(db_file)], env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        connection.close()
        src_media = work / "media"
        if src_media.exists():
            for p in src_media.rglob("*"):
                if p.is_file():
                    dest = media / p.relative_to(src_media)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(p, dest)
        cp = checkpoint_file()
        if (work / "checkpoints.jsonl").exists() and not cp.exists():
            cp.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / "checkpoints.jsonl", cp)
    heads = _heads()
    if heads["events"] != manifest["chain"]["events"] or heads["events_head"] != manifest["chain"]["events_head"]:
        raise BackupError("the restored database's chain head is not the one the backup's manifest recorded")
    return manifest, verify()
