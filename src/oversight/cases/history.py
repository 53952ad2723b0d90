"""A case's events in words: what a person reads in the case's history, never a raw code.

Every string taken from an event's data passes the reader's redaction first
(``oversight.access.Reader.redact``), so a reader who does not read complainants' or
witnesses' identity reads their role instead of their name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oversight.labels import category_label, classification_label, finding_label, label_for
from oversight.rules import classification as rc

from .models import CaseEvent, event_label

Describe = Callable[[dict[str, Any]], str]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _intake(d: dict[str, Any]) -> str:
    parts = [
        _plural(int(d.get("complainants", 0)), "complainant"),
        _plural(int(d.get("named_employees", 0)), "named employee"),
        _plural(int(d.get("witnesses", 0)), "witness") if "witnesses" in d else "",
        _plural(int(d.get("allegations", 0)), "allegation"),
    ]
    text = "Recorded " + ", ".join(p for p in parts if p) + "."
    if d.get("anonymous"):
        text += f" {d['anonymous']} anonymous."
    if d.get("limitation"):
        text += f" {d['limitation']}"
    return text


def _party(d: dict[str, Any]) -> str:
    which = d.get("which") or label_for("party_kind", d.get("kind", "")) or "A person"
    text = f"{which} added"
    if d.get("category"):
        text += f": {category_label(d['category'])}"
    if d.get("against"):
        text += f", against {d['against']}"
    # records from before people were named by role in the log
    for key in ("named_employee", "allegation"):
        if key in d and not d.get("which"):
            text = f"{label_for('party_kind', key)} added: {d[key]}"
    return text + "."


def _changed(d: dict[str, Any]) -> str:
    fields = ", ".join(label_for("field", f) for f in d.get("fields", []))
    return f"{d.get('which', 'A record')} corrected ({fields})."


def _plan(verb: str) -> Describe:
    def f(d: dict[str, Any]) -> str:
        text = f"Version {d.get('version')} {verb}."
        if d.get("reasons"):
            text += f" What must change: {d['reasons']}"
        return text

    return f


def _interview(d: dict[str, Any]) -> str:
    how = "in person" if d.get("in_person", True) else "not in person (exigent circumstances)"
    files = [w for w, k in (("audio", "audio_sha256"), ("transcript", "transcript_sha256")) if d.get(k)]
    return f"Interview of {d.get('interviewee', 'an interviewee')}, {how}" + (
        f"; {' and '.join(files)} attached." if files else "."
    )


def _evidence(d: dict[str, Any]) -> str:
    return (
        f"{d.get('name', 'A file')} ({label_for('evidence_kind', d.get('kind', 'other'))}, {d.get('size', '?')} bytes)."
    )


def _oig_answer(d: dict[str, Any]) -> str:
    out = label_for("oig_outcome", d.get("outcome", ""))
    if not out:
        return ""
    return f"{out} (submission {d['round']})." if d.get("round") else f"{out}."


def _findings(d: dict[str, Any]) -> str:
    items = d.get("findings") or {}
    text = "; ".join(f"allegation {k}: {finding_label(v)}" for k, v in items.items())
    return f"Recommended: {text}." if text else "Findings recommended."


def _reason(d: dict[str, Any]) -> str:
    bits = []
    if d.get("days"):
        bits.append(_plural(int(d["days"]), "day"))
    if d.get("reason"):
        bits.append(str(d["reason"]))
    return ": ".join(bits) + "." if bits else ""


DESCRIBE: dict[str, Describe] = {
    "intake_recorded": _intake,
    "complaint_received": lambda d: f"By {label_for('channel', d['channel'])}." if d.get("channel") else "",
    "party_added": _party,
    "party_changed": _changed,
    "note_added": lambda d: "A note was added to the case file.",
    "complainant_added": lambda d: (
        "The complainant added information"
        + (f" and {_plural(int(d['files']), 'file')}" if d.get("files") else "")
        + " through the tracking page."
    ),
    "additions_read": lambda d: f"{_plural(int(d.get('count', 0)), 'item')} marked as read.",
    "classified": lambda d: (
        f"Classified as {classification_label(d.get('classification', ''))}: {d.get('rationale', '')}"
    ),
    "classification_refused": lambda d: str(d.get("reason", "")),
    "routed": lambda d: f"Routed to {d.get('to', '')}: {d.get('reason', '')}",
    "assigned": lambda d: (
        f"Assigned to {d.get('investigator')}"
        + (f", supervised by {d['supervisor']}" if d.get("supervisor") else "")
        + "."
    ),
    "supervisor_action_referred": lambda d: (
        f"Referred to {d.get('supervisor', 'the supervisor')}, report due {d.get('report_due', '')}."
    ),
    "supervisor_action_reported": lambda d: f"{d.get('supervisor', 'The supervisor')} reported: {d.get('report', '')}",
    "plan_submitted": _plan("submitted for approval"),
    "plan_approved": _plan("approved"),
    "plan_returned": _plan("returned to the investigator"),
    "exigent_circumstances": lambda d: f"Interview of {d.get('interviewee', '')} not in person: {d.get('reason', '')}",
    "interview_recorded": _interview,
    "evidence_added": _evidence,
    "subpoena_issued": lambda d: f"To {d.get('recipient', '')}: {d.get('material', '')}",
    "subpoena_status": lambda d: (
        f"From {label_for('subpoena_status', d.get('from', ''))} to {label_for('subpoena_status', d.get('to', ''))}."
    ),
    "case_closed": lambda d: str(d.get("reason", "")),
    "interview_postponed": _reason,
    "criminal_pause_started": _reason,
    "criminal_pause_ended": _reason,
    "additional_investigation": _reason,
    "director_vacancy": _reason,
    "oig_certified": _oig_answer,
    "oig_not_certified": _oig_answer,
    "findings_recommended": _findings,
    "chief_decision": lambda d: (
        "Follows the Director's recommendations."
        if d.get("follows_recommendation")
        else "Departs from the Director's recommendations."
    ),
}

# Fields of an event that belong to a part of the case: a reader who does not read that part
# does not get them (the plan's text is part of the evidence, rules.access).
FIELD_PARTS: dict[tuple[str, str], str] = {
    ("plan_returned", "reasons"): "evidence",
    ("notice_sent", "document"): "named_employees",
    ("interview_recorded", "audio_sha256"): "evidence",
    ("interview_recorded", "transcript_sha256"): "evidence",
    ("evidence_added", "sha256"): "evidence",
}


def data_for(event: CaseEvent, reader: Any) -> dict[str, Any]:
    """An event's data as ``reader`` may read it: the fields of parts they do not read left
    out, every string through their redaction. The history and the API both read this."""
    data = {
        k: v
        for k, v in (event.data or {}).items()
        if (event.type, k) not in FIELD_PARTS or reader.reads[FIELD_PARTS[(event.type, k)]]
    }
    return reader.redact_data(data)


# keys never shown in a history line (documents are opened from their own link)
_HIDDEN_KEYS = frozenset({"document", "document_sha256", "memorandum_sha256", "audio_sha256", "transcript_sha256"})


def _generic(d: dict[str, Any]) -> str:
    bits = []
    for k, v in d.items():
        if k in _HIDDEN_KEYS or v in (None, "", [], {}):
            continue
        if isinstance(v, bool):
            v = "yes" if v else "no"
        elif isinstance(v, str):
            v = label_for(k, v)
        bits.append(f"{label_for('field', k)}: {v}")
    return "; ".join(bits)


def describe(event: CaseEvent, reader: Any, names: dict[str, str] | None = None) -> str:
    """One history line's details, as ``reader`` may read them (``names``: staff usernames
    with their full names)."""
    data = data_for(event, reader)
    for k in ("investigator", "supervisor"):
        if names and data.get(k) in names:
            data[f"{k}_name"] = names[data[k]]
    fn = DESCRIBE.get(event.type, _generic)
    try:
        return fn(data)
    except (KeyError, TypeError, ValueError):
        return _generic(data)


def _names(events: list[CaseEvent]) -> dict[str, str]:
    """Staff usernames the log names (assignments), with the person's full name: one query."""
    from django.contrib.auth import get_user_model

    wanted = {
        str(e.data.get(k))
        for e in events
        if e.type == "assigned"
        for k in ("investigator", "supervisor")
        if e.data.get(k)
    }
    if not wanted:
        return {}
    User = get_user_model()
    return {u.get_username(): u.get_full_name() or u.get_username() for u in User.objects.filter(username__in=wanted)}


def history(events: list[CaseEvent], reader: Any) -> list[dict[str, Any]]:
    names = _names(events)
    return [
        {
            "seq": e.seq,
            "date": e.date,
            "label": event_label(e.type),
            "text": describe(e, reader, names),
            "recorded_at": e.recorded_at,
            "recorded_by": (e.recorded_by.get_full_name() or e.recorded_by.get_username())
            if e.recorded_by
            else ("the complainant" if e.type == "complainant_added" else "the system"),
            "hash": e.hash,
            "type": e.type,
        }
        for e in events
    ]


__all__ = ["describe", "history", "rc"]
