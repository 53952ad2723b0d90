"""Replay: every case through the chapter's rules and through an agreement's overlay, and what differs.

Each case is the clock's input (``shared/spec/timeline.md``) plus the facts the agreement's
provisions read beside the events (``Facts``): the discipline imposed, the day the case closed,
whether it was imported. The clock runs twice (``plan.Plan``, once per profile, the rules resolved
once); the results are compared deadline by deadline and flag by flag, and the provisions of the
overlay are applied to the facts. Every change carries both explanation traces.

A case whose events or facts lack what a rule needs is ``indeterminate``, with the missing fact
named; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, TypedDict

from oversight.rules.events import CaseError, iso, parse_case
from oversight.rules.plan import Plan
from oversight.rules.profile import Profile
from oversight.rules.timeline import START_EVENTS, Deadline, Timeline, case_start

# What a change means for the case, in the order the summary lists them
CHANGE_KINDS: Final[dict[str, str]] = {
    "discipline_barred": "could not have led to discipline (the investigation's time limit missed)",
    "discipline_restored": "could have led to discipline where the chapter's limit barred it",
    "deadline_missed": "a deadline met would have been missed",
    "deadline_met": "a deadline missed would have been met",
    "statement_due": "a written statement or a further deadline would have been due",
    "statement_not_due": "a written statement or a further deadline would no longer have been due",
    "limitation": "the three-year limit on discipline would have applied differently",
    "appeal_forum": "the appeal would have gone to another forum",
    "record_purged": "the record would have been purged",
    "elevated_standard": "a termination would have needed an elevated standard of proof",
    "subpoena_limited": "a subpoena OPA issued would have been limited",
}


FORUMS: Final[dict[str, str]] = {
    "pscsc": "the Public Safety Civil Service Commission (an employee's appeal) or the City Hearing Examiner "
    "(a union's)",
    "hearing_examiner": "the City Hearing Examiner",
    "arbitration": "an arbitrator",
    "disciplinary_review_board": "a Disciplinary Review Board",
}
STANDARDS: Final[dict[str, str]] = {
    "preponderance_of_evidence": "a preponderance of the evidence",
    "clear_and_convincing": "clear and convincing evidence",
    "beyond_reasonable_doubt": "proof beyond a reasonable doubt",
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the provisions read that the events do not carry; None is 'not in the records'."""

    discipline: tuple[str, ...] | None = None  # kinds imposed ("termination", ...)
    closed_on: int | None = None  # ordinal
    imported: bool = False
    subpoenas: int | None = None  # how many OPA issued in the case


class Step(TypedDict):
    text: str
    cite: str


class Change(TypedDict):
    kind: str
    what: str
    baseline: Any
    overlay: Any
    baseline_trace: list[Any]
    overlay_trace: list[Any]


class CaseResult(TypedDict):
    case: str | None
    imported: bool
    began: str | None
    differs: bool
    indeterminate: list[str]
    changes: list[Change]
    baseline: dict[str, Any]
    overlay: dict[str, Any]


class Summary(TypedDict):
    cases: int
    differing: int
    indeterminate: int
    imported: int
    by_change: dict[str, int]
    from_: str | None
    to: str | None
    today: str
    sentence: str


def _outcome(tl: Timeline) -> dict[str, Any]:
    return {
        "profile": tl["profile"],
        "deadlines": {d["id"]: {"status": d["status"], "due": d["due"]} for d in tl["deadlines"]},
        "flags": sorted(f["id"] for f in tl["flags"]),
    }


def _provision(profile: Profile, key: str, day: int) -> tuple[Any, str | None]:
    table = getattr(profile.spec.provisions, key)
    if not table:
        return None, None
    d = iso(day)
    keys = sorted(k for k in table if k <= d)
    if not keys:
        return None, None
    e = table[keys[-1]]
    return e.value, e.cite


