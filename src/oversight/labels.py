"""Labels, not codes: what a person reads for every stored code.

A code's label comes from where the code is defined: the rule profile's taxonomies
(allegation categories, classifications, findings: ``taxonomies.*.labels``), a model's
choices (channels, precincts, statuses, outcomes ...), or the access model (roles, parts).
``label_for(kind, code)`` answers for any of them; templates use ``{{ code|label:"kind" }}``
(``oversight.home.templatetags.labels``). An unknown code is shown as words, never as an
identifier with underscores.

Staff pages read the labels in English, as written where the code is defined. The public
side reads them through gettext (``public_label``, ``{{ code|public_label:"kind" }}``): the
English label is the message id, translated in the public app's catalogue
(``oversight/public/locale``; the profile's labels reach it through
``oversight/public/label_strings.py``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone, translation


def _profile_labels(day: dt.date | None = None) -> dict[str, str]:
    from oversight.rules.profile import get_profile

    rules = get_profile(str(settings.OVERSIGHT_PROFILE)).at(day or timezone.localdate())
    merged: dict[str, str] = {}
    for labels in rules.taxonomy_labels.values():
        merged.update(labels)
    return merged


@cache
def _choices() -> dict[str, dict[str, str]]:
    """Every model's choices that a page shows, by the kind of code: the labels as written
    (English), whatever language the request that first asks is in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _read_choices()


def _read_choices() -> dict[str, dict[str, str]]:
    from oversight.cases import models as cm
    from oversight.discipline import models as dm
    from oversight.oig import models as om
    from oversight.public import models as pm
    from oversight.public.languages import PUBLIC_LANGUAGES
    from oversight.publicdata import kinds as pk
    from oversight.rules import access as A
    from oversight.rules import classification as rc

    out: dict[str, dict[str, str]] = {
        "channel": dict(cm.CHANNELS),
        "precinct": {k: v for k, v in cm.PRECINCTS if k},
        "shift": {k: v for k, v in cm.SHIFTS if k},
        "interview": dict(cm.INTERVIEW_CHOICE),
        "witness_kind": dict(cm.WITNESS_KINDS),
        "subpoena_status": dict(cm.SUBPOENA_STATUSES),
        "evidence_kind": dict(cm.EvidenceFile._meta.get_field("kind").choices or []),  # type: ignore[arg-type]
        "party_kind": dict(cm.PARTY_KINDS),
        "event": dict(cm.EVENT_CHOICES),
        "route": {k: v[0] for k, v in rc.ROUTES.items()},
        "role": {k: r.label for k, r in A.ROLES.items()},
        "part": dict(A.PARTS),
        "read_outcome": dict(cm.READ_OUTCOMES),
        "oig_outcome": dict(om.OUTCOMES),
        "further_kind": dict(om.FURTHER_KINDS),
        "hotline_topic": {k: str(v) for k, v in om.HOTLINE_TOPICS},
        "hotline_status": {k: str(v) for k, v in om.HOTLINE_STATUSES},
        "reporter_kind": {k: str(v) for k, v in om.REPORTER_KINDS},
        "review_mode": {k: str(v) for k, v in om.REVIEW_MODES},
        "discipline": dict(dm.DISCIPLINE_KINDS),
        "ma_status": dict(dm.MA_STATUSES),
        "appellant": dict(dm.APPELLANTS),
        "forum": dict(dm.FORUMS),
        "appeal_outcome": dict(dm.OUTCOMES),
        "separation": dict(dm.SEPARATIONS),
        "statement": dict(dm.STATEMENT_KINDS),
        "stage": dict(dm.STAGES),
        "publication": {k: str(v) for k, v in pm.KINDS},
        "library": {k: str(v) for k, v in pm.LIBRARY_KINDS},
        "topic": {k: str(v) for k, v in pm.TOPICS},
        "language": dict(PUBLIC_LANGUAGES),
        "field": FIELD_LABELS,
        "data": dict(pk.LABELS),  # the public data's columns and measures
        "deadline_status": DEADLINE_STATUS,
        "flag": FLAGS,
    }
    return out


# The words for the fields a log or a correction names.
FIELD_LABELS: dict[str, str] = {
    "anonymous": "anonymous",
    "name": "name",
    "address": "address",
    "phone": "phone",
    "email": "email",
    "race": "race",
    "ethnicity": "ethnicity",
    "gender": "gender",
    "neighbourhood": "neighbourhood",
    "in_person_interview": "in-person interview",
    "serial": "serial number",
    "rank": "rank",
    "unit": "unit",
    "assignment": "assignment",
    "shift": "shift",
    "years_of_service": "years of service",
    "supervisor_name": "supervisor",
    "captain": "captain",
    "bargaining_unit": "bargaining unit",
    "kind": "kind",
    "contact": "contact",
    "named_employee_id": "named employee",
    "category": "category",
    "description": "description",
    "criminal": "criminal conduct",
    "concealment": "concealment",
    "type_iii_force": "Type III force",
    "to": "to",
    "reason": "reason",
    "days": "days",
    "by": "by",
    "round": "submission",
    "outcome": "outcome",
    "version": "version",
}

# The deadline clock's words (shared/spec/timeline.md), as a person reads them.
DEADLINE_STATUS: dict[str, str] = {
    "met": "met",
    "missed": "missed",
    "open": "open",
    "overdue": "overdue",
    "tolled": "tolled (clock stopped)",
    "not_applicable": "not applicable",
}
FLAGS: dict[str, str] = {
    "limitation_barred": "Made after the three-year limit",
    "oig_review_lapsed": "OIG's review window passed with no answer",
    "discipline_barred_timeline": "Discipline barred: the investigation ran past its deadline",
    "oig_review_required": "OIG must review this investigation",
    "should_have_been_referred": "Referred to OPA late",
}

# Codes whose label comes from the profile's taxonomies.
PROFILE_KINDS = frozenset({"category", "classification", "finding", "taxonomy"})


def humanize(code: str) -> str:
    """The last resort for a code nobody labelled: its words, capitalised."""
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else ""


def label_for(kind: str, code: Any, day: dt.date | None = None) -> str:
    """What a person reads for ``code`` of ``kind`` ("category", "channel", "finding", ...)."""
    if code in (None, ""):
        return ""
    code = str(code)
    if kind in PROFILE_KINDS:
        return _profile_labels(day).get(code) or humanize(code)
    table = _choices().get(kind)
    if table is not None and code in table:
        return str(table[code])
    if kind not in _choices():  # an unknown kind: try the profile, then every table
        found = _profile_labels(day).get(code)
        if found:
            return found
        for t in _choices().values():
            if code in t:
                return str(t[code])
    return humanize(code)


def public_label(kind: str, code: Any, day: dt.date | None = None) -> str:
    """What the public reads for ``code``, in the active language (the public catalogue)."""
    text = label_for(kind, code, day)
    return translation.gettext(text) if text else ""


def category_label(code: str, day: dt.date | None = None) -> str:
    return label_for("category", code, day)


def classification_label(code: str, day: dt.date | None = None) -> str:
    return label_for("classification", code, day)


def finding_label(code: str, day: dt.date | None = None) -> str:
    return label_for("finding", code, day)
