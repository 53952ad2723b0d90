"""Labels, not codes (DESIGN.md; issue 11, item 6): a person never reads ``use_of_force`` or
``subject_race``. Every page below is rendered as its people see it, in a working office, and
its text (tags, attribute values, scripts and styles taken out) must not contain a stored code:
any value of the rule profile's taxonomies, any key of a model's choices, any column or measure
of the public data, any deadline, flag or stage identifier with an underscore in it, matched as
a whole word. The public pages are read in English and in Spanish, and the feed and the emails
the public receives are read too.

One exception, stated: examples of the public data's JSON API inside ``<code>`` are written for
programs, whose parameters are the column names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from tests.office import Office


class _Text(HTMLParser):
    """The words a person reads: text outside tags, without scripts, styles and program examples."""

    SKIP = {"script", "style", "code"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def readable(html: str) -> str:
    p = _Text()
    p.feed(html)
    p.close()
    return " ".join(p.parts)


@cache
def known_codes() -> frozenset[str]:
    """Every stored code with an underscore: the profile's taxonomies, the model choices, the
    public data's columns and measures, the clock's deadlines and flags, the public stages."""
    from oversight import labels
    from oversight.cases.clock import DEADLINE_LABELS
    from oversight.public.status import STATUS_TEXT
    from oversight.publicdata.kinds import KINDS
    from oversight.publicdata.kinds import LABELS as DATA_LABELS
    from oversight.publicdata.summary import MEASURES
    from oversight.rules.profile import get_profile

    codes: set[str] = set()
    rules = get_profile("seattle").at(timezone.localdate())
    for t in rules.taxonomies.values():
        codes.update(v for v in t.value if isinstance(v, str))
    for table in labels._choices().values():
        codes.update(table)
    codes.update(DATA_LABELS)
    for kind in KINDS.values():
        codes.update(f.name for f in kind.fields)
        codes.update(f.col for f in kind.fields)
        codes.update(name for name, _, _ in kind.derived)
        codes.update(name for name, _ in kind.extra_columns)
    for m in MEASURES.values():
        codes.update(name for name, _ in m.counts)
        codes.update(name for name, *_ in m.rates)
    codes.update(DEADLINE_LABELS)
    codes.update(STATUS_TEXT)
    return frozenset(c for c in codes if "_" in c)


def codes_in(text: str) -> list[str]:
    words = set(re.findall(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+", text))
    return sorted(w for w in words if w in known_codes())


def check(client: Client, urls: Iterable[str], who: str, found: dict[str, list[str]], post: Any = None) -> None:
    for url in urls:
        r = client.post(url, post, follow=True) if post is not None else client.get(url, follow=True)
        assert r.status_code in (200, 400), f"{who} {url}: {r.status_code}"
        bad = codes_in(readable(r.content.decode()))
        if bad:
            found[f"{who} {url}"] = bad


def signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_known_codes_are_the_ones_people_would_otherwise_read() -> None:
    """The list the page check uses holds what this test is about (a guard against an empty list)."""
    codes = known_codes()
    for c in ("use_of_force", "lawful_and_proper", "supervisor_action", "subject_race", "level_2_3_rate"):
        assert c in codes
    assert codes_in("Perceived race: subject_race; use of force") == ["subject_race"]
    assert codes_in(readable('<a href="/x?by=subject_race" title="use_of_force">Race</a>')) == []


def test_no_staff_page_shows_a_code(office: Office) -> None:
    from oversight.discipline import actions as discipline
    from oversight.oig import actions as oa
    from oversight.rules import access as R

    u = office.users
    year = timezone.localdate().year
    found: dict[str, list[str]] = {}
    check(Client(), ["/accounts/login/"], "anyone", found)
    check(Client(), ["/accounts/login/"], "anyone", found, post={"username": "intake", "password": "wrong"})

    intake = signed_in(u["intake"])
    check(intake, ["/board/", "/board/?status=overdue", "/board/?deadline=investigation", "/intake/"], "intake", found)
    check(intake, ["/intake/"], "intake", found, post={"channel": "web"})  # the form again, with its errors
    check(signed_in(u["supervisor"]), ["/board/"], "supervisor", found)

    oa.set_review_policy(
        u["ig"], mode="chosen_categories", chosen=["use_of_force", "stops_detentions_arrests"], reason="Focus."
    )
    oig_pages = [
        "/oig/queue/",
        "/oig/audits/",
        f"/oig/audits/{office.audit}/",
        f"/oig/audits/{office.published_audit}/",
        "/oig/hotline/reports/",
        f"/oig/hotline/reports/{office.hotline}/",
        "/oig/conflicts/",
        "/oig/withheld/",
        "/oig/policy/",
    ]
    for who in ("auditor", "ig"):
        check(signed_in(u[who]), oig_pages, who, found)
    check(signed_in(u["ig"]), ["/oig/policy/"], "ig", found, post={"mode": "chosen_categories", "reason": ""})
    check(signed_in(u["auditor"]), ["/oig/withheld/"], "auditor", found, post={"department": "SPD"})

    director = signed_in(u["director"])
    check(director, [f"/public/staff/publish/?case={office.case}", "/public/staff/library/"], "director", found)
    preview = {"case": office.case, "kind": "summary", "title": "T", "text": "Force.", "preview": "1"}
    check(director, ["/public/staff/publish/"], "director", found, post=preview | {"findings": ["sustained"]})
    check(director, ["/public/staff/publish/"], "director", found, post=preview | {"findings": ["poetry"]})

    contracts = ["/contracts/", "/contracts/draft/"] + [
        f"/contracts/{n}/{what}/"
        for n in ("spog-2016-rejected", "spog-2018-tentative")
        for what in ("compare", "replay")
    ]
    check(director, contracts, "director", found)

    reports = [
        f"/discipline/reports/{k}/?year={year}&month={m}" for k in ("appeals", "criminal_referrals") for m in (6, 12)
    ]
    for who in ("director", "chief", "cityattorney", "auditor", "ig"):
        client = signed_in(u[who])
        check(client, ["/discipline/"], who, found)
        for url in reports:
            if client.get(url).status_code == 200:
                check(client, [url], who, found)

    # a named employee reads their own case
    from django.contrib.auth.models import Group, User

    from oversight.cases.models import Case

    case = Case.objects.get(number=office.discipline_case)
    employee = User.objects.create_user("employee", "employee@example.org", "pw")
    employee.groups.add(Group.objects.get_or_create(name=R.NAMED_EMPLOYEE)[0])
    discipline.grant_access(
        u["director"], case, grantee=employee, named_employee=case.named_employees.first(), role="named_employee"
    )
    own = signed_in(employee)
    check(own, ["/discipline/", f"/discipline/cases/{case.number}/"], "named employee", found)

    assert not found, "codes shown to staff: " + "; ".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_public_page_shows_a_code(office: Office, language: str, small_store: Path | None, settings: Any) -> None:
    from oversight.public import actions

    found: dict[str, list[str]] = {}
    web = Client(headers={"accept-language": language})
    pages = [
        "/public/",
        "/public/complaint/",
        "/public/track/",
        "/public/published/",
        "/public/published/?finding=lawful_and_proper&allegation=use_of_force",
        f"/public/published/{office.publication}/",
        f"/public/published/{office.publication + 1}/",
        "/public/library/",
        f"/public/library/{office.library}/",
        "/public/statistics/",
        "/public/digest/",
        "/oig/hotline/",
        "/oig/hotline/status/",
        f"/oig/audits/{office.published_audit}/report/",
        "/public/contracts/",
        *(
            f"/public/contracts/{n}/{w}/"
            for n in ("spog-2016-rejected", "spog-2018-tentative")
            for w in ("compare", "replay")
        ),
    ]
    check(web, pages, language, found)
    check(web, ["/public/complaint/"], language, found, post={"what_happened": "", "topic": "use_of_force"})
    filed = {"what_happened": "Pushed at the bus stop.", "topic": "use_of_force", "anonymous": "on"}
    check(web, ["/public/complaint/"], language, found, post=filed | {"in_person_interview": "no"})  # received
    check(web, ["/public/track/"], language, found, post={"code": office.tracking_code})  # the status page
    check(web, ["/public/digest/"], language, found, post={"email": f"reader-{language}@example.org"})
    check(web, ["/oig/hotline/"], language, found, post={"topic": "retaliation", "text": "Cut shifts."})
    check(web, ["/oig/hotline/status/"], language, found, post={"code": office.hotline_code})
    check(web, ["/oig/hotline/"], language, found, post={"topic": "retaliation", "text": ""})

    if small_store is not None:  # the public data pages (they say so when nothing is imported)
        settings.OVERSIGHT_PUBLICDATA_DB = small_store
        data = [
            "/data/",
            "/data/stops/",
            "/data/stops/?by=precinct&by=frisk",
            "/data/stops/?by=subject_age_group&precinct=East",
            "/data/stops/disparity/?within=precinct",
            "/data/force/",
            "/data/force/?by=level&by=subject_gender",
            "/data/shootings/",
        ]
        check(web, data, language, found)

    # what reaches the public outside the pages: the feed and the emails
    feed = feedparser.parse(web.get("/public/feed/").content)
    for e in feed.entries:
        text = " ".join([e.title, e.get("summary", ""), *(t.term for t in e.get("tags", []))])
        if codes_in(text):
            found[f"{language} feed {e.title}"] = codes_in(text)
    month = timezone.localdate().replace(day=1)
    subject, body = actions.digest_message(month, actions.digest_publications(month), language, "token")
    if codes_in(subject + body):
        found[f"{language} digest email"] = codes_in(subject + body)

    assert not found, "codes shown to the public: " + "; ".join(f"{k}: {v}" for k, v in found.items())


def test_the_public_data_pages_name_columns_in_words(office: Office, small_store: Path | None, settings: Any) -> None:
    """The grouping reads as the schema's labels, the flags as yes and no."""
    if small_store is None:
        pytest.skip("the shared Seattle data is not here")
    settings.OVERSIGHT_PUBLICDATA_DB = small_store
    page = readable(Client().get("/data/stops/?by=precinct&by=frisk").content.decode())
    assert "Precinct" in page and "Frisk rate (95% interval)" in page and "Weapon found per frisk" in page
    assert re.search(r"\byes\b", page) and re.search(r"\bno\b", page)
    assert "True" not in page and "False" not in page


def test_every_public_data_column_and_measure_has_a_label() -> None:
    from oversight.publicdata.kinds import KINDS, LABELS
    from oversight.publicdata.summary import MEASURES

    names: set[str] = set()
    for kind in KINDS.values():
        names |= {kind.name} | {f.col for f in kind.fields} | {f.name for f in kind.fields}
        names |= {n for n, _, _ in kind.derived} | {n for n, _ in kind.extra_columns} | set(kind.group_columns)
    for m in MEASURES.values():
        names |= {n for n, _ in m.counts} | {n for n, *_ in m.rates}
    missing = sorted(n for n in names if n not in LABELS)
    assert not missing, f"add a label to publicdata/kinds.py LABELS for: {missing}"


def test_findings_have_one_source_the_profile() -> None:
    """Discipline reads the findings' labels from the profile, not a table of its own."""
    from oversight.discipline import documents, forms, models
    from oversight.rules.profile import get_profile

    labels = get_profile("seattle").at(dt.date.today()).taxonomy_labels["findings"]
    assert not hasattr(models, "FINDING_LABELS")
    for code, label in labels.items():
        assert documents.finding_label(code) == label
    assert forms._finding_choices(list(labels)) == list(labels.items())
