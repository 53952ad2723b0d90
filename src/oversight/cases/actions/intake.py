"""Intake: a complaint taken in, and its people and allegations added or corrected later.

A correction keeps what it replaces (``PartyRevision``); the log says what changed, by
whom, never the values themselves (they stay in the office's records, read by those the
access model lets read them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight.rules import classification as rules_classification
from oversight.rules.events import parse_case
from oversight.rules.profile import Rules, get_profile

from ..clock import profile_name
from ..models import (
    CHANNELS,
    INTERVIEW_CHOICE,
    REFERRAL_CHANNELS,
    SHIFTS,
    WITNESS_KINDS,
    Allegation,
    Case,
    CaseNote,
    CaseNumber,
    Complainant,
    NamedEmployee,
    PartyRevision,
    Witness,
    event_label,
)
from .base import (
    ActionError,
    User,
    append_event,
    audit,
    check_clock,
    ensure_open,
    lock_case,
    not_future,
    pick,
    require,
    required_text,
    rules_on,
    user_or_none,
)


def next_case_number(year: int) -> str:
    """Seattle's form, e.g. 2026OPA-0001; a number once issued is never issued again."""
    fmt = get_profile(profile_name()).spec.profile.case_number_format
    counter, _ = CaseNumber.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fmt.format(year=year, seq=counter.last)


COMPLAINANT_FIELDS = (
    "anonymous",
    "name",
    "address",
    "phone",
    "email",
    "race",
    "ethnicity",
    "gender",
    "neighbourhood",
    "in_person_interview",
)
EMPLOYEE_FIELDS = (
    "name",
    "serial",
    "rank",
    "unit",
    "assignment",
    "shift",
    "years_of_service",
    "supervisor_name",
    "captain",
    "bargaining_unit",
)
WITNESS_FIELDS = ("kind", "name", "contact")


def limitation_check(
    incident_date: dt.date | None, received_on: dt.date, allegations: Iterable[Mapping[str, Any]]
) -> rules_classification.LimitCheck:
    return rules_classification.limitation(
        rules_on(received_on),
        incident_date,
        received_on,
        [(bool(a.get("criminal")), bool(a.get("concealment"))) for a in allegations],
    )


def open_case(
    user: User,
    *,
    channel: str,
    received_on: dt.date,
    should_have_been_referred_on: dt.date | None = None,
    incident_date: dt.date | None = None,
    incident_time: dt.time | None = None,
    incident_place: str = "",
    precinct: str = "",
    sector: str = "",
    beat: str = "",
    shift: str = "",
    summary: str = "",
    complainants: Iterable[Mapping[str, Any]] = (),
    named_employees: Iterable[Mapping[str, Any]] = (),
    witnesses: Iterable[Mapping[str, Any]] = (),
    allegations: Iterable[Mapping[str, Any]] = (),
) -> Case:
    """Take in a complaint. ``allegations`` name their employee by ``employee`` (index
    into ``named_employees``). Nothing is saved unless all of it is valid."""
    require(user, "open_case")
    if channel not in dict(CHANNELS):
        raise ActionError("channel", f"{channel!r} is not a channel OPA takes complaints from")
    not_future("received_on", received_on)
    if incident_date is not None and incident_date > received_on:
        raise ActionError("incident_date", "falls after the date the complaint reached OPA")
    if should_have_been_referred_on is not None:
        if channel not in REFERRAL_CHANNELS:
            raise ActionError("should_have_been_referred_on", "applies only to a referral (SPD, SPD unit or OIG)")
        if should_have_been_referred_on > received_on:
            raise ActionError("should_have_been_referred_on", "falls after the date the complaint reached OPA")
    employees = [_employee(e, f"named_employees[{i}].") for i, e in enumerate(named_employees)]
    rules = rules_on(received_on)
    alls = [dict(a) for a in allegations]
    for i, a in enumerate(alls):
        idx = a.get("employee")
        if not isinstance(idx, int) or not 0 <= idx < len(employees):
            raise ActionError(f"allegations[{i}].employee", "must name one of the case's named employees")
        _category(rules, a.get("category"), f"allegations[{i}].category")
    comps = [_complainant(c, f"complainants[{i}].") for i, c in enumerate(complainants)]
    wits = [_witness(w, f"witnesses[{i}].") for i, w in enumerate(witnesses)]
    how = "complaint_initiated" if channel == "opa_initiated" else "complaint_received"
    clock_events: list[dict[str, Any]] = []
    if should_have_been_referred_on is not None:
        clock_events.append({"type": "should_have_been_referred", "date": should_have_been_referred_on.isoformat()})
    clock_events.append({"type": how, "date": received_on.isoformat()})
    parse_case({"incident_date": incident_date.isoformat() if incident_date else None, "events": clock_events})
    limit = rules_classification.limitation(
        rules, incident_date, received_on, [(bool(a.get("criminal")), bool(a.get("concealment"))) for a in alls]
    )
    with transaction.atomic():
        case = Case.objects.create(
            number=next_case_number(received_on.year),
            channel=channel,
            received_on=received_on,
            should_have_been_referred_on=should_have_been_referred_on,
            incident_date=incident_date,
            incident_time=incident_time,
            incident_place=incident_place,
            precinct=precinct,
            sector=sector,
            beat=beat,
            shift=shift,
            summary=summary,
        )
        for c in comps:
            Complainant.objects.create(case=case, **pick(c, COMPLAINANT_FIELDS))
        saved = [NamedEmployee.objects.create(case=case, **pick(e, EMPLOYEE_FIELDS)) for e in employees]
        for w in wits:
            Witness.objects.create(case=case, **pick(w, WITNESS_FIELDS))
        for a in alls:
            Allegation.objects.create(
                case=case,
                named_employee=saved[a["employee"]],
                category=a["category"],
                description=a.get("description") or "",
                criminal=bool(a.get("criminal")),
                concealment=bool(a.get("concealment")),
                type_iii_force=bool(a.get("type_iii_force")),
            )
        if should_have_been_referred_on is not None:
            append_event(case, "should_have_been_referred", should_have_been_referred_on, user)
        append_event(case, how, received_on, user, {"channel": channel})
        append_event(
            case,
            "intake_recorded",
            received_on,
            user,
            {
                "complainants": len(comps),
                "anonymous": sum(1 for c in comps if c.get("anonymous")),
                "named_employees": len(employees),
                "witnesses": len(wits),
                "allegations": len(alls),
                "limitation": limit.text(),
            },
        )
        audit(user, "open_case", case, channel=channel, limitation_barred=limit.barred)
    return case


