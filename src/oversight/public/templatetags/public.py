from typing import Any

from django import template

from oversight.labels import public_label as _public_label
from oversight.public.languages import PUBLIC_LANGUAGES

register = template.Library()


@register.simple_tag
def public_languages() -> list[tuple[str, str]]:
    return PUBLIC_LANGUAGES


@register.filter
def public_label(code: Any, kind: str = "") -> str:
    """``{{ code|public_label:"category" }}``: what the public reads for a stored code, in the
    page's language (the label from the profile or the model, through the public catalogue)."""
    return _public_label(kind, code)


@register.filter
def public_labels(codes: Any, kind: str = "") -> str:
    """A list of codes as one line of labels in the page's language, joined by commas."""
    return ", ".join(_public_label(kind, c) for c in (codes or []))
