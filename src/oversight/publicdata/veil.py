"""The veil-of-darkness test (Grogger and Ridgeway, 2006), as the Stanford Open Policing
Project applies it: if officers stop a group more when they can see who is driving, that
group's share of the stops made after dark (when it is harder to see) is lower than its share
of the stops made in daylight at the same clock time.

Only stops whose time is when the stop happened (the mapping's ``time``, not a report's time)
and only the "inter-twilight" clock times, which are light on some days of the year and dark
on others, are used; stops between sunset and the end of civil twilight (dusk) are left out as
neither. Sunset and dusk are computed for each date at the dataset's location with the astral
library (nothing downloaded). Within each 15-minute band of clock time, the odds that a stop is
of the group rather than of the reference group are compared between dark and light; the bands
are combined by the Mantel-Haenszel odds ratio with the Robins-Breslow-Greenland 95% interval.
An odds ratio below 1, its interval clear of 1, is a sign of stops made more in daylight.
Imports no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
from astral import Observer
from astral.sun import sun

from oversight.publicdata.stats import Z95
from oversight.publicdata.summary import QueryError, choose_datasets

BAND_MINUTES = 15


def twilight(dates: list[dt.date], lat: float, lng: float, tz: str) -> tuple[list[int], list[int]]:
    """Sunset and dusk (the end of civil twilight) of each date, as minutes after local midnight."""
    sunsets, dusks = _twilight(tuple(dates), lat, lng, tz)
    return list(sunsets), list(dusks)


@lru_cache(maxsize=8)
def _twilight(dates: tuple[dt.date, ...], lat: float, lng: float, tz: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    zone = ZoneInfo(tz)
    obs = Observer(latitude=lat, longitude=lng)
    sunsets, dusks = [], []
    for d in dates:
        s = sun(obs, d, tzinfo=zone)
        sunsets.append(s["sunset"].hour * 60 + s["sunset"].minute)
        dusks.append(s["dusk"].hour * 60 + s["dusk"].minute)
    return tuple(sunsets), tuple(dusks)


def veil_of_darkness(
    con: duckdb.DuckDBPyConnection,
    group: str,
    reference: str,
    dataset: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    tz: str | None = None,
) -> dict[str, Any]:
    chosen = choose_datasets(con, "stops", dataset)
    if not chosen:
        raise QueryError("--dataset: no such stops dataset")
    for d in chosen:
        if "time" not in (d["report"].get("fields") or []):
            raise QueryError(
                f"--dataset: {d['dataset']} does not record when each stop happened (only when it was "
                "reported, or no time): the veil-of-darkness test needs the stop's time"
            )
    if tz is None:
        zones = {d["report"].get("timezone") for d in chosen} - {None, ""}
        if len(zones) != 1:
            raise QueryError("--timezone: the stops' local time zone is needed, e.g. America/New_York")
        tz = zones.pop()
    try:
        ZoneInfo(tz)
    except (KeyError, ValueError):
        raise QueryError(f"--timezone: {tz!r} is not a time zone such as America/New_York") from None
    names = [d["dataset"] for d in chosen]
    marks = ", ".join("?" for _ in names)
    if lat is None or lng is None:
        centre = con.execute(
            f"SELECT median(lat), median(lng) FROM stops WHERE dataset IN ({marks}) AND lat IS NOT NULL", names
        ).fetchone()
        if not centre or centre[0] is None:
            raise QueryError("--lat/--lng: the stops have no coordinates: give the place's latitude and longitude")
        lat, lng = float(centre[0]), float(centre[1])
    dates = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT date FROM stops WHERE dataset IN ({marks}) AND date IS NOT NULL AND time IS NOT NULL",
            names,
        ).fetchall()
    ]
    sunsets, dusks = twilight(dates, lat, lng, tz)
    con.register("veil_dates", pa.table({"date": dates, "sunset": sunsets, "dusk": dusks}))
    try:
        rows = con.execute(
            f"""
            WITH s AS (
                SELECT hour(time) * 60 + minute(time) AS m, v.sunset, v.dusk, subject_race = ? AS is_group
                FROM stops JOIN veil_dates v USING (date)
                WHERE dataset IN ({marks}) AND subject_race IN (?, ?)
            ), w AS (SELECT min(sunset) AS lo, max(dusk) AS hi FROM veil_dates)
            SELECT m // {BAND_MINUTES} AS band, m > dusk AS dark, is_group, count(*) AS n
            FROM s, w
            WHERE m BETWEEN w.lo AND w.hi AND (m < sunset OR m > dusk)
            GROUP BY ALL ORDER BY ALL
            """,
            [group, *names, group, reference],
        ).fetchall()
    finally:
        con.unregister("veil_dates")
    bands: dict[int, dict[tuple[bool, bool], int]] = {}
    for band, dark, is_group, n in rows:
        bands.setdefault(int(band), {})[(bool(dark), bool(is_group))] = int(n)
    result = mantel_haenszel(bands)
    window = (min(sunsets), max(dusks)) if dates else (None, None)
    return {
        "group": group,
        "reference": reference,
        "datasets": names,
        "location": {"lat": round(lat, 5), "lng": round(lng, 5), "timezone": tz},
        "window_minutes": window,
        "band_minutes": BAND_MINUTES,
        "stops_used": sum(sum(b.values()) for b in bands.values()),
        **result,
    }


def mantel_haenszel(bands: dict[int, dict[tuple[bool, bool], int]]) -> dict[str, Any]:
    """The common odds ratio of (group vs reference) for dark vs light over the bands, with the
    Robins-Breslow-Greenland interval. a: dark group, b: dark reference, c: light group, d: light reference."""
    r_sum = s_sum = pr = ps_qr = qs = 0.0
    used = 0
    for cells in bands.values():
        a, b = cells.get((True, True), 0), cells.get((True, False), 0)
        c, d = cells.get((False, True), 0), cells.get((False, False), 0)
        n = a + b + c + d
        if n == 0 or (a + b) == 0 or (c + d) == 0:
            continue  # a band with only light or only dark stops compares nothing
        used += 1
        r, s = a * d / n, b * c / n
        p, q = (a + d) / n, (b + c) / n
        r_sum += r
        s_sum += s
        pr += p * r
        ps_qr += p * s + q * r
        qs += q * s
    if r_sum == 0 or s_sum == 0:
        return {"odds_ratio": None, "odds_ratio_ci": None, "bands_compared": used}
    or_ = r_sum / s_sum
    var = pr / (2 * r_sum**2) + ps_qr / (2 * r_sum * s_sum) + qs / (2 * s_sum**2)
    half = Z95 * math.sqrt(var)
    lo, hi = math.exp(math.log(or_) - half), math.exp(math.log(or_) + half)
    return {"odds_ratio": round(or_, 4), "odds_ratio_ci": [round(lo, 4), round(hi, 4)], "bands_compared": used}


def available(chosen: list[dict[str, Any]]) -> bool:
    """Whether the test can be made on these datasets without asking: each records the stop's
    time, and they share one time zone from their mappings."""
    zones = {d["report"].get("timezone") for d in chosen}
    return (
        bool(chosen)
        and all("time" in (d["report"].get("fields") or []) for d in chosen)
        and len(zones) == 1
        and (None not in zones and "" not in zones)
    )
