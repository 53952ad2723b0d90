"""Privacy by construction: for generated cases with generated people, nothing the public side
publishes (pages, search results, the Atom feed, the CSV, the digest, the statistics report)
contains a named employee's or a complainant's name or identifier (SMC 3.29.027.D, 3.29.040)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.cases import actions as case_actions
from oversight.public import actions
from oversight.public.models import Publication
from oversight.rules import access as R

pytestmark = pytest.mark.django_db

# Name parts built from syllables no page's own words contain, so that finding one means a leak.
SYLLABLES = ["zu", "xo", "qa", "vyr", "kex", "jo", "zim", "quo", "wex", "yz", "baz", "vox"]
name_part = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map(lambda s: "".join(s).capitalize())
full_name = st.tuples(name_part, name_part).map(" ".join)


@st.composite
def person(draw: Any) -> dict[str, str]:
    first, last = draw(full_name).split()
    return {
        "name": f"{first} {last}",
        "serial": str(draw(st.integers(70000, 99999))),
        "phone": f"206-555-{draw(st.integers(1000, 9999))}",
        "email": f"{first.lower()}.{last.lower()}@example.net",
        "address": f"{draw(st.integers(100, 9999))} {last} Ave",
    }


def _mentions(p: dict[str, str], form: int, known_phone: bool) -> str:
    """The ways a summary writer might mention a person, a phone number also without its punctuation."""
    first, last = p["name"].split()
    bare = f" / {p['phone'].replace('-', '')}"
    return [
        f"{p['name']} (serial {p['serial']})",
        f"{last.upper()}, {first}",
        f"{last}'s account",
        f"{first} at {p['address']}",
        f"{p['email']} / {p['phone']}{bare}",
    ][form % 5]


def _secrets(people: list[dict[str, str]], known_phone: bool) -> list[str]:
    out = []
    for p in people:
        out += p["name"].split() + [p["serial"], p["phone"], p["email"], p["address"], p["phone"].replace("-", "")]
    return out


def _leaks(secrets: list[str], text: str) -> list[str]:
    return [s for s in secrets if re.search(rf"(?<![\w]){re.escape(s)}(?![\w])", text, re.IGNORECASE)]


@pytest.fixture
def director(staff: dict[str, Any]) -> Any:
    return staff[R.DIRECTOR]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    employees=st.lists(person(), min_size=1, max_size=3),
    complainants=st.lists(person(), min_size=1, max_size=2),
    forms=st.lists(st.integers(0, 4), min_size=6, max_size=6),
    kind=st.sampled_from(["summary", "management_action", "chief_statement", "director_statement", "appeal_outcome"]),
)
def test_nothing_published_names_a_named_employee_or_a_complainant(
    staff: dict[str, Any],
    director: Any,
    employees: list[dict[str, str]],
    complainants: list[dict[str, str]],
    forms: list[int],
    kind: str,
) -> None:
    today = timezone.localdate()
    case = case_actions.open_case(
        staff[R.INTAKE],
        channel="phone",
        received_on=today - dt.timedelta(days=40),
        precinct="south",
        named_employees=[{"name": e["name"], "serial": e["serial"]} for e in employees],
        complainants=[
            {"name": c["name"], "phone": c["phone"], "email": c["email"], "address": c["address"]} for c in complainants
        ],
        allegations=[{"employee": i, "category": "use_of_force"} for i in range(len(employees))],
    )
    people = [(e, False) for e in employees] + [(c, True) for c in complainants]
    text = (
        " ".join(
            f"Paragraph {i}: {_mentions(p, forms[i % len(forms)] + i, k)} was heard." for i, (p, k) in enumerate(people)
        )
        + " "
        + " ".join(_mentions(p, f, k) for p, k in people for f in range(5))
    )
    title = f"Findings about {employees[0]['name']} and {complainants[0]['name']}"
    secrets = _secrets(employees, False) + _secrets(complainants, True)
    assert _leaks(secrets, text)  # the text as written does name them: the test can fail
    pub = actions.publish(
        director,
        case,
        kind=kind,
        title=title,
        text=text,
        reviewed=actions.preview(case, text).text,
        findings=["sustained"] if kind == "summary" else [],
    )
    Publication.objects.filter(pk=pub.pk).update(published_on=actions.prior_month(today))

    client = Client()
    outputs = {
        "page": client.get(reverse("public:publication", args=[pub.pk])).content.decode(),
        "list": client.get(reverse("public:publications")).content.decode(),
        "search": client.get(reverse("public:publications"), {"q": "heard", "precinct": "south"}).content.decode(),
        "feed": client.get(reverse("public:feed")).content.decode(),
        "csv": client.get(reverse("public:publications_csv")).content.decode(),
        "statistics": client.get(reverse("public:statistics")).content.decode(),
    }
    month = actions.prior_month(today)
    for lang in ("en", "es"):
        subject, body = actions.digest_message(month, actions.digest_publications(month), lang, "token")
        outputs[f"digest ({lang})"] = subject + "\n" + body
    for where, out in outputs.items():
        assert not _leaks(secrets, out), f"{where} leaks {_leaks(secrets, out)}"
    assert f"{case.number}" in outputs["feed"]
