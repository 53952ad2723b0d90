from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from oversight.reports.svg import chart_for

register = template.Library()


@register.filter
def chart(table: Any) -> SafeString:
    return mark_safe(chart_for(table))  # noqa: S308 - built from escaped parts in oversight.reports.svg


@register.simple_tag
def cell(c: Any) -> str:
    if c is None:
        return "withheld"
    if isinstance(c, float):
        return f"{c:.1f}"
    if isinstance(c, int):
        return f"{c:,}"
    return str(c)


@register.simple_tag(takes_context=True)
def case_link(context: Any, table: Any, row: Any) -> str:
    """A link to the cases behind a row's number, where the dashboard knows them."""
    links = context.get("links") or {}
    target = links.get((table.id, row.key))
    if not target:
        return ""
    return format_html(' <a class="cases-link" href="{}?{}">cases</a>', reverse("reports:cases"), target)
