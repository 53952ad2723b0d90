"""The institutions' forms: each names its fields in the words of the chapter; a rejected form
keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from oversight.cases.forms import DATE

from .models import ADVICE_SOURCES, END_REASONS, FOLLOW_KINDS, KINDS, REFERRERS, REPORT_STATUSES, SCENE_KINDS


class AppointmentForm(forms.Form):
    person = forms.CharField(label="Name")
    seat = forms.ChoiceField(label="Seat")
    kind = forms.ChoiceField(choices=KINDS, label="Kind of appointment")
    start = forms.DateField(widget=DATE, label="Term begins (or the interim's first day)")
    term_end = forms.DateField(widget=DATE, required=False, label="Term ends (leave empty: a full term from its start)")
    qualification = forms.ChoiceField(required=False, label="Reserved-seat qualification")
    resides_in_city = forms.BooleanField(required=False, initial=True, label="Lives in the City of Seattle")
    works_in_city = forms.BooleanField(required=False, label="Works in the City of Seattle")
    city_employee = forms.BooleanField(required=False, label="A City employee")
    civilian = forms.BooleanField(required=False, initial=True, label="A civilian (not sworn)")
    nominated_on = forms.DateField(widget=DATE, required=False, label="Nomination submitted to the Council on")
    confirmed_on = forms.DateField(widget=DATE, required=False, label="Confirmed by the Council on")

    def __init__(self, *args: Any, seats: list[tuple[str, str]], qualifications: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["seat"].choices = seats
        self.fields["qualification"].choices = [("", "None")] + qualifications
        if not qualifications:
            del self.fields["qualification"]


class EndForm(forms.Form):
    on = forms.DateField(
        widget=DATE, initial=timezone.localdate, label="Effective on (the seat is vacant from this day)"
    )
    reason = forms.ChoiceField(choices=END_REASONS, label="Why")


class ConfirmForm(forms.Form):
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Confirmed on")


class ResidencyForm(forms.Form):
    days_outside = forms.IntegerField(min_value=0, label="Longest period of the term lived outside the City (days)")


class StaffForm(forms.Form):
    person = forms.CharField(label="Name")
    position = forms.ChoiceField(label="Position")
    civilian = forms.BooleanField(required=False, initial=True, label="Civilian")
    rank = forms.CharField(required=False, label="Rank (sworn staff)")
    started_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Started on")

    def __init__(self, *args: Any, positions: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["position"].choices = positions


class TrainingForm(forms.Form):
    staff = forms.ChoiceField(label="Investigator or investigative supervisor")
    kind = forms.ChoiceField(label="Kind of training")
    course = forms.CharField(label="Course")
    provider = forms.CharField(label="Instructor or provider")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Date")
    hours = forms.IntegerField(required=False, min_value=0, label="Hours")

    def __init__(self, *args: Any, staff: list[tuple[str, str]], kinds: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["staff"].choices = staff
        self.fields["kind"].choices = kinds


class EvaluationForm(forms.Form):
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Evaluated on")
    finding = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="OIG's evaluation of the mix")


class VacancyForm(forms.Form):
    position = forms.ChoiceField(choices=[("intake", "Intake"), ("investigator", "Investigator")], label="Position")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Vacant from")


class VolunteerForm(forms.Form):
    name = forms.CharField(label="Volunteer's name")
    rank = forms.CharField(label="Rank")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Volunteered on")


class ListForm(forms.Form):
    names = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The acting sergeants or sergeants, one a line: name, rank",
    )
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Given on")


class SelectForm(forms.Form):
    candidate = forms.ChoiceField(label="Select")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Assigned from")

    def __init__(self, *args: Any, candidates: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["candidate"].choices = candidates


class SceneForm(forms.Form):
    kind = forms.ChoiceField(choices=SCENE_KINDS, label="Incident")
    incident_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Date")
    place = forms.CharField(label="Place")
    responders = forms.CharField(label="Who responded")
    access_given = forms.BooleanField(required=False, initial=True, label="Access to the scene was given")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Notes")


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(choices=FOLLOW_KINDS, label="What")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Date")
    attended_by = forms.CharField(required=False, label="Attended by")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What was discussed, raised or done")


class IntegrityForm(forms.Form):
    received_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Received on")
    referrer = forms.ChoiceField(choices=REFERRERS, label="Referred by")
    referrer_name = forms.CharField(label="Office and person referring")
    officer = forms.CharField(label="The officer concerned")
    concern = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The concern")


class OpenFromReferralForm(forms.Form):
    category = forms.ChoiceField(choices=[("honesty", "Honesty"), ("integrity", "Integrity")], label="Allegation")


class ProblemForm(forms.Form):
    entity = forms.CharField(label="City entity reporting")
    reported_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Reported on")
    problem = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The problem or deficiency")


class ProblemAnswerForm(forms.Form):
    status = forms.ChoiceField(choices=REPORT_STATUSES, label="Status")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="OIG's note")


class AdviceForm(forms.Form):
    source = forms.ChoiceField(choices=ADVICE_SOURCES, label="Identified through")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Advised on")
    issue = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="The issue and the advice")


class AdviceAnswerForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What was done with it")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="On")


class WithheldForm(forms.Form):
    department = forms.CharField(label="Department")
    received_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Given to OIG on")
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="OIG's request")
    items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Each document or data withheld and its legal basis, one a line: description | legal basis",
    )


class RemovalForm(forms.Form):
    notice_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Written notice given on")
    basis = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="The basis for the intended removal")


class RemovalStepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[
            ("hearing_requested", "A hearing was requested"),
            ("hearing", "The hearing was held"),
            ("vote", "The Council voted"),
        ],
        label="What happened",
    )
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="On")
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "(not a vote)"), ("approved", "Removal approved"), ("not_approved", "Removal not approved")],
        label="The vote",
    )

    def __init__(self, *args: Any, voters: dict[str, str] | None = None, hearing: bool = True, **kw: Any) -> None:
        """``voters``: code -> label of each body whose vote the removal needs (the section's)."""
        super().__init__(*args, **kw)
        self.voters = voters or {}
        if not hearing:
            self.fields["step"].choices = [("vote", "The vote")]
        for code, label in self.voters.items():
            self.fields[f"{code}_for"] = forms.IntegerField(
                required=False, min_value=0, label=f"Members of {label} voting for the removal"
            )
            self.fields[f"{code}_members"] = forms.IntegerField(
                required=False, min_value=1, label=f"Members of {label} in all"
            )

    def votes(self) -> dict[str, tuple[int, int]]:
        """voter -> (for, members), for each voter whose two numbers were given."""
        d = self.cleaned_data
        out = {}
        for code in self.voters:
            votes_for, members = d.get(f"{code}_for"), d.get(f"{code}_members")
            if votes_for is not None and members is not None:
                out[code] = (votes_for, members)
        return out
