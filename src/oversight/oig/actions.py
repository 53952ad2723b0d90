"""The one door for OIG's writes.

Each function checks the person's OIG role, writes OIG's record, appends the matching
event to the OPA case when the law makes it part of the case (a determination, the
further investigation it directs), and writes OIG's audit entry, all in one
transaction: a refused or failed write leaves nothing behind.

Case events are appended through the cases app's own append path
(``oversight.cases.actions.append_event``), so they join the same hash chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from oversight import access
from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused, User
from oversight.cases.clock import profile_name
from oversight.cases.models import Case, CaseEvent
from oversight.rules import access as OR
from oversight.rules import classification as rules_classification
from oversight.rules import redaction
from oversight.rules import review as rules_review
from oversight.rules.events import CaseError
from oversight.rules.profile import Rules, get_profile
from oversight.rules.sampling import draw

from .models import (
    CERTIFIED,
    CRITERIA,
    FURTHER,
    FURTHER_KINDS,
    HOTLINE_STATUSES,
    HOTLINE_TOPICS,
    OUTCOMES,
    REPORTER_KINDS,
    AuditItem,
    ClassificationAudit,
    ClassificationInput,
    ConflictClassification,
    Determination,
    HotlineMessage,
    HotlineReport,
    OigAuditEntry,
    ReviewDirection,
    ReviewPolicy,
    WithheldItem,
    WithheldItemization,
)
from .review import review_state

__all__ = ["ActionError", "Refused"]

# The sampling rule in the profile that the quarterly audit uses.
AUDIT_SAMPLING_RULE = "classification_audit"
# The hotline code: this many random bytes, shown to the reporter once as URL-safe text.
HOTLINE_CODE_BYTES = 12


# --------------------------------------------------------------------------
# Roles and the audit trail
# --------------------------------------------------------------------------


def oig_roles(user: User) -> frozenset[str]:
    """The OIG roles a user holds (from the one access model)."""
    return access.roles_of(user) & OR.OIG_STAFF


def is_oig(user: User) -> bool:
    return bool(oig_roles(user))


def require(user: User, action: str, case: Case | None = None) -> None:
    access.require(user, action, case)


def _who(user: User) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _audit(user: User, action: str, case: Case | None = None, **detail: Any) -> None:
    OigAuditEntry.objects.create(at=timezone.now(), user=_who(user), action=action, case=case, detail=detail)


def _text(field: str, value: str | None) -> str:
    v = (value or "").strip()
    if not v:
        raise ActionError(field, "is required")
    return v


def _day(field: str, on: dt.date | None) -> dt.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ActionError(field, f"{on.isoformat()} is in the future")
    return on


# --------------------------------------------------------------------------
# The cases app's append path and helpers: the only places this app reaches
# into oversight.cases.actions' internals (so a change there is fixed here once).
# --------------------------------------------------------------------------


def _rules(day: dt.date) -> Rules:
    return get_profile(profile_name()).at(day)


def _lock_case(case: Case) -> Case:
    return case_actions.lock_case(case)


def _check_clock(case: Case, extra: list[dict[str, Any]]) -> None:
    try:
        case_actions.check_clock(case, extra)
    except CaseError as e:
        raise ActionError(extra[0]["type"], str(e).split(": ", 1)[-1]) from None


def _append_case_event(case: Case, type: str, on: dt.date, user: User, data: Mapping[str, Any]) -> CaseEvent:
    """Append to the case's hash-chained log, as the cases actions do. Call inside a transaction."""
    return case_actions.append_event(case, type, on, user, data)


# --------------------------------------------------------------------------
# Which investigations OIG reviews (SMC 3.29.112.A; SMC 3.29.111.B)
# --------------------------------------------------------------------------


