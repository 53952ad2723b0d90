"""The pattern of the Chief's discipline (SMC 3.29.310.A.1: "SPD shall report on disciplinary
patterns in such a way that the public can assess whether the Chief of Police is exercising
disciplinary authority in a fair and consistent manner"): discipline imposed for the same
finding and category, by rank, by the named employee's race and gender, and how often the
Chief departed from the Director's recommendation, each rate with its 95% Wilson interval and
the public pages' suppression of small groups."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight.discipline.models import ChiefDecision
from oversight.publicdata import config
from oversight.publicdata.stats import rate, wilson

from . import database as db
from .public_views import DISCIPLINE_LABELS, display

SECTIONS = [
    ("category", "Discipline for sustained allegations, by allegation category", ["allegation_category"]),
    ("rank", "Sustained rate and discipline by rank", ["rank"]),
    ("race", "Sustained rate and discipline by the named employee's race", ["employee_race"]),
    ("gender", "Sustained rate and discipline by the named employee's gender", ["employee_gender"]),
]


def departures(min_cell: int) -> list[dict[str, Any]]:
    """Per year of the decision: the Chief's decisions and those not following the Director's
    recommendation (SMC 3.29.027.B asks the Chief's reasons for each)."""
    by_year: dict[int, list[bool]] = defaultdict(list)
    for on, follows in ChiefDecision.objects.values_list("decided_on", "follows_recommendation"):
        by_year[on.year].append(bool(follows))
    out = []
    for year in sorted(by_year):
        n = len(by_year[year])
        dep = sum(1 for f in by_year[year] if not f)
        small = n < min_cell
        ci = wilson(dep, n)
        out.append(
            {
                "year": year,
                "decisions": None if small else n,
                "departed": None if small else dep,
                "rate": None if small else rate(dep, n),
                "ci": None if small or ci is None else list(ci),
                "suppressed": small,
            }
        )
    return out


def _disciplined_share(result: dict[str, Any], data: list[dict[str, Any]], col: str) -> None:
    """For sustained allegations: the share of named employees (per case) given discipline
    beyond none, with its interval, in place of the sustained rate (which is 1 there)."""
    pairs: dict[Any, dict[tuple[int, int], bool]] = defaultdict(dict)
    for r in data:
        if r["finding"] == "sustained":
            k = (r["_case"], r["_emp"])
            pairs[r[col]][k] = pairs[r[col]].get(k, False) or (r["discipline"] not in (None, "none"))
    for g in result["groups"]:
        p = pairs.get(g.get(col), {})
        n, d = len(p), sum(p.values())
        ci = wilson(d, n)
        shown = not g["suppressed"]
        g["sustained_rate"] = rate(d, n) if shown else None
        g["sustained_rate_ci"] = list(ci) if shown and ci is not None else None


def report() -> dict[str, Any]:
    data = db.rows()
    mc = config.min_cell()
    sections = []
    for sid, title, by in SECTIONS:
        where = ["finding=sustained"] if sid == "category" else []
        result = db.summary(by, where, data, min_cell=mc)
        kinds = db.discipline_kinds(result)
        if sid == "category":
            _disciplined_share(result, data, by[0])
        sections.append(
            {
                "id": sid,
                "title": title,
                "column": db.COLUMNS[by[0]],
                "kinds": [DISCIPLINE_LABELS.get(k, k) for k in kinds],
                "rows": [
                    {
                        **g,
                        "key": display(by[0], g.get(by[0])),
                        "disc": [None if g["discipline"] is None else g["discipline"].get(k, 0) for k in kinds],
                    }
                    for g in result["groups"]
                ],
            }
        )
    return {"sections": sections, "departures": departures(mc), "min_cell": mc}


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return render(request, "history/patterns.html", report())
