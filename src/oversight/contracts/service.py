"""What the pages and the command share: the shipped overlays, the comparison and the replay over
the records, and their renderings (text, CSV, HTML, PDF with server-side SVG charts)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from oversight.reports import svg
from oversight.rules import contracts as rc
from oversight.rules.replay import CHANGE_KINDS, CaseResult, Summary, replay, summary_json


def shipped() -> list[str]:
    folder = resources.files("oversight.rules").joinpath("agreements")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml") and p.name != "template.toml")


def shipped_path(name: str) -> Path:
    if name not in shipped():
        raise rc.ProfileError(f"{name}: no such agreement overlay (shipped: {', '.join(shipped())})")
    return Path(str(resources.files("oversight.rules").joinpath("agreements", f"{name}.toml")))


def template_text() -> str:
    return resources.files("oversight.rules").joinpath("agreements", "template.toml").read_text(encoding="utf-8")


def load(name_or_path: str) -> rc.Overlay:
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        return rc.load_overlay(p)
    return rc.load_overlay(shipped_path(name_or_path))


VALUE_LABELS: dict[str, str] = {
    "pscsc": "Public Safety Civil Service Commission (employee) or City Hearing Examiner (union)",
    "hearing_examiner": "City Hearing Examiner",
    "arbitration": "Arbitration",
    "disciplinary_review_board": "Disciplinary Review Board",
    "preponderance_of_evidence": "Preponderance of the evidence",
    "clear_and_convincing": "Clear and convincing evidence",
    "beyond_reasonable_doubt": "Beyond a reasonable doubt",
    "interview_postponed": "interview postponements (3.29.026.D)",
    "criminal_pause": "a criminal investigation's pause (3.29.026.F)",
    "director_vacancy": "the Director's vacancy (3.29.026.E)",
    "additional_investigation": "additional investigation (3.29.026.I)",
    "failure_to_refer": "a failure to refer (3.29.026.C.2)",
}
CHANGE_SHORT: dict[str, str] = {
    "discipline_barred": "Discipline barred",
    "discipline_restored": "Discipline no longer barred",
    "deadline_missed": "A deadline missed",
    "deadline_met": "A deadline met",
    "statement_due": "A statement due",
    "statement_not_due": "A statement no longer due",
    "limitation": "Three-year limit",
    "appeal_forum": "Another appeal forum",
    "record_purged": "Record purged",
    "elevated_standard": "Elevated standard of proof",
    "subpoena_limited": "A subpoena limited",
}


def show(value: Any) -> str:
    """A value as a person reads it: never a stored code."""
    if value is None:
        return "—"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return "; ".join(show(v) for v in value) or "none"
    if isinstance(value, str):
        return VALUE_LABELS.get(value, value.replace("_", " ") if value.islower() and " " not in value else value)
    return str(value)


@dataclass
class Comparison:
    overlay: rc.Overlay
    rows: list[rc.Row]
    notes: list[rc.RowNote]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [
            {
                **r,
                **n,
                "baseline_text": show(r["baseline"]),
                "overlay_text": show(r["overlay"]),
                "category_label": rc.CATEGORIES.get(r["category"] or "", ""),
                "conformance_label": rc.CONFORMANCE.get(r["conformance"] or "", "Unknown: no public source states it"),
            }
            for r, n in zip(self.rows, self.notes, strict=True)
        ]

    @property
    def status_label(self) -> str:
        return {
            "proposed": "proposed",
            "tentative": "tentative agreement",
            "ratified": "ratified",
            "rejected": "rejected",
            "expired": "expired",
            "template": "template",
        }[self.overlay.header.status]

    def counts(self) -> dict[str, int]:
        return rc.summary_counts(self.rows)

    def chart(self) -> str:
        c = self.counts()
        labels = ["Conflicts with the chapter", "Conforms", "Outside the chapter", "Unknown (no public source)"]
        return svg.bars(
            "Provisions against SMC 3.29.400.A",
            labels,
            [c["conflicts"], c["conforms"], c["outside_chapter"], c["unknown"]],
        )

    def category_chart(self) -> str:
        cc = rc.category_counts(self.rows)
        return svg.bars(
            "Coded provisions by Campaign Zero's categories", list(rc.CATEGORIES.values()), list(cc.values())
        )


def compare(name_or_path: str) -> Comparison:
    ov = load(name_or_path)
    rows, notes = rc.compare(ov)
    return Comparison(ov, rows, notes)


def compare_text(c: Comparison) -> str:
    out = [f"{c.overlay.header.title} ({c.overlay.header.guild}; {c.overlay.header.status}) against the chapter"]
    for line in c.lines:
        verdict = line["conformance"] or "unknown"
        if line["conflicts_with"]:
            verdict += f" with {line['conflicts_with']}"
        out.append(f"- {line['label']} [{line['key']}]")
        out.append(f"    chapter: {line['baseline_text']} [{line['baseline_cite'] or '-'}]")
        if line["overlay"] is None:
            out.append(f"    agreement: unknown: {line['why']}")
        else:
            out.append(f"    agreement: {line['overlay_text']} [{line['overlay_cite']}]")
        out.append(f"    {verdict}; category: {line['category'] or '-'}")
    return "\n".join(out) + "\n"


def compare_csv(c: Comparison) -> str:
    buf = io.StringIO()
    keys = list(rc.Row.__annotations__)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(keys)
    for r in c.rows:
        w.writerow(
            [
                "" if r[k] is None else json.dumps(r[k]) if not isinstance(r[k], str) else r[k]  # type: ignore[literal-required]
                for k in keys
            ]
        )
    return buf.getvalue()


# --------------------------------------------------------------------------
# Replay over the records
# --------------------------------------------------------------------------


@dataclass
class Replay:
    overlay: rc.Overlay
    summary: Summary
    results: list[CaseResult]
    pks: dict[str, int]  # case number -> pk (for the staff pages' links)

    def to_json(self, every: bool = False) -> dict[str, Any]:
        cases = self.results if every else [r for r in self.results if r["differs"] or r["indeterminate"]]
        return {"overlay": self.overlay.name, "summary": summary_json(self.summary), "cases": cases}

    @property
    def differing(self) -> list[CaseResult]:
        return [r for r in self.results if r["differs"]]

    @property
    def indeterminate(self) -> list[CaseResult]:
        return [r for r in self.results if r["indeterminate"]]

    @property
    def unknown_labels(self) -> list[str]:
        _rows, notes = rc.compare(self.overlay)
        return [n["label"] for n in notes if n["unknown"]]

    def change_rows(self) -> list[tuple[str, str, int]]:
        return [(k, CHANGE_KINDS[k], n) for k, n in self.summary["by_change"].items()]

    def chart(self) -> str:
        rows = [(CHANGE_SHORT[k], n) for k, _w, n in self.change_rows()]
        return svg.bars(
            "Cases whose outcome the agreement changes, by change", [w for w, _ in rows], [n for _, n in rows]
        )

    def year_chart(self) -> str:
        years: dict[str, int] = {}
        for r in self.differing:
            y = (r["began"] or "")[:4]
            years[y] = years.get(y, 0) + 1
        labels = sorted(years)
        return svg.columns(
            "Cases that would have come out differently, by the year they began", labels, [years[y] for y in labels]
        )


def run_replay(name_or_path: str, start: dt.date | None, end: dt.date | None, today: dt.date) -> Replay:
    from .records import replay_inputs

    ov = load(name_or_path)
    pks: dict[str, int] = {}
    items = []
    for obj, facts, pk in replay_inputs():
        pks[obj["case_id"]] = pk
        items.append((obj, facts))
    summary, results = replay(
        items,
        ov.base,
        ov.profile,
        today.toordinal(),
        start.toordinal() if start else None,
        end.toordinal() if end else None,
    )
    return Replay(ov, summary, results, pks)


def replay_text(r: Replay) -> str:
    s = r.summary
    out = [s["sentence"], "", f"cases {s['cases']}, differing {s['differing']}, indeterminate {s['indeterminate']}"]
    for _k, what, n in r.change_rows():
        if n:
            out.append(f"  {n:>6}  {what}")
    for res in r.differing:
        out.append(f"{res['case']}: " + "; ".join(c["what"] for c in res["changes"]))
    for res in r.indeterminate:
        out.append(f"{res['case']}: indeterminate: missing " + "; ".join(res["indeterminate"]))
    return "\n".join(out) + "\n"


def replay_csv(r: Replay) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["case", "began", "imported", "differs", "changes", "indeterminate"])
    for res in r.results:
        if res["differs"] or res["indeterminate"]:
            w.writerow(
                [
                    res["case"],
                    res["began"],
                    res["imported"],
                    res["differs"],
                    "; ".join(c["kind"] for c in res["changes"]),
                    "; ".join(res["indeterminate"]),
                ]
            )
    return buf.getvalue()


def html(template: str, context: dict[str, Any]) -> str:
    from django.template.loader import render_to_string

    return render_to_string(template, context)


def pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html(template, {**context, "print": True})).write_pdf())