def set_review_policy(
    user: User,
    *,
    mode: str,
    chosen: Iterable[str] = (),
    preclassification: bool = False,
    reason: str,
    on: dt.date | None = None,
) -> ReviewPolicy:
    """Switch between reviewing every listed investigation and chosen categories plus
    random audits (Type III force is always reviewed), and pre-classification review on or off."""
    require(user, "set_review_policy")
    on = _day("set_on", on)
    reason = _text("reason", reason)
    if mode not in (rules_review.ALL_MANDATORY, rules_review.CHOSEN_CATEGORIES):
        raise ActionError("mode", f"{mode!r} is not {rules_review.ALL_MANDATORY} or {rules_review.CHOSEN_CATEGORIES}")
    known = set(_rules(on).taxonomies["allegation_categories"].value)
    picked = sorted({c.strip() for c in chosen if c.strip()})
    unknown = [c for c in picked if c not in known]
    if unknown:
        raise ActionError("chosen", f"{', '.join(map(repr, unknown))} is not a policy category")
    if mode == rules_review.ALL_MANDATORY:
        picked = []
    with transaction.atomic():
        p = ReviewPolicy.objects.create(
            mode=mode, chosen=picked, preclassification=bool(preclassification), reason=reason, set_on=on, set_by=user
        )
        _audit(user, "set_review_policy", None, mode=mode, chosen=picked, preclassification=bool(preclassification))
    return p


def direct_review(user: User, case: Case, reason: str, on: dt.date | None = None) -> ReviewDirection:
    """OIG directs, at classification or during the investigation, that this
    investigation be submitted for review (SMC 3.29.112.A.2)."""
    require(user, "direct_review", case)
    reason = _text("reason", reason)
    on = _day("directed_on", on)
    with transaction.atomic():
        case = _lock_case(case)
        if case.closed_on is not None or case.events.filter(type="proposed_findings_issued").exists():
            raise ActionError(
                "case",
                f"{case.number}: OIG may direct review only at classification or during the investigation "
                "[SMC 3.29.112.A.2]",
            )
        d = ReviewDirection.objects.create(case=case, reason=reason, directed_on=on, directed_by=user)
        _audit(user, "direct_review", case)
    return d


def give_classification_input(
    user: User, case: Case, *, proposed: str, concur: bool, comment: str, on: dt.date | None = None
) -> ClassificationInput:
    """OIG's input on a proposed classification (SMC 3.29.111.B)."""
    require(user, "classification_input", case)
    comment = _text("comment", comment)
    on = _day("given_on", on)
    if proposed not in _rules(case.received_on or on).taxonomies["classifications"].value:
        raise ActionError("proposed", f"{proposed!r} is not a classification")
    with transaction.atomic():
        ci = ClassificationInput.objects.create(
            case=case, proposed=proposed, concur=bool(concur), comment=comment, given_on=on, given_by=user
        )
        _audit(user, "classification_input", case, proposed=proposed, concur=bool(concur))
    return ci


# --------------------------------------------------------------------------
# Determinations (SMC 3.29.112.C-H)
# --------------------------------------------------------------------------


def _memorandum(
    case: Case,
    round: int,
    outcome: str,
    on: dt.date,
    criteria: Mapping[str, str],
    reasons: str,
    further_kind: str,
    further: str,
    cannot_remedy: bool,
    by: str,
) -> str:
    lines = [
        "OFFICE OF INSPECTOR GENERAL: CERTIFICATION MEMORANDUM (SMC 3.29.112.F)",
        f"Case: {case.number}",
        f"Review: submission {round}",
        f"Date of review: {on.isoformat()}",
        f"Determination: {dict(OUTCOMES)[outcome]}",
        f"Certified: {'yes' if outcome == CERTIFIED else 'no'}",
        f"Further action requested or directed: {dict(FURTHER_KINDS)[further_kind] if further_kind else 'none'}",
    ]
    if further:
        lines.append(f"Further investigation: {further}")
    if reasons:
        lines.append(f"Reasons: {reasons}")
    if cannot_remedy:
        lines.append(
            "Additional investigation cannot or did not remedy the concern; the OPA Director must include "
            "this determination in the recommended findings (SMC 3.29.112.H)."
        )
    lines.append("Criteria considered (SMC 3.29.112.F.2):")
    for key, label in CRITERIA:
        lines.append(f"  ({key}) {label}: {criteria.get(key) or 'not addressed'}")
    lines.append(f"Recorded by: {by}")
    return "\n".join(lines) + "\n"


