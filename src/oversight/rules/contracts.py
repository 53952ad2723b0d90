"""Bargaining agreements as overlays on the chapter: what each provision is, and how it stands
against SMC 3.29.400.A ("The collective bargaining agreements with the City's police unions
shall be updated to conform and be consistent with the provisions and obligations of this
Chapter 3.29").

An overlay is a profile file that ``extends`` the chapter's profile and carries a ``[contract]``
header (guild, title, status, effective date, its sources, and what no source states, under
``unknown``). Its dated entries either change the chapter's own values (the investigation's days,
a new toll of the 180-day limit as an ``[adjustments.*]`` table) or give the provisions the chapter
lacks (``[provisions]``, schema in ``rules/profile.py``). Every entry cites its source.

Each provision is classed in one of the six categories Campaign Zero uses for police contracts
(``CATEGORIES``) or in none, and judged ``conforms``, ``conflicts`` (with the section named) or
``outside_chapter`` (the chapter says nothing on it). ``compare`` lists them key by key.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypedDict

from oversight.rules.profile import (
    DEFAULT_PROFILE,
    ContractHeader,
    Profile,
    ProfileError,
    ProvisionsSpec,
    load_profile,
)

CATEGORIES: Final[dict[str, str]] = {
    "disqualifies_complaints": "Disqualifies misconduct complaints and investigations",
    "restricts_interrogations": "Restricts or delays interrogations",
    "unfair_information": "Gives officers information civilians do not get",
    "limits_oversight_discipline": "Limits the consequences of misconduct and oversight",
    "erases_records": "Erases misconduct records",
    "city_pays": "Requires the city to pay for misconduct",
}
CONFORMANCE: Final[dict[str, str]] = {
    "conforms": "Conforms to the chapter",
    "conflicts": "Conflicts with the chapter",
    "outside_chapter": "Outside the chapter",
}
CHAPTER_CITE: Final = "SMC 3.29.400.A"
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Judgement = tuple[str, str | None, str]  # (conformance, the section it conflicts with, why)


@dataclass(frozen=True)
class ProvisionInfo:
    label: str
    category: str | None
    judge: Callable[[Any], Judgement]
    silent: str  # what the chapter says when the baseline has no value ("" when it has one)


def _outside(why: str) -> Callable[[Any], Judgement]:
    return lambda _v: ("outside_chapter", None, why)


def _forum(v: Any) -> Judgement:
    if v == "pscsc":
        return "conforms", None, "the PSCSC is the only avenue for an employee's disciplinary appeal (3.29.310.A.7.a)"
    if v == "hearing_examiner":
        return "conforms", None, "a union's challenge is heard through the City Hearing Examiner (3.29.310.A.8)"
    if v == "disciplinary_review_board":
        return "conflicts", "SMC 3.29.310.A.6", "the chapter abolished the Disciplinary Review Board"
    return (
        "conflicts",
        "SMC 3.29.310.A.7-8",
        "appeals go to the PSCSC (employee) or the City Hearing Examiner (union), not to arbitration",
    )


def _flag_conflicts(section: str, why: str) -> Callable[[Any], Judgement]:
    return lambda v: ("conflicts", section, why) if v else ("conforms", None, "leaves the chapter's authority whole")


def _sworn(v: Any) -> Judgement:
    if v == 0:
        return "conforms", None, "leaves OPA's staffing configuration to the chapter"
    return (
        "conflicts",
        "SMC 3.29.028.C",
        "the chapter lets investigators be entirely civilian; a minimum of sworn investigators forbids it",
    )


def _purge(_v: Any) -> Judgement:
    return (
        "conflicts",
        "SMC 3.29.320.E",
        "case files are kept while the employee is employed plus six years or while any related action is ongoing",
    )


def _cameras(v: Any) -> Judgement:
    if v:
        return "conforms", None, "body-worn cameras are to be set by a policy the court approves (3.29.335.B)"
    return "outside_chapter", None, "the agreement does not provide for them"


def _civilians(v: Any) -> Judgement:
    if v:
        return "conforms", None, "the chapter allows investigators to be civilian (3.29.028.C)"
    return "outside_chapter", None, "no change to civilian involvement"


PROVISIONS: Final[dict[str, ProvisionInfo]] = {
    "stigmatizing_termination_standard": ProvisionInfo(
        "Standard of proof for a termination deemed stigmatizing",
        "limits_oversight_discipline",
        _outside("the chapter sets no standard of proof for discipline"),
        "the chapter sets no standard of proof (the ordinary civil standard applies)",
    ),
    "discipline_appeal_forum": ProvisionInfo(
        "Forum for disciplinary appeals", "limits_oversight_discipline", _forum, ""
    ),
    "opa_subpoena_limited": ProvisionInfo(
        "Limits on OPA's subpoena authority",
        "limits_oversight_discipline",
        _flag_conflicts("SMC 3.29.025.D", "the OPA Director may issue a subpoena at any stage in an investigation"),
        "",
    ),
    "oig_subpoena_limited": ProvisionInfo(
        "Limits on OIG's subpoena authority",
        "limits_oversight_discipline",
        _flag_conflicts("SMC 3.29.110.A.12", "OIG may issue a subpoena for what its duties need"),
        "",
    ),
    "sworn_investigators_min": ProvisionInfo(
        "OPA investigators who must be sworn", "limits_oversight_discipline", _sworn, ""
    ),
    "records_purged_after_years": ProvisionInfo(
        "Misconduct records purged after (years)",
        "erases_records",
        _purge,
        "never purged: kept while employed plus six years or while any related action is ongoing (SMC 3.29.320.E)",
    ),
    "interview_notice_hours": ProvisionInfo(
        "Notice before an interview (hours)",
        "restricts_interrogations",
        _outside("the chapter's only interview rule is that a postponement adds its days (3.29.026.D)"),
        "the chapter sets no notice before an interview",
    ),
    "representative_consult_hours": ProvisionInfo(
        "Time to consult a representative before an interview (hours)",
        "restricts_interrogations",
        _outside("the chapter's only interview rule is that a postponement adds its days (3.29.026.D)"),
        "the chapter sets no waiting time",
    ),
    "evidence_before_interview": ProvisionInfo(
        "Access to the evidence before the interview",
        "unfair_information",
        _outside("the chapter says nothing of what an officer sees before an interview"),
        "the chapter gives no such access",
    ),
    "city_pays_officer_legal_costs": ProvisionInfo(
        "The City pays officers' legal costs or judgments",
        "city_pays",
        _outside("the chapter says nothing of indemnification"),
        "the chapter says nothing of it",
    ),
    "body_worn_cameras": ProvisionInfo("Body-worn cameras", None, _cameras, "a policy to be developed (3.29.335.B)"),
    "civilian_investigators_expanded": ProvisionInfo(
        "More civilian involvement in internal investigations",
        None,
        _civilians,
        "intake and investigators entirely civilian or a mix (3.29.028.C)",
    ),
    "wages_retroactive_to_year": ProvisionInfo(
        "Wage increases retroactive to (year)",
        None,
        _outside("pay is not a matter of the chapter"),
        "not a matter of the chapter",
    ),
}
assert set(PROVISIONS) == set(ProvisionsSpec.model_fields), "every provision of the schema is catalogued"

# The chapter's own values an agreement may change: (path prefix, category). Any change conflicts
# with the section the chapter's value cites.
_CHAPTER_KEYS: Final[tuple[tuple[str, str | None], ...]] = (
    ("deadlines.investigation.", "disqualifies_complaints"),
    ("limitation.", "disqualifies_complaints"),
    ("deadlines.named_employee_notice.", None),
    ("deadlines.appeal_notice.", "limits_oversight_discipline"),
    ("deadlines.chief_statement.", "limits_oversight_discipline"),
    ("deadlines.timeline_statement.", "limits_oversight_discipline"),
    ("deadlines.oig_review.", "limits_oversight_discipline"),
    ("flags.discipline_barred_timeline", "limits_oversight_discipline"),
    ("periods.retention_after_employment.", "erases_records"),
)


class Row(TypedDict):
    key: str
    baseline: Any
    baseline_cite: str | None
    overlay: Any
    overlay_cite: str | None
    category: str | None
    conformance: str | None
    conflicts_with: str | None


class RowNote(TypedDict):
    key: str
    label: str
    why: str
    unknown: bool


@dataclass(frozen=True)
class Overlay:
    """A loaded agreement: its profile (laid over the base), the base alone, its header and its own entries."""

    path: str
    profile: Profile
    base: Profile
    header: ContractHeader
    top: dict[str, Any]  # the overlay file's own TOML

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def effective(self) -> dt.date:
        return dt.date.fromisoformat(self.header.effective)


def load_overlay(path: str | Path) -> Overlay:
    """An agreement's overlay profile, checked: a profile error names the file, the key and what is wrong."""
    p = Path(path)
    profile = load_profile(p)
    if profile.spec.contract is None:
        raise ProfileError(f"{p}: contract: required key is missing (an agreement names its guild, title, status)")
    try:
        top = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:  # pragma: no cover - load_profile read it already
        raise ProfileError(f"{p}: {e}") from None
    base_name = top.get("profile", {}).get("extends") or DEFAULT_PROFILE
    if not isinstance(base_name, str):  # pragma: no cover - load_profile checked it
        raise ProfileError(f"{p}: profile.extends: must be a profile name or path")
    if base_name.endswith(".toml") and not Path(base_name).is_absolute():
        base_name = str(p.parent / base_name)
    base = load_profile(base_name)
    problems = []
    given = top.get("provisions", {}) if isinstance(top.get("provisions"), dict) else {}
    for key in profile.spec.contract.unknown:
        if key in given:
            problems.append(f"{p}: contract.unknown.{key}: listed as unknown but also given a value in provisions")
    base_dump = base.spec.model_dump()
    for key in profile.spec.contract.unknown:
        if "." in key and key != "adjustments.investigation" and _lookup(base_dump, key) is None:
            problems.append(
                f"{p}: contract.unknown.{key}: neither a provision nor a value of the chapter's profile "
                "(nor adjustments.investigation, for the tolls of the investigation's period)"
            )
    sources = profile.spec.contract.sources
    for path_, entry in _own_entries(top):
        cite = entry.get("cite") if isinstance(entry, dict) else None
        if isinstance(cite, str) and sources and not any(s in cite for s in sources):
            problems.append(f"{p}: {path_}.cite: cites none of the contract's sources ({', '.join(sources)})")
    if problems:
        raise ProfileError("\n".join(problems))
    return Overlay(str(p), profile, base, profile.spec.contract, top)


