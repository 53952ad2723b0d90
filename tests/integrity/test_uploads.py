"""Uploads are checked by what they are, not by their first bytes: each bad kind is refused with
a message naming the file and what is wrong, and nothing is stored; files at rest are encrypted
when a media key is set; the virus scan runs when ClamAV is installed and says so when not."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from oversight import uploads
from oversight.cases import actions
from oversight.cases.models import CaseEvent, EvidenceFile
from oversight.public.models import WebEvidence
from oversight.rules import access as R
from oversight.uploads import Rejected, inspect, sample_m4a, sample_pdf, sample_png

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode."


def _docx(extra: dict[str, bytes] | None = None, main: str = uploads.OOXML_MAIN["docx"]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    return _docx({"word/media/zeros.xml": b"\0" * (60 * 1024 * 1024)})


BAD = {
    "a PDF header then a program": ("statement.pdf", b"%PDF-1.7\n" + EXE, "is not really a .pdf file"),
    "a PDF header then a zip bomb": ("report.pdf", b"%PDF-1.4\n" + _zip_bomb()[:200_000], "is not really a .pdf file"),
    "a zip bomb dressed as a document": ("notes.docx", _zip_bomb(), "zip bomb"),
    "a program": ("run.exe", EXE, "programs are never accepted"),
    "a program renamed": ("photo.jpg", EXE, "programs are never accepted"),
    "an archive": ("files.zip", _docx(), "archives are not accepted"),
    "an image header with nothing after": ("scene.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not really a .png file"),
    "a JPEG named .png": ("scene.png", b"", "is not really a .png file"),  # filled below
    "a document with a program inside": ("notes.docx", _docx({"word/embeddings/x.bin": EXE}), "contains a program"),
    "a document with macros": ("notes.docx", _docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
    "a zip that is not a document": ("notes.docx", _docx(main="application/xml"), "is not really a .docx file"),
    "an MP4 with something after its boxes": ("bwv.mp4", sample_m4a(b"v") + EXE, "is not really a .mp4 file"),
    "an MP3 header then nothing": ("call.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" + b"x" * 50, ".mp3"),
}


def _pdf_with_attachment() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=100, height=100)
    w.add_attachment("setup.exe", EXE)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


BAD["a PDF with an attached program"] = ("statement.pdf", _pdf_with_attachment(), "attached file")


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3, 3)).save(out, format="JPEG")
    return out.getvalue()


BAD["a JPEG named .png"] = ("scene.png", _jpeg(), "is not really a .png file")


@pytest.mark.parametrize("what", sorted(BAD))
def test_each_bad_kind_is_refused_by_what_it_is(what):
    name, content, words = BAD[what]
    with pytest.raises(Rejected) as err:
        inspect(name, content)
    assert name in str(err.value) and words in str(err.value), str(err.value)


@pytest.mark.parametrize(
    "name, content",
    [
        ("statement.pdf", sample_pdf("hello")),
        ("scene.png", sample_png()),
        ("scene.jpg", _jpeg()),
        ("notes.docx", _docx()),
        ("interview.m4a", sample_m4a(b"audio")),
        ("notes.txt", "Q: Où étiez-vous ?".encode()),
    ],
)
def test_good_files_pass_and_say_whether_they_were_scanned(name, content, settings):
    settings.OVERSIGHT_CLAMAV = "off"
    seen = inspect(name, content)
    assert seen.ext == name.rsplit(".", 1)[1] and seen.scan == "not scanned: ClamAV is not installed"


@pytest.mark.parametrize("what", ["a PDF header then a program", "a zip bomb dressed as a document", "a program"])
def test_a_bad_staff_upload_stores_nothing(what, staff, investigation, settings):
    name, content, words = BAD[what]
    media = Path(settings.MEDIA_ROOT)
    events = CaseEvent.objects.count()
    with pytest.raises(actions.ActionError) as err:
        actions.add_evidence(staff[R.INVESTIGATOR], investigation, SimpleUploadedFile(name, content))
    assert err.value.field == "evidence" and words in err.value.message
    assert EvidenceFile.objects.count() == 0 and CaseEvent.objects.count() == events
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize("what", ["a PDF header then a program", "a zip bomb dressed as a document", "a program"])
def test_a_bad_public_upload_is_refused_on_the_form_and_stores_nothing(what, settings):
    from tests.public.test_filing import _file

    settings.OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    name, content, words = BAD[what]
    resp = _file(Client(), anonymous="on", evidence=[SimpleUploadedFile(name, content)])
    assert resp.status_code == 400
    body = resp.content.decode()
    assert name in body and (words in body or (what == "a program" and "is not a file type we accept" in body))
    assert WebEvidence.objects.count() == 0


def test_files_at_rest_are_encrypted_with_a_key_outside_the_database(staff, investigation, settings):
    from cryptography.fernet import Fernet

    settings.OVERSIGHT_MEDIA_KEY = Fernet.generate_key().decode()
    content = sample_pdf("A sworn statement.")
    ef = actions.add_evidence(staff[R.INVESTIGATOR], investigation, SimpleUploadedFile("sworn.pdf", content))
    stored = Path(settings.MEDIA_ROOT, ef.file.name).read_bytes()
    assert b"sworn" not in stored and stored != content and not stored.startswith(b"%PDF")
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    got = c.get(f"/cases/{investigation.number}/evidence/{ef.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == content
    settings.OVERSIGHT_MEDIA_KEY = Fernet.generate_key().decode()
    with pytest.raises(Rejected, match="another key"):
        uploads.read_stored(EvidenceFile.objects.get(pk=ef.pk).file)


def test_clamav_is_used_when_installed(tmp_path, monkeypatch, settings):
    """A stand-in clamdscan on the path: exit 1 means infected, 0 clean."""
    settings.OVERSIGHT_CLAMAV = "auto"
    fake = tmp_path / "clamdscan"
    fake.write_text('#!/bin/sh\nif grep -q EICAR; then echo "stream: Eicar-Signature FOUND"; exit 1; fi; exit 0\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert inspect("a.txt", b"hello").scan == "scanned by clamdscan: clean"
    with pytest.raises(Rejected, match="virus scan found Eicar-Signature FOUND"):
        inspect("b.txt", b"X5O!P%@AP EICAR test")