def record_determination(
    user: User,
    case: Case,
    outcome: str,
    *,
    criteria: Mapping[str, str],
    reasons: str = "",
    further_kind: str = "",
    further_investigation: str = "",
    cannot_remedy: bool = False,
    on: dt.date | None = None,
) -> Determination:
    """OIG's written determination on the investigation awaiting review; appends
    ``oig_certified`` or ``oig_not_certified`` to the case, and for further
    investigation requested or directed, ``additional_investigation`` (SMC 3.29.026.I)."""
    require(user, "record_determination", case)
    on = _day("decided_on", on)
    if outcome not in dict(OUTCOMES):
        raise ActionError("outcome", f"{outcome!r} is not one of: {', '.join(dict(OUTCOMES))}")
    crit = {k: (criteria.get(k) or "").strip() for k, _ in CRITERIA}
    unknown = sorted(set(criteria) - set(crit))
    if unknown:
        raise ActionError("criteria", f"{unknown[0]!r} is not one of the criteria a to e of SMC 3.29.112.F.2")
    if not any(crit.values()):
        raise ActionError("criteria", "record what OIG found on at least one criterion of SMC 3.29.112.F.2")
    reasons = (reasons or "").strip()
    further_investigation = (further_investigation or "").strip()
    if outcome == CERTIFIED:
        if further_kind or further_investigation:
            raise ActionError("further_kind", "a certified investigation has no further investigation")
        cannot_remedy = False
    else:
        reasons = _text("reasons", reasons)  # F(2) and F(3): the reason is part of the determination
    if outcome == FURTHER:
        if further_kind not in dict(FURTHER_KINDS):
            raise ActionError("further_kind", f"choose one of: {', '.join(dict(FURTHER_KINDS))}")
        if further_kind != "meet_director":
            further_investigation = _text("further_investigation", further_investigation)
        cannot_remedy = False
    elif outcome != CERTIFIED and further_kind:
        raise ActionError("further_kind", "only a determination requesting or directing further investigation has one")
    with transaction.atomic():
        case = _lock_case(case)
        state = review_state(case, on)
        s = state.pending
        if s is None:
            raise ActionError(
                "case",
                f"{case.number} has no investigation awaiting OIG's review: OPA submits an investigation it "
                "believes complete first [SMC 3.29.112.A.1]",
            )
        if on < s.event.date:
            raise ActionError("decided_on", f"falls before the submission on {s.event.date.isoformat()}")
        # Judged by the day it is recorded as well as the day written on it: a determination
        # dated inside the window but recorded after it did not advise OPA in time.
        if outcome == FURTHER and (s.lapsed_on(on) or s.lapsed_on(timezone.localdate())):
            raise Refused(
                f"OIG did not advise OPA of concerns within the review window (due {s.due}); the OPA Director may "
                "certify the case and issue findings, and OIG is precluded from requiring further investigation "
                "[SMC 3.29.112.G]."
            )
        by = user.get_username()  # type: ignore[union-attr]
        memo = _memorandum(
            case, s.round, outcome, on, crit, reasons, further_kind, further_investigation, cannot_remedy, by
        )
        digest = hashlib.sha256(memo.encode()).hexdigest()
        clock_type = "oig_certified" if outcome == CERTIFIED else "oig_not_certified"
        extra: list[dict[str, Any]] = [{"type": clock_type, "date": on.isoformat()}]
        extends = outcome == FURTHER and further_kind in ("directed", "requested")
        reason_text = f"further investigation {further_kind} by OIG: {further_investigation}"
        if extends:
            extra.append({"type": "additional_investigation", "date": on.isoformat(), "reason": reason_text})
        _check_clock(case, extra)
        ev = _append_case_event(
            case,
            clock_type,
            on,
            user,
            {"by": "OIG", "outcome": outcome, "round": s.round, "memorandum_sha256": digest},
        )
        ext = None
        if extends:
            ext = _append_case_event(
                case,
                "additional_investigation",
                on,
                user,
                {"reason": reason_text, "by": "OIG", "cite": "SMC 3.29.026.I"},
            )
        try:
            det = Determination.objects.create(
                case=case,
                submission=s.event,
                review_round=s.round,
                outcome=outcome,
                further_kind=further_kind,
                further_investigation=further_investigation,
                reasons=reasons,
                criteria=crit,
                cannot_remedy=bool(cannot_remedy),
                decided_on=on,
                decided_by=user,
                memorandum=memo,
                memorandum_sha256=digest,
                clock_event=ev,
                extension_event=ext,
            )
        except IntegrityError:
            raise ActionError("case", "OIG already answered this submission") from None
        _audit(user, "record_determination", case, outcome=outcome, round=s.round, further_kind=further_kind)
    return det