class Replayer:
    """The two profiles' plans, made once; ``case`` replays one case."""

    def __init__(self, baseline: Profile, overlay: Profile, today: int) -> None:
        self.baseline = baseline
        self.overlay = overlay
        self.base_plan = Plan(baseline)
        self.over_plan = Plan(overlay)
        self.today = today
        self.labels = {k: v["label"] for k, v in overlay.spec.deadlines.model_dump().items()}

    def case(self, obj: dict[str, Any], facts: Facts = Facts()) -> CaseResult:
        result: CaseResult = {
            "case": obj.get("case_id") if isinstance(obj.get("case_id"), str) else None,
            "imported": facts.imported,
            "began": None,
            "differs": False,
            "indeterminate": [],
            "changes": [],
            "baseline": {},
            "overlay": {},
        }
        try:
            case = parse_case(obj)
        except CaseError as e:
            result["indeterminate"].append(f"the events do not say what the clock needs: {e}")
            return result
        began = case_start(case)
        if began is None:
            result["indeterminate"].append("the date the complaint was received or initiated")
            return result
        result["began"] = iso(began)
        base = self.base_plan.compute(case, self.today)
        over = self.over_plan.compute(case, self.today)
        result["baseline"] = _outcome(base)
        result["overlay"] = _outcome(over)
        changes = result["changes"]
        _clock_changes(base, over, changes, self.labels)
        self._provision_changes(case.by_type, began, facts, changes, result["indeterminate"])
        result["differs"] = bool(changes)
        return result

    def _provision_changes(
        self,
        by_type: dict[str, Any],
        began: int,
        facts: Facts,
        changes: list[Change],
        missing: list[str],
    ) -> None:
        b, o = self.baseline, self.overlay
        # the appeal's forum
        bf, bcite = _provision(b, "discipline_appeal_forum", began)
        of, ocite = _provision(o, "discipline_appeal_forum", began)
        if of is not None and of != bf and "appeal_notice_filed" in by_type:
            changes.append(
                {
                    "kind": "appeal_forum",
                    "what": CHANGE_KINDS["appeal_forum"],
                    "baseline": bf,
                    "overlay": of,
                    "baseline_trace": [
                        {
                            "text": "a notice of intent to appeal was filed; the appeal is heard by "
                            + FORUMS.get(bf, bf),
                            "cite": bcite or "",
                        }
                    ],
                    "overlay_trace": [
                        {"text": f"the agreement sends the appeal to {FORUMS.get(of, of)}", "cite": ocite or ""}
                    ],
                }
            )
        # records purged N years after the case closed
        years, ycite = _provision(o, "records_purged_after_years", began)
        if years is not None:
            if facts.closed_on is None:
                if "chief_decision" in by_type:
                    missing.append("the date the case was closed (for the agreement's purge of records)")
            else:
                purge = _add_years(facts.closed_on, int(years))
                if purge <= self.today:
                    changes.append(
                        {
                            "kind": "record_purged",
                            "what": CHANGE_KINDS["record_purged"],
                            "baseline": "kept",
                            "overlay": f"purged on {iso(purge)}",
                            "baseline_trace": [
                                {
                                    "text": "kept while the employee is employed plus six years, or while any "
                                    "related action is ongoing",
                                    "cite": "SMC 3.29.320.E",
                                }
                            ],
                            "overlay_trace": [
                                {"text": f"closed {iso(facts.closed_on)}", "cite": "the case's record"},
                                {"text": f"purged {years} years later, on {iso(purge)}", "cite": ycite or ""},
                            ],
                        }
                    )
        # OPA's subpoenas, limited
        lim, lcite = _provision(o, "opa_subpoena_limited", began)
        blim, bcite2 = _provision(b, "opa_subpoena_limited", began)
        if lim and not blim:
            if facts.subpoenas is None:
                if "chief_decision" in by_type or "proposed_findings_issued" in by_type:
                    missing.append("whether OPA issued a subpoena (for the agreement's limits on subpoenas)")
            elif facts.subpoenas > 0:
                changes.append(
                    {
                        "kind": "subpoena_limited",
                        "what": CHANGE_KINDS["subpoena_limited"],
                        "baseline": facts.subpoenas,
                        "overlay": "limited",
                        "baseline_trace": [
                            {
                                "text": f"OPA issued {facts.subpoenas} subpoena(s): the Director may issue one at any "
                                "stage of an investigation",
                                "cite": bcite2 or "SMC 3.29.025.D",
                            }
                        ],
                        "overlay_trace": [{"text": "the agreement limits OPA's subpoenas", "cite": lcite or ""}],
                    }
                )
        # terminations under an elevated standard of proof
        std, scite = _provision(o, "stigmatizing_termination_standard", began)
        if std is not None and std != "preponderance_of_evidence" and "chief_decision" in by_type:
            if facts.discipline is None:
                missing.append("the discipline imposed (for the agreement's standard of proof for terminations)")
            elif "termination" in facts.discipline:
                changes.append(
                    {
                        "kind": "elevated_standard",
                        "what": CHANGE_KINDS["elevated_standard"],
                        "baseline": "preponderance_of_evidence",
                        "overlay": std,
                        "baseline_trace": [
                            {"text": "the chapter sets no elevated standard for a termination", "cite": "SMC 3.29.310"}
                        ],
                        "overlay_trace": [
                            {"text": "the Chief terminated the named employee", "cite": "the case's record"},
                            {
                                "text": f"a termination deemed stigmatizing needs {STANDARDS.get(std, std)}",
                                "cite": scite or "",
                            },
                        ],
                    }
                )


def _add_years(ordinal: int, years: int) -> int:
    d = dt.date.fromordinal(ordinal)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).toordinal()


_MISSED: Final = frozenset({"missed", "overdue"})