# --------------------------------------------------------------------------
# Checking a person or an allegation as typed
# --------------------------------------------------------------------------


def _complainant(c: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(c).items()}
    if out.get("anonymous"):
        for k in ("name", "address", "phone", "email"):
            out[k] = ""
    elif not str(out.get("name") or "").strip():
        raise ActionError(f"{where}name", "is required unless the complainant is anonymous")
    choice = out.get("in_person_interview")
    if choice is not None and choice not in dict(INTERVIEW_CHOICE):
        raise ActionError(
            f"{where}in_person_interview", f"{choice!r} is not one of: {', '.join(dict(INTERVIEW_CHOICE))}"
        )
    return out


def _employee(e: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(e).items()}
    if not str(out.get("name") or "").strip():
        raise ActionError(f"{where}name", "is required")
    if out.get("shift") and out["shift"] not in dict(SHIFTS):
        raise ActionError(f"{where}shift", f"{out['shift']!r} is not a shift")
    yos = out.get("years_of_service")
    if yos is not None and yos != "" and (not isinstance(yos, int) or yos < 0):
        raise ActionError(f"{where}years_of_service", "must be a whole number of years, 0 or more")
    return out


def _witness(w: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    out = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(w).items()}
    if not str(out.get("name") or "").strip():
        raise ActionError(f"{where}name", "is required")
    if out.get("kind") and out["kind"] not in dict(WITNESS_KINDS):
        raise ActionError(f"{where}kind", f"{out['kind']!r} is not one of: {', '.join(dict(WITNESS_KINDS))}")
    return out


def _category(rules: Rules, category: Any, field: str = "category") -> str:
    if category not in rules.taxonomies["allegation_categories"].value:
        raise ActionError(field, f"{category!r} is not a policy category")
    return str(category)


# --------------------------------------------------------------------------
# After intake: add and correct people and allegations
# --------------------------------------------------------------------------

PARTY_MODELS: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "complainant": (Complainant, COMPLAINANT_FIELDS),
    "named_employee": (NamedEmployee, EMPLOYEE_FIELDS),
    "witness": (Witness, WITNESS_FIELDS),
    "allegation": (
        Allegation,
        ("named_employee_id", "category", "description", "criminal", "concealment", "type_iii_force"),
    ),
}


