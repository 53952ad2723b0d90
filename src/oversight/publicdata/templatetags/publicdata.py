"""Small filters for the public-data pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(d: dict[str, Any], key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else None


@register.filter
def pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


@register.filter
def pctpts(v: float | None) -> str:
    return "–" if v is None else f"{v * 100:+.1f} points"


@register.filter
def ci(d: dict[str, Any], name: str) -> str:
    c = d.get(f"{name}_ci") if isinstance(d, dict) else None
    return "" if not c else f"({c[0]:.1%}–{c[1]:.1%})"


@register.filter
def ratioci(d: dict[str, Any], name: str) -> str:
    c = d.get(f"{name}_ratio_ci") if isinstance(d, dict) else None
    return "" if not c else f"({c[0]:.2f}–{c[1]:.2f})"


@register.filter
def split(v: str) -> list[str]:
    return v.split()
