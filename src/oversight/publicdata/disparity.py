"""Disparity analysis of stops: rates of each group as a ratio to a reference group, and the
outcome ("hit rate") test of frisks. Pure Python + DuckDB: imports no Django.

Ratios: a group's frisk (or arrest) rate divided by the reference group's, within the same
stratum (e.g. precinct) when one is asked for, with a Katz log 95% interval.

Outcome test: where officers frisk one group on less evidence than another, frisks of that
group find weapons less often. We compare the share of frisks that found a weapon, by
perceived race within each precinct, only where a group had at least OUTCOME_MIN_FRISKS
frisks in that precinct; the rest are listed as too few to compare.

Force per stop: uses of force on people of each perceived race per 1,000 stops of people of
that race, over the years both datasets cover. Uses of force mostly do not follow a Terry
stop: the number compares two counts, it is not the chance that a stop ends in force.
"""

from __future__ import annotations

from typing import Any

import duckdb

from oversight.publicdata.stats import per, ratio
from oversight.publicdata.summary import MEASURES, QueryError, summarize

OUTCOME_MIN_FRISKS = 50
RATE_PAIRS = (
    ("frisk_rate", "frisks", "stops"),
    ("arrest_rate", "arrests", "arrest_known"),
    ("search_rate", "searches", "stops"),
    ("citation_rate", "citations", "stops"),
    ("warning_rate", "warnings", "stops"),
)
# The outcome test on frisks (a weapon found) and on searches (contraband found).
OUTCOMES = {
    "frisk": ("frisks", "weapon_found", "weapon_found_rate"),
    "search": ("searches", "search_hits", "search_hit_rate"),
}


