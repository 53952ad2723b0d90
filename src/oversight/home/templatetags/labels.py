"""``{{ code|label:"kind" }}``: what a person reads for a stored code (``oversight.labels``)."""

from __future__ import annotations

from typing import Any

from django import template

from oversight.labels import label_for

register = template.Library()


@register.filter(name="label")
def label(code: Any, kind: str = "") -> str:
    return label_for(kind, code)


@register.filter(name="labels")
def labels(codes: Any, kind: str = "") -> str:
    """A list of codes as one line of labels, joined by commas."""
    return ", ".join(label_for(kind, c) for c in (codes or []))


@register.filter(name="get")
def get(mapping: Any, key: Any) -> Any:
    """``{{ forms|get:pk }}``: a value of a mapping by a key that is not a name."""
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None


@register.filter
def in_sentence(words: str) -> str:
    """A heading as it reads inside a sentence: its first letter lowered, names kept
    ("Due for OIG review" -> "due for OIG review"; "CPC's proposals" stays as it is)."""
    if words[1:2].isupper():
        return words
    return words[:1].lower() + words[1:]
