from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import INPUT_SOURCES, MEETING_KINDS

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