def references(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> list[str]:
    """The perceived races in the data, most stops first: the groups a comparison can take as
    its reference."""
    res = summarize(con, "stops", by=["subject_race"], dataset=dataset, min_cell=0)
    groups = [g for g in res["groups"] if g["subject_race"] is not None]
    return [g["subject_race"] for g in sorted(groups, key=lambda g: -(g["stops"] or 0))]


def default_reference(choices: list[str]) -> str:
    """White where the data has it (in any capitals), else the largest group."""
    return next((c for c in choices if c.lower() == "white"), choices[0] if choices else "White")


def _ratio_fields(g: dict[str, Any], ref: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, num, den in RATE_PAIRS:
        r = None
        if ref is not None and not g["suppressed"] and not ref["suppressed"] and g[num] is not None:
            r = ratio(g[num], g[den], ref[num], ref[den])
        out[f"{name}_ratio"] = None if r is None else round(r[0], 4)
        out[f"{name}_ratio_ci"] = None if r is None else [round(r[1], 4), round(r[2], 4)]
    return out


def ratios(
    con: duckdb.DuckDBPyConnection,
    reference: str = "White",
    within: str | None = None,
    where: list[str] | None = None,
    dataset: str | None = None,
    min_cell: int = 5,
) -> dict[str, Any]:
    allowed = [c for c in MEASURES["stops"].group_columns if c != "subject_race"]
    if within is not None and within not in allowed:
        raise QueryError(f"--within: {within!r} is not a column to compare within; choose from {', '.join(allowed)}")
    by = [within, "subject_race"] if within else ["subject_race"]
    res = summarize(con, "stops", by=by, where=where, dataset=dataset, min_cell=min_cell)
    refs = {}
    for g in res["groups"]:
        if g["subject_race"] == reference:
            refs[g.get(within) if within else None] = g
    if not refs:
        raise QueryError(f"--reference: no stops of people perceived as {reference!r} in this selection")
    rows = []
    for g in res["groups"]:
        if g["subject_race"] is None:
            continue  # an unknown race is no group to compare
        ref = refs.get(g.get(within) if within else None)
        rows.append({**g, **_ratio_fields(g, ref), "reference": g["subject_race"] == reference})
    return {
        "reference": reference,
        "within": within,
        "where": res["where"],
        "dataset": dataset,
        "min_cell": min_cell,
        "no_data": res["no_data"],
        "field_caveats": res["field_caveats"],
        "groups": rows,
    }


def outcome_test(
    con: duckdb.DuckDBPyConnection,
    reference: str = "White",
    where: list[str] | None = None,
    dataset: str | None = None,
    min_cell: int = 5,
    min_frisks: int = OUTCOME_MIN_FRISKS,
    of: str = "frisk",
) -> dict[str, Any]:
    """The hit rates by perceived race within each precinct: of frisks (a weapon found) or of
    searches (contraband found). A dataset without the fields has no data: nothing is compared."""
    den, num, rate_name = OUTCOMES[of]
    res = summarize(con, "stops", by=["precinct", "subject_race"], where=where, dataset=dataset, min_cell=min_cell)
    no_data = num in res["no_data"] or den in res["no_data"]
    precincts: dict[Any, list[dict[str, Any]]] = {}
    for g in res["groups"]:
        if g["precinct"] is None or g["subject_race"] is None or no_data:
            continue
        precincts.setdefault(g["precinct"], []).append(g)
    out = []
    for precinct, groups in precincts.items():
        ref = next((g for g in groups if g["subject_race"] == reference), None)
        ref_ok = ref is not None and not ref["suppressed"] and ref[den] >= min_frisks
        cells = []
        for g in groups:
            enough = not g["suppressed"] and g[den] >= min_frisks
            cell = {
                "subject_race": g["subject_race"],
                den: g[den],
                num: g[num] if enough else None,
                "hit_rate": g[rate_name] if enough else None,
                "hit_rate_ci": g[f"{rate_name}_ci"] if enough else None,
                "compared": enough and ref_ok,
                "difference": None,
                "lower_than_reference": None,
            }
            if of == "frisk":
                cell["frisks"] = g["frisks"]
            if enough and ref_ok and g["subject_race"] != reference:
                assert ref is not None
                cell["difference"] = round(g[rate_name] - ref[rate_name], 6)
                # Lower with the intervals apart: a sign of a lower bar for this group.
                cell["lower_than_reference"] = g[f"{rate_name}_ci"][1] < ref[f"{rate_name}_ci"][0]
            cells.append(cell)
        out.append({"precinct": precinct, "reference_compared": ref_ok, "groups": cells})
    return {
        "of": of,
        "reference": reference,
        "min_frisks": min_frisks,
        "min_count": min_frisks,
        "where": res["where"],
        "dataset": dataset,
        "no_data": no_data,
        "precincts": out,
    }


def force_per_stop(
    con: duckdb.DuckDBPyConnection, precinct: str | None = None, min_cell: int = 5, scale: int = 1000
) -> dict[str, Any]:
    """Uses of force per ``scale`` stops by perceived race, over the years in both datasets."""
    try:
        spans = con.execute(
            "SELECT (SELECT min(year) FROM stops), (SELECT max(year) FROM stops), "
            "(SELECT min(year) FROM force_subjects), (SELECT max(year) FROM force_subjects)"
        ).fetchone()
    except duckdb.CatalogException:
        raise QueryError("force per stop needs both stops and use of force imported") from None
    assert spans is not None
    if None in spans or max(spans[0], spans[2]) > min(spans[1], spans[3]):
        raise QueryError("the stops and the use of force cover no year in common")
    years = [max(spans[0], spans[2]), min(spans[1], spans[3])]
    where = [f"year>={years[0]}", f"year<={years[1]}"] + ([f"precinct={precinct}"] if precinct else [])
    stops = {
        g["subject_race"]: g
        for g in summarize(con, "stops", by="subject_race", where=where, min_cell=min_cell)["groups"]
    }
    uses = {
        g["subject_race"]: g
        for g in summarize(con, "force", by="subject_race", where=where, min_cell=min_cell)["groups"]
    }
    groups = []
    for race in sorted(set(stops) & set(uses) - {None}):
        s, u = stops[race], uses[race]
        withheld = s["suppressed"] or u["suppressed"]
        r = None if withheld else per(u["uses"], s["stops"], scale)
        groups.append(
            {
                "subject_race": race,
                "uses": None if withheld else u["uses"],
                "stops": None if withheld else s["stops"],
                f"uses_per_{scale}_stops": None if r is None else round(r[0], 4),
                f"uses_per_{scale}_stops_ci": None if r is None else [round(r[1], 4), round(r[2], 4)],
                "suppressed": withheld,
                "withheld_because": (s.get("withheld_because") or u.get("withheld_because")) if withheld else None,
            }
        )
    return {
        "years": years,
        "precinct": precinct,
        "per": scale,
        "min_cell": min_cell,
        "interval": "poisson (Byar)",
        "groups": groups,
    }
