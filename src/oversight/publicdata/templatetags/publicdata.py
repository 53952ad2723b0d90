"""Small filters for the public-data pages."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext, ngettext

from oversight.publicdata.kinds import display_value, label
from oversight.publicdata.summary import COMPLEMENT

# A dataset's unit (kinds.py), counted: singular and plural as the catalogue has them.
UNITS = {"stop": ("stop", "stops"), "incident": ("incident", "incidents"), "shooting": ("shooting", "shootings")}
FEWER_THAN = re.compile(r"fewer than (\d+)")

register = template.Library()


@register.filter
def get(d: dict[str, Any], key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else None


@register.filter
def pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


@register.filter
def pctpts(v: float | None) -> str:
    return "–" if v is None else gettext("%(points)s points") % {"points": f"{v * 100:+.1f}"}


@register.filter
def ci(d: dict[str, Any], name: str) -> str:
    c = d.get(f"{name}_ci") if isinstance(d, dict) else None
    return "" if not c else f"({c[0]:.1%}–{c[1]:.1%})"


@register.filter
def ratioci(d: dict[str, Any], name: str) -> str:
    c = d.get(f"{name}_ratio_ci") if isinstance(d, dict) else None
    return "" if not c else f"({c[0]:.2f}–{c[1]:.2f})"


@register.filter
def ratio(d: dict[str, Any], name: str) -> str:
    """A rate ratio rounded for reading (two decimals), or a dash."""
    v = d.get(f"{name}_ratio") if isinstance(d, dict) else None
    return "–" if v is None else f"{v:.2f}"


@register.filter
def split(v: str) -> list[str]:
    return v.split()


@register.filter
def column(name: str) -> str:
    """What a person reads for a column or measure (kinds.LABELS), never its name, in the
    page's language (publicdata/locale)."""
    return gettext(label(str(name)))


@register.filter
def value(v: Any) -> str:
    """A group's value as a person reads it: yes or no for a flag, "unknown" for a missing one
    (those words in the page's language; the data's own values as they are)."""
    if v is None or isinstance(v, bool):
        return gettext(display_value(v))
    return display_value(v)


@register.filter
def because(reason: str | None) -> str:
    """Why a group is withheld (summary.py says it in English, for the API too), in the page's
    language."""
    if not reason:
        return ""
    m = FEWER_THAN.fullmatch(reason)
    if m:
        return gettext("fewer than %(n)s") % {"n": m.group(1)}
    if reason == COMPLEMENT:
        return gettext(COMPLEMENT)
    return reason


@register.filter
def unit(name: str, n: int | None) -> str:
    """``n`` of a dataset's unit, the unit's word in the page's language: 1 stop, 12 stops."""
    if name in UNITS:
        singular, plural = UNITS[name]
        return ngettext(singular, plural, n or 0)
    return name if n == 1 else f"{name}s"