# --------------------------------------------------------------------------
# Quarterly classification audit (SMC 3.29.111)
# --------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ActionError("quarter", f"{quarter!r} is not 1, 2, 3 or 4")
    if not 1 <= year <= 9998:
        raise ActionError("year", f"{year!r} is not a year")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


def quarter_population(year: int, quarter: int) -> list[tuple[str, str]]:
    """(case number, classification) of every complaint classified in the quarter, by its
    latest classification in the quarter; sorted by case number."""
    start, end = quarter_bounds(year, quarter)
    latest: dict[str, tuple[tuple[dt.date, int], str]] = {}
    rows = CaseEvent.objects.filter(type="classified", date__gte=start, date__lte=end).values_list(
        "case__number", "date", "seq", "data"
    )
    for number, date, seq, data in rows:
        key = (date, seq)
        if number not in latest or latest[number][0] < key:
            latest[number] = (key, (data or {}).get("classification", ""))
    return sorted((n, v[1]) for n, v in latest.items())


def create_audit(user: User, year: int, quarter: int, seed: int | None = None) -> ClassificationAudit:
    """Draw the quarter's random sample: its size from the profile's stated method, its
    members from a recorded seed; the record keeps the population, method and seed."""
    require(user, "run_audit")
    start, end = quarter_bounds(year, quarter)
    if end >= timezone.localdate():
        raise ActionError("quarter", f"{year} Q{quarter} has not ended: the audit covers a prior quarter")
    if seed is None:
        seed = secrets.randbelow(2**31)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise ActionError("seed", "must be a whole number from 0 to 2^63 - 1")
    rules = _rules(start)
    rule = rules.sampling.get(AUDIT_SAMPLING_RULE)
    if rule is None:
        raise ActionError("profile", f"the profile has no [sampling.{AUDIT_SAMPLING_RULE}]")
    pop = quarter_population(year, quarter)
    classification_of = dict(pop)
    sample = draw([n for n, _ in pop], rule, seed)
    with transaction.atomic():
        if ClassificationAudit.objects.filter(year=year, quarter=quarter).exists():
            raise ActionError("quarter", f"{year} Q{quarter} already has its audit")
        audit = ClassificationAudit.objects.create(
            year=year,
            quarter=quarter,
            population=sample.population,
            population_ids=[n for n, _ in pop],
            size=sample.size,
            seed=seed,
            method=sample.method,
            cite=sample.cite,
            confidence=rule.confidence,
            margin_of_error=rule.margin_of_error,
            expected_proportion=rule.expected_proportion,
            sample=list(sample.chosen),
            created_by=user,
            created_at=timezone.now(),
        )
        cases = {c.number: c for c in Case.objects.filter(number__in=sample.chosen)}
        AuditItem.objects.bulk_create(
            [AuditItem(audit=audit, case=cases[n], classification=classification_of[n]) for n in sample.chosen]
        )
        _audit(
            user,
            "create_audit",
            None,
            year=year,
            quarter=quarter,
            seed=seed,
            size=sample.size,
            population=sample.population,
        )
    return audit


def check_audit_item(
    user: User,
    item: AuditItem,
    *,
    classification_appropriate: bool,
    allegations_identified: bool,
    employees_identified: bool,
    notes: str = "",
) -> AuditItem:
    require(user, "run_audit")
    with transaction.atomic():
        it = AuditItem.objects.select_for_update().select_related("audit").get(pk=item.pk)
        if it.audit.published_on is not None:
            raise ActionError("audit", f"{it.audit} was published on {it.audit.published_on}; it can no longer change")
        it.classification_appropriate = bool(classification_appropriate)
        it.allegations_identified = bool(allegations_identified)
        it.employees_identified = bool(employees_identified)
        it.notes = (notes or "").strip()
        it.checked_by = user
        it.checked_at = timezone.now()
        it.save()
        _audit(
            user,
            "check_audit_item",
            it.case,
            audit=it.audit_id,
            appropriate=it.classification_appropriate,
            allegations=it.allegations_identified,
            employees=it.employees_identified,
        )
    return it