def _is_date(k: str) -> bool:
    if not _DATE.match(k):
        return False
    try:
        dt.date.fromisoformat(k)
    except ValueError:
        return False
    return True


def _own_entries(node: Any, loc: str = "") -> list[tuple[str, Any]]:
    """(path with its date, entry) of every dated entry the overlay file itself writes."""
    out: list[tuple[str, Any]] = []
    if not isinstance(node, dict):
        return out
    if node and all(isinstance(k, str) and _is_date(k) for k in node):
        for k, v in node.items():
            out.append((f'{loc}."{k}"', v))
        return out
    for k, v in node.items():
        if loc == "" and k in ("profile", "contract"):
            continue
        out.extend(_own_entries(v, f"{loc}.{k}" if loc else str(k)))
    return out


def _in_force(table: dict[str, Any] | None, day: str) -> tuple[Any, str | None]:
    """(value, cite) of a dumped dated table on ``day``: the latest entry on or before it."""
    if not table:
        return None, None
    keys = sorted(k for k in table if k <= day)
    if not keys:
        return None, None
    e = table[keys[-1]]
    return e["value"], e["cite"]


def _lookup(dump: dict[str, Any], dotted: str) -> dict[str, Any] | None:
    node: Any = dump
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) else None


def _section(cite: str | None) -> str | None:
    if not cite:
        return None
    return cite.split(" (")[0]