def which(obj: Any) -> str:
    """How the log names a person or allegation: by role and number, never by name."""
    case = obj.case
    if isinstance(obj, Complainant):
        n = list(case.complainants.order_by("pk").values_list("pk", flat=True)).index(obj.pk) + 1
        return f"Complainant #{n}"
    if isinstance(obj, NamedEmployee):
        n = list(case.named_employees.order_by("pk").values_list("pk", flat=True)).index(obj.pk) + 1
        return f"Named Employee #{n}"
    if isinstance(obj, Witness):
        n = list(case.witnesses.order_by("pk").values_list("pk", flat=True)).index(obj.pk) + 1
        return f"Witness #{n}"
    n = list(case.allegations.order_by("pk").values_list("pk", flat=True)).index(obj.pk) + 1
    return f"Allegation {n}"


def _findings_made(case: Case) -> bool:
    return case.events.filter(type="proposed_findings_issued").exists()


def _still_classifiable(case: Case, rules: Rules, changed: Allegation | None, new_category: str | None) -> None:
    """A classified case must stay one its classification allows (SMC 3.29.025.A)."""
    if not case.classification:
        return
    views = []
    for a in case.allegations.select_related("named_employee"):
        cat = new_category if changed is not None and a.pk == changed.pk and new_category else a.category
        views.append(rules_classification.AllegationView(str(a.named_employee), cat))
    if changed is None and new_category:
        views.append(rules_classification.AllegationView("the new allegation", new_category))
    try:
        rules_classification.check(rules, case.classification, views)
    except rules_classification.ClassificationRefused as e:
        raise ActionError(
            "category",
            f"{e} The case is classified as {rules_classification.label(case.classification)}: reclassify it first.",
        ) from None


def _allegations_open(case: Case) -> None:
    if _findings_made(case):
        raise ActionError(
            "allegation",
            "the proposed findings were made on the allegations as they stood: allegations are no longer "
            "added or changed [SMC 3.29.020.A.7]",
        )


def _added(user: User, case: Case, obj: Any, kind: str, **detail: Any) -> None:
    append_event(case, "party_added", timezone.localdate(), user, {"kind": kind, "which": which(obj), **detail})
    audit(user, f"add_{kind}", case, **{kind: obj.pk})


def add_complainant(user: User, case: Case, **fields: Any) -> Complainant:
    require(user, "edit_parties", case)
    clean = _complainant(fields)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        c = Complainant.objects.create(case=case, **pick(clean, COMPLAINANT_FIELDS))
        _added(user, case, c, "complainant")
    return c


def add_named_employee(user: User, case: Case, **fields: Any) -> NamedEmployee:
    require(user, "edit_parties", case)
    clean = _employee(fields)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ne = NamedEmployee.objects.create(case=case, **pick(clean, EMPLOYEE_FIELDS))
        _added(user, case, ne, "named_employee")
    return ne


def add_witness(user: User, case: Case, **fields: Any) -> Witness:
    require(user, "edit_parties", case)
    clean = _witness(fields)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        w = Witness.objects.create(case=case, **pick(clean, WITNESS_FIELDS))
        _added(user, case, w, "witness")
    return w


def add_allegation(
    user: User,
    case: Case,
    *,
    named_employee: NamedEmployee,
    category: str,
    description: str = "",
    criminal: bool = False,
    concealment: bool = False,
    type_iii_force: bool = False,
) -> Allegation:
    require(user, "edit_parties", case)
    if named_employee.case_id != case.pk:
        raise ActionError("named_employee", "is not named in this case")
    rules = rules_on(case.received_on or timezone.localdate())
    _category(rules, category)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        _allegations_open(case)
        _still_classifiable(case, rules, None, category)
        a = Allegation.objects.create(
            case=case,
            named_employee=named_employee,
            category=category,
            description=(description or "").strip(),
            criminal=bool(criminal),
            concealment=bool(concealment),
            type_iii_force=bool(type_iii_force),
        )
        _added(user, case, a, "allegation", category=category, against=which(named_employee))
    return a


def _revise(user: User, case: Case, obj: Any, kind: str, new: Mapping[str, Any]) -> list[str]:
    """Apply ``new`` to ``obj``, keeping the old values; returns the fields that changed."""
    _, fields = PARTY_MODELS[kind]
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for f in fields:
        if f not in new:
            continue
        old = getattr(obj, f)
        if old != new[f]:
            before[f], after[f] = old, new[f]
            setattr(obj, f, new[f])
    if not after:
        return []
    obj.save(update_fields=list(after))
    PartyRevision.objects.create(
        case=case,
        kind=kind,
        object_id=obj.pk,
        before=before,
        after=after,
        changed_by=user_or_none(user),
        changed_at=timezone.now(),
    )
    changed = sorted(after)
    append_event(
        case, "party_changed", timezone.localdate(), user, {"kind": kind, "which": which(obj), "fields": changed}
    )
    audit(user, f"edit_{kind}", case, **{kind: obj.pk, "fields": changed})
    return changed


