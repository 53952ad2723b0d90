"""The one door for the institutions' writes: each function asks the access model, checks the
rule of Chapter 3.29 it touches (``oversight.rules.institutions``, the profile's dated values),
writes the record and its audit entry in one transaction. A write that breaks a rule of the
chapter is refused with the rule's citation (``RuleBroken``) and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases import actions as case_actions
from oversight.cases.actions import ActionError, Refused, User, audit, not_future, required_text
from oversight.cases.clock import profile_name
from oversight.rules import access as A
from oversight.rules import institutions as I
from oversight.rules.profile import Profile, get_profile

from .models import (
    ADVICE_SOURCES,
    END_REASONS,
    FOLLOW_KINDS,
    OFFICES,
    REFERRERS,
    REPORT_STATUSES,
    SCENE_KINDS,
    SOURCES,
    Advice,
    Appointment,
    CivilianizationEvaluation,
    IntegrityReferral,
    ProblemReport,
    Removal,
    SceneFollowUp,
    SceneResponse,
    StaffMember,
    SwornCandidate,
    SwornVacancy,
    Training,
)

__all__ = ["ActionError", "Refused", "RuleBroken"]


class RuleBroken(ActionError):
    """An action that would break a rule of the chapter: every breach, each with its citation."""

    def __init__(self, breaches: Iterable[I.Breach]) -> None:
        self.breaches = list(breaches)
        first = self.breaches[0]
        super().__init__(first.field, "; ".join(str(b) for b in self.breaches))


def profile() -> Profile:
    return get_profile(profile_name())


def body_rules(body: str, day: dt.date | None = None) -> I.BodyRules:
    try:
        return I.body_rules(profile(), body, day or timezone.localdate())
    except KeyError:
        raise ActionError(
            "body", f"{body!r} is not a body of the profile ({', '.join(I.body_ids(profile()))})"
        ) from None


def codes() -> dict[str, str]:
    return I.labels(profile())


def tenure(a: Appointment) -> I.Tenure:
    return I.Tenure(
        person=a.person,
        seat=a.seat,
        kind=a.kind,
        start=a.start,
        term_end=a.term_end,
        ended_on=a.ended_on,
        end_reason=a.end_reason,
        authority=a.authority,
        resides_in_city=a.resides_in_city,
        works_in_city=a.works_in_city,
        lived_outside_city_days=a.lived_outside_city_days,
        city_employee=a.city_employee,
        civilian=a.civilian,
        qualification=a.qualification,
        nominated_on=a.nominated_on,
        confirmed_on=a.confirmed_on,
    )


def history(body: str) -> list[I.Tenure]:
    return [tenure(a) for a in Appointment.objects.filter(body=body)]


def _bool(v: Any) -> bool:
    return bool(v) and str(v).lower() not in ("0", "false", "off", "no")


def record_appointment(
    user: User,
    body: str,
    *,
    seat: str = "",
    person: str,
    kind: str,
    start: dt.date,
    term_end: dt.date | None = None,
    authority: str = "",
    resides_in_city: bool = True,
    works_in_city: bool = False,
    city_employee: bool = False,
    civilian: bool = True,
    qualification: str = "",
    nominated_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> Appointment:
    """An appointment, reappointment or interim designation to a body's seat. A full term's end is
    the profile's term from its start; the rest of a vacated term ends with the term it completes;
    an interim serves until a successor. Refused, with the citation, when it breaks a rule."""
    access.require(user, "record_appointment")
    rules = body_rules(body, start)
    person = required_text("person", person)
    seat = (seat or "").strip() or ("1" if len(rules.seats.value) == 1 else "")
    seat = required_text("seat", seat)
    if kind not in I.KINDS:
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(I.KINDS)}")
    authority = authority or rules.authority(seat)
    for field, day in (("nominated_on", nominated_on), ("confirmed_on", confirmed_on)):
        if day is not None:
            not_future(field, day)
    if nominated_on and confirmed_on and confirmed_on < nominated_on:
        raise ActionError("confirmed_on", "falls before the nomination")
    with transaction.atomic():
        past = list(Appointment.objects.select_for_update().filter(body=body))
        if kind == I.FULL and term_end is None:
            term_end = I.term_end(rules, start)
        if kind == I.MID_TERM and term_end is None:
            before = [a for a in past if a.seat == seat and a.term_end and a.start < start and a.kind != I.INTERIM]
            if not before:
                raise ActionError("term_end", "the rest of which term? give the day it ends")
            term_end = max(before, key=lambda a: a.start).term_end
        if kind == I.INTERIM:
            term_end = None
        proposed = I.Tenure(
            person=person,
            seat=seat,
            kind=kind,
            start=start,
            term_end=term_end,
            authority=authority,
            resides_in_city=resides_in_city,
            works_in_city=works_in_city,
            city_employee=city_employee,
            civilian=civilian,
            qualification=qualification,
            nominated_on=nominated_on,
            confirmed_on=confirmed_on,
        )
        other = rules.terms_apart_from_body
        other_terms = (
            (
                body_rules(other.value, start).label,
                {a.start.year for a in Appointment.objects.filter(body=other.value, kind=I.FULL)},
            )
            if other
            else ("", ())
        )
        breaches = I.check_appointment(
            rules,
            proposed,
            [tenure(a) for a in past],
            codes(),
            appointed_on=timezone.localdate(),
            other_terms=other_terms,
        )
        if breaches:
            raise RuleBroken(breaches)
        now = timezone.now()
        # a successor takes the seat from an interim (and from one held over past their term)
        for a in past:
            if a.seat == seat and a.ended_on is None and a.start < start:
                same = a.person.strip().casefold() == person.casefold()
                if a.kind == I.INTERIM or same or (a.term_end is not None and a.term_end < start):
                    a.ended_on, a.end_reason = start, "term_expired" if a.kind != I.INTERIM else "other"
                    a.save(update_fields=["ended_on", "end_reason"])
        row = Appointment.objects.create(
            body=body,
            seat=seat,
            person=person,
            kind=kind,
            authority=authority,
            start=start,
            term_end=term_end,
            resides_in_city=resides_in_city,
            works_in_city=works_in_city,
            city_employee=city_employee,
            civilian=civilian,
            qualification=qualification,
            nominated_on=nominated_on,
            confirmed_on=confirmed_on,
            recorded_by=user,
            recorded_at=now,
        )
        audit(user, "record_appointment", None, body=body, seat=seat, appointment=row.pk, kind=kind)
    return row


def end_appointment(user: User, appointment: Appointment, *, on: dt.date, reason: str) -> Appointment:
    """A tenure ends (a resignation, a removal, a successor): its seat is vacant from ``on``."""
    access.require(user, "record_appointment")
    if reason not in dict(END_REASONS):
        raise ActionError("reason", f"{reason!r} is not one of: {', '.join(dict(END_REASONS))}")
    with transaction.atomic():
        a = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if a.ended_on is not None:
            raise ActionError("appointment", f"{a.person}'s tenure already ended on {a.ended_on}")
        if on < a.start:
            raise ActionError("on", f"falls before the tenure began ({a.start})")
        not_future("on", on)
        a.ended_on, a.end_reason = on, reason
        a.save(update_fields=["ended_on", "end_reason"])
        audit(user, "end_appointment", None, body=a.body, appointment=a.pk, reason=reason)
    return a


def confirm_appointment(user: User, appointment: Appointment, *, on: dt.date) -> Appointment:
    """The Council's confirmation of a nomination."""
    access.require(user, "record_appointment")
    not_future("on", on)
    with transaction.atomic():
        a = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if a.confirmed_on is not None:
            raise ActionError("appointment", f"already confirmed on {a.confirmed_on}")
        if a.nominated_on is not None and on < a.nominated_on:
            raise ActionError("on", f"falls before the nomination ({a.nominated_on})")
        a.confirmed_on = on
        a.save(update_fields=["confirmed_on"])
        audit(user, "confirm_appointment", None, body=a.body, appointment=a.pk)
    return a


