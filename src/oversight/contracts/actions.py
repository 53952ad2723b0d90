"""The one door for the registry's writes: it asks the access model, writes, and audits, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit
from oversight.rules.profile import ProfileError

from . import service
from .models import OFFICE_LABELS, STATUS_LABELS, Agreement, Consultation


def record_agreement(
    user: Any,
    *,
    guild: str,
    title: str,
    status: str,
    overlay: str = "",
    term_from: dt.date | None = None,
    term_to: dt.date | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    vote_on: dt.date | None = None,
    public_on: dt.date | None = None,
    library_document: int | None = None,
) -> Agreement:
    access.require(user, "record_agreement")
    if not guild.strip():
        raise ActionError("guild", "name the guild or union")
    if not title.strip():
        raise ActionError("title", "give the agreement's title")
    if status not in STATUS_LABELS:
        raise ActionError("status", f"{status!r} is not one of {', '.join(STATUS_LABELS)}")
    if term_from and term_to and term_to < term_from:
        raise ActionError("term_to", f"{term_to} is before the term's start ({term_from})")
    if status == "rejected" and (votes_for is None or votes_against is None):
        raise ActionError("votes_for", "a rejected agreement records its vote (for and against)")
    if overlay:
        try:
            service.load(overlay)
        except ProfileError as e:
            raise ActionError("overlay", str(e).replace("\n", "; ")) from None
    doc = None
    if library_document is not None:
        from oversight.public.models import LibraryDocument

        doc = LibraryDocument.objects.filter(pk=library_document, kind__in=("cba", "side_agreement")).first()
        if doc is None:
            raise ActionError("library_document", "no agreement of that number in the public library")
        if public_on is None:
            public_on = doc.published_on  # posted in the library: public (SMC 3.29.330.B)
    with transaction.atomic():
        a = Agreement.objects.create(
            library_document=doc,
            guild=guild.strip(),
            title=title.strip(),
            status=status,
            overlay=overlay,
            term_from=term_from,
            term_to=term_to,
            votes_for=votes_for,
            votes_against=votes_against,
            vote_on=vote_on,
            public_on=public_on,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "record_agreement", None, agreement=a.pk, status=status, public=public_on is not None)
    return a


def make_public(user: Any, agreement: Agreement, on: dt.date) -> Agreement:
    """The agreement is public (SMC 3.29.330.B): its consultations cease to be confidential."""
    access.require(user, "record_agreement")
    if on > timezone.localdate():
        raise ActionError("public_on", f"{on.isoformat()} is in the future")
    with transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(public_on=on)
        audit(user, "agreement_public", None, agreement=agreement.pk, on=on.isoformat())
    agreement.refresh_from_db()
    return agreement


def record_consultation(user: Any, agreement: Agreement, office: str, held_on: dt.date, summary: str) -> Consultation:
    """OPA, OIG or CPC consulted on the City's bargaining agenda (SMC 3.29.330.A)."""
    access.require(user, "consult_bargaining")
    if office not in OFFICE_LABELS:
        raise ActionError("office", f"{office!r} is not one of {', '.join(OFFICE_LABELS)}")
    if held_on > timezone.localdate():
        raise ActionError("held_on", f"{held_on.isoformat()} is in the future")
    if not summary.strip():
        raise ActionError("summary", "say what was consulted on")
    with transaction.atomic():
        c = Consultation.objects.create(
            agreement=agreement,
            office=office,
            held_on=held_on,
            summary=summary.strip(),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "record_consultation", None, agreement=agreement.pk, consultation=c.pk, office=office)
    return c
