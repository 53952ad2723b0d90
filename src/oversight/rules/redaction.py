"""The one redaction path: what leaves the office names no named employee and exposes no one.

``redact(text, people)`` replaces every known identifier of a case's people with the
person's role ("Named Employee #1", "the Complainant", "Witness #2"), then removes
identifiers that look like identifiers whoever they belong to (emails, phone numbers,
dates of birth, licence plates, badge or serial numbers, street addresses). It
returns the text and the list of what it removed, so a reviewer sees every change
before anything is published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Person:
    role: str  # what the public reads instead: "Named Employee #1", "the Complainant", "Witness #1"
    names: tuple[str, ...] = ()  # full names; each part of two letters or more is removed too
    identifiers: tuple[str, ...] = ()  # badge or serial numbers, addresses, phones, emails, plates, birth dates


@dataclass(frozen=True, slots=True)
class Redaction:
    start: int  # position in the original text
    end: int
    found: str
    replaced_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Redacted:
    text: str
    redactions: tuple[Redaction, ...] = field(default=())


_PATTERNS: Sequence[tuple[str, re.Pattern[str], str]] = (
    ("email address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email removed]"),
    (
        "date of birth",
        re.compile(
            r"\b(?:DOB|D\.O\.B\.|date of birth|born(?: on)?)\s*:?\s*"
            r"(?:\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+ \d{1,2},? \d{4})",
            re.IGNORECASE,
        ),
        "[date of birth removed]",
    ),
    (
        "phone number",
        re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w)"),
        "[phone removed]",
    ),
    ("phone number", re.compile(r"(?<![\w-])(?:\+?1)?\d{10}(?![\w-])"), "[phone removed]"),
    (
        "badge or serial number",
        re.compile(r"\b(?:badge|serial|employee|officer)\s*(?:number|no\.?|#)?\s*#?\s*\d{3,6}\b", re.IGNORECASE),
        "[number removed]",
    ),
    ("number", re.compile(r"#\s?\d{3,6}\b"), "[number removed]"),
    (
        "street address",
        re.compile(
            r"\b\d{1,6}\s+(?:[NSEW]{1,2}\s+)?(?:[A-Z0-9][\w'-]*\s+){1,4}"
            r"(?:St|Street|Ave|Avenue|Blvd|Boulevard|Rd|Road|Way|Pl|Place|Dr|Drive|Ct|Court|Ln|Lane|Pkwy|Hwy|Terrace)"
            r"\b\.?(?:\s+(?:[NSEW]{1,2}))?(?:,?\s*(?:Apt|Unit|#)\s*\w+)?"
        ),
        "[address removed]",
    ),
    (
        "licence plate",
        re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{3}[- ]?[A-Z0-9]{3,4}\b"),
        "[plate removed]",
    ),
)


def _name_variants(name: str) -> list[str]:
    parts = [p for p in re.split(r"[\s,]+", name.strip()) if len(p.strip(".'-")) >= 2]
    variants = [name.strip()] if name.strip() else []
    variants.extend(p.strip(".") for p in parts)
    return variants


def _literal(term: str) -> str:
    escaped = re.escape(term)
    return rf"(?<![\w]){escaped}(?![\w])"


def redact(text: str, people: Iterable[Person]) -> Redacted:
    """Replace every known identifier of ``people`` with their role, then every identifier pattern."""
    terms: list[tuple[str, str, str]] = []  # (term, replacement, reason)
    for person in people:
        for name in person.names:
            for v in _name_variants(name):
                terms.append((v, person.role, f"name of {person.role}"))
        for ident in person.identifiers:
            ident = ident.strip()
            if ident:
                terms.append((ident, f"[{person.role}'s identifier removed]", f"identifier of {person.role}"))
    # longest first, so "John Smith" goes before "John"
    terms.sort(key=lambda t: -len(t[0]))
    spans: list[Redaction] = []
    taken = [False] * len(text)

    def claim(start: int, end: int, found: str, repl: str, reason: str) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        spans.append(Redaction(start, end, found, repl, reason))

    for term, repl, reason in terms:
        for m in re.finditer(_literal(term), text, flags=re.IGNORECASE):
            claim(m.start(), m.end(), m.group(0), repl, reason)
        # identifiers written without their punctuation: 206-555-0100 as 2065550100
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 7 and digits != term:
            spaced = r"\D?".join(re.escape(d) for d in digits)
            for m in re.finditer(rf"(?<!\d){spaced}(?!\d)", text):
                claim(m.start(), m.end(), m.group(0), repl, reason)
    for reason, pattern, repl in _PATTERNS:
        for m in pattern.finditer(text):
            claim(m.start(), m.end(), m.group(0), repl, reason)
    spans.sort(key=lambda r: r.start)
    out: list[str] = []
    pos = 0
    for r in spans:
        out.append(text[pos : r.start])
        out.append(r.replaced_by)
        pos = r.end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(spans))