def _clock_changes(base: Timeline, over: Timeline, changes: list[Change], labels: dict[str, str]) -> None:
    bd: dict[str, Deadline] = {d["id"]: d for d in base["deadlines"]}
    od: dict[str, Deadline] = {d["id"]: d for d in over["deadlines"]}
    for did in list(bd) + [k for k in od if k not in bd]:
        b, o = bd.get(did), od.get(did)
        if b is not None and o is not None:
            # a date that moves without changing whether the deadline is kept is not an outcome
            if b["status"] not in _MISSED and o["status"] in _MISSED:
                kind = "deadline_missed"
            elif b["status"] in _MISSED and o["status"] not in _MISSED:
                kind = "deadline_met"
            else:
                continue
        else:
            kind = "statement_due" if b is None else "statement_not_due"
        changes.append(
            {
                "kind": kind,
                "what": f"{labels.get(did.rsplit('_', 1)[0] if did not in labels else did, did)}: {CHANGE_KINDS[kind]}",
                "baseline": None if b is None else {"status": b["status"], "due": b["due"]},
                "overlay": None if o is None else {"status": o["status"], "due": o["due"]},
                "baseline_trace": [] if b is None else list(b["explanation"]),
                "overlay_trace": [] if o is None else list(o["explanation"]),
            }
        )
    bf = {f["id"]: f for f in base["flags"]}
    of = {f["id"]: f for f in over["flags"]}
    inv_b, inv_o = bd.get("investigation"), od.get("investigation")
    for fid in ("discipline_barred_timeline", "limitation_barred"):
        if (fid in bf) == (fid in of):
            continue
        if fid == "discipline_barred_timeline":
            kind = "discipline_barred" if fid in of else "discipline_restored"
        else:
            kind = "limitation"
        changes.append(
            {
                "kind": kind,
                "what": CHANGE_KINDS[kind],
                "baseline": fid in bf,
                "overlay": fid in of,
                "baseline_trace": ([] if inv_b is None else list(inv_b["explanation"]))
                + ([{"text": fid.replace("_", " "), "cite": bf[fid]["cite"]}] if fid in bf else []),
                "overlay_trace": ([] if inv_o is None else list(inv_o["explanation"]))
                + ([{"text": fid.replace("_", " "), "cite": of[fid]["cite"]}] if fid in of else []),
            }
        )


def replay(
    cases: Iterable[tuple[dict[str, Any], Facts]],
    baseline: Profile,
    overlay: Profile,
    today: int,
    start: int | None = None,
    end: int | None = None,
) -> tuple[Summary, list[CaseResult]]:
    """Every case begun in [start, end] replayed; the summary and each case's result (all of them)."""
    r = Replayer(baseline, overlay, today)
    results: list[CaseResult] = []
    by_change = dict.fromkeys(CHANGE_KINDS, 0)
    differing = indeterminate = imported = 0
    for obj, facts in cases:
        res = r.case(obj, facts)
        if res["began"] is not None and start is not None and res["began"] < iso(start):
            continue
        if res["began"] is not None and end is not None and res["began"] > iso(end):
            continue
        results.append(res)
        imported += facts.imported
        if res["differs"]:
            differing += 1
            for kind in {c["kind"] for c in res["changes"]}:
                by_change[kind] += 1
        if res["indeterminate"]:
            indeterminate += 1
    summary: Summary = {
        "cases": len(results),
        "differing": differing,
        "indeterminate": indeterminate,
        "imported": imported,
        "by_change": by_change,
        "from_": None if start is None else iso(start),
        "to": None if end is None else iso(end),
        "today": iso(today),
        "sentence": "",
    }
    summary["sentence"] = sentence(summary, overlay.spec.profile.title)
    return summary, results


def _n(k: int) -> str:
    return f"{k:,}"


def sentence(s: Summary, title: str) -> str:
    """The totals in a sentence a Council member can quote."""
    span = ""
    if s["from_"] and s["to"]:
        span = f" begun between {s['from_']} and {s['to']}"
    elif s["from_"]:
        span = f" begun since {s['from_']}"
    elif s["to"]:
        span = f" begun by {s['to']}"
    if title.startswith("The "):
        title = "the " + title[4:]
    parts = [f"Under {title}, {_n(s['differing'])} of {_n(s['cases'])} cases{span} would have come out differently"]
    barred = s["by_change"]["discipline_barred"]
    if barred:
        parts.append(f"{_n(barred)} could not have led to discipline")
    restored = s["by_change"]["discipline_restored"]
    if restored:
        parts.append(f"{_n(restored)} could have led to discipline the chapter's limit barred")
    text = "; ".join(parts)
    if s["indeterminate"]:
        text += f"; {_n(s['indeterminate'])} cannot be told from the records (a fact they need is missing)"
    return text + "."


def summary_json(s: Summary) -> dict[str, Any]:
    """The summary as the JSON output names it (``from``, not ``from_``)."""
    out: dict[str, Any] = dict(s)
    out["from"] = out.pop("from_")
    return out


__all__ = ["START_EVENTS", "Facts", "Replayer", "replay", "summary_json", "sentence", "CHANGE_KINDS"]