def note_residency(user: User, appointment: Appointment, *, days_outside: int) -> Appointment:
    """The longest period of the term the Commissioner lived outside the City (3.29.215.C.4)."""
    access.require(user, "record_appointment")
    if days_outside < 0:
        raise ActionError("days_outside", "must not be negative")
    with transaction.atomic():
        a = Appointment.objects.select_for_update().get(pk=appointment.pk)
        a.lived_outside_city_days = days_outside
        a.save(update_fields=["lived_outside_city_days"])
        audit(user, "note_residency", None, body=a.body, appointment=a.pk, days=days_outside)
    return a


# --------------------------------------------------------------------------
# OPA's staffing, training and sworn rotations (3.29.028, 3.29.315.H)
# --------------------------------------------------------------------------


def staffing() -> I.StaffingRules:
    return I.staffing_rules(profile(), timezone.localdate())


def add_staff(
    user: User, *, person: str, position: str, civilian: bool, started_on: dt.date, rank: str = ""
) -> StaffMember:
    access.require(user, "record_staffing")
    person = required_text("person", person)
    breach = I.check_position(staffing(), position, civilian, started_on)
    if breach is not None:
        raise RuleBroken([breach])
    if not civilian and not (rank or "").strip():
        raise ActionError("rank", "a sworn member's rank is required")
    with transaction.atomic():
        s = StaffMember.objects.create(
            person=person,
            position=position,
            civilian=civilian,
            rank=(rank or "").strip(),
            started_on=started_on,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "add_staff", None, staff=s.pk, position=position, civilian=civilian)
    return s


