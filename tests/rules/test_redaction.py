"""The redaction path: no named employee's or complainant's name or identifier survives."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oversight.rules.redaction import Person, redact


def test_roles_replace_names_and_identifiers() -> None:
    people = [
        Person("Named Employee #1", ("Jordan Q. Almeda",), ("8841", "jalmeda@seattle.gov")),
        Person("the Complainant", ("Priya Castellanos",), ("4105 S Orcas St", "206-555-0147", "BXR4471")),
        Person("Witness #1", ("Dmitri Oyelaran",), ()),
    ]
    text = (
        "Officer Almeda (serial 8841) stopped Ms. Castellanos near 4105 S Orcas St. "
        "Jordan Almeda said Priya was uncooperative; Dmitri Oyelaran saw it. "
        "Call her at (206) 555-0147 or 2065550147; car plate BXR4471; email jalmeda@seattle.gov. DOB 03/14/1988."
    )
    result = redact(text, people)
    out = result.text
    for secret in (
        "Almeda",
        "Jordan",
        "Castellanos",
        "Priya",
        "Dmitri",
        "Oyelaran",
        "8841",
        "4105",
        "Orcas",
        "555-0147",
        "2065550147",
        "BXR4471",
        "jalmeda",
        "03/14/1988",
    ):
        assert secret not in out, secret
    assert "Named Employee #1" in out and "the Complainant" in out and "Witness #1" in out
    assert {r.reason for r in result.redactions} >= {"name of Named Employee #1", "date of birth"}
    # the reviewer sees each change at its place in the original
    for r in result.redactions:
        assert text[r.start : r.end] == r.found


def test_identifiers_of_strangers_are_removed_by_pattern() -> None:
    out = redact("Reach me at someone@example.org, 425.555.0199 or 14255550123, badge #10442, 1200 3rd Ave.", []).text
    for secret in ("someone@example.org", "425.555.0199", "4255550123", "10442", "1200 3rd Ave"):
        assert secret not in out


def test_ordinary_text_is_left_alone() -> None:
    text = "The named employee used force during the arrest on 2019-04-02 in the West Precinct; 3 officers responded."
    assert redact(text, []).text == text


_name = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True)
_filler = st.lists(
    st.sampled_from(["the", "officer", "said", "that", "during", "stop", "arrest", "and", "was"]), max_size=8
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    first=_name,
    last=_name,
    badge=st.integers(1000, 99999),
    before=_filler,
    after=_filler,
    form=st.sampled_from(["{f} {l}", "{l}", "Officer {l}", "{l}, {f}", "{F} {L}", "{f}'s", "#{b}", "Serial {b}"]),
)
def test_no_generated_name_or_number_survives(
    first: str, last: str, badge: int, before: str, after: str, form: str
) -> None:
    assume({first.lower(), last.lower()}.isdisjoint({"named", "employee"}))  # the role's own words
    mention = form.format(f=first, l=last, F=first.upper(), L=last.upper(), b=badge)
    text = f"{before} {mention} {after}"
    out = redact(text, [Person("Named Employee #1", (f"{first} {last}",), (str(badge),))]).text
    for name in (first, last):
        # as a word of its own: "Yee" may sit inside the role "Named Employee" itself
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", out, re.IGNORECASE)
    assert str(badge) not in out
