"""The one door for the public side's writes.

A web complaint becomes an OPA case through ``oversight.cases.actions.open_case`` (channel
"web"), with its tracking code, files and later additions saved in the same transaction:
nothing is acknowledged unless all of it was saved. Everything published (summaries,
Management Action letters and responses, statements, appeal outcomes, library texts)
passes ``redact_for_case`` here and nowhere else, and the digest and the status messages
are sent from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused, User
from oversight.cases.models import PRECINCTS as CASE_PRECINCTS
from oversight.cases.models import Case
from oversight.rules import access as R
from oversight.rules.profile import get_profile
from oversight.rules.redaction import Redacted, redact
from oversight.uploads import ACCEPTED, Rejected, for_storage, inspect

from .models import (
    KINDS,
    LIBRARY_KINDS,
    TOPICS,
    ComplainantUpdate,
    Digest,
    LibraryDocument,
    Publication,
    ReadMark,
    StatusMessage,
    Subscription,
    WebComplaint,
    WebEvidence,
)
from .people import redact_for_case
from .status import STATUS_TEXT, status_key

__all__ = ["ActionError", "Refused"]

WEB_INTAKE_USERNAME = "web-form"

# --------------------------------------------------------------------------
# Evidence uploads: size and type checked by content, not by the name alone
# --------------------------------------------------------------------------

# What is accepted, and how each file is checked by what it is: oversight.uploads.
EVIDENCE_TYPES = ACCEPTED


def max_upload_bytes() -> int:
    return int(getattr(settings, "OVERSIGHT_PUBLIC_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def max_upload_files() -> int:
    return int(getattr(settings, "OVERSIGHT_PUBLIC_MAX_UPLOAD_FILES", 5))


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str
    scan: str = ""


def check_uploads(files: Sequence[Any], field: str = "evidence") -> list[Upload]:
    """Read and check every file; raise ActionError naming the file and what is wrong."""
    if len(files) > max_upload_files():
        raise ActionError(field, _("at most %(n)d files may be sent at once") % {"n": max_upload_files()})
    out = []
    limit = max_upload_bytes()
    for f in files:
        name = str(getattr(f, "name", "") or "file")
        size = getattr(f, "size", None)
        if size is not None and size > limit:
            raise ActionError(field, _("%(name)s is larger than %(mb)d MB") % {"name": name, "mb": limit // 2**20})
        content = f.read(limit + 1)
        if len(content) > limit:
            raise ActionError(field, _("%(name)s is larger than %(mb)d MB") % {"name": name, "mb": limit // 2**20})
        if not content:
            raise ActionError(field, _("%(name)s is empty") % {"name": name})
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in EVIDENCE_TYPES:
            raise ActionError(
                field,
                _("%(name)s is not a file type we accept (accepted: %(types)s)")
                % {"name": name, "types": ", ".join(sorted(EVIDENCE_TYPES))},
            )
        try:
            seen = inspect(name, content)
        except Rejected as e:
            raise ActionError(field, str(e)) from None
        out.append(Upload(name, content, seen.content_type, seen.scan))
    return out


def _store_evidence(
    complaint: WebComplaint, uploads: Iterable[Upload], update: ComplainantUpdate | None = None
) -> list[WebEvidence]:
    saved = []
    for u in uploads:
        digest = hashlib.sha256(u.content).hexdigest()
        ev = WebEvidence(
            complaint=complaint,
            update=update,
            name=u.name[:255],
            content_type=u.content_type,
            size=len(u.content),
            sha256=digest,
            added_at=timezone.now(),
        )
        existing = WebEvidence.objects.filter(sha256=digest).first()
        if existing is not None:
            ev.file.name = existing.file.name
        else:
            ev.file.save(f"{digest[:2]}/{digest}", ContentFile(for_storage(u.content)), save=False)
        ev.save()
        saved.append(ev)
    if saved:  # what the virus scan said of each file (or that there was none), for the staff's record
        case_actions.audit(
            None,
            "web_evidence_stored",
            complaint.case,
            files=[{"sha256": e.sha256} for e in saved],
            scans=[u.scan for u in uploads],
        )
    return saved


# --------------------------------------------------------------------------
# Filing and following
# --------------------------------------------------------------------------

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def find_by_code(code: str) -> WebComplaint | None:
    return WebComplaint.objects.select_related("case").filter(code_hash=code_hash(code)).first()


def web_intake_user() -> Any:
    """The account the public form files under: it holds the intake role and nothing else."""
    UserModel = get_user_model()
    user, created = UserModel.objects.get_or_create(username=WEB_INTAKE_USERNAME)
    if created:
        user.set_unusable_password()
        user.first_name, user.last_name = "Public", "web form"
        user.save(update_fields=["password", "first_name", "last_name"])
    if not user.groups.filter(name=R.INTAKE).exists():
        user.groups.add(Group.objects.get(name=R.INTAKE))
    return user


@dataclass
class ComplaintInput:
    """What the public form collects; every field but ``what_happened`` may be left empty."""

    what_happened: str
    topic: str = ""
    anonymous: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    incident_date: dt.date | None = None
    incident_place: str = ""
    precinct: str = ""
    officer_name: str = ""
    officer_badge: str = ""
    witnesses: str = ""
    in_person_interview: str = "undecided"
    race: str = ""
    ethnicity: str = ""
    gender: str = ""
    neighbourhood: str = ""
    status_emails: bool = False
    language: str = "en"
    # how it reached OPA: the public form, or CPC sending what the community told it, with consent
    channel: str = "web"


def submit_complaint(data: ComplaintInput, files: Sequence[Any] = ()) -> tuple[WebComplaint, str]:
    """File a web complaint into OPA intake. Returns the complaint and its tracking code,
    which is shown once and kept only as a hash. Raises ActionError naming the field."""
    what = (data.what_happened or "").strip()
    if not what:
        raise ActionError("what_happened", _("tell us what happened"))
    today = timezone.localdate()
    if data.incident_date is not None and data.incident_date > today:
        raise ActionError("incident_date", _("the date it happened cannot be in the future"))
    if data.topic and data.topic not in dict(TOPICS):
        raise ActionError("topic", _("choose one of the listed topics"))
    if data.precinct and data.precinct not in dict(CASE_PRECINCTS):
        raise ActionError("precinct", _("choose one of the listed precincts"))
    if data.in_person_interview not in ("undecided", "yes", "no"):
        raise ActionError("in_person_interview", _("choose yes, no or not sure"))
    if data.status_emails and not data.email.strip():
        raise ActionError("email", _("an email address is needed to receive status messages"))
    if not data.anonymous and not data.name.strip() and not data.email.strip() and not data.phone.strip():
        raise ActionError("anonymous", _("give your name or a way to reach you, or choose to file anonymously"))
    uploads = check_uploads(files)
    officer_name = data.officer_name.strip()
    badge = data.officer_badge.strip()
    summary_lines = [what]
    if badge and not officer_name:
        summary_lines.append(f"Employee badge or serial number given by the complainant: {badge}")
    witnesses = [{"kind": "civilian", "name": w.strip()[:200]} for w in data.witnesses.splitlines() if w.strip()]
    complainant: dict[str, Any] = {
        "anonymous": data.anonymous,
        "in_person_interview": data.in_person_interview,
        "race": data.race.strip()[:80],
        "ethnicity": data.ethnicity.strip()[:80],
        "gender": data.gender.strip()[:80],
        "neighbourhood": data.neighbourhood.strip()[:120],
    }
    if not data.anonymous:
        complainant.update(
            name=data.name.strip()[:200],
            email=data.email.strip(),
            phone=data.phone.strip()[:40],
            address=data.address.strip()[:300],
        )
    employees = [{"name": officer_name[:200], "serial": badge[:16]}] if officer_name else []
    allegations = (
        [{"employee": 0, "category": data.topic}] if employees and data.topic and data.topic != "other" else []
    )
    code = new_tracking_code()
    with transaction.atomic():
        if data.channel not in ("web", "community_org"):
            raise ActionError("channel", "a complaint reaches OPA here by the web form or from CPC")
        case = case_actions.open_case(
            web_intake_user(),
            channel=data.channel,
            received_on=today,
            incident_date=data.incident_date,
            incident_place=data.incident_place.strip()[:300],
            precinct=data.precinct,
            summary="\n\n".join(summary_lines),
            complainants=[complainant],
            named_employees=employees,
            witnesses=witnesses,
            allegations=allegations,
        )
        complaint = WebComplaint.objects.create(
            case=case,
            code_hash=code_hash(code),
            language=data.language[:12],
            topic=data.topic,
            email=data.email.strip() if data.status_emails else "",
            officer_description=badge[:300] if badge else "",
            submitted_at=timezone.now(),
            last_status_sent="received",
        )
        _store_evidence(complaint, uploads)
    return complaint, code


def add_information(complaint: WebComplaint, text: str, files: Sequence[Any] = ()) -> ComplainantUpdate:
    """What the complainant adds later through the tracking page; kept with the complaint."""
    text = (text or "").strip()
    uploads = check_uploads(files)
    if not text and not uploads:
        raise ActionError("text", _("write what you want to add, or attach a file"))
    with transaction.atomic():
        case = case_actions.lock_case(complaint.case)
        upd = ComplainantUpdate.objects.create(complaint=complaint, text=text, added_at=timezone.now())
        _store_evidence(complaint, uploads, upd)
        # On the case's log, for the staff who read it (marked unread until they do).
        case_actions.append_event(
            case, "complainant_added", timezone.localdate(), None, {"update": upd.pk, "files": len(uploads)}
        )
    return upd


def unread(complaint: WebComplaint) -> tuple[list[ComplainantUpdate], bool]:
    """What the complainant added that no one on staff has read yet, and whether the
    complaint itself (with the files sent with the form) is still unread."""
    mark = complaint.read_marks.first()
    updates = complaint.updates.all()
    if mark is not None:
        updates = updates.filter(added_at__gt=mark.up_to)
    return list(updates), mark is None


def mark_read(user: User, complaint: WebComplaint) -> ReadMark:
    """Staff read everything the complainant sent so far: it is no longer listed as unread."""
    case = complaint.case
    case_actions.require(user, "read_additions", case)
    with transaction.atomic():
        case = case_actions.lock_case(case)
        fresh, first = unread(complaint)
        if not fresh and not first:
            raise ActionError("additions", "everything the complainant sent was already read")
        now = timezone.now()
        mark = ReadMark.objects.create(complaint=complaint, up_to=now, read_by=user, read_at=now)
        case_actions.append_event(case, "additions_read", timezone.localdate(), user, {"count": len(fresh) + first})
        case_actions.audit(user, "read_additions", case, up_to=now.isoformat())
    return mark


def notify_status(complaint: WebComplaint) -> StatusMessage | None:
    """Email the complainant when their case reaches a new stage (SMC 3.29.020.A.13).
    Sent once per stage; nothing is sent without an email address."""
    if not complaint.email:
        return None
    key = status_key(complaint.case)
    if key == complaint.last_status_sent:
        return None
    with transaction.atomic():
        locked = WebComplaint.objects.select_for_update().get(pk=complaint.pk)
        if key == locked.last_status_sent or StatusMessage.objects.filter(complaint=locked, status=key).exists():
            return None
        with translation.override(locked.language):
            body = render_to_string(
                "public/email/status.txt",
                {"status": STATUS_TEXT[key], "number": locked.case.number, "track_url": _site("public:track")},
            )
            subject = _("Your complaint %(number)s: status update") % {"number": locked.case.number}
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [locked.email]).send()
        msg = StatusMessage.objects.create(complaint=locked, status=key, sent_at=timezone.now())
        WebComplaint.objects.filter(pk=locked.pk).update(last_status_sent=key)
    return msg


def _site(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    base = str(getattr(settings, "OVERSIGHT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + reverse(name, kwargs=kwargs or None)


# --------------------------------------------------------------------------
# Publishing: only through the redaction path, only after a reviewer saw it
# --------------------------------------------------------------------------


def preview(case: Case | None, text: str) -> Redacted:
    """What would be published, and every change the redaction path made: for the reviewer."""
    return redact_for_case(text, case)


def _redactions_for_record(r: Redacted) -> list[dict[str, Any]]:
    # What was removed is not kept with the public record: only where, by what, and why.
    return [{"start": x.start, "end": x.end, "replaced_by": x.replaced_by, "reason": x.reason} for x in r.redactions]


def _findings_taxonomy(day: dt.date) -> set[str]:
    rules = get_profile(settings.OVERSIGHT_PROFILE).at(day)
    return set(rules.taxonomies["findings"].value) | set(rules.taxonomies["case_findings"].value)


def _categories(day: dt.date) -> set[str]:
    return set(get_profile(settings.OVERSIGHT_PROFILE).at(day).taxonomies["allegation_categories"].value)


def discipline_appealed(case: Case) -> bool:
    return case.events.filter(type="appeal_notice_filed").exists()


def publish(
    user: User,
    case: Case,
    *,
    kind: str,
    title: str,
    text: str,
    reviewed: str,
    allegations: Iterable[str] | None = None,
    findings: Iterable[str] = (),
    completed_on: dt.date | None = None,
    status: str = "",
    replaces: Publication | None = None,
) -> Publication:
    """Publish ``text`` about ``case`` through the redaction path.

    ``reviewed`` is the redacted text the reviewer saw (``preview(case, text).text``):
    if the redaction now gives anything else (the case's people changed since), nothing is
    published. ``kind`` is one of KINDS; the same door serves investigation summaries
    (3.29.030.C), Management Action letters and SPD's responses (3.29.030.D), the Chief's and
    the Director's statements (3.29.027) and appeal outcomes that changed findings (3.29.030.G).
    """
    case_actions.require(user, "publish", case)
    if kind not in dict(KINDS):
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(dict(KINDS))}")
    if not (text or "").strip():
        raise ActionError("text", "is required")
    if not (title or "").strip():
        raise ActionError("title", "is required")
    today = timezone.localdate()
    day = case.received_on or today
    cats = list(allegations) if allegations is not None else sorted({a.category for a in case.allegations.all()})
    unknown = [c for c in cats if c not in _categories(day)]
    if unknown:
        raise ActionError("allegations", f"{unknown[0]!r} is not a policy category")
    fnds = list(findings)
    bad = [f for f in fnds if f not in _findings_taxonomy(day)]
    if bad:
        raise ActionError("findings", f"{bad[0]!r} is not a finding ({', '.join(sorted(_findings_taxonomy(day)))})")
    if kind == "summary" and not fnds:
        raise ActionError("findings", "a completed investigation summary states its findings [SMC 3.29.030.C]")
    if completed_on is not None and completed_on > today:
        raise ActionError("completed_on", f"{completed_on.isoformat()} is in the future")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        body = redact_for_case(text, case)
        head = redact_for_case(title, case)
        if body.text != reviewed:
            raise ActionError(
                "reviewed",
                "the redacted text differs from the one reviewed: review the preview again before publishing",
            )
        pub = Publication.objects.create(
            case=case,
            kind=kind,
            title=head.text.strip()[:300],
            text=body.text,
            redactions=_redactions_for_record(body) + _redactions_for_record(head),
            allegations=cats,
            findings=fnds,
            precinct=case.precinct,
            completed_on=completed_on or (case.closed_on if kind == "summary" else None) or today,
            status=redact_for_case(status, case).text[:200],
            discipline_appealed=discipline_appealed(case),
            published_on=today,
            published_at=timezone.now(),
            published_by=user,
            replaces=replaces,
        )
        case_actions.audit(user, "publish", case, publication=pub.pk, kind=kind)
    return pub


def publish_for_case(user: User, case: Case, kind: str, text: str, **fields: Any) -> Publication:
    """For other apps (oversight.discipline): publish a text they produced, already reviewed
    in their own screen, through the same redaction path. The title defaults to the kind."""
    reviewed = fields.pop("reviewed", None)
    if reviewed is None:
        raise ActionError("reviewed", "a reviewer must see the redacted text before it is published")
    title = fields.pop("title", None) or f"{dict(KINDS).get(kind, kind)} — {case.number}"
    return publish(user, case, kind=kind, title=str(title), text=text, reviewed=reviewed, **fields)


def add_library_document(
    user: User,
    *,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    effective_on: dt.date | None = None,
    reviewed: str | None = None,
) -> LibraryDocument:
    """Post an agreement or a report. Its text passes the redaction path's identifier patterns."""
    case_actions.require(user, "library")
    if kind not in dict(LIBRARY_KINDS):
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(dict(LIBRARY_KINDS))}")
    if not (title or "").strip():
        raise ActionError("title", "is required")
    if not (text or "").strip() and not (url or "").strip():
        raise ActionError("text", "give the document's text or a link to it")
    body = redact(text or "", [])
    if reviewed is not None and body.text != reviewed:
        raise ActionError("reviewed", "the redacted text differs from the one reviewed")
    with transaction.atomic():
        doc = LibraryDocument.objects.create(
            kind=kind,
            title=redact(title, []).text.strip()[:300],
            text=body.text,
            url=url.strip(),
            effective_on=effective_on,
            published_on=timezone.localdate(),
            published_by=user,
        )
        case_actions.audit(user, "add_library_document", None, document=doc.pk, kind=kind)
    return doc