def _nothing_changed(kind: str) -> ActionError:
    return ActionError(kind, "nothing was changed")


def edit_complainant(user: User, complainant: Complainant, **fields: Any) -> list[str]:
    case = complainant.case
    require(user, "edit_parties", case)
    current = {k: getattr(complainant, k) for k in COMPLAINANT_FIELDS}
    clean = _complainant({**current, **fields})
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        c = Complainant.objects.select_for_update().get(pk=complainant.pk, case=case)
        changed = _revise(user, case, c, "complainant", pick(clean, COMPLAINANT_FIELDS))
    if not changed:
        raise _nothing_changed("complainant")
    return changed


def edit_named_employee(user: User, named_employee: NamedEmployee, **fields: Any) -> list[str]:
    case = named_employee.case
    require(user, "edit_parties", case)
    current = {k: getattr(named_employee, k) for k in EMPLOYEE_FIELDS}
    clean = _employee({**current, **fields})
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        ne = NamedEmployee.objects.select_for_update().get(pk=named_employee.pk, case=case)
        changed = _revise(user, case, ne, "named_employee", {k: clean.get(k) for k in EMPLOYEE_FIELDS if k in clean})
    if not changed:
        raise _nothing_changed("named_employee")
    return changed


def edit_witness(user: User, witness: Witness, **fields: Any) -> list[str]:
    case = witness.case
    require(user, "edit_parties", case)
    current = {k: getattr(witness, k) for k in WITNESS_FIELDS}
    clean = _witness({**current, **fields})
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        w = Witness.objects.select_for_update().get(pk=witness.pk, case=case)
        changed = _revise(user, case, w, "witness", pick(clean, WITNESS_FIELDS))
    if not changed:
        raise _nothing_changed("witness")
    return changed


def edit_allegation(
    user: User,
    allegation: Allegation,
    *,
    named_employee: NamedEmployee | None = None,
    category: str | None = None,
    description: str | None = None,
    criminal: bool | None = None,
    concealment: bool | None = None,
    type_iii_force: bool | None = None,
) -> list[str]:
    case = allegation.case
    require(user, "edit_parties", case)
    rules = rules_on(case.received_on or timezone.localdate())
    new: dict[str, Any] = {}
    if named_employee is not None:
        if named_employee.case_id != case.pk:
            raise ActionError("named_employee", "is not named in this case")
        new["named_employee_id"] = named_employee.pk
    if category is not None:
        new["category"] = _category(rules, category)
    if description is not None:
        new["description"] = description.strip()
    if criminal is not None:
        new["criminal"] = bool(criminal)
    if concealment is not None:
        new["concealment"] = bool(concealment)
    if type_iii_force is not None:
        new["type_iii_force"] = bool(type_iii_force)
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        _allegations_open(case)
        a = Allegation.objects.select_for_update().get(pk=allegation.pk, case=case)
        _still_classifiable(case, rules, a, new.get("category"))
        changed = _revise(user, case, a, "allegation", new)
    if not changed:
        raise _nothing_changed("allegation")
    return changed


# --------------------------------------------------------------------------
# A failure to refer (SMC 3.29.026.C)
# --------------------------------------------------------------------------

FAILURE_TO_REFER_CATEGORY = "timely_referral"


def failure_to_refer_due(case: Case, today: dt.date) -> str | None:
    """The due date of ``case``'s investigation if a late referral made OPA miss it (the
    failure-to-refer complaint it may open carries that date), else None."""
    from ..clock import timeline

    if not case.events.filter(type="should_have_been_referred").exists():
        return None
    inv = next((d for d in timeline(case, today)["deadlines"] if d["id"] == "investigation"), None)
    if inv is None or inv["status"] not in ("missed", "overdue"):
        return None
    return str(inv["due"])


