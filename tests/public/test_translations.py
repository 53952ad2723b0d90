"""English and Spanish from the start; the compiled catalogues match their sources (SMC 3.29.020.A.15)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from oversight.public.languages import PUBLIC_LANGUAGES

LOCALE = Path(__file__).resolve().parents[2] / "src" / "oversight" / "public" / "locale"


def _entries(po: Path) -> dict[str, str]:
    """msgid -> msgstr (singular entries; plurals by their first form)."""
    out: dict[str, str] = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        cur = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) (".*")$', line)
            if m:
                cur = m.group(1)
                fields[cur] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and cur:
                fields[cur] += ast.literal_eval(line)
        if fields.get("msgid"):
            out[fields["msgid"]] = fields.get("msgstr", fields.get("msgstr[0]", ""))
    return out


@pytest.mark.parametrize("code", [c for c, _ in PUBLIC_LANGUAGES])
def test_every_offered_language_has_a_catalogue_whose_compiled_form_matches_it(code: str) -> None:
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    mo = LOCALE / code / "LC_MESSAGES" / "django.mo"
    entries = _entries(po)
    assert entries
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, msgstr in entries.items():
        if code != "en":
            assert msgstr, f"{code}: {msgid!r} is not translated"
        assert compiled.gettext(msgid) == (msgstr or msgid), f"{code}: {mo} is stale for {msgid!r}: compilemessages"


@pytest.mark.django_db
def test_the_form_speaks_spanish_to_a_spanish_browser() -> None:
    html = Client(headers={"accept-language": "es"}).get(reverse("public:complaint")).content.decode()
    assert '<html lang="es">' in html
    assert "Presentar una queja" in html and "¿Qué pasó?" in html and "Presentar de forma anónima" in html
    en = Client(headers={"accept-language": "en"}).get(reverse("public:complaint")).content.decode()
    assert "What happened?" in en and '<html lang="en">' in en
