from django import template

from oversight.public.languages import PUBLIC_LANGUAGES

register = template.Library()


@register.simple_tag
def public_languages() -> list[tuple[str, str]]:
    return PUBLIC_LANGUAGES


@register.filter
def words(value: str) -> str:
    """A taxonomy value for reading: use_of_force -> use of force."""
    return str(value or "").replace("_", " ")
