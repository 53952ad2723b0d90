"""The one door for every write to the recommendations tracker: issuing, answering, reporting
progress and implementation, withdrawing, and the City's notices. Each write is checked
against the access model and the body the writer belongs to, leaves the tracker's events
consistent (``rules.recommendations`` reads them back), and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit, not_future, required_text
from oversight.cases.clock import rules_for
from oversight.rules import access as A
from oversight.rules import recommendations as rr

from .models import ADDRESSEES, CATEGORIES, CITY_NOTICE_KINDS, ISSUERS, CityNotice, Recommendation, RecommendationEvent

# Which body a person issues for, by role.
BODY_ROLES = {
    "opa": frozenset({A.DIRECTOR}),
    "oig": A.OIG_STAFF,
    "cpc": frozenset({A.CPC_STAFF}),
}
# Who answers for an addressee (3.29.305.A: SPD; 3.29.305.B: OPA).
ANSWERING_ROLES = {"spd": frozenset({A.SPD_LIAISON}), "opa": frozenset({A.DIRECTOR})}


ANSWERERS = {"spd": "SPD's liaison", "opa": "the OPA Director"}


def bodies_of(user: Any) -> list[str]:
    roles = access.roles_of(user)
    return [body for body, held in BODY_ROLES.items() if roles & held]


# The addressees the chapter gives a period to answer: SPD (3.29.305.A, with the information of
# another City department the lead on it) and OPA (3.29.305.B). It sets none for the Council or
# the state legislature.
ANSWER_DUE_FROM = frozenset({"spd", "opa", "other_department"})


def answer_period(day: dt.date, addressee: str = "spd") -> tuple[int | None, str]:
    """The days for the written answer and their citation, as in force on ``day``."""
    if addressee not in ANSWER_DUE_FROM:
        return None, "SMC 3.29.305.A-B (SPD and OPA answer in writing; no period for this addressee)"
    period = rules_for(day).periods["spd_response_to_recommendations"]
    return int(period.value), period.cite


def status_of(rec: Recommendation, today: dt.date | None = None) -> rr.Status:
    days, cite = answer_period(rec.issued_on, rec.addressee)
    events = [(e.date, e.type) for e in rec.events.all()]
    return rr.status(rec.issued_on, events, today or timezone.localdate(), days, cite)


def public_text(rec: Recommendation, text: str) -> str:
    """What of ``text`` may leave the office: a recommendation that came from a case (a
    Management Action letter, SPD's answer to it) passes the one redaction path with the case's
    people; others are the issuing body's own public words."""
    if rec.case_id is None:
        return text
    from oversight.cases.people import redact_for_case

    return redact_for_case(text, rec.case).text


def shown_text(user: Any, rec: Recommendation, text: str) -> str:
    """``text`` as ``user`` may read it: a case's people whose identity they do not read are
    replaced by their role (the case page's one redaction path); others' texts as written."""
    if rec.case_id is None:
        return text
    return access.Reader(user, rec.case).redact(text)


def next_number(body: str, year: int) -> str:
    prefix = f"{year}-{body.upper()}-"
    taken = [
        int(n[len(prefix) :])
        for n in Recommendation.objects.filter(number__startswith=prefix).values_list("number", flat=True)
        if n[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(taken, default=0) + 1:03d}"


def _create_numbered(body: str, year: int, **fields: Any) -> Recommendation:
    """The recommendation with the body's next number of the year. Two bodies' writers issuing
    at once may both count the same number: the unique number refuses the second, which takes
    the next one (inside a savepoint, so the write it belongs to goes on)."""
    for _ in range(20):
        try:
            with transaction.atomic():
                return Recommendation.objects.create(number=next_number(body, year), **fields)
        except IntegrityError:
            continue
    raise ActionError("number", "could not number the recommendation: too many issued at the same moment; try again")


def _choice(field: str, value: str, choices: list[tuple[str, str]]) -> str:
    if value not in dict(choices):
        raise ActionError(field, f"{value!r} is not one of: {', '.join(label for _, label in choices)}")
    return value


def issue(
    user: Any,
    *,
    body: str,
    addressee: str,
    title: str,
    text: str,
    category: str,
    issued_on: dt.date,
    report_title: str = "",
    case: Any = None,
    management_action: Any = None,
    needs_funding: bool = False,
    needs_state_legislation: bool = False,
) -> Recommendation:
    """A recommendation issued by ``body`` (one the user belongs to), from a report or a case."""
    access.require(user, "issue_recommendation")
    if body not in bodies_of(user):
        raise access.Refused(
            f"Only the {dict(ISSUERS)[body]} issues its recommendations; you issue for: "
            + (", ".join(dict(ISSUERS)[b] for b in bodies_of(user)) or "no body"),
            what="to issue a recommendation for another body",
        )
    addressee = _choice("addressee", addressee, ADDRESSEES)
    category = _choice("category", category, CATEGORIES)
    title = required_text("title", title)
    text = required_text("text", text)
    not_future("issued_on", issued_on)
    if addressee == body:
        raise ActionError("addressee", "a body does not address its own recommendations to itself")
    if addressee == "opa" and body == "opa":
        raise ActionError("addressee", "OPA answers the Inspector General's and CPC's recommendations (3.29.305.B)")
    report_title = (report_title or "").strip()
    source = "management_action" if management_action is not None else "case" if case is not None else "report"
    if source == "report" and not report_title:
        raise ActionError("report_title", "name the written report the recommendation was issued in (3.29.305.A)")
    with transaction.atomic():
        rec = _create_numbered(
            body,
            issued_on.year,
            issuer=body,
            addressee=addressee,
            title=title,
            text=text,
            category=category,
            issued_on=issued_on,
            source=source,
            report_title=report_title,
            case=case,
            management_action=management_action,
            needs_funding=needs_funding,
            needs_state_legislation=needs_state_legislation,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "issue_recommendation", case, recommendation=rec.number)
    return rec


def may_answer(user: Any, rec: Recommendation) -> bool:
    """SPD's liaison answers what is addressed to SPD, the Director what is addressed to OPA;
    the issuing body records the answers of any other addressee (it tracks them, 3.29.305.A)."""
    if not access.may(user, "answer_recommendation"):
        return False
    roles = access.roles_of(user)
    if roles & ANSWERING_ROLES.get(rec.addressee, frozenset()):
        return True
    return rec.issuer in bodies_of(user)


def record(
    user: Any, rec: Recommendation, *, kind: str, on: dt.date, text: str, by_whom: str = ""
) -> RecommendationEvent:
    """An answer (accepted with a plan, not accepted with reasons, or under consideration), a
    progress report, or implementation with its evidence."""
    access.require(user, "answer_recommendation")
    if not may_answer(user, rec):
        raise access.Refused(
            f"{rec.number} is addressed to {rec.get_addressee_display()}: its answers are recorded by "
            f"{ANSWERERS.get(rec.addressee, 'the issuing body')}"
            f" or by the {rec.get_issuer_display()}, who tracks it.",
            cite="SMC 3.29.305.A",
            what="to record an answer to this recommendation",
        )
    if kind not in rr.EVENT_TYPES or kind in (rr.ISSUED, rr.WITHDRAWN):
        raise ActionError("kind", f"{kind!r} is not an answer, a progress report or implementation")
    text = required_text("text", text)
    not_future("on", on)
    if on < rec.issued_on:
        raise ActionError("on", f"falls before the recommendation was issued ({rec.issued_on})")
    return _append(user, rec, kind, on, text, by_whom or _signature(user))


def withdraw(user: Any, rec: Recommendation, *, on: dt.date, reason: str) -> RecommendationEvent:
    access.require(user, "withdraw_recommendation")
    if rec.issuer not in bodies_of(user):
        raise access.Refused(
            f"Only the {rec.get_issuer_display()} withdraws what it issued.", what="to withdraw this recommendation"
        )
    reason = required_text("reason", reason)
    not_future("on", on)
    return _append(user, rec, rr.WITHDRAWN, on, reason, _signature(user))


def _signature(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _append(user: Any, rec: Recommendation, kind: str, on: dt.date, text: str, by_whom: str) -> RecommendationEvent:
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
        days, cite = answer_period(rec.issued_on, rec.addressee)
        events = [(e.date, e.type) for e in rec.events.all()]
        try:  # the events must still tell one story (nothing after a withdrawal, no progress before acceptance)
            rr.status(rec.issued_on, [*events, (on, kind)], max(on, timezone.localdate()), days, cite)
        except rr.RecommendationError as e:
            raise ActionError("kind", str(e).split(": ", 1)[-1]) from None
        ev = RecommendationEvent.objects.create(
            recommendation=rec,
            type=kind,
            date=on,
            text=text,
            by_whom=by_whom,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, f"recommendation_{kind}", rec.case, recommendation=rec.number, event=ev.pk)
    return ev


def record_city_notice(
    user: Any, *, kind: str, on: dt.date, text: str, recommendations: list[Recommendation]
) -> CityNotice:
    access.require(user, "record_city_notice")
    kind = _choice("kind", kind, CITY_NOTICE_KINDS)
    text = required_text("text", text)
    not_future("on", on)
    with transaction.atomic():
        notice = CityNotice.objects.create(kind=kind, date=on, text=text, recorded_by=user, recorded_at=timezone.now())
        notice.recommendations.set(recommendations)
        audit(user, "record_city_notice", None, notice=notice.pk, kind=kind)
    return notice


# --------------------------------------------------------------------------
# Management Actions (3.29.030.D): each one a recommendation to SPD in the tracker
# --------------------------------------------------------------------------

# SPD's status of the recommended change -> the tracker's events it stands for.
_MA_EVENTS = {
    "accepted": (rr.ACCEPTED,),
    "implemented": (rr.ACCEPTED, rr.IMPLEMENTED),
    "partially_implemented": (rr.ACCEPTED, rr.PROGRESS),
    "declined": (rr.NOT_ACCEPTED,),
}


def track_management_action(user: Any, ma: Any) -> Recommendation:
    """Called by the discipline actions inside the write that issues the letter (the
    Management Action permission was checked there)."""
    first_line = ma.letter.strip().splitlines()[0][:160] if ma.letter.strip() else "Management Action"
    rec = _create_numbered(
        "opa",
        ma.issued_on.year,
        issuer="opa",
        addressee="spd",
        title=f"Management Action: {first_line}",
        text=ma.letter,
        category="policy",
        issued_on=ma.issued_on,
        source="management_action",
        case=ma.case,
        management_action=ma,
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    return rec


def track_management_action_response(user: Any, ma: Any) -> None:
    """SPD's written response to a Management Action, as the tracker's events (inside the write)."""
    rec = getattr(ma, "tracked", None)
    if rec is None:
        rec = track_management_action(user, ma)
    have = {e.type for e in rec.events.all()}
    for kind in _MA_EVENTS[ma.status]:
        if kind == rr.ACCEPTED and rr.ACCEPTED in have:
            continue
        _append(user, rec, kind, ma.spd_response_on, ma.spd_response, "Seattle Police Department")
        have.add(kind)