# --------------------------------------------------------------------------
# The monthly digest (SMC 3.29.030.C)
# --------------------------------------------------------------------------


def subscribe(email: str, language: str = "en") -> Subscription:
    """Ask for the digest; a confirmation message goes to the address. Subscribing again resends it."""
    email = (email or "").strip().lower()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        raise ActionError("email", _("enter a valid email address")) from None
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(email=email).first()
        if sub is None:
            try:
                with transaction.atomic():
                    sub = Subscription.objects.create(
                        email=email,
                        token=secrets.token_urlsafe(32),
                        language=language[:12],
                        requested_at=timezone.now(),
                    )
            except IntegrityError:
                sub = Subscription.objects.get(email=email)
        elif sub.unsubscribed_at is not None:
            sub.unsubscribed_at = None
            sub.confirmed_at = None
            sub.token = secrets.token_urlsafe(32)
            sub.save(update_fields=["unsubscribed_at", "confirmed_at", "token"])
        with translation.override(sub.language):
            body = render_to_string(
                "public/email/confirm.txt",
                {"confirm_url": _site("public:digest_confirm", token=sub.token)},
            )
            subject = _("Confirm your subscription to OPA's monthly digest")
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [sub.email]).send()
    return sub


def confirm_subscription(token: str) -> Subscription:
    sub = Subscription.objects.filter(token=token, unsubscribed_at__isnull=True).first()
    if sub is None:
        raise ActionError("token", _("this confirmation link is not valid"))
    if sub.confirmed_at is None:
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["confirmed_at"])
    return sub