def record_training(
    user: User, staff: StaffMember, *, kind: str, course: str, provider: str, on: dt.date, hours: int | None = None
) -> Training:
    access.require(user, "record_staffing")
    st = staffing()
    if kind not in st.training_kinds.value:
        raise ActionError("kind", f"{kind!r} is not a kind of training ({', '.join(st.training_kinds.value)})")
    if staff.position not in ("investigator", "investigative_supervisor"):
        raise ActionError("staff", "the training of 3.29.028.G is of investigators and investigative supervisors")
    not_future("on", on)
    with transaction.atomic():
        t = Training.objects.create(
            staff=staff,
            kind=kind,
            course=required_text("course", course),
            provider=required_text("provider", provider),
            on=on,
            hours=hours,
            recorded_by=user,
        )
        audit(user, "record_training", None, staff=staff.pk, training=t.pk, kind=kind)
    return t


def evaluate_civilianization(user: User, *, on: dt.date, finding: str) -> CivilianizationEvaluation:
    """OIG's evaluation, with the mix of civilian and sworn intake and investigators counted on the day."""
    access.require(user, "evaluate_civilianization")
    not_future("on", on)
    finding = required_text("finding", finding)
    staff = StaffMember.objects.filter(position__in=("intake", "investigator"), started_on__lte=on).exclude(
        ended_on__lte=on
    )
    with transaction.atomic():
        e = CivilianizationEvaluation.objects.create(
            on=on,
            civilian=staff.filter(civilian=True).count(),
            sworn=staff.filter(civilian=False).count(),
            finding=finding,
            recorded_by=user,
        )
        audit(user, "evaluate_civilianization", None, evaluation=e.pk)
    return e


def open_sworn_vacancy(user: User, *, position: str, on: dt.date) -> SwornVacancy:
    access.require(user, "record_staffing")
    if position not in ("intake", "investigator"):
        raise ActionError("position", "sworn rotations fill intake and investigator positions (3.29.315.H)")
    not_future("on", on)
    with transaction.atomic():
        v = SwornVacancy.objects.create(position=position, opened_on=on, recorded_by=user)
        audit(user, "open_sworn_vacancy", None, vacancy=v.pk)
    return v


def add_volunteer(user: User, vacancy: SwornVacancy, *, name: str, rank: str, on: dt.date) -> SwornCandidate:
    access.require(user, "record_staffing")
    return _candidate(user, vacancy, name, rank, "volunteer", on)


def give_list(user: User, vacancy: SwornVacancy, *, names: list[tuple[str, str]], on: dt.date) -> list[SwornCandidate]:
    """The Chief's list of acting sergeants or sergeants (its first or second, 3.29.315.H)."""
    access.require(user, "rotation_list")
    st = staffing()
    given = sorted({c.source for c in vacancy.candidates.exclude(source="volunteer")})
    breach = I.rotation_problem(st, I.RotationState(0, [0] * len(given)), len(names))
    if breach is not None:
        raise RuleBroken([breach])
    source = f"list_{len(given) + 1}"
    with transaction.atomic():
        out = [_candidate(user, vacancy, n, r, source, on) for n, r in names]
    return out