def compare(ov: Overlay) -> tuple[list[Row], list[RowNote]]:
    """The overlay against its base, key by key, and a note (label, why) for each row.

    Rows: every dated entry the overlay writes (the chapter's values it changes, the tolls it adds,
    the provisions it gives), then each provision no public source states (overlay None,
    conformance None). The baseline is what the base has in force on the entry's date.
    """
    base_dump = ov.base.spec.model_dump()
    over_dump = ov.profile.spec.model_dump()
    rows: list[Row] = []
    notes: list[RowNote] = []
    for path_, entry in _own_entries(ov.top):
        dotted, _, date_part = path_.rpartition(".")
        day = date_part.strip('"')
        value = entry.get("value") if isinstance(entry, dict) else None
        cite = entry.get("cite") if isinstance(entry, dict) else None
        b_value, b_cite = _in_force(_lookup(base_dump, dotted), day)
        if dotted.startswith("provisions."):
            key = dotted.removeprefix("provisions.")
            info = PROVISIONS[key]
            conf, with_, why = info.judge(value)
            if b_value is None and info.silent:
                b_value, b_cite = None, info.silent
            rows.append(_row(dotted, b_value, b_cite, value, cite, info.category, conf, with_))
            notes.append({"key": dotted, "label": info.label, "why": why, "unknown": False})
            continue
        category, why = _chapter_category(dotted, over_dump)
        if b_value is None and b_cite is None:
            # a toll or extension the chapter does not have
            conf, with_ = "conflicts", _added_section(dotted, over_dump)
            why = f"adds to the chapter's own list of what moves the deadline ({with_})"
        elif value == b_value:
            conf, with_ = "conforms", None
            why = "the same as the chapter's"
        else:
            conf, with_ = "conflicts", _section(b_cite)
            why = f"the chapter's value is {b_value!r} ({b_cite})"
        rows.append(_row(dotted, b_value, b_cite, value, cite, category, conf, with_))
        notes.append({"key": dotted, "label": _chapter_label(dotted, over_dump), "why": why, "unknown": False})
    for key, why in ov.header.unknown.items():
        if "." in key:
            if key == "adjustments.investigation":
                tolls = [a for a, v in base_dump["adjustments"].items() if v["applies_to"] == "investigation"]
                b_value, b_cite = tolls, "SMC 3.29.026.C-F, I"
                category, label = "disqualifies_complaints", "What tolls or extends the investigation's 180 days"
            else:
                b_value, b_cite = _in_force(_lookup(base_dump, key), ov.header.effective)
                category = _chapter_category(key, base_dump)[0]
                label = _chapter_label(key, base_dump)
            rows.append(_row(key, b_value, b_cite, None, None, category, None, None))
            notes.append({"key": key, "label": label, "why": why, "unknown": True})
            continue
        info = PROVISIONS[key]
        dotted = f"provisions.{key}"
        b_value, b_cite = _in_force(_lookup(base_dump, dotted), ov.header.effective)
        if b_value is None and info.silent:
            b_cite = info.silent
        rows.append(_row(dotted, b_value, b_cite, None, None, info.category, None, None))
        notes.append({"key": dotted, "label": info.label, "why": why, "unknown": True})
    return rows, notes