def _people(audit: ClassificationAudit) -> list[redaction.Person]:
    from oversight.cases.models import Complainant, NamedEmployee, Witness

    ids = audit.items.values("case")
    people = [
        redaction.Person(f"Named Employee #{i}", (e.name,), tuple(x for x in (e.serial,) if x))
        for i, e in enumerate(NamedEmployee.objects.filter(case__in=ids).order_by("pk"), 1)
    ]
    people += [
        redaction.Person("a complainant", (c.name,), tuple(x for x in (c.address, c.phone, c.email) if x))
        for c in Complainant.objects.filter(case__in=ids).exclude(name="")
    ]
    people += [redaction.Person("a witness", (w.name,)) for w in Witness.objects.filter(case__in=ids)]
    return people


def public_report_text(audit: ClassificationAudit, findings: str, recommendations: str) -> str:
    items = list(audit.items.all())
    n = len(items)

    def count(attr: str) -> int:
        return sum(1 for i in items if getattr(i, attr))

    people = _people(audit)
    lines = [
        f"Office of Inspector General: classification audit, {audit.year} Q{audit.quarter} (SMC 3.29.111)",
        "",
        f"Population: {audit.population} complaints classified in the quarter.",
        f"Method: {audit.method}.",
        f"Sample: {n} complaints.",
        f"Classification appropriately assigned: {count('classification_appropriate')} of {n}.",
        f"All allegations properly identified: {count('allegations_identified')} of {n}.",
        f"All employees properly identified: {count('employees_identified')} of {n}.",
        "",
        "Findings:",
        redaction.redact(findings, people).text,
        "",
        "Recommendations to OPA (SMC 3.29.111.A):",
        redaction.redact(recommendations, people).text,
        "",
        "This report names no employee (SMC 3.29.125.A).",
    ]
    return "\n".join(lines) + "\n"


def publish_audit(
    user: User, audit: ClassificationAudit, *, findings: str, recommendations: str, on: dt.date | None = None
) -> ClassificationAudit:
    """Record the findings and recommendations and publish the public report, which
    names no employee (SMC 3.29.111.A; SMC 3.29.125.A). Every sampled case must be checked."""
    require(user, "publish_audit")
    findings = _text("findings", findings)
    recommendations = _text("recommendations", recommendations)
    on = _day("published_on", on)
    with transaction.atomic():
        a = ClassificationAudit.objects.select_for_update().get(pk=audit.pk)
        if a.published_on is not None:
            raise ActionError("audit", f"{a} was already published on {a.published_on}")
        unchecked = [i.case.number for i in a.items.select_related("case") if not i.checked]
        if unchecked:
            raise ActionError("items", f"{len(unchecked)} sampled case(s) not yet checked, first {unchecked[0]}")
        a.findings, a.recommendations = findings, recommendations
        a.public_report = public_report_text(a, findings, recommendations)
        a.published_on = on
        a.save(update_fields=["findings", "recommendations", "public_report", "published_on"])
        _audit(user, "publish_audit", None, audit=a.pk)
    return a


# --------------------------------------------------------------------------
# The hotline (SMC 3.29.110.A.17; SMC 3.29.345)
# --------------------------------------------------------------------------


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def hotline_submit(
    *,
    text: str,
    topic: str = "general",
    reporter_kind: str = "public",
    reporter_name: str = "",
    reporter_contact: str = "",
) -> tuple[HotlineReport, str]:
    """Anyone, without an account, anonymously unless they choose otherwise. Returns
    the report and the code the reporter keeps (shown once; only its hash is stored)."""
    text = _text("text", text)
    if topic not in dict(HOTLINE_TOPICS):
        raise ActionError("topic", f"{topic!r} is not one of: {', '.join(dict(HOTLINE_TOPICS))}")
    if reporter_kind not in dict(REPORTER_KINDS):
        raise ActionError("reporter_kind", f"{reporter_kind!r} is not one of: {', '.join(dict(REPORTER_KINDS))}")
    code = secrets.token_urlsafe(HOTLINE_CODE_BYTES)
    now = timezone.now()
    with transaction.atomic():
        r = HotlineReport.objects.create(
            code_hash=_code_hash(code),
            topic=topic,
            reporter_kind=reporter_kind,
            reporter_name=(reporter_name or "").strip(),
            reporter_contact=(reporter_contact or "").strip(),
            received_at=now,
        )
        HotlineMessage.objects.create(report=r, from_reporter=True, text=text, at=now)
        _audit(None, "hotline_submit", None, report=r.pk, topic=topic)
    return r, code