def _candidate(user: User, vacancy: SwornVacancy, name: str, rank: str, source: str, on: dt.date) -> SwornCandidate:
    if vacancy.filled_on is not None:
        raise ActionError("vacancy", f"filled on {vacancy.filled_on}")
    if source not in dict(SOURCES):
        raise ActionError("source", f"{source!r} is not a source")
    not_future("on", on)
    with transaction.atomic():
        c = SwornCandidate.objects.create(
            vacancy=vacancy,
            name=required_text("name", name),
            rank=required_text("rank", rank),
            source=source,
            given_on=on,
            recorded_by=user,
        )
        audit(user, "sworn_candidate", None, vacancy=vacancy.pk, source=source)
    return c


def select_candidate(user: User, candidate: SwornCandidate, *, on: dt.date) -> StaffMember:
    """The Director selects a volunteer or a name from the Chief's lists: assigned for two years."""
    access.require(user, "record_staffing")
    not_future("on", on)
    st = staffing()
    with transaction.atomic():
        v = SwornVacancy.objects.select_for_update().get(pk=candidate.vacancy_id)
        if v.filled_on is not None:
            raise ActionError("vacancy", f"filled on {v.filled_on}")
        s = StaffMember.objects.create(
            person=candidate.name,
            position=v.position,
            civilian=False,
            rank=candidate.rank,
            started_on=on,
            assigned_until=I.add_years(on, int(st.rotation_years.value)) - dt.timedelta(days=1),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        v.filled_by, v.filled_on = s, on
        v.save(update_fields=["filled_by", "filled_on"])
        audit(user, "select_sworn", None, vacancy=v.pk, staff=s.pk, source=candidate.source)
    return s


# --------------------------------------------------------------------------
# Scene responses (3.29.020.A.12, 3.29.025.C, 3.29.110.A.4)
# --------------------------------------------------------------------------


def office_of(user: User) -> str:
    roles = access.roles_of(user)
    return "oig" if roles & A.OIG_STAFF and not roles & A.OPA_STAFF else "opa"


def log_scene_response(
    user: User,
    *,
    kind: str,
    incident_on: dt.date,
    place: str,
    responders: str,
    access_given: bool = True,
    notes: str = "",
    office: str = "",
) -> SceneResponse:
    access.require(user, "log_scene_response")
    if kind not in dict(SCENE_KINDS):
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(dict(SCENE_KINDS))}")
    office = office or office_of(user)
    if office not in dict(OFFICES):
        raise ActionError("office", f"{office!r} is not OPA or OIG")
    roles = access.roles_of(user)
    if (office == "oig" and not roles & A.OIG_STAFF) or (office == "opa" and not roles & A.OPA_STAFF):
        raise ActionError("office", "each office logs its own responses")
    not_future("incident_on", incident_on)
    with transaction.atomic():
        r = SceneResponse.objects.create(
            office=office,
            kind=kind,
            incident_on=incident_on,
            place=required_text("place", place),
            responders=required_text("responders", responders),
            access_given=access_given,
            notes=(notes or "").strip(),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "log_scene_response", None, response=r.pk, office=office, kind=kind)
    return r


def add_scene_follow_up(
    user: User, response: SceneResponse, *, kind: str, on: dt.date, text: str, attended_by: str = ""
) -> SceneFollowUp:
    access.require(user, "log_scene_response")
    if kind not in dict(FOLLOW_KINDS):
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(dict(FOLLOW_KINDS))}")
    not_future("on", on)
    if on < response.incident_on:
        raise ActionError("on", f"falls before the incident ({response.incident_on})")
    with transaction.atomic():
        f = SceneFollowUp.objects.create(
            response=response,
            kind=kind,
            on=on,
            attended_by=(attended_by or "").strip(),
            text=required_text("text", text),
            recorded_by=user,
        )
        audit(user, "scene_follow_up", None, response=response.pk, kind=kind)
    return f


# --------------------------------------------------------------------------
# Referrals, reports and advice (3.29.300.D-F)
# --------------------------------------------------------------------------


def take_integrity_referral(
    user: User, *, received_on: dt.date, referrer: str, referrer_name: str, officer: str, concern: str
) -> IntegrityReferral:
    access.require(user, "integrity_referral")
    if referrer not in dict(REFERRERS):
        raise ActionError("referrer", f"{referrer!r} is not one of: {', '.join(dict(REFERRERS))}")
    not_future("received_on", received_on)
    with transaction.atomic():
        r = IntegrityReferral.objects.create(
            received_on=received_on,
            referrer=referrer,
            referrer_name=required_text("referrer_name", referrer_name),
            officer=required_text("officer", officer),
            concern=required_text("concern", concern),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "integrity_referral", None, referral=r.pk, referrer=referrer)
    return r


