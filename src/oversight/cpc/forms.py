from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import INPUT_SOURCES, MEETING_KINDS, PROPOSAL_DECISIONS

DATE = forms.DateInput(attrs={"type": "date"})


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(choices=MEETING_KINDS, label="Meeting")
    date = forms.DateField(widget=DATE, initial=timezone.localdate)
    title = forms.CharField(max_length=200)
    place = forms.CharField(max_length=200, required=False)
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class MinutesForm(forms.Form):
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Minutes dated")
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))


class InputForm(forms.Form):
    received_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Received on")
    source = forms.ChoiceField(choices=INPUT_SOURCES, label="How it reached CPC")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What was said")


class RouteForm(forms.Form):
    to = forms.ChoiceField(choices=[("opa", "OPA, as a complaint"), ("oig", "The Inspector General")], label="Send to")
    consent = forms.BooleanField(required=False, label="The person agreed to it going to OPA as a complaint")
    name = forms.CharField(required=False, max_length=200, label="Their name (optional)")
    email = forms.EmailField(required=False, label="Their email (optional)")
    phone = forms.CharField(required=False, max_length=40, label="Their phone (optional)")


class WorkplanForm(forms.Form):
    year = forms.IntegerField(min_value=1901, max_value=2999, label="Workplan year")
    draft = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="The draft workplan")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Shared with CPC on")
    meeting_on = forms.DateField(widget=DATE, required=False, label="The annual meeting with CPC on the draft")


class ProposalForm(forms.Form):
    area = forms.CharField(max_length=200, label="Area for OIG's investigation and evaluation")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why, in CPC's judgment")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Proposed on")
    emergent = forms.BooleanField(required=False, label="An emergent issue (SMC 3.29.110.A.20)")


class ProposalAnswerForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=PROPOSAL_DECISIONS, label="OIG's answer")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="What OIG will do, or why not")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Answered on")


class SetWorkplanForm(forms.Form):
    final = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="The workplan as set")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Set on")
