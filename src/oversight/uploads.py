"""Files people send or staff add to a case file: checked by what they are, scanned when a
virus scanner is installed, and stored encrypted when a key is set.

- **What a file is.** Each accepted type is opened the way a program that reads it would:
  a PDF must parse as a PDF (pypdf) and carry no attached file or launch action; an image must
  decode (Pillow), as the type its name says, within a pixel limit; an office document
  (.docx, .xlsx, .pptx) must be an OOXML package whose ``[Content_Types].xml`` declares the
  main part its name says, with no macros and no program inside; an MP4 or M4A must be a
  whole ISO media file (its boxes add up to its length); an MP3 must be a run of MPEG audio
  frames; a text file must be UTF-8 with no NUL. A first few right bytes followed by
  something else fail.
- **Refused outright**: programs (by name and by their signatures: Windows, ELF, Mach-O,
  scripts) and archives (zip, rar, 7z, gzip, tar ...). An office document that expands
  beyond ``OVERSIGHT_UPLOAD_MAX_EXPANDED_BYTES`` or compresses more than
  ``OVERSIGHT_UPLOAD_MAX_RATIO`` to one (a zip bomb) is refused before it is expanded.
- **Virus scan.** When ClamAV's ``clamdscan`` (or ``clamscan``) is on the path, each file is
  scanned and an infected one refused; otherwise the result says it was not scanned.
- **At rest.** With ``OVERSIGHT_MEDIA_KEY`` (a Fernet key from the environment, never in the
  database) files are stored encrypted and decrypted when downloaded; their SHA-256 is of
  the file as sent.

Each refusal is a ``Rejected`` whose message names the file and what is wrong with it.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings


class Rejected(ValueError):
    """A file that is not accepted: the message names it and says why."""


@dataclass(frozen=True)
class Inspected:
    ext: str
    content_type: str
    scan: str  # what the virus scan said, or why there was none


PROGRAMS = frozenset(
    "exe dll com scr msi msp bat cmd ps1 vbs vbe js jse wsf wsh hta cpl jar apk app dmg pkg deb rpm sh bin elf so "
    "dylib lnk reg iso img".split()
)
ARCHIVES = frozenset("zip rar 7z gz tgz tar bz2 xz zst cab arj lz lzh ace z".split())
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")

OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --------------------------------------------------------------------------
# The checks, one per kind of file
# --------------------------------------------------------------------------


def _pdf(name: str, content: bytes) -> None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not content.startswith(b"%PDF-"):
        raise Rejected(f"{name} is not really a .pdf file")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is our message, not a warning in the log
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(content), strict=True)
            if reader.is_encrypted:
                raise Rejected(f"{name} is password-protected: send it without the password")
            pages = len(reader.pages)
            root = reader.trailer["/Root"]
            names = root.get("/Names", {}) if hasattr(root, "get") else {}
    except Rejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, struct.error, RecursionError) as e:
        raise Rejected(f"{name} is not really a .pdf file: it does not open as a PDF ({type(e).__name__})") from None
    if pages < 1:
        raise Rejected(f"{name} is not really a .pdf file: it has no pages")
    if "/EmbeddedFiles" in names or b"/EmbeddedFile" in content or b"/Launch" in content:
        raise Rejected(f"{name} carries an attached file or a launch action: send the documents themselves")


def _image(fmt: str) -> Callable[[str, bytes], None]:
    def check(name: str, content: bytes) -> None:
        from PIL import Image, UnidentifiedImageError

        ext = name.rsplit(".", 1)[-1].lower()
        limit = _limit("OVERSIGHT_UPLOAD_MAX_PIXELS", 80_000_000)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(content)) as im:
                    if im.format != fmt:
                        raise Rejected(f"{name} is not really a .{ext} file (it is a {im.format or 'other'} image)")
                    w, h = im.size
                    if w * h > limit:
                        raise Rejected(f"{name} is an image of {w}×{h} pixels, more than {limit:,} pixels")
                    im.verify()
                with Image.open(io.BytesIO(content)) as im:
                    im.load()  # decode every pixel: verify() alone does not
        except Rejected:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as e:
            raise Rejected(f"{name} is not really a .{ext} file: it does not decode as an image ({e})") from None
        except Image.DecompressionBombError:
            raise Rejected(f"{name} is an image too large to open (a decompression bomb)") from None

    return check


def _office(ext: str) -> Callable[[str, bytes], None]:
    def check(name: str, content: bytes) -> None:
        max_expanded = _limit("OVERSIGHT_UPLOAD_MAX_EXPANDED_BYTES", 200 * 1024 * 1024)
        max_ratio = _limit("OVERSIGHT_UPLOAD_MAX_RATIO", 100)
        try:
            zf = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, ValueError) as e:
            raise Rejected(f"{name} is not really a .{ext} file: it is not an office document ({e})") from None
        with zf:
            infos = zf.infolist()
            if len(infos) > 10_000:
                raise Rejected(f"{name} holds {len(infos)} parts: too many for an office document")
            total = sum(i.file_size for i in infos)
            if total > max_expanded:
                raise Rejected(
                    f"{name} expands to {total // 2**20} MB, more than {max_expanded // 2**20} MB "
                    "(a zip bomb is refused)"
                )
            for i in infos:
                if i.file_size > 1024 * 1024 and i.file_size > max_ratio * max(i.compress_size, 1):
                    raise Rejected(
                        f"{name} compresses {i.file_size // max(i.compress_size, 1)} to one in {i.filename}, "
                        f"more than {max_ratio} to one (a zip bomb is refused)"
                    )
                lower = i.filename.lower()
                if lower.endswith("vbaproject.bin"):
                    raise Rejected(f"{name} contains macros: save it without them (as .{ext}) and send it again")
                if lower.rsplit(".", 1)[-1] in PROGRAMS:
                    raise Rejected(f"{name} contains a program ({i.filename}): programs are never accepted")
            try:
                types = zf.read("[Content_Types].xml")
                for i in infos:
                    if not i.is_dir():
                        with zf.open(i) as part:
                            head = part.read(4)
                        if head.startswith(_PROGRAM_MAGIC):
                            raise Rejected(f"{name} contains a program ({i.filename}): programs are never accepted")
            except KeyError:
                raise Rejected(f"{name} is not really a .{ext} file: it has no [Content_Types].xml") from None
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
                raise Rejected(f"{name} is not really a .{ext} file: a part does not read ({e})") from None
        try:
            tree = ElementTree.fromstring(types)
        except ElementTree.ParseError as e:
            raise Rejected(f"{name} is not really a .{ext} file: its content types do not parse ({e})") from None
        declared = {el.get("ContentType", "") for el in tree.iter() if el.tag.endswith("Override")}
        if any("macroEnabled" in t for t in declared):
            raise Rejected(f"{name} contains macros: save it without them (as .{ext}) and send it again")
        if OOXML_MAIN[ext] not in declared:
            raise Rejected(f"{name} is not really a .{ext} file: its content types do not declare one")

    return check


def _iso_media(name: str, content: bytes) -> None:
    """An MP4/M4A/MOV: top-level boxes, the first ``ftyp``, whose sizes add up to the file."""
    ext = name.rsplit(".", 1)[-1].lower()
    pos, n, first = 0, len(content), True
    while pos < n:
        if n - pos < 8:
            raise Rejected(f"{name} is not really a .{ext} file: it ends inside a box")
        size, kind = struct.unpack(">I4s", content[pos : pos + 8])
        if size == 1:
            if n - pos < 16:
                raise Rejected(f"{name} is not really a .{ext} file: it ends inside a box")
            size = struct.unpack(">Q", content[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = n - pos
        if size < 8 or pos + size > n or not all(32 <= c < 127 for c in kind):
            raise Rejected(f"{name} is not really a .{ext} file: its boxes do not add up to the file")
        if first and kind != b"ftyp":
            raise Rejected(f"{name} is not really a .{ext} file: it does not begin with its file type")
        first = False
        pos += size


_MP3_BITRATES = {
    1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0],  # MPEG-1 layer III
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0],  # MPEG-2/2.5 layer III
}
_MP3_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def _mp3(name: str, content: bytes) -> None:
    """An MP3: an optional ID3v2 tag, then MPEG audio frames one after another."""
    pos = 0
    if content.startswith(b"ID3") and len(content) >= 10:
        sz = content[6:10]
        pos = 10 + ((sz[0] & 0x7F) << 21 | (sz[1] & 0x7F) << 14 | (sz[2] & 0x7F) << 7 | (sz[3] & 0x7F))
    frames = 0
    while pos + 4 <= len(content):
        b1, b2, b3 = content[pos + 1], content[pos + 2], content[pos + 3]
        if content[pos] != 0xFF or (b1 & 0xE0) != 0xE0:
            break
        version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
        if version == 1 or layer != 1:  # reserved version, or not layer III
            break
        rate_i, br_i, pad = (b2 >> 2) & 3, b2 >> 4, (b2 >> 1) & 1
        if rate_i == 3 or br_i in (0, 15):
            break
        bitrate = _MP3_BITRATES[1 if version == 3 else 2][br_i] * 1000
        rate = _MP3_RATES[version][rate_i]
        length = (144 if version == 3 else 72) * bitrate // rate + pad
        del b3
        pos += length
        frames += 1
    if frames < 2 or pos < len(content) - 128:  # an ID3v1 tag of 128 bytes may follow
        raise Rejected(f"{name} is not really a .mp3 file: it is not a run of MPEG audio frames")


def _wave(name: str, content: bytes) -> None:
    """A WAV: RIFF/WAVE whose chunks add up to the file, with its format and its data."""
    if len(content) < 12 or content[:4] != b"RIFF" or content[8:12] != b"WAVE":
        raise Rejected(f"{name} is not really a .wav file")
    riff = struct.unpack("<I", content[4:8])[0]
    if riff + 8 != len(content):
        raise Rejected(f"{name} is not really a .wav file: its length is not the one it declares")
    pos, seen = 12, set()
    while pos < len(content):
        if len(content) - pos < 8:
            raise Rejected(f"{name} is not really a .wav file: it ends inside a chunk")
        cid, size = content[pos : pos + 4], struct.unpack("<I", content[pos + 4 : pos + 8])[0]
        pos += 8 + size + (size & 1)
        if pos > len(content) + 1:
            raise Rejected(f"{name} is not really a .wav file: its chunks do not add up to the file")
        seen.add(cid)
    if not {b"fmt ", b"data"} <= seen:
        raise Rejected(f"{name} is not really a .wav file: it has no format or no sound data")


def _text(name: str, content: bytes) -> None:
    if b"\x00" in content:
        raise Rejected(f"{name} is not really a .txt file")
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(f"{name} is not really a .txt file: it is not UTF-8 text") from None


# extension -> (the content type stored, the check)
ACCEPTED: dict[str, tuple[str, Callable[[str, bytes], None]]] = {
    "pdf": ("application/pdf", _pdf),
    "png": ("image/png", _image("PNG")),
    "jpg": ("image/jpeg", _image("JPEG")),
    "jpeg": ("image/jpeg", _image("JPEG")),
    "mp4": ("video/mp4", _iso_media),
    "m4a": ("audio/mp4", _iso_media),
    "mov": ("video/quicktime", _iso_media),
    "mp3": ("audio/mpeg", _mp3),
    "wav": ("audio/wav", _wave),
    "txt": ("text/plain", _text),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _office("docx")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _office("xlsx")),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _office("pptx")),
}


def inspect(name: str, content: bytes, accepted: dict[str, Any] | None = None) -> Inspected:
    """Check one file by what it is; scan it when a scanner is installed. Raises ``Rejected``."""
    table = accepted or ACCEPTED
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not content:
        raise Rejected(f"{name} is empty")
    if ext in PROGRAMS or content.startswith(_PROGRAM_MAGIC) or (content.startswith(b"#!") and ext != "txt"):
        raise Rejected(f"{name} is not a file type we accept: programs are never accepted")
    if ext in ARCHIVES or (content.startswith(_ARCHIVE_MAGIC) and ext not in OOXML_MAIN):
        raise Rejected(f"{name} is not a file type we accept: archives are not accepted (send the files themselves)")
    if ext not in table:
        raise Rejected(f"{name} is not a file type we accept (accepted: {', '.join(sorted(table))})")
    ctype, check = table[ext]
    check(name, content)
    return Inspected(ext, ctype, scan(name, content))


# --------------------------------------------------------------------------
# The virus scan (ClamAV, when installed)
# --------------------------------------------------------------------------


def scanner() -> list[str] | None:
    """The ClamAV command to run, or None when none is installed (or scanning is off)."""
    if getattr(settings, "OVERSIGHT_CLAMAV", "auto") == "off":
        return None
    for cmd in ("clamdscan", "clamscan"):
        path = shutil.which(cmd)
        if path:
            return [path, "--no-summary", "-"] if cmd == "clamscan" else [path, "--no-summary", "--stream", "-"]
    return None


def scan(name: str, content: bytes) -> str:
    cmd = scanner()
    if cmd is None:
        return "not scanned: ClamAV is not installed"
    try:
        done = subprocess.run(cmd, input=content, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Rejected(f"{name} could not be scanned for viruses ({type(e).__name__}): try again later") from None
    if done.returncode == 1:
        found = done.stdout.decode(errors="replace").strip().rsplit(":", 1)[-1].strip() or "a virus"
        raise Rejected(f"{name} was refused: the virus scan found {found}")
    if done.returncode != 0:
        raise Rejected(f"{name} could not be scanned for viruses: try again later")
    return f"scanned by {cmd[0].rsplit('/', 1)[-1]}: clean"


# --------------------------------------------------------------------------
# At rest: encrypted with a key held outside the database
# --------------------------------------------------------------------------

_FERNET_PREFIX = b"gAAAAA"


def _fernet() -> Any:
    key = getattr(settings, "OVERSIGHT_MEDIA_KEY", "") or ""
    if not key:
        return None
    from cryptography.fernet import Fernet

    return Fernet(key.encode() if isinstance(key, str) else key)


def for_storage(content: bytes) -> bytes:
    """The bytes to store: encrypted when a media key is set."""
    f = _fernet()
    return f.encrypt(content) if f is not None else content  # type: ignore[no-any-return]


def from_storage(stored: bytes) -> bytes:
    """The file as sent, from what is stored (decrypted when it was stored encrypted)."""
    if not stored.startswith(_FERNET_PREFIX):
        return stored
    f = _fernet()
    if f is None:
        raise Rejected("this file is stored encrypted and OVERSIGHT_MEDIA_KEY is not set: it cannot be read")
    from cryptography.fernet import InvalidToken

    try:
        return f.decrypt(stored)  # type: ignore[no-any-return]
    except InvalidToken:
        raise Rejected("this file is stored encrypted under another key: it cannot be read") from None


def read_stored(fieldfile: Any) -> bytes:
    with fieldfile.open("rb") as fh:
        return from_storage(fh.read())


# --------------------------------------------------------------------------
# Small real files (the demo's, and the tests')
# --------------------------------------------------------------------------


def sample_pdf(text: str = "A statement.") -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.add_metadata({NameObject("/Title"): TextStringObject(text)})
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def sample_png(tag: bytes = b"") -> bytes:
    from PIL import Image, PngImagePlugin

    im = Image.new("RGB", (4, 4), (90, 120, 200))
    info = PngImagePlugin.PngInfo()
    if tag:
        info.add_text("tag", tag.decode(errors="replace"))
    out = io.BytesIO()
    im.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def sample_m4a(payload: bytes = b"") -> bytes:
    ftyp = b"M4A " + b"\0\0\0\0" + b"M4A isom"
    mdat = payload or b"\0" * 8
    return struct.pack(">I4s", 8 + len(ftyp), b"ftyp") + ftyp + struct.pack(">I4s", 8 + len(mdat), b"mdat") + mdat


def sample_wav(payload: bytes = b"") -> bytes:
    """A short silent WAV (8 kHz, 8-bit mono); ``payload`` is appended to its sound data."""
    data = b"\x80" * 80 + payload
    if len(data) % 2:
        data += b"\x80"
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000, 1, 8)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def sample_mp3(payload: bytes = b"", frames: int = 4) -> bytes:
    """A few silent MPEG-1 layer III frames (128 kbit/s, 44.1 kHz) behind an ID3 tag that
    carries ``payload`` (so that two samples differ)."""
    header = b"\xff\xfb\x90\x00"  # MPEG-1, layer III, 128 kbit/s, 44.1 kHz, no padding
    frame = header + b"\x00" * (144 * 128000 // 44100 - 4)
    tag = payload[:1000]
    size = len(tag)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + tag + frame * frames