def open_case_from_referral(user: User, referral: IntegrityReferral, *, category: str) -> Any:
    """OPA opens the investigation of possible misconduct: a complaint received on the referral's day
    by the criminal justice channel, naming the officer, with an honesty or integrity allegation."""
    access.require(user, "integrity_referral")
    access.require(user, "open_case")
    if category not in ("honesty", "integrity"):
        raise ActionError("category", "a referral of 3.29.300.D is about integrity or honesty")
    with transaction.atomic():
        r = IntegrityReferral.objects.select_for_update().get(pk=referral.pk)
        if r.case_id is not None:
            raise ActionError("referral", f"already opened as {r.case.number}")
        case = case_actions.open_case(
            user,
            channel="justice_referral",
            received_on=r.received_on,
            summary=f"Referred by {r.get_referrer_display().lower()} ({r.referrer_name}): {r.concern}",
            complainants=[{"name": r.referrer_name}],
            named_employees=[{"name": r.officer}],
            allegations=[{"employee": 0, "category": category}],
        )
        r.case = case
        r.save(update_fields=["case"])
        audit(user, "integrity_referral_opened", case, referral=r.pk)
    return case


def report_to_oig(user: User, *, entity: str, reported_on: dt.date, problem: str) -> ProblemReport:
    access.require(user, "report_to_oig")
    not_future("reported_on", reported_on)
    with transaction.atomic():
        r = ProblemReport.objects.create(
            entity=required_text("entity", entity),
            reported_on=reported_on,
            problem=required_text("problem", problem),
            reported_by=user,
            reported_at=timezone.now(),
        )
        audit(user, "report_to_oig", None, report=r.pk)
    return r


def answer_problem_report(user: User, report: ProblemReport, *, status: str, note: str = "") -> ProblemReport:
    access.require(user, "handle_city_reports")
    if status not in dict(REPORT_STATUSES):
        raise ActionError("status", f"{status!r} is not one of: {', '.join(dict(REPORT_STATUSES))}")
    with transaction.atomic():
        r = ProblemReport.objects.select_for_update().get(pk=report.pk)
        r.status = status
        if (note or "").strip():
            r.oig_note = note.strip()
        r.save(update_fields=["status", "oig_note"])
        audit(user, "answer_problem_report", None, report=r.pk, status=status)
    return r


def give_advice(user: User, *, source: str, on: dt.date, issue: str) -> Advice:
    access.require(user, "city_attorney_advice")
    if source not in dict(ADVICE_SOURCES):
        raise ActionError("source", f"{source!r} is not one of: {', '.join(dict(ADVICE_SOURCES))}")
    not_future("on", on)
    with transaction.atomic():
        a = Advice.objects.create(
            source=source,
            on=on,
            issue=required_text("issue", issue),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "city_attorney_advice", None, advice=a.pk, source=source)
    return a


def answer_advice(user: User, advice: Advice, *, text: str, on: dt.date) -> Advice:
    """The Director (for OPA) or the Chief (for SPD) records what was done with the advice."""
    access.require(user, "acknowledge_advice")
    roles = access.roles_of(user)
    text = required_text("text", text)
    not_future("on", on)
    with transaction.atomic():
        a = Advice.objects.select_for_update().get(pk=advice.pk)
        if on < a.on:
            raise ActionError("on", f"falls before the advice ({a.on})")
        if A.DIRECTOR in roles:
            a.director_answer, a.director_answered_on = text, on
        else:
            a.chief_answer, a.chief_answered_on = text, on
        a.save()
        audit(user, "answer_advice", None, advice=a.pk)
    return a


# --------------------------------------------------------------------------
# Records withheld from OIG, filed by the department (3.29.105.D)
# --------------------------------------------------------------------------


def file_withheld(
    user: User, *, department: str, request: str, items: Iterable[dict[str, str]], received_on: dt.date | None = None
) -> Any:
    """A department's records officer files its itemization itself: OIG's own record of it."""
    from oversight.oig import actions as oig_actions

    access.require(user, "file_withheld")
    return oig_actions.write_withheld(
        user, department=department, request=request, items=items, received_on=received_on
    )


