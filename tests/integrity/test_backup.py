"""Backup and restore: the database, the media files and the checkpoints come back, and the
chain verifies after the restore (on SQLite, and on PostgreSQL when DATABASE_URL names one)."""

from __future__ import annotations

import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from oversight.cases import actions
from oversight.cases.integrity import verify
from oversight.cases.models import Case, CaseEvent, EvidenceFile, ReadRecord
from oversight.rules import access as R
from oversight.uploads import read_stored, sample_pdf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def filled(staff, investigation, settings, tmp_path):
    settings.OVERSIGHT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    ef = actions.add_evidence(staff[R.INVESTIGATOR], investigation, SimpleUploadedFile("s.pdf", sample_pdf("kept")))
    call_command("checkpoint_chain")
    return ef


def test_backup_then_restore_brings_everything_back_and_the_chain_verifies(filled, tmp_path, settings, capsys):
    cases, events = Case.objects.count(), CaseEvent.objects.count()
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "checkpoints.jsonl" in names
    assert any(n.startswith("media/evidence/") for n in names)
    # the disaster: the database emptied, the media folder gone
    call_command("flush", "--no-input")
    import shutil

    shutil.rmtree(settings.MEDIA_ROOT)
    assert Case.objects.count() == 0
    call_command("restore", str(archive))
    out = capsys.readouterr().out
    assert "chain intact" in out
    assert Case.objects.count() == cases and CaseEvent.objects.count() == events
    ef = EvidenceFile.objects.get(pk=filled.pk)
    assert read_stored(ef.file) == sample_pdf("kept")
    assert verify().ok


def test_restore_refuses_to_replace_a_database_with_cases_unless_forced(filled, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force")
    assert verify().ok


def test_a_tampered_backup_fails_verification_after_restore(filled, tmp_path, staff):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    from django.db import connection

    call_command("flush", "--no-input")
    call_command("restore", str(archive))
    with connection.cursor() as cur:
        cur.execute("UPDATE cases_complainant SET name = 'Nobody' WHERE id = (SELECT MIN(id) FROM cases_complainant)")
    with pytest.raises(CommandError, match="complainant"):
        call_command("verify_chain")
    assert ReadRecord.objects.count() >= 0


def test_not_a_backup_is_refused_by_name(tmp_path):
    bad = tmp_path / "x.tar.gz"
    bad.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not an Oversight backup"):
        call_command("restore", str(bad))
