from __future__ import annotations

from django import forms
from django.utils import timezone

DATE = forms.DateInput(attrs={"type": "date"})


class RoundForm(forms.Form):
    title = forms.CharField(max_length=200, label="The update", help_text="For example: the 2027 update")
    proposed = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="The proposed revisions")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Given to OIG and CPC on")
    comments_by = forms.DateField(widget=DATE, required=False, label="Comments asked for by")


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Your comments")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Dated")


class ResponseForm(forms.Form):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="OPA's answer to the comments")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Dated")


class PublishForm(forms.Form):
    version = forms.CharField(max_length=40, label="Version", help_text="For example: 2027.1")
    effective_on = forms.DateField(widget=DATE, label="Takes effect on")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What changed")
    file = forms.FileField(label="The Manual as adopted (PDF, Word or plain text)")