# --------------------------------------------------------------------------
# Removal for cause (3.29.020.C.5, 3.29.114.E)
# --------------------------------------------------------------------------

REMOVAL_STEPS = ("hearing_requested", "hearing", "vote")


def start_removal(user: User, appointment: Appointment, *, notice_on: dt.date, basis: str) -> Removal:
    """The written notice specifying the basis for the intended removal."""
    access.require(user, "record_appointment")
    rules = body_rules(appointment.body, notice_on)
    if rules.removal_hearing_request_days is None and rules.removal_votes is None:
        raise ActionError("appointment", f"the chapter sets no removal procedure of its own for {rules.label}")
    not_future("notice_on", notice_on)
    if appointment.ended_on is not None:
        raise ActionError("appointment", f"{appointment.person}'s tenure ended on {appointment.ended_on}")
    with transaction.atomic():
        r = Removal.objects.create(
            appointment=appointment, notice_on=notice_on, basis=required_text("basis", basis), recorded_by=user
        )
        audit(user, "start_removal", None, body=appointment.body, removal=r.pk)
    return r


def removal_step(
    user: User,
    removal: Removal,
    *,
    step: str,
    on: dt.date,
    outcome: str = "",
    votes: dict[str, tuple[int, int]] | None = None,
) -> Removal:
    """A request for a hearing (within the days after the notice), the hearing (not sooner than the
    section's days after the request), or the vote: an approval stands only with the votes the
    section needs, each of its share of the voters' members (``votes``: voter -> (for, members));
    an approved removal ends the tenure."""
    access.require(user, "record_appointment")
    if step not in REMOVAL_STEPS:
        raise ActionError("step", f"{step!r} is not one of: {', '.join(REMOVAL_STEPS)}")
    with transaction.atomic():
        r = Removal.objects.select_for_update().select_related("appointment").get(pk=removal.pk)
        rules = body_rules(r.appointment.body, r.notice_on)
        if r.outcome:
            raise ActionError("removal", f"the Council voted on {r.vote_on}")
        if step != "vote" and rules.removal_hearing_request_days is None:
            raise ActionError("step", f"the chapter gives no hearing on the removal of a member of {rules.label}")
        if step == "hearing_requested":
            req = rules.removal_hearing_request_days
            if req is not None and on > r.notice_on + dt.timedelta(days=int(req.value)):
                raise RuleBroken(
                    [
                        I.Breach(
                            "on",
                            f"a hearing is requested within {req.value} days of the notice ({r.notice_on})",
                            req.cite,
                        )
                    ]
                )
            r.hearing_requested_on = on
        elif step == "hearing":
            earliest = rules.removal_hearing_earliest_days
            if r.hearing_requested_on is None:
                raise ActionError("step", "no hearing was requested")
            if earliest is not None and on < r.hearing_requested_on + dt.timedelta(days=int(earliest.value)):
                raise RuleBroken(
                    [
                        I.Breach(
                            "on",
                            f"the hearing is held not sooner than {earliest.value} days after the request "
                            f"({r.hearing_requested_on})",
                            earliest.cite,
                        )
                    ]
                )
            r.hearing_on = on
        else:
            if outcome not in ("approved", "not_approved"):
                raise ActionError("outcome", "the vote approves the removal or does not")
            if r.hearing_requested_on is not None and r.hearing_on is None:
                raise ActionError("step", "a hearing was requested: record it before the vote")
            votes = votes or {}
            if outcome == "approved":
                authority = r.appointment.authority or rules.authority(r.appointment.seat)
                breaches = I.check_removal_vote(rules, authority, votes, codes())
                if breaches:
                    raise RuleBroken(breaches)
            r.vote_on, r.outcome = on, outcome
            r.votes = {k: list(v) for k, v in votes.items()}
        if on < r.notice_on:
            raise ActionError("on", f"falls before the notice ({r.notice_on})")
        not_future("on", on)
        r.save()
        if step == "vote" and outcome == "approved":
            a = r.appointment
            a.ended_on, a.end_reason = on, "removed"
            a.save(update_fields=["ended_on", "end_reason"])
        audit(user, "removal_step", None, removal=r.pk, step=step, outcome=outcome, votes=r.votes)
    return r
