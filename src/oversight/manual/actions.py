"""The one door for writes to the OPA Manual's record: a round of comment opened by the OPA
Director on the proposed update (SMC 3.29.020.A.4), OIG's and CPC's comments (3.29.110.A.10;
3.29.215.A.2), OPA's response to them, and the version adopted and posted online (3.29.010.D).
Each checked against the access model, written and audited in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit, not_future, required_text
from oversight.cases.clock import rules_for
from oversight.rules import access as A
from oversight.uploads import ACCEPTED, Rejected, for_storage, inspect

from .models import BODIES, ManualComment, ManualRound, ManualVersion

# A version is posted as a document people can open: PDF, Word or plain text.
MANUAL_FILES = {k: ACCEPTED[k] for k in ("pdf", "docx", "txt")}
COMMENTING_ROLES = {"oig": frozenset({A.INSPECTOR_GENERAL}), "cpc": frozenset({A.CPC_STAFF})}


def body_of(user: Any) -> str | None:
    roles = access.roles_of(user)
    return next((b for b, held in COMMENTING_ROLES.items() if roles & held), None)


def open_round(user: Any, *, title: str, proposed: str, on: dt.date, comments_by: dt.date | None = None) -> ManualRound:
    access.require(user, "manual_update")
    title = required_text("title", title)
    proposed = required_text("proposed", proposed)
    not_future("on", on)
    if comments_by is not None and comments_by < on:
        raise ActionError("comments_by", f"falls before the round opens ({on})")
    if ManualRound.objects.filter(version__isnull=True).exists():
        raise ActionError("title", "a round is open already: publish its version before opening another")
    with transaction.atomic():
        r = ManualRound.objects.create(
            title=title,
            proposed=proposed,
            opened_on=on,
            comments_by=comments_by,
            opened_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "manual_round_opened", None, round=r.pk)
    return r


def comment(user: Any, rnd: ManualRound, *, text: str, on: dt.date) -> ManualComment:
    access.require(user, "comment_on_manual")
    body = body_of(user)
    if body is None:  # pragma: no cover - the permission is only OIG's and CPC's
        raise ActionError("body", "only OIG and CPC comment on the OPA Manual")
    text = required_text("text", text)
    not_future("on", on)
    with transaction.atomic():
        rnd = ManualRound.objects.select_for_update().get(pk=rnd.pk)
        if hasattr(rnd, "version"):
            raise ActionError("round", f"the {rnd.title} is adopted already: its round of comment is closed")
        if on < rnd.opened_on:
            raise ActionError("on", f"falls before the round opened ({rnd.opened_on})")
        c = ManualComment.objects.create(
            round=rnd, body=body, text=text, commented_on=on, recorded_by=user, recorded_at=timezone.now()
        )
        audit(user, "manual_comment", None, round=rnd.pk, body=body)
    return c


def respond(user: Any, rnd: ManualRound, *, response: str, on: dt.date) -> ManualRound:
    """OPA's answer to OIG's and CPC's comments, before the update is adopted."""
    access.require(user, "manual_update")
    response = required_text("response", response)
    not_future("on", on)
    with transaction.atomic():
        rnd = ManualRound.objects.select_for_update().get(pk=rnd.pk)
        if rnd.responded_on is not None:
            raise ActionError("response", f"OPA answered the comments on {rnd.responded_on}")
        if on < rnd.opened_on:
            raise ActionError("on", f"falls before the round opened ({rnd.opened_on})")
        have = set(rnd.comments.values_list("body", flat=True))
        missing = [label for b, label in BODIES if b not in have]
        if missing and (rnd.comments_by is None or on <= rnd.comments_by):
            raise ActionError(
                "response",
                f"no comment yet from the {' or the '.join(missing)}: answer once both have commented"
                + (f" or after {rnd.comments_by}, the date set for comments" if rnd.comments_by else "")
                + " [SMC 3.29.020.A.4]",
            )
        rnd.response, rnd.responded_on = response, on
        rnd.save(update_fields=["response", "responded_on"])
        audit(user, "manual_response", None, round=rnd.pk)
    return rnd


def publish(
    user: Any,
    rnd: ManualRound,
    *,
    version: str,
    effective_on: dt.date,
    summary: str,
    file_name: str,
    content: bytes,
) -> ManualVersion:
    """The version adopted after the round, posted publicly online with its file."""
    access.require(user, "manual_update")
    version = required_text("version", version)
    summary = required_text("summary", summary)
    try:
        seen = inspect(file_name, content, MANUAL_FILES)
    except Rejected as e:
        raise ActionError("file", str(e)) from None
    with transaction.atomic():
        rnd = ManualRound.objects.select_for_update().get(pk=rnd.pk)
        if hasattr(rnd, "version"):
            raise ActionError("round", f"this round's version ({rnd.version.version}) is published already")
        if rnd.responded_on is None:
            raise ActionError("round", "answer OIG's and CPC's comments before adopting the update [SMC 3.29.020.A.4]")
        if effective_on < rnd.responded_on:
            raise ActionError("effective_on", f"falls before OPA answered the comments ({rnd.responded_on})")
        if ManualVersion.objects.filter(version=version).exists():
            raise ActionError("version", f"a version named {version!r} is published already")
        digest = hashlib.sha256(content).hexdigest()
        v = ManualVersion(
            version=version,
            effective_on=effective_on,
            published_on=timezone.localdate(),
            summary=summary,
            round=rnd,
            file_name=file_name[:255],
            content_type=seen.content_type,
            sha256=digest,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        v.file.save(f"{digest[:2]}/{digest}", ContentFile(for_storage(content)), save=False)
        v.save()
        audit(user, "manual_published", None, version=version, round=rnd.pk)
    return v


def next_update_due(today: dt.date) -> tuple[dt.date | None, str, ManualVersion | None]:
    """When the next update is due (the last version's effective date plus the profile's
    period), its citation, and that version; no version yet: no date."""
    last = ManualVersion.objects.order_by("-effective_on", "-pk").first()
    period = rules_for(today).periods["opa_manual_update"]
    if last is None:
        return None, period.cite, None
    return add_months(last.effective_on, int(period.value)), period.cite, last


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
