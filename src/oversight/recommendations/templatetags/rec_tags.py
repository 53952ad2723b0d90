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


@register.simple_tag
def step_text(step: Any) -> str:
    """A status step in the page's language, from what it says as data (``rules.recommendations.Step``)."""
    from django.utils.translation import gettext as _

    from oversight.rules import recommendations as rr

    if step.kind == rr.ISSUED and step.day is not None:
        return _("issued; the written answer is due in %(n)s days, by %(day)s") % {
            "n": step.days,
            "day": step.day.isoformat(),
        }
    if step.kind == "issued_no_period":
        return _("issued; the chapter sets no period for this addressee's answer")
    if step.kind == rr.OVERDUE and step.day is not None:
        return _("no written answer by %(day)s: overdue") % {"day": step.day.isoformat()}
    if step.kind in rr.EVENT_LABELS:
        text = _(rr.EVENT_LABELS[step.kind])
        if step.days is not None:
            text += _(", %(n)s days after it was due") % {"n": step.days}
        return text
    return str(step.text)
