"""The institutions' pages: each body's seats, terms and deadlines (and the public rosters),
OPA's staffing, the scene-response log, SPD's reviews past their limit, and the referrals,
reports and advice of 3.29.300.D-F. Views stay thin: every write is an ``actions`` call; a
refused or invalid form is shown again with what was typed and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.labels import label_for
from oversight.oig.models import WithheldItemization
from oversight.rules import institutions as I

from . import actions
from . import forms as F
from .models import (
    Advice,
    Appointment,
    CivilianizationEvaluation,
    IntegrityReferral,
    ProblemReport,
    Removal,
    SceneResponse,
    StaffMember,
    SwornVacancy,
    Training,
)
from .waiting import overdue_reviews


def _said(e: actions.ActionError) -> str:
    what = label_for("field", e.field)
    return f"{what[:1].upper()}{what[1:]}: {e.message}"


def _attempt(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], done: str) -> str | None:
    """Validate ``form`` and run the action; the message to show when it failed (nothing saved)."""
    if not form.is_valid():
        return "Check the fields marked below."
    try:
        call(form.cleaned_data)
    except actions.ActionError as e:
        return _said(e)
    except PermissionDenied as e:
        return str(e)
    messages.success(request, done)
    return None


def _need(request: HttpRequest, *perms: str) -> None:
    """The page is for whoever holds any of ``perms``; the refusal names the first."""
    if not any(access.may(request.user, p) for p in perms):
        access.require(request.user, perms[0])


# --------------------------------------------------------------------------
# The bodies: seats, terms, deadlines, history
# --------------------------------------------------------------------------


def _codes() -> dict[str, str]:
    return actions.codes()


def _body_or_404(body: str) -> I.BodyRules:
    if body not in I.body_ids(actions.profile()):
        raise Http404("no such body")
    return actions.body_rules(body)


def roster(body: str, today: dt.date) -> dict[str, Any]:
    """What a body's page and its public roster show: every seat with its holder and term, the
    vacancies, what is due by when, and the history of the seats."""
    rules = actions.body_rules(body, today)
    codes = _codes()
    rows = {a.pk: a for a in Appointment.objects.filter(body=body)}
    hist = [actions.tenure(a) for a in rows.values()]
    by_tenure = {id(t): a for t, a in zip(hist, rows.values(), strict=True)}
    seats = []
    for st in I.seat_states(rules, hist, today):
        seats.append(
            {
                "seat": st.seat,
                "authority": codes.get(rules.authority(st.seat), rules.authority(st.seat)),
                "reserved": codes.get(rules.reserved_for(st.seat), "") if rules.reserved_for(st.seat) else "",
                "holder": by_tenure.get(id(st.holder)) if st.holder is not None else None,
                "vacant_since": st.vacant_since,
                "held_over": st.held_over,
                "interim": st.interim,
                "next": next(
                    (a for a in sorted(rows.values(), key=lambda a: a.start) if a.seat == st.seat and a.start > today),
                    None,
                ),
            }
        )
    due = I.deadlines(rules, hist, today, codes)
    terms: list[tuple[str, Any]] = [("Term", f"{rules.term_years.value} years [{rules.term_years.cite}]")]
    if rules.max_terms:
        terms.append(("Term limit", f"{rules.max_terms.value} full terms [{rules.max_terms.cite}]"))
    if rules.term_starts:
        mm, dd = (int(x) for x in str(rules.term_starts.value).split("-"))
        terms.append(("Terms begin", f"{dt.date(2000, mm, dd):%B} {dd} [{rules.term_starts.cite}]"))
    if rules.max_terms_expiring_per_year:
        c = rules.max_terms_expiring_per_year
        terms.append(("Terms ending in one year", f"at most {c.value} [{c.cite}]"))
    if rules.residents_required:
        c = rules.residents_required
        terms.append(("Residency", f"{c.value} of {len(rules.seats.value)} live in the City [{c.cite}]"))
    if rules.interim_within_days:
        c = rules.interim_within_days
        terms.append(("Interim after a vacancy", f"within {c.value} days [{c.cite}]"))
    if rules.council_action_before_end_days:
        c = rules.council_action_before_end_days
        terms.append(("Council action", f"at least {c.value} days before a term ends [{c.cite}]"))
    if rules.fallback_after_days and rules.fallback_authority:
        c, who = rules.fallback_after_days, codes.get(str(rules.fallback_authority.value), "")
        terms.append(("No appointment or new search", f"after {c.value} days, {who} appoints [{c.cite}]"))
    if rules.deemed_confirmed_days:
        c = rules.deemed_confirmed_days
        terms.append(("A nomination without Council action", f"deemed confirmed after {c.value} days [{c.cite}]"))
    if rules.removal_hearing_request_days and rules.removal_hearing_earliest_days and rules.removal_hearing_latest_days:
        a, b, c = (
            rules.removal_hearing_request_days,
            rules.removal_hearing_earliest_days,
            rules.removal_hearing_latest_days,
        )
        terms.append(
            (
                "Removal for cause",
                f"a hearing requested within {a.value} days of the notice, held {b.value} to {c.value} days after "
                f"the request [{c.cite}]",
            )
        )
    if rules.removal_vote_within_days:
        c = rules.removal_vote_within_days
        terms.append(("The Council's vote on a removal", f"within {c.value} days [{c.cite}]"))
    if rules.removal_votes:
        c = rules.removal_votes
        needs = "; ".join(
            f"{I.SHARES[share]} of {codes.get(v, v)}'s members"
            + ("" if v == "council" else " (for the seats it appoints)")
            for v, share in dict(c.value).items()
        )
        terms.append(("Approving a removal", f"{needs} [{c.cite}]"))
    if rules.vacancy_filled_within_days:
        c = rules.vacancy_filled_within_days
        terms.append(("A resignation without notice", f"filled within {c.value} days [{c.cite}]"))
    if rules.no_city_employees and rules.no_city_employees.value:
        terms.append(("Members", f"none a City employee [{rules.no_city_employees.cite}]"))
    removals = []
    for r in Removal.objects.filter(appointment__body=body).select_related("appointment"):
        steps = [] if r.outcome else I.removal_deadlines(rules, r.notice_on, r.hearing_requested_on, r.hearing_on)
        votes = "; ".join(f"{codes.get(v, v)}: {n[0]} of {n[1]} for" for v, n in (r.votes or {}).items())
        form = _step_form(rules, r, codes, auto_id=f"step{r.pk}_%s")
        removals.append({"removal": r, "steps": steps, "form": form, "votes": votes})
    return {
        "removals": removals,
        "body": body,
        "rules": rules,
        "seats": seats,
        "due": due,
        "terms": terms,
        "history": sorted(rows.values(), key=lambda a: (a.start, a.pk), reverse=True),
        "filled": sum(1 for s in seats if s["holder"] is not None),
        "today": today,
    }


def _appointment_form(body: str, data: Any = None) -> F.AppointmentForm:
    rules = actions.body_rules(body)
    codes = _codes()
    seats = [(s, f"Seat {s} ({codes.get(rules.authority(s), rules.authority(s))})") for s in rules.seat_numbers]
    quals = sorted({q for q in (rules.reserved.value.values() if rules.reserved else [])})
    return F.AppointmentForm(data, seats=seats, qualifications=[(q, codes.get(q, q)) for q in quals])


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "open_registry")
    today = timezone.localdate()
    bodies = [roster(b, today) for b in I.body_ids(actions.profile())]
    return render(request, "institutions/index.html", {"bodies": bodies, "today": today})


_ROW_FORMS: dict[str, type] = {
    "end": F.EndForm,
    "confirm": F.ConfirmForm,
    "residency": F.ResidencyForm,
    "removal": F.RemovalForm,
}


def _body_page(request: HttpRequest, body: str, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    ctx = roster(body, timezone.localdate())
    bad = failed.get("form")
    for a in ctx["history"]:
        for name, cls in _ROW_FORMS.items():
            form = bad if bad is not None and failed.get("pk") == a.pk and isinstance(bad, cls) else None
            setattr(a, f"{name}_form", form or cls(auto_id=f"{name}{a.pk}_%s"))
    ctx.update(
        may_record=access.may(request.user, "record_appointment"),
        form=failed.get("appoint") or _appointment_form(body),
        error=failed.get("error"),
        failed_pk=failed.get("pk"),
        step_form=failed.get("step") or F.RemovalStepForm(),
        failed_removal=failed.get("failed_removal"),
    )
    return render(request, "institutions/body.html", ctx, status=400 if failed else 200)


@login_required
def body_view(request: HttpRequest, body: str) -> HttpResponse:
    access.require(request.user, "open_registry")
    _body_or_404(body)
    return _body_page(request, body)


@login_required
@require_POST
def appoint(request: HttpRequest, body: str) -> HttpResponse:
    access.require(request.user, "record_appointment")
    _body_or_404(body)
    form = _appointment_form(body, request.POST)
    error = _attempt(
        request,
        form,
        lambda d: actions.record_appointment(
            request.user,
            body,
            seat=d["seat"],
            person=d["person"],
            kind=d["kind"],
            start=d["start"],
            term_end=d["term_end"],
            qualification=d.get("qualification") or "",
            resides_in_city=d["resides_in_city"],
            works_in_city=d["works_in_city"],
            city_employee=d["city_employee"],
            civilian=d["civilian"],
            nominated_on=d["nominated_on"],
            confirmed_on=d["confirmed_on"],
        ),
        "The appointment was recorded.",
    )
    if error:
        return _body_page(request, body, {"appoint": form, "error": error})
    return redirect("institutions:body", body)


def _on_appointment(
    request: HttpRequest, pk: int, form_cls: type, call: Callable[[Appointment, dict[str, Any]], Any], done: str
) -> HttpResponse:
    access.require(request.user, "record_appointment")
    a = get_object_or_404(Appointment, pk=pk)
    name = next(n for n, c in _ROW_FORMS.items() if c is form_cls)
    form = form_cls(request.POST, auto_id=f"{name}{a.pk}_%s")
    error = _attempt(request, form, lambda d: call(a, d), done)
    if error:
        return _body_page(request, a.body, {"error": error, "pk": a.pk, "form": form})
    return redirect("institutions:body", a.body)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_appointment(
        request,
        pk,
        F.EndForm,
        lambda a, d: actions.end_appointment(request.user, a, on=d["on"], reason=d["reason"]),
        "The end of the tenure was recorded; the seat is vacant.",
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_appointment(
        request,
        pk,
        F.ConfirmForm,
        lambda a, d: actions.confirm_appointment(request.user, a, on=d["on"]),
        "The confirmation was recorded.",
    )


@login_required
@require_POST
def residency(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_appointment(
        request,
        pk,
        F.ResidencyForm,
        lambda a, d: actions.note_residency(request.user, a, days_outside=d["days_outside"]),
        "The residency was noted.",
    )


@login_required
@require_POST
def removal(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_appointment(
        request,
        pk,
        F.RemovalForm,
        lambda a, d: actions.start_removal(request.user, a, notice_on=d["notice_on"], basis=d["basis"]),
        "The notice of intended removal was recorded.",
    )


def _step_form(rules: I.BodyRules, r: Removal, codes: dict[str, str], **kw: Any) -> F.RemovalStepForm:
    """The next step of a removal: the hearing where the section gives one, and the counts of each
    vote the removal needs from that seat (the Council's; CPC's for its own appointees)."""
    authority = r.appointment.authority or rules.authority(r.appointment.seat)
    voters = {v: codes.get(v, v) for v in I.removal_voters(rules, authority)}
    return F.RemovalStepForm(voters=voters, hearing=rules.removal_hearing_request_days is not None, **kw)


@login_required
@require_POST
def removal_step(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "record_appointment")
    r = get_object_or_404(Removal.objects.select_related("appointment"), pk=pk)
    rules = actions.body_rules(r.appointment.body, r.notice_on)
    form = _step_form(rules, r, _codes(), data=request.POST, auto_id=f"step{r.pk}_%s")
    error = _attempt(
        request,
        form,
        lambda d: actions.removal_step(
            request.user, r, step=d["step"], on=d["on"], outcome=d["outcome"], votes=form.votes()
        ),
        "The step was recorded.",
    )
    if error:
        return _body_page(request, r.appointment.body, {"error": error, "step": form, "failed_removal": r.pk})
    return redirect("institutions:body", r.appointment.body)


def public_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bodies = [roster(b, today) for b in I.body_ids(actions.profile())]
    return render(request, "institutions/public_index.html", {"bodies": bodies, "today": today})


def public_body(request: HttpRequest, body: str) -> HttpResponse:
    _body_or_404(body)
    return render(request, "institutions/public_body.html", roster(body, timezone.localdate()))


# --------------------------------------------------------------------------
# OPA's staffing, training and sworn rotations
# --------------------------------------------------------------------------

_STAFFING = ("record_staffing", "evaluate_civilianization", "rotation_list")


def _staffing_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    st = actions.staffing()
    codes = _codes()
    today = timezone.localdate()
    staff = list(StaffMember.objects.all())
    current = [s for s in staff if s.ended_on is None or s.ended_on > today]
    trainees = [s for s in current if s.position in ("investigator", "investigative_supervisor")]
    positions = [(p, codes.get(p, p)) for p in st.positions.value]
    vacancies = list(SwornVacancy.objects.prefetch_related("candidates"))
    for v in vacancies:
        v.position_label = codes.get(v.position, v.position)
        given = {c.source for c in v.candidates.all()}
        v.next_list = sum(1 for s in given if s != "volunteer") < int(st.rotation_lists.value)
        v.select_form = F.SelectForm(
            candidates=[(str(c.pk), f"{c.name}, {c.rank} ({c.get_source_display()})") for c in v.candidates.all()]
        )
    ctx = {
        "rules": st,
        "deadlines": [(codes.get(d.position, d.position), d) for d in I.staffing_deadlines(st)],
        "staff": [
            (s, codes.get(s.position, s.position), I.check_position(st, s.position, s.civilian, today)) for s in current
        ],
        "trainings": Training.objects.select_related("staff"),
        "kinds": {k: codes.get(k, k) for k in st.training_kinds.value},
        "evaluations": CivilianizationEvaluation.objects.all(),
        "vacancies": vacancies,
        "may_staff": access.may(request.user, "record_staffing"),
        "may_evaluate": access.may(request.user, "evaluate_civilianization"),
        "may_list": access.may(request.user, "rotation_list"),
        "staff_form": failed.get("staff") or F.StaffForm(positions=positions),
        "training_form": failed.get("training")
        or F.TrainingForm(
            staff=[(str(s.pk), f"{s.person} ({codes.get(s.position, s.position)})") for s in trainees],
            kinds=[(k, codes.get(k, k)) for k in st.training_kinds.value],
        ),
        "evaluation_form": failed.get("evaluation") or F.EvaluationForm(),
        "vacancy_form": failed.get("vacancy") or F.VacancyForm(),
        "volunteer_form": F.VolunteerForm(),
        "list_form": F.ListForm(),
        "error": failed.get("error"),
        "today": today,
    }
    return render(request, "institutions/staffing.html", ctx, status=400 if failed else 200)


@login_required
def staffing(request: HttpRequest) -> HttpResponse:
    _need(request, *_STAFFING)
    return _staffing_page(request)


def _staff_post(
    request: HttpRequest, perm: str, key: str, form: Any, call: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    access.require(request.user, perm)
    error = _attempt(request, form, call, done)
    if error:
        return _staffing_page(request, {key: form, "error": error})
    return redirect("institutions:staffing")


@login_required
@require_POST
def add_staff(request: HttpRequest) -> HttpResponse:
    st = actions.staffing()
    codes = _codes()
    form = F.StaffForm(request.POST, positions=[(p, codes.get(p, p)) for p in st.positions.value])
    return _staff_post(
        request,
        "record_staffing",
        "staff",
        form,
        lambda d: actions.add_staff(
            request.user,
            person=d["person"],
            position=d["position"],
            civilian=d["civilian"],
            rank=d["rank"],
            started_on=d["started_on"],
        ),
        "The staff member was recorded.",
    )


@login_required
@require_POST
def training(request: HttpRequest) -> HttpResponse:
    st = actions.staffing()
    codes = _codes()
    form = F.TrainingForm(
        request.POST,
        staff=[(str(s.pk), s.person) for s in StaffMember.objects.all()],
        kinds=[(k, codes.get(k, k)) for k in st.training_kinds.value],
    )
    return _staff_post(
        request,
        "record_staffing",
        "training",
        form,
        lambda d: actions.record_training(
            request.user,
            StaffMember.objects.get(pk=d["staff"]),
            kind=d["kind"],
            course=d["course"],
            provider=d["provider"],
            on=d["on"],
            hours=d["hours"],
        ),
        "The training was recorded.",
    )


@login_required
@require_POST
def evaluation(request: HttpRequest) -> HttpResponse:
    return _staff_post(
        request,
        "evaluate_civilianization",
        "evaluation",
        F.EvaluationForm(request.POST),
        lambda d: actions.evaluate_civilianization(request.user, on=d["on"], finding=d["finding"]),
        "OIG's evaluation was recorded.",
    )


@login_required
@require_POST
def vacancy(request: HttpRequest) -> HttpResponse:
    return _staff_post(
        request,
        "record_staffing",
        "vacancy",
        F.VacancyForm(request.POST),
        lambda d: actions.open_sworn_vacancy(request.user, position=d["position"], on=d["on"]),
        "The sworn vacancy was recorded: solicit volunteers for two-year periods.",
    )


@login_required
@require_POST
def volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    v = get_object_or_404(SwornVacancy, pk=pk)
    return _staff_post(
        request,
        "record_staffing",
        "volunteer",
        F.VolunteerForm(request.POST),
        lambda d: actions.add_volunteer(request.user, v, name=d["name"], rank=d["rank"], on=d["on"]),
        "The volunteer was recorded.",
    )


def _names(text: str) -> list[tuple[str, str]]:
    out = []
    for i, line in enumerate(t for t in text.splitlines() if t.strip()):
        name, _, rank = line.partition(",")
        if not rank.strip():
            raise actions.ActionError("names", f"line {i + 1} ({line.strip()!r}) needs a name, a comma and a rank")
        out.append((name.strip(), rank.strip()))
    return out


@login_required
@require_POST
def give_list(request: HttpRequest, pk: int) -> HttpResponse:
    v = get_object_or_404(SwornVacancy, pk=pk)
    return _staff_post(
        request,
        "rotation_list",
        "list",
        F.ListForm(request.POST),
        lambda d: actions.give_list(request.user, v, names=_names(d["names"]), on=d["on"]),
        "The list was given to the Director.",
    )


@login_required
@require_POST
def select(request: HttpRequest, pk: int) -> HttpResponse:
    v = get_object_or_404(SwornVacancy, pk=pk)
    cands = {str(c.pk): c for c in v.candidates.all()}
    form = F.SelectForm(request.POST, candidates=[(k, c.name) for k, c in cands.items()])
    return _staff_post(
        request,
        "record_staffing",
        "select",
        form,
        lambda d: actions.select_candidate(request.user, cands[d["candidate"]], on=d["on"]),
        "The selection was recorded: assigned for two years.",
    )


# --------------------------------------------------------------------------
# Scene responses; SPD's reviews past their limit
# --------------------------------------------------------------------------


def _scenes_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    ctx = {
        "responses": SceneResponse.objects.prefetch_related("follow_ups"),
        "form": failed.get("scene") or F.SceneForm(),
        "follow_form": F.FollowUpForm(),
        "failed_pk": failed.get("pk"),
        "failed_form": failed.get("follow"),
        "error": failed.get("error"),
        "office": actions.office_of(request.user).upper(),
    }
    return render(request, "institutions/scenes.html", ctx, status=400 if failed else 200)


@login_required
def scenes(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "log_scene_response")
    if request.method == "POST":
        form = F.SceneForm(request.POST)
        error = _attempt(
            request,
            form,
            lambda d: actions.log_scene_response(request.user, **d),
            "The response was logged.",
        )
        if error:
            return _scenes_page(request, {"scene": form, "error": error})
        return redirect("institutions:scenes")
    return _scenes_page(request)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "log_scene_response")
    r = get_object_or_404(SceneResponse, pk=pk)
    form = F.FollowUpForm(request.POST)
    error = _attempt(request, form, lambda d: actions.add_scene_follow_up(request.user, r, **d), "The entry was added.")
    if error:
        return _scenes_page(request, {"follow": form, "pk": r.pk, "error": error})
    return redirect("institutions:scenes")


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "review_overdue_reviews")
    rows = overdue_reviews(timezone.localdate())
    for r in rows:
        r["readable"] = access.reads(request.user, r["case"])
    return render(request, "institutions/reviews.html", {"rows": rows})


# --------------------------------------------------------------------------
# Referrals (3.29.300.D), reports to OIG (3.29.300.E), advice (3.29.300.F), withheld records
# --------------------------------------------------------------------------


def _integrity_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    ctx = {
        "referrals": IntegrityReferral.objects.select_related("case"),
        "form": failed.get("new") or F.IntegrityForm(),
        "open_form": F.OpenFromReferralForm(),
        "may_open": access.may(request.user, "open_case"),
        "error": failed.get("error"),
    }
    return render(request, "institutions/integrity.html", ctx, status=400 if failed else 200)


@login_required
def integrity(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "integrity_referral")
    if request.method == "POST":
        form = F.IntegrityForm(request.POST)
        error = _attempt(
            request, form, lambda d: actions.take_integrity_referral(request.user, **d), "The referral was recorded."
        )
        if error:
            return _integrity_page(request, {"new": form, "error": error})
        return redirect("institutions:integrity")
    return _integrity_page(request)


@login_required
@require_POST
def open_referral(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "integrity_referral")
    access.require(request.user, "open_case")
    r = get_object_or_404(IntegrityReferral, pk=pk)
    form = F.OpenFromReferralForm(request.POST)
    opened: list[Any] = []
    error = _attempt(
        request,
        form,
        lambda d: opened.append(actions.open_case_from_referral(request.user, r, category=d["category"])),
        "The investigation of possible misconduct was opened.",
    )
    if error:
        return _integrity_page(request, {"error": error})
    return redirect("cases:detail", opened[0].number)


def _reports_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    handles = access.may(request.user, "handle_city_reports")
    qs = ProblemReport.objects.all() if handles else ProblemReport.objects.filter(reported_by=request.user)
    ctx = {
        "reports": qs,
        "handles": handles,
        "may_report": access.may(request.user, "report_to_oig"),
        "form": failed.get("new") or F.ProblemForm(),
        "answer_form": F.ProblemAnswerForm(),
        "error": failed.get("error"),
    }
    return render(request, "institutions/oig_reports.html", ctx, status=400 if failed else 200)


@login_required
def oig_reports(request: HttpRequest) -> HttpResponse:
    _need(request, "report_to_oig", "handle_city_reports")
    if request.method == "POST":
        access.require(request.user, "report_to_oig")
        form = F.ProblemForm(request.POST)
        error = _attempt(
            request,
            form,
            lambda d: actions.report_to_oig(request.user, **d),
            "The report went to the Inspector General.",
        )
        if error:
            return _reports_page(request, {"new": form, "error": error})
        return redirect("institutions:oig_reports")
    return _reports_page(request)


@login_required
@require_POST
def answer_report(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "handle_city_reports")
    r = get_object_or_404(ProblemReport, pk=pk)
    form = F.ProblemAnswerForm(request.POST)
    error = _attempt(
        request,
        form,
        lambda d: actions.answer_problem_report(request.user, r, status=d["status"], note=d["note"]),
        "The report was updated.",
    )
    if error:
        return _reports_page(request, {"error": error})
    return redirect("institutions:oig_reports")


def _advice_page(request: HttpRequest, failed: dict[str, Any] | None = None) -> HttpResponse:
    failed = failed or {}
    ctx = {
        "advice": Advice.objects.all(),
        "may_advise": access.may(request.user, "city_attorney_advice"),
        "may_answer": access.may(request.user, "acknowledge_advice"),
        "form": failed.get("new") or F.AdviceForm(),
        "answer_form": F.AdviceAnswerForm(),
        "error": failed.get("error"),
    }
    return render(request, "institutions/advice.html", ctx, status=400 if failed else 200)


@login_required
def advice(request: HttpRequest) -> HttpResponse:
    _need(request, "city_attorney_advice", "acknowledge_advice")
    if request.method == "POST":
        access.require(request.user, "city_attorney_advice")
        form = F.AdviceForm(request.POST)
        error = _attempt(request, form, lambda d: actions.give_advice(request.user, **d), "The advice was recorded.")
        if error:
            return _advice_page(request, {"new": form, "error": error})
        return redirect("institutions:advice")
    return _advice_page(request)


@login_required
@require_POST
def answer_advice(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "acknowledge_advice")
    a = get_object_or_404(Advice, pk=pk)
    form = F.AdviceAnswerForm(request.POST)
    error = _attempt(
        request, form, lambda d: actions.answer_advice(request.user, a, text=d["text"], on=d["on"]), "Recorded."
    )
    if error:
        return _advice_page(request, {"error": error})
    return redirect("institutions:advice")


def _items(text: str) -> list[dict[str, str]]:
    out = []
    for i, line in enumerate(t for t in text.splitlines() if t.strip()):
        d, sep, b = line.partition("|")
        if not sep or not d.strip() or not b.strip():
            raise actions.ActionError("items", f"line {i + 1} ({line.strip()!r}) needs: description | legal basis")
        out.append({"description": d.strip(), "legal_basis": b.strip()})
    return out


@login_required
def withheld(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "file_withheld")
    form = F.WithheldForm(request.POST or None)
    error = None
    if request.method == "POST":
        error = _attempt(
            request,
            form,
            lambda d: actions.file_withheld(
                request.user,
                department=d["department"],
                request=d["request"],
                items=_items(d["items"]),
                received_on=d["received_on"],
            ),
            "The itemization went to the Inspector General.",
        )
        if not error:
            return redirect("institutions:withheld")
    return render(
        request,
        "institutions/withheld.html",
        {
            "form": form,
            "error": error,
            "filed": WithheldItemization.objects.filter(recorded_by=request.user).prefetch_related("items"),
        },
        status=400 if error else 200,
    )