def open_failure_to_refer(
    user: User,
    underlying: Case,
    *,
    named_employee: Mapping[str, Any],
    determined_on: dt.date,
    summary: str = "",
) -> Case:
    """ "If the failure by an SPD employee to timely refer results in OPA being unable to complete
    an investigation within 180 days, OPA shall initiate a complaint and investigation of the
    failure to timely refer" (SMC 3.29.026.C.2): a new case, initiated by OPA, against the
    employee who failed to refer, whose period is the later of 180 days after the underlying
    period's end and 180 days after ``determined_on`` (the clock's failure_to_refer_determined)."""
    require(user, "open_case")
    require(user, "open_case", underlying)
    not_future("determined_on", determined_on)
    due = failure_to_refer_due(underlying, timezone.localdate())
    if due is None:
        raise ActionError(
            "case",
            f"{underlying.number}'s investigation deadline was not missed after a late referral: there is no "
            "failure to refer to investigate under SMC 3.29.026.C.2",
        )
    if determined_on <= dt.date.fromisoformat(due):
        raise ActionError(
            "determined_on", f"a deadline is found missed after it passed: the underlying deadline was {due}"
        )
    employee = _employee(named_employee, "named_employee.")
    text = (summary or "").strip() or (
        f"OPA initiated this complaint: a late referral of {underlying.number} made OPA unable to complete its "
        f"investigation within the period (due {due}) [SMC 3.29.026.C.2]."
    )
    with transaction.atomic():
        case = open_case(
            user,
            channel="opa_initiated",
            received_on=determined_on,
            summary=text,
            named_employees=[employee],
            allegations=[{"employee": 0, "category": FAILURE_TO_REFER_CATEGORY}],
        )
        check_clock(
            case, [{"type": "failure_to_refer_determined", "date": determined_on.isoformat(), "underlying_due": due}]
        )
        append_event(case, "failure_to_refer_determined", determined_on, user, {"underlying_due": due})
        append_event(case, "failure_to_refer_of", determined_on, user, {"case": underlying.number, "due": due})
        locked = lock_case(underlying)
        append_event(locked, "failure_to_refer_opened", determined_on, user, {"case": case.number})
        audit(user, "open_failure_to_refer", case, underlying=underlying.number, underlying_due=due)
    return case


# --------------------------------------------------------------------------
# SPD's own reviews of an incident (SMC 3.29.335.A, 3.29.300.A)
# --------------------------------------------------------------------------

# What an SPD administrative review unit reports of one review: the clock's events.
INCIDENT_REVIEW_STEPS = {
    "started": "incident_review_started",
    "found_potential_misconduct": "review_found_potential_misconduct",
    "completed": "incident_review_completed",
}


def record_incident_review(user: User, case: Case, *, unit: str, step: str, on: dt.date) -> None:
    """A step of an SPD administrative review behind a referred case: the review began (its
    90 days run from here, 3.29.335.A), it found potential misconduct (to be forwarded to OPA
    in a timely manner: the date the complaint should have been referred, 3.29.300.A), or it
    was completed. A review is named by its unit (the Force Review Board, a collision review)."""
    require(user, "open_case", case)
    unit = required_text("unit", unit)
    etype = INCIDENT_REVIEW_STEPS.get(step)
    if etype is None:
        raise ActionError("step", f"{step!r} is not a step of a review (one of: {', '.join(INCIDENT_REVIEW_STEPS)})")
    not_future("date", on)
    if case.channel not in REFERRAL_CHANNELS:
        raise ActionError("case", "an SPD review is recorded on a complaint referred to OPA by SPD or one of its units")
    with transaction.atomic():
        case = lock_case(case)
        ensure_open(case)
        same = case.events.filter(type=etype, data__unit=unit)
        if same.exists():
            raise ActionError("step", f"already recorded for {unit}: {event_label(etype).lower()} on {same[0].date}")
        if etype == "incident_review_completed" and not case.events.filter(
            type="incident_review_started", data__unit=unit, date__lte=on
        ):
            raise ActionError(
                "step", f"no review by {unit} began on or before {on.isoformat()}: record its start first"
            )
        check_clock(case, [{"type": etype, "date": on.isoformat(), "unit": unit}])
        append_event(case, etype, on, user, {"unit": unit})
        audit(user, "record_incident_review", case, unit=unit, step=step)


# --------------------------------------------------------------------------
# Notes in the case file
# --------------------------------------------------------------------------


def add_note(user: User, case: Case, text: str) -> CaseNote:
    require(user, "add_note", case)
    text = required_text("text", text)
    with transaction.atomic():
        case = lock_case(case)
        note = CaseNote.objects.create(case=case, text=text, added_by=user, added_at=timezone.now())
        append_event(case, "note_added", timezone.localdate(), user, {"note": note.pk})
        audit(user, "add_note", case, note=note.pk)
    return note


__all__ = [
    "COMPLAINANT_FIELDS",
    "EMPLOYEE_FIELDS",
    "WITNESS_FIELDS",
    "PARTY_MODELS",
    "add_allegation",
    "add_complainant",
    "add_named_employee",
    "add_note",
    "add_witness",
    "edit_allegation",
    "edit_complainant",
    "edit_named_employee",
    "edit_witness",
    "limitation_check",
    "next_case_number",
    "failure_to_refer_due",
    "open_case",
    "open_failure_to_refer",
    "record_incident_review",
    "which",
]
