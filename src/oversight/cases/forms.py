"""Forms: they parse and check what a person typed; the actions do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from oversight.labels import category_label, classification_label
from oversight.rules import access as R
from oversight.rules import classification as rc

from .clock import rules_for
from .models import (
    CHANNELS,
    INTERVIEW_CHOICE,
    PRECINCTS,
    SHIFTS,
    SUBPOENA_STATUSES,
    WITNESS_KINDS,
)

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


def category_choices() -> list[tuple[str, str]]:
    """The profile's allegation categories, each with the profile's label."""
    today = timezone.localdate()
    rules = rules_for(today)
    review = rules.oig_review_categories
    return [("", "—")] + [
        (c, category_label(c, today) + (" (OIG mandatory review)" if c in review else ""))
        for c in rules.taxonomies["allegation_categories"].value
    ]


def classification_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    return [(c, classification_label(c, today)) for c in rules_for(today).taxonomies["classifications"].value]


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(choices=CHANNELS, label="How the complaint reached OPA")
    received_on = forms.DateField(widget=DATE, label="Date it reached OPA")
    should_have_been_referred_on = forms.DateField(
        widget=DATE, required=False, label="For a referral: the date it should have been referred"
    )
    incident_date = forms.DateField(widget=DATE, required=False)
    incident_time = forms.TimeField(widget=TIME, required=False)
    incident_place = forms.CharField(required=False, label="Place")
    precinct = forms.ChoiceField(choices=PRECINCTS, required=False)
    sector = forms.CharField(required=False, max_length=16)
    beat = forms.CharField(required=False, max_length=16)
    shift = forms.ChoiceField(choices=SHIFTS, required=False)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ComplainantForm(forms.Form):
    anonymous = forms.BooleanField(required=False)
    name = forms.CharField(required=False)
    address = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    race = forms.CharField(required=False, label="Race (voluntary)")
    ethnicity = forms.CharField(required=False, label="Ethnicity (voluntary)")
    gender = forms.CharField(required=False, label="Gender (voluntary)")
    neighbourhood = forms.CharField(required=False, label="Neighbourhood (voluntary)")
    in_person_interview = forms.ChoiceField(choices=INTERVIEW_CHOICE, initial="undecided", label="In-person interview")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and not data.get("anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", "Give the complainant's name, or tick anonymous.")
        return data


class NamedEmployeeForm(forms.Form):
    name = forms.CharField()
    serial = forms.CharField(required=False)
    rank = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    assignment = forms.CharField(required=False)
    shift = forms.ChoiceField(choices=SHIFTS, required=False)
    years_of_service = forms.IntegerField(required=False, min_value=0, max_value=60, label="Years of service then")
    supervisor_name = forms.CharField(required=False, label="Supervisor")
    captain = forms.CharField(required=False)
    bargaining_unit = forms.CharField(required=False)


class AllegationForm(forms.Form):
    employee = forms.TypedChoiceField(
        coerce=int,
        choices=[("", "—")] + [(str(i), f"Named employee {i + 1}") for i in range(3)],
        label="Against",
    )
    category = forms.ChoiceField(choices=category_choices)
    description = forms.CharField(required=False)
    criminal = forms.BooleanField(required=False, label="Criminal conduct")
    concealment = forms.BooleanField(required=False, label="Concealment")
    type_iii_force = forms.BooleanField(required=False, label="The conduct involved Type III force")


class WitnessForm(forms.Form):
    kind = forms.ChoiceField(choices=WITNESS_KINDS, initial="civilian")
    name = forms.CharField()
    contact = forms.CharField(required=False)


ComplainantFormSet = forms.formset_factory(ComplainantForm, extra=2)
NamedEmployeeFormSet = forms.formset_factory(NamedEmployeeForm, extra=3, max_num=3)
AllegationFormSet = forms.formset_factory(AllegationForm, extra=4)
WitnessFormSet = forms.formset_factory(WitnessForm, extra=2)


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(choices=classification_choices)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    to = forms.ChoiceField(choices=[(k, v[0]) for k, v in rc.ROUTES.items()], label="Route to")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    investigator = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    supervisor = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.order_by("username")
        self.fields["investigator"].queryset = users.filter(  # type: ignore[attr-defined]
            groups__name__in=[R.INVESTIGATOR, R.SUPERVISOR]
        ).distinct()
        self.fields["supervisor"].queryset = users.filter(groups__name=R.SUPERVISOR)  # type: ignore[attr-defined]


class DatedForm(forms.Form):
    date = forms.DateField(widget=DATE, initial=timezone.localdate)


class NoticeForm(DatedForm):
    pass


class PlanForm(forms.Form):
    priority = forms.CharField(label="Priority within OPA's ongoing work")
    witnesses = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Witnesses to be interviewed")
    perishable_evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Perishable evidence")
    other_evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Other material evidence")
    approach = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Approach to each allegation")
    resource_constraints = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Resource-constraint decision, if any"
    )


class PostponeForm(DatedForm):
    days = forms.IntegerField(min_value=1, label="Days postponed")
    reason = forms.CharField(initial="labor representative unavailable")


# The clock's events recorded from the case page, and the permission each needs (the
# submission to OIG has its own button; findings and what follows them have their own forms).
CLOCK_FORM_EVENTS: list[tuple[str, str, str]] = [
    ("criminal_pause_started", "Paused for a criminal investigation", "toll"),
    ("criminal_pause_ended", "Criminal-investigation pause ended", "toll"),
    ("additional_investigation", "Additional investigation", "toll"),
    ("director_vacancy", "OPA Director position vacant", "director_vacancy"),
]


class ClockEventForm(DatedForm):
    type = forms.ChoiceField(choices=[(t, label) for t, label, _ in CLOCK_FORM_EVENTS], label="What happened")
    reason = forms.CharField(required=False)

    def __init__(self, *args: Any, allowed: Any = None, **kwargs: Any) -> None:
        """``allowed``: the permissions the person holds on this case; only those events are offered."""
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["type"].choices = [(t, label) for t, label, perm in CLOCK_FORM_EVENTS if allowed[perm]]  # type: ignore[attr-defined]


class FailureToReferForm(forms.Form):
    """The SPD employee whose late referral made OPA miss the deadline (SMC 3.29.026.C.1-2)."""

    name = forms.CharField(label="The employee who failed to refer")
    serial = forms.CharField(required=False, label="Serial number")
    rank = forms.CharField(required=False)
    unit = forms.CharField(required=False)
    determined_on = forms.DateField(
        widget=DATE,
        initial=timezone.localdate,
        label="Date OPA determined the deadline was missed for the late referral",
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Summary (optional)")


class IncidentReviewForm(forms.Form):
    """A step of SPD's own review of the incident behind a referral (SMC 3.29.335.A, 3.29.300.A)."""

    unit = forms.CharField(label="The reviewing unit (e.g. Force Review Board)")
    step = forms.ChoiceField(
        label="What happened",
        choices=[
            ("started", "The review began"),
            ("found_potential_misconduct", "The review found potential misconduct"),
            ("completed", "The review was completed"),
        ],
    )
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Date")