def unsubscribe(token: str) -> Subscription:
    sub = Subscription.objects.filter(token=token).first()
    if sub is None:
        raise ActionError("token", _("this link is not valid"))
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = timezone.now()
        sub.save(update_fields=["unsubscribed_at"])
    return sub


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt


def prior_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def digest_publications(month: dt.date) -> list[Publication]:
    first, nxt = month_bounds(month)
    return list(
        Publication.objects.filter(kind="summary", published_on__gte=first, published_on__lt=nxt)
        .select_related("case")
        .order_by("published_on", "pk")
    )


def digest_message(month: dt.date, pubs: list[Publication], language: str, token: str) -> tuple[str, str]:
    """The digest's subject and body for one subscriber: published (already redacted) texts only."""
    with translation.override(language):
        body = render_to_string(
            "public/email/digest.txt",
            {
                "month": month,
                "publications": [(p, _site("public:publication", pk=p.pk)) for p in pubs],
                "unsubscribe_url": _site("public:digest_unsubscribe", token=token),
            },
        )
        subject = _("OPA completed investigation summaries, %(month)s") % {"month": f"{month:%Y-%m}"}
    return subject, body


def send_monthly_digest(month: dt.date | None = None) -> Digest:
    """Compile the given month's (default: the prior month's) completed investigation summaries,
    noting those whose discipline was appealed, and send it to every confirmed subscriber.
    A month's digest is sent once."""
    today = timezone.localdate()
    month = (month or prior_month(today)).replace(day=1)
    if month_bounds(month)[1] > today:
        raise ActionError("month", f"{month:%Y-%m} is not over yet")
    schedule = get_profile(settings.OVERSIGHT_PROFILE).at(today).schedules.get("published_summaries_digest")
    if schedule is not None and today.month not in schedule.value and month == prior_month(today):
        raise ActionError("month", f"no digest is scheduled in month {today.month} [{schedule.cite}]")
    with transaction.atomic():
        if Digest.objects.filter(month=month).exists():
            raise ActionError("month", f"the digest for {month:%Y-%m} was already sent")
        pubs = digest_publications(month)
        for p in pubs:  # an appeal may have been filed since publication
            p.discipline_appealed = p.discipline_appealed or discipline_appealed(p.case)
        subs = list(Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True))
        sent = 0
        for sub in subs:
            subject, body = digest_message(month, pubs, sub.language, sub.token)
            sent += EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [sub.email]).send()
        return Digest.objects.create(
            month=month, sent_at=timezone.now(), recipients=sent, publications=[p.pk for p in pubs]
        )
