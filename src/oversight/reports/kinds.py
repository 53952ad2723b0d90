"""The reports Chapter 3.29 requires: each kind, who writes it, who opens and posts it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from oversight.rules import access as A

from .cpc import cpc_annual
from .document import Report
from .oig import oig_annual, oig_quarterly, oig_semiannual
from .opa import opa_annual, opa_quarterly


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    cite: str
    office: frozenset[str]  # the roles of the office that writes and posts it
    build: Callable[[dt.date, dt.date, dt.date | None], Report]
    library: str  # the public library's kind


OPA = frozenset({A.DIRECTOR})
OIG = frozenset({A.INSPECTOR_GENERAL, A.OIG_AUDITOR})
CPC = frozenset({A.CPC_STAFF})

KINDS: dict[str, Kind] = {
    k.id: k
    for k in [
        Kind("opa-annual", "OPA annual report", "SMC 3.29.030.H-I", OPA, opa_annual, "opa_report"),
        Kind(
            "opa-quarterly",
            "OPA quarterly report on recommendations",
            "SMC 3.29.030.E",
            OPA,
            opa_quarterly,
            "opa_report",
        ),
        Kind(
            "oig-quarterly",
            "OIG quarterly report on recommendations",
            "SMC 3.29.115.B",
            OIG,
            oig_quarterly,
            "oig_report",
        ),
        Kind("oig-annual", "OIG annual report", "SMC 3.29.115.C-D", OIG, oig_annual, "oig_report"),
        Kind(
            "oig-semiannual",
            "OIG semi-annual review of complaints not investigated",
            "SMC 3.29.110.A.7",
            OIG,
            oig_semiannual,
            "oig_report",
        ),
        Kind("cpc-annual", "CPC annual report", "SMC 3.29.220.A", CPC, cpc_annual, "cpc_report"),
    ]
}


class PeriodError(ValueError):
    pass


def parse_period(kind: str, start: str | None, end: str | None) -> tuple[Kind, dt.date, dt.date]:
    """The kind and its period, or a PeriodError naming what is wrong."""
    if kind not in KINDS:
        raise PeriodError(f"kind: {kind!r} is not a report; reports: {', '.join(KINDS)}")
    out = []
    for name, v in (("from", start), ("to", end)):
        if not v:
            raise PeriodError(f"{name}: a date (YYYY-MM-DD) is required")
        try:
            out.append(dt.date.fromisoformat(v))
        except ValueError:
            raise PeriodError(f"{name}: {v!r} is not a date (YYYY-MM-DD)") from None
    if out[1] < out[0]:
        raise PeriodError(f"to: {out[1].isoformat()} is before from ({out[0].isoformat()})")
    if (out[1] - out[0]).days > 366 * 5:
        raise PeriodError("to: a report covers at most five years")
    return KINDS[kind], out[0], out[1]


def build(kind: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    return KINDS[kind].build(start, end, today)