def hotline_find(code: str) -> HotlineReport:
    code = (code or "").strip()
    if not code:
        raise ActionError("code", "is required")
    r = HotlineReport.objects.filter(code_hash=_code_hash(code)).first()
    if r is None:
        raise ActionError("code", "no report has this code; check it and try again")
    return r


def hotline_add(code: str, text: str) -> HotlineMessage:
    """The reporter adds information with their code."""
    text = _text("text", text)
    with transaction.atomic():
        r = hotline_find(code)
        m = HotlineMessage.objects.create(report=r, from_reporter=True, text=text, at=timezone.now())
        _audit(None, "hotline_add", None, report=r.pk)
    return m


def hotline_answer(user: User, report: HotlineReport, *, status: str, text: str = "") -> HotlineReport:
    """OIG changes the report's status and may leave a message the reporter reads with their code."""
    require(user, "handle_hotline")
    if status not in dict(HOTLINE_STATUSES):
        raise ActionError("status", f"{status!r} is not one of: {', '.join(dict(HOTLINE_STATUSES))}")
    with transaction.atomic():
        r = HotlineReport.objects.select_for_update().get(pk=report.pk)
        r.status = status
        r.save(update_fields=["status"])
        if (text or "").strip():
            HotlineMessage.objects.create(report=r, from_reporter=False, text=text.strip(), at=timezone.now(), by=user)
        _audit(user, "hotline_answer", None, report=r.pk, status=status)
    return r


# --------------------------------------------------------------------------
# Records withheld from OIG (SMC 3.29.105.D)
# --------------------------------------------------------------------------


def record_withheld(
    user: User, *, department: str, request: str, items: Iterable[Mapping[str, str]], received_on: dt.date | None = None
) -> WithheldItemization:
    """OIG's staff type in an itemization that reached them."""
    require(user, "record_withheld")
    return write_withheld(user, department=department, request=request, items=items, received_on=received_on)


def write_withheld(
    user: User, *, department: str, request: str, items: Iterable[Mapping[str, str]], received_on: dt.date | None = None
) -> WithheldItemization:
    """The itemization's record, for a door that has asked the access model: OIG's ``record_withheld``
    or a department's own filing (``oversight.institutions.actions.file_withheld``, 3.29.105.D)."""
    department = _text("department", department)
    request = _text("request", request)
    on = _day("received_on", received_on)
    clean = []
    for i, it in enumerate(items):
        clean.append(
            (
                _text(f"items[{i}].description", it.get("description")),
                _text(f"items[{i}].legal_basis", it.get("legal_basis")),
            )
        )
    if not clean:
        raise ActionError("items", "list each document or data withheld, with the legal basis for each")
    with transaction.atomic():
        w = WithheldItemization.objects.create(department=department, request=request, received_on=on, recorded_by=user)
        WithheldItem.objects.bulk_create([WithheldItem(itemization=w, description=d, legal_basis=b) for d, b in clean])
        _audit(user, "record_withheld", None, itemization=w.pk, items=len(clean))
    return w


# --------------------------------------------------------------------------
# Complaints OPA cannot handle for a conflict of interest (SMC 3.29.110.A.11)
# --------------------------------------------------------------------------


def classify_conflict(
    user: User, case: Case, classification: str, rationale: str, on: dt.date | None = None
) -> ConflictClassification:
    """OIG classifies a complaint OPA routed to it, under the profile's classification
    constraints; the case keeps its events and its clock."""
    require(user, "classify_conflict", case)
    rationale = _text("rationale", rationale)
    on = _day("classified_on", on)
    if case.routed_to != "oig":
        raise ActionError("case", f"{case.number} was not routed to OIG for a conflict of interest [SMC 3.29.025.G]")
    rules = _rules(case.received_on or on)
    rules_classification.check(rules, classification, case_actions.allegation_views(case))
    with transaction.atomic():
        cc = ConflictClassification.objects.create(
            case=case, classification=classification, rationale=rationale, classified_on=on, classified_by=user
        )
        _audit(user, "classify_conflict", case, classification=classification)
    return cc
