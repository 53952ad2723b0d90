from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from .models import ADDRESSEES, CATEGORIES, CITY_NOTICE_KINDS, ISSUERS

DATE = forms.DateInput(attrs={"type": "date"})


class IssueForm(forms.Form):
    body = forms.ChoiceField(choices=ISSUERS, label="Issued by")
    addressee = forms.ChoiceField(choices=ADDRESSEES, label="Addressed to")
    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="The recommendation")
    category = forms.ChoiceField(choices=CATEGORIES)
    issued_on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Issued on")
    report_title = forms.CharField(required=False, max_length=300, label="The written report it was issued in")
    needs_funding = forms.BooleanField(required=False, label="Needs City funding (SMC 3.29.305.G)")
    needs_state_legislation = forms.BooleanField(required=False, label="Needs state legislation (SMC 3.29.305.H)")

    def __init__(self, *args: Any, bodies: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].choices = [(b, label) for b, label in ISSUERS if b in bodies]  # type: ignore[attr-defined]


ANSWER_KINDS = [
    ("accepted", "Written answer: accepted, with an implementation plan"),
    ("not_accepted", "Written answer: not accepted, with reasons"),
    ("answered", "Written answer: under consideration"),
    ("progress_report", "Progress report on implementation"),
    ("implemented", "Implemented, with the evidence"),
]


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(choices=ANSWER_KINDS, label="What was received")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Dated")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="The plan, the reasons, the progress or the evidence"
    )
    by_whom = forms.CharField(required=False, max_length=200, label="Signed by (optional)")


class WithdrawForm(forms.Form):
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Withdrawn on")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class CityNoticeForm(forms.Form):
    kind = forms.ChoiceField(choices=CITY_NOTICE_KINDS, label="What")
    on = forms.DateField(widget=DATE, initial=timezone.localdate, label="Dated")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What it says")
    numbers = forms.CharField(required=False, label="Recommendations it names (numbers, comma-separated)")