class SubmitToOigForm(DatedForm):
    pass


class ReturnPlanForm(forms.Form):
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What the plan must change")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")


class CaseAllegationForm(forms.Form):
    """An allegation added or corrected on the case page (the employee by the case's own list)."""

    named_employee = forms.TypedChoiceField(coerce=int, choices=[], label="Against")
    category = forms.ChoiceField(choices=category_choices)
    description = forms.CharField(required=False)
    criminal = forms.BooleanField(required=False, label="Criminal conduct")
    concealment = forms.BooleanField(required=False, label="Concealment")
    type_iii_force = forms.BooleanField(required=False, label="The conduct involved Type III force")

    def __init__(self, *args: Any, employees: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_employee"].choices = [(e.pk, label) for e, label in employees]  # type: ignore[attr-defined]


class ExigentForm(forms.Form):
    interviewee = forms.CharField()
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class InterviewForm(forms.Form):
    interviewee = forms.CharField()
    held_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    in_person = forms.BooleanField(required=False, initial=True)
    audio = forms.FileField(required=False)
    transcript = forms.FileField(required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField()
    description = forms.CharField(required=False)


class SubpoenaForm(DatedForm):
    recipient = forms.CharField()
    material = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Evidence or testimony compelled")


class SubpoenaStatusForm(DatedForm):
    subpoena = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=SUBPOENA_STATUSES)


class ReferralForm(DatedForm):
    named_employee = forms.IntegerField(label="Named employee")
    supervisor_name = forms.CharField(required=False, label="Supervisor (if not recorded)")
    report_due = forms.DateField(widget=DATE, label="Report due")


class ReportForm(DatedForm):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What the supervisor did")


class CloseForm(DatedForm):
    reason = forms.CharField()


class _OwnIds(forms.Form):
    """A form that shares the case page with others: field ids of its own (one label per field)."""

    ids = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)


class LegalHoldForm(_OwnIds):
    ids = "hold"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="The claim, litigation or request")


class ReleaseHoldForm(_OwnIds):
    ids = "release"
    hold = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why it is released")


class DisposeForm(_OwnIds):
    """SMC 3.29.320.E: the day each named employee left the City's employment (from SPD's
    personnel records; blank: still employed), and why the file is disposed of."""

    ids = "dispose"
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, employees: list[tuple[Any, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.employee_fields: dict[str, int] = {}
        for ne, label in employees or []:
            name = f"left_{ne.pk}"
            self.fields[name] = forms.DateField(
                required=False,
                label=f"{label} left the City's employment on",
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.employee_fields[name] = ne.pk
        self.order_fields([*self.employee_fields, "reason"])

    def left_on(self) -> dict[int, Any]:
        return {pk: self.cleaned_data.get(name) for name, pk in self.employee_fields.items()}