def _row(
    key: str,
    baseline: Any,
    baseline_cite: str | None,
    overlay: Any,
    overlay_cite: str | None,
    category: str | None,
    conformance: str | None,
    conflicts_with: str | None,
) -> Row:
    return {
        "key": key,
        "baseline": baseline,
        "baseline_cite": baseline_cite,
        "overlay": overlay,
        "overlay_cite": overlay_cite,
        "category": category,
        "conformance": conformance,
        "conflicts_with": conflicts_with,
    }


def _adjusts(dotted: str, dump: dict[str, Any]) -> str | None:
    if not dotted.startswith("adjustments."):
        return None
    adj = dump.get("adjustments", {}).get(dotted.split(".")[1], {})
    applies = adj.get("applies_to")
    return applies if isinstance(applies, str) else None


def _chapter_category(dotted: str, dump: dict[str, Any]) -> tuple[str | None, str]:
    applies = _adjusts(dotted, dump)
    if applies == "investigation":
        return "disqualifies_complaints", ""
    if applies is not None:
        return "limits_oversight_discipline", ""
    for prefix, cat in _CHAPTER_KEYS:
        if dotted.startswith(prefix) or dotted == prefix.rstrip("."):
            return cat, ""
    return None, ""


def _added_section(dotted: str, dump: dict[str, Any]) -> str:
    applies = _adjusts(dotted, dump)
    if applies == "investigation":
        return "SMC 3.29.026.B"
    label = dump.get("deadlines", {}).get(applies or "", {})
    cites = [e["cite"] for e in label.get("days", {}).values()] if isinstance(label, dict) else []
    return _section(cites[0]) if cites else CHAPTER_CITE  # type: ignore[return-value]


def _chapter_label(dotted: str, dump: dict[str, Any]) -> str:
    parts = dotted.split(".")
    if parts[0] == "deadlines" and len(parts) >= 3:
        label = dump["deadlines"][parts[1]]["label"]
        return f"{label}: {parts[2]}"
    if parts[0] == "adjustments" and len(parts) >= 3:
        adj = dump["adjustments"][parts[1]]
        return (
            f"What moves the deadline ({adj['applies_to'].replace('_', ' ')}): {parts[1].replace('_', ' ')}, {parts[2]}"
        )
    return dotted.replace("_", " ")


def summary_counts(rows: list[Row]) -> dict[str, int]:
    """How many rows conform, conflict, fall outside the chapter or are unknown."""
    out = {"conforms": 0, "conflicts": 0, "outside_chapter": 0, "unknown": 0}
    for r in rows:
        out[r["conformance"] or "unknown"] += 1
    return out


def category_counts(rows: list[Row]) -> dict[str, int]:
    out = dict.fromkeys(CATEGORIES, 0)
    for r in rows:
        if r["category"] is not None and r["overlay"] is not None:
            out[r["category"]] += 1
    return out
