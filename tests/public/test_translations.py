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

SRC = Path(__file__).resolve().parents[2] / "src" / "oversight"
LOCALE = SRC / "public" / "locale"
# Every catalogue the public pages read: the public side's, OIG's for its hotline, and those of
# the recommendations tracker, CPC's meetings, the OPA Manual, the oversight bodies' rosters and the
# public data pages under /data/.
CATALOGUES = [
    SRC / app / "locale" for app in ("public", "oig", "recommendations", "cpc", "manual", "institutions", "publicdata")
]


def _entries(po: Path) -> dict[str, str]:
    """msgid -> msgstr (singular entries; plurals by their first form); an entry with a context
    keyed as the compiled catalogue keys it, ``context\x04msgid``."""
    out: dict[str, str] = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        cur = None
        for line in block.splitlines():
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[0\]) (".*")$', line)
            if m:
                cur = m.group(1)
                fields[cur] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and cur:
                fields[cur] += ast.literal_eval(line)
        if fields.get("msgid"):
            key = f"{fields['msgctxt']}\x04{fields['msgid']}" if "msgctxt" in fields else fields["msgid"]
            out[key] = fields.get("msgstr", fields.get("msgstr[0]", ""))
    return out


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("code", [c for c, _ in PUBLIC_LANGUAGES])
def test_every_offered_language_has_a_catalogue_whose_compiled_form_matches_it(code: str, locale: Path) -> None:
    po = locale / code / "LC_MESSAGES" / "django.po"
    mo = locale / code / "LC_MESSAGES" / "django.mo"
    entries = _entries(po)
    assert entries
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, msgstr in entries.items():
        if code != "en":
            assert msgstr, f"{code}: {msgid!r} is not translated"
        assert compiled.gettext(msgid) == (msgstr or msgid), f"{code}: {mo} is stale for {msgid!r}: compilemessages"


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("code", [c for c, _ in PUBLIC_LANGUAGES if c != "en"])
def test_what_a_catalogue_says_is_what_the_page_serves(code: str, locale: Path) -> None:
    """Django merges every app's catalogue, the ones listed first winning (its admin's among
    them): a word another catalogue translates otherwise ("Search" as the admin's "Buscar", where
    a stop's search is a "Registro") is given a context, and one name is one name site-wide."""
    from django.utils import translation

    wrong = []
    with translation.override(code):
        for key, msgstr in _entries(locale / code / "LC_MESSAGES" / "django.po").items():
            ctx, _, msgid = key.rpartition("\x04")
            served = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
            if msgstr and served != msgstr:
                wrong.append(f"{msgid!r}: the catalogue says {msgstr!r}, the page shows {served!r}")
    assert not wrong, f"{locale.parent.name} ({code}): " + "; ".join(wrong)


@pytest.mark.django_db
def test_the_form_speaks_spanish_to_a_spanish_browser() -> None:
    html = Client(headers={"accept-language": "es"}).get(reverse("public:complaint")).content.decode()
    assert '<html lang="es">' in html
    assert "Presentar una queja" in html and "¿Qué pasó?" in html and "Presentar de forma anónima" in html
    en = Client(headers={"accept-language": "en"}).get(reverse("public:complaint")).content.decode()
    assert "What happened?" in en and '<html lang="en">' in en


def _public_labels_at_source() -> dict[str, str]:
    """Every label the public side reads whose English is written outside the public app: the
    profile's taxonomy labels and the precincts, each with where it comes from."""
    from django.utils import timezone

    from oversight.cases.models import PRECINCTS
    from oversight.rules.profile import get_profile

    rules = get_profile("seattle").at(timezone.localdate())
    out = {
        label: f"taxonomies.{t}.labels.{code}" for t, ls in rules.taxonomy_labels.items() for code, label in ls.items()
    }
    out.update({label: f"PRECINCTS {code}" for code, label in PRECINCTS if code})
    return out


def test_every_public_label_from_the_profile_is_marked_for_the_catalogue() -> None:
    """makemessages finds the profile's labels only through public/label_strings.py: a label added
    to the profile and not listed there would reach the public untranslated."""
    from oversight.public import label_strings

    listed = set(label_strings.PROFILE_LABELS) | set(label_strings.PRECINCT_LABELS)
    missing = {label: where for label, where in _public_labels_at_source().items() if label not in listed}
    assert not missing, "add to src/oversight/public/label_strings.py: " + "; ".join(
        f"gettext_noop({label!r}),  # {where}" for label, where in missing.items()
    )


@pytest.mark.parametrize("code", [c for c, _ in PUBLIC_LANGUAGES if c != "en"])
def test_every_public_label_from_the_profile_is_translated(code: str) -> None:
    entries = _entries(LOCALE / code / "LC_MESSAGES" / "django.po")
    untranslated = [label for label in _public_labels_at_source() if not entries.get(label)]
    assert not untranslated, f"{code}: translate in the public catalogue, then compilemessages: {untranslated}"


@pytest.mark.django_db
def test_the_public_reads_categories_findings_and_precincts_in_spanish(make_user) -> None:
    from django.utils import timezone

    from oversight.cases import actions as case_actions
    from oversight.public import actions
    from oversight.rules import access as R
    from tests.web.conftest import intake_kwargs

    intake, director = make_user("i", R.INTAKE), make_user("d", R.DIRECTOR)
    case = case_actions.open_case(intake, **intake_kwargs(timezone.localdate()))
    text = "The allegation was sustained."
    pub = actions.publish(
        director,
        case,
        kind="summary",
        title="Force at the bus stop",
        text=text,
        reviewed=actions.preview(case, text).text,
        allegations=["use_of_force", "stops_detentions_arrests"],
        findings=["sustained", "lawful_and_proper"],
    )
    es = Client(headers={"accept-language": "es"})
    page = es.get(reverse("public:publication", args=[pub.pk])).content.decode()
    assert "Uso de la fuerza, Paradas, detenciones y arrestos" in page
    assert "Confirmada, No confirmada: legal y apropiada" in page and "Oeste" in page
    listing = es.get(reverse("public:publications")).content.decode()
    assert "Confirmada" in listing and ">Uso de la fuerza</option>" in listing
    stats = es.get(reverse("public:statistics")).content.decode()
    assert "No confirmada: legal y apropiada" in stats
    en = Client().get(reverse("public:publication", args=[pub.pk])).content.decode()
    assert "Use of force, Stops, detentions and arrests" in en and "Not Sustained: Lawful and Proper" in en
