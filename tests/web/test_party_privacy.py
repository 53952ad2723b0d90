"""CPC reads a closed case, and the Chief a case at findings, without learning who complained
or who witnessed (rules.access: neither reads COMPLAINANT or WITNESS; CPC reviews closed
investigations for systemic lessons, SMC 3.29.215.A.16; the Chief decides on the findings,
SMC 3.29.310.A).

Invented people (seeded, from syllables) file through the public form; their name,
address, phone and email, and the witness's name and contact, are then written into
everything a case keeps about them: the summary, a note, the interviews' interviewees,
the plan's witnesses, events (the classification's rationale, exigent circumstances, the
closing), an allegation's description, a subpoena's recipient, OIG's memorandum, the
Director's analysis, and what the complainant added later. As CPC on the
closed case and as the Chief on the case at findings: the case page, every link on it
they may follow, the API's case and events, and their home page name none of it; every
download of the complainant's or the evidence files is refused to CPC, and the
complainant's files to the Chief.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.cases.models import Case, EvidenceFile
from oversight.public.models import WebEvidence
from oversight.rules import access as A

from .world import People, closed_journey, findings_journey, make_users

pytestmark = pytest.mark.django_db

SYLLABLES = "bra cor dun fel gar hul jor kev lom mir nax orv pel quin rus sev tor ulm vey wex yar zol".split()
STREETS = ("Ave", "St", "Way", "Pl", "Blvd")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def invented(seed: int) -> People:
    """People no one is: names of three syllables, a street of three, phones in 555-01xx."""
    rng = random.Random(seed)
    first, last, wfirst, wlast = (_word(rng, 3) for _ in range(4))
    return People(
        complainant=f"{first} {last}",
        address=f"{rng.randint(100, 9999)} {_word(rng, 3)} {rng.choice(STREETS)}",
        phone=f"206-555-01{rng.randint(0, 99):02d}",
        email=f"{first.lower()}.{last.lower()}@example.net",
        witness=f"{wfirst} {wlast}",
        witness_contact=f"{wfirst.lower()}@example.org",
        officer=f"{_word(rng, 2)} {_word(rng, 3)}",
        badge=str(rng.randint(1000, 9999)),
        officer_b=f"{_word(rng, 2)} {_word(rng, 3)}",
    )


def _patterns(people: People) -> dict[str, re.Pattern[str]]:
    """Each identifier, and each part of a name or an address that identifies alone."""
    out: dict[str, re.Pattern[str]] = {}
    for what, value in people.identity.items():
        if "@" in value:
            out[what] = re.compile(re.escape(value), re.I)
            out[f"{what} (its name part)"] = re.compile(rf"\b{re.escape(value.split('@')[0])}\b", re.I)
        elif re.fullmatch(r"[\d-]+", value):  # a phone, written with any separators
            digits = re.sub(r"\D", "", value)
            out[what] = re.compile(r"[\s().-]{0,3}".join(digits))
        else:
            out[what] = re.compile(re.escape(value), re.I)
            for part in value.split():
                if len(part) >= 4 and not part.isdigit():
                    out[f"{what} ({part})"] = re.compile(rf"\b{re.escape(part)}\b", re.I)
    return out


def leaks(text: str, people: People) -> list[str]:
    return [what for what, pattern in _patterns(people).items() if pattern.search(text)]


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _links(html: str) -> Iterator[str]:
    for href in re.findall(r'href="([^"]+)"', html):
        href = href.replace("&amp;", "&")
        if href.startswith("/") and not href.startswith("//"):
            yield href.split("#")[0] or ""


def _text(r: Any) -> str:
    if getattr(r, "streaming", False):
        return b"".join(r.streaming_content).decode(errors="replace")
    return r.content.decode(errors="replace")


def _downloads(case: Case) -> dict[str, str]:
    """Every file of the case: the evidence and interview files, and what the complainant sent."""
    out = {
        f"evidence file {ef.name}": reverse("cases:evidence", args=[case.number, ef.pk])
        for ef in EvidenceFile.objects.filter(case=case)
    }
    for we in WebEvidence.objects.filter(complaint__case=case):
        out[f"the complainant's file {we.name}"] = reverse("public:staff_evidence", args=[we.pk])
    return out


def read_as(client: Client, case: Case, people: People) -> dict[str, list[str]]:
    """Everything ``client`` reads of ``case``: the page, the links on it, the API, the home page.
    Returns what leaked where (nothing, if all is well)."""
    found: dict[str, list[str]] = {}
    page = client.get(reverse("cases:detail", args=[case.number]))
    assert page.status_code == 200, page.status_code
    html = _text(page)
    assert "Where the case stands" in html  # the page itself, not a refusal
    seen = {reverse("cases:detail", args=[case.number])}
    urls = [reverse("home"), f"/api/cases/{case.number}", f"/api/cases/{case.number}/events", *_links(html)]
    found["the case page"] = leaks(html, people)
    for url in urls:
        if not url or url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code in (200, 302, 403), (url, r.status_code)
        if r.status_code == 200:
            found[url] = leaks(_text(r), people)
    return {k: v for k, v in found.items() if v}


SEEDS = (11, 23, 47)


@pytest.mark.parametrize("seed", SEEDS)
def test_cpc_reads_a_closed_case_without_its_complainant_or_witness(media: Path, seed: int) -> None:
    people = invented(seed)
    users = make_users()
    journey = closed_journey(users, people, timezone.localdate())
    case = journey.c
    assert case.closed_on is not None
    # the people are written where the brief says: the case really holds them
    assert people.complainant in case.summary and people.witness in case.summary
    assert case.notes.filter(text__contains=people.complainant).exists()
    assert case.interviews.filter(interviewee=people.witness).exists()
    assert case.plans.filter(witnesses__contains=people.witness).exists()
    assert case.events.filter(type="exigent_circumstances", data__interviewee=people.witness).exists()
    assert case.web_complaint.updates.filter(text__contains=people.phone).exists()

    director = Client()
    director.force_login(users[A.DIRECTOR])  # the test can see: the Director reads them
    assert leaks(_text(director.get(reverse("cases:detail", args=[case.number]))), people)

    cpc = Client()
    cpc.force_login(users[A.CPC_STAFF])
    assert read_as(cpc, case, people) == {}
    for what, url in _downloads(case).items():
        r = cpc.get(url)
        assert r.status_code == 403 and "Not allowed" in _text(r), f"CPC downloaded {what}: {r.status_code}"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_chief_reads_a_case_at_findings_without_its_complainant_or_witness(media: Path, seed: int) -> None:
    people = invented(seed)
    users = make_users()
    case = findings_journey(users, people, timezone.localdate()).c
    assert case.events.filter(type="proposed_findings_issued").exists()

    chief = Client()
    chief.force_login(users[A.CHIEF])
    assert read_as(chief, case, people) == {}
    for what, url in _downloads(case).items():
        r = chief.get(url)
        if what.startswith("the complainant's file"):
            assert r.status_code == 403 and "Not allowed" in _text(r), f"the Chief downloaded {what}"
        else:  # the evidence is the Chief's to read at findings (SMC 3.29.310.A); its name says no one
            assert r.status_code == 200, (what, r.status_code)
            assert not leaks(r.get("Content-Disposition", ""), people), what


@pytest.mark.parametrize("role", [A.NAMED_EMPLOYEE, A.UNION])
def test_the_named_employee_and_union_read_their_notices_without_the_complainant_or_witness(
    media: Path, role: str
) -> None:
    """The notice names the named employees and withholds the complainant (SMC 3.29.026.A); the named
    employee and their union read it, and their own case's record, without the witness either."""
    people = invented(SEEDS[0])
    users = make_users()
    journey = findings_journey(users, people, timezone.localdate())
    journey.decided(follows=True).granted()
    case = journey.c
    client = Client()
    client.force_login(users[role])
    own = client.get(reverse("discipline:case", args=[case.number]))
    assert own.status_code == 200 and "notices and determinations" in _text(own)
    assert people.officer in _text(own)  # their own notice, as sent to them
    assert leaks(_text(own), people) == []
    seq = case.events.get(type="notice_sent").seq
    notice = client.get(reverse("cases:notice", args=[case.number, seq]))
    assert notice.status_code == 200 and leaks(_text(notice), people) == []
