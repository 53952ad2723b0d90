from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(d: Any, key: str) -> Any:
    return d.get(key) if hasattr(d, "get") else None


@register.filter
def public_of(text: str, rec: Any) -> str:
    """What of a recommendation's text may be shown publicly (a case's people redacted)."""
    from oversight.recommendations.actions import public_text

    return public_text(rec, text)


FILTER_LABELS = {"issuer": "Issued by", "addressee": "Addressed to", "category": "Category", "status": "Status"}


@register.filter
def filter_label(name: str) -> str:
    return FILTER_LABELS.get(name, name.capitalize())
