"""The public forms. They parse and check what was typed; the actions decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.cases.models import PRECINCTS
from oversight.labels import public_label

from .models import KINDS, LIBRARY_KINDS, TOPICS

# The first choice of a filter: any value ("Todos" in Spanish, not the admin's "Todo").
ANY = pgettext_lazy("any value of a filter", "All")

# The precincts in the page's language (their English, the message ids, in label_strings.py).
PUBLIC_PRECINCTS = [(k, _(v)) for k, v in PRECINCTS if k]

INTERVIEW = [
    ("undecided", _("Not sure yet")),
    ("yes", _("Yes, I would like to meet in person")),
    ("no", _("No")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("Describe what happened, in your own words. This is the only required field."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": _("Tell us what happened.")},
    )
    topic = forms.ChoiceField(
        label=_("What is your complaint mostly about?"),
        choices=[("", _("Choose one (optional)"))] + TOPICS,
        required=False,
    )
    incident_date = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("Year-month-day, for example 2026-03-14"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-03-14.")},
    )
    incident_place = forms.CharField(label=_("Where did it happen?"), required=False, max_length=300)
    precinct = forms.ChoiceField(
        label=_("Police precinct, if you know it"),
        choices=[("", _("I don't know"))] + PUBLIC_PRECINCTS,
        required=False,
    )
    officer_name = forms.CharField(
        label=_("Name of the officer or employee, if you know it"), required=False, max_length=200
    )
    officer_badge = forms.CharField(label=_("Badge or serial number, if you know it"), required=False, max_length=16)
    witnesses = forms.CharField(
        label=_("Anyone who saw what happened"),
        required=False,
        max_length=2000,
        help_text=_("One person per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        help_text=_("We will not ask who you are. Keep your tracking code: it is the only way to follow your case."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.org, or leave it empty.")},
    )
    phone = forms.CharField(label=_("Your phone number"), required=False, max_length=40)
    address = forms.CharField(label=_("Your mailing address"), required=False, max_length=300)
    status_emails = forms.BooleanField(label=_("Email me when my case moves forward"), required=False)
    in_person_interview = forms.ChoiceField(
        label=_("Would you like an in-person interview?"),
        choices=INTERVIEW,
        initial="undecided",
        widget=forms.RadioSelect,
    )
    race = forms.CharField(label=_("Race (optional)"), required=False, max_length=80)
    ethnicity = forms.CharField(label=_("Ethnicity (optional)"), required=False, max_length=80)
    gender = forms.CharField(label=_("Gender (optional)"), required=False, max_length=80)
    neighbourhood = forms.CharField(label=_("Neighborhood you live in (optional)"), required=False, max_length=120)
    evidence = MultipleFileField(
        label=_("Photos, videos, recordings or documents (optional)"),
        required=False,
        help_text=_("Up to 5 files, 10 MB each: PDF, JPEG, PNG, MP4, M4A, MP3 or plain text."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous"):
            for f in ("name", "email", "phone", "address"):
                if data.get(f):
                    self.add_error(
                        f, _("You chose to file anonymously: leave this empty, or untick 'File anonymously'.")
                    )
            if data.get("status_emails"):
                self.add_error("status_emails", _("Status emails need an email address; anonymous filings have none."))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=32,
        help_text=_("For example ABCD-EFGH-JKLM"),
        error_messages={"required": _("Enter your tracking code.")},
    )


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like to add?"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = MultipleFileField(label=_("Files (optional)"), required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", ANY)] + KINDS, required=False)
    allegation = forms.ChoiceField(label=_("Allegation"), required=False)
    finding = forms.ChoiceField(label=_("Finding"), required=False)
    precinct = forms.ChoiceField(label=_("Precinct"), choices=[("", ANY)] + PUBLIC_PRECINCTS, required=False)
    start = forms.DateField(label=_("Completed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Completed until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, categories: list[str], findings: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allegation"].choices = [("", ANY)] + [(c, public_label("category", c)) for c in categories]
        self.fields["finding"].choices = [("", ANY)] + [(f, public_label("finding", f)) for f in findings]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"), error_messages={"invalid": _("Enter an email address like name@example.org.")}
    )


class PublishForm(forms.Form):
    """Staff: what to publish about a case. Allegations and findings are picked by their labels
    from the profile's taxonomies, never typed as codes."""

    case = forms.CharField(label="Case number", max_length=32)
    kind = forms.ChoiceField(choices=KINDS)
    title = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), help_text="Allegations, analysis and findings.")
    allegations = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="None ticked: the case's own."
    )
    findings = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.CharField(required=False, max_length=200, help_text="A Management Action's status.")
    reviewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings
        from django.utils import timezone

        from oversight.labels import label_for
        from oversight.rules.profile import get_profile

        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        rules = get_profile(settings.OVERSIGHT_PROFILE).at(today)
        cats = rules.taxonomies["allegation_categories"].value
        finds = list(rules.taxonomies["findings"].value) + list(rules.taxonomies["case_findings"].value)
        self.fields["allegations"].choices = [(c, label_for("category", c, today)) for c in cats]
        self.fields["findings"].choices = [(f, label_for("finding", f, today)) for f in finds]


class LibraryForm(forms.Form):
    kind = forms.ChoiceField(choices=LIBRARY_KINDS)
    title = forms.CharField(max_length=300)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}))
    url = forms.URLField(required=False)
    effective_on = forms.DateField(required=False)
