from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(d: Any, key: str) -> Any:
    return d.get(key) if hasattr(d, "get") else None
