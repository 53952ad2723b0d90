"""The administrator's forms: they parse what was typed; ``actions`` checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.rules import access as A

from . import actions
from .people import STATUSES
from .roles import by_office

ROLE_CHOICES = [(code, role.label) for code, role in A.ROLES.items()]


def grouped_role_choices() -> list[Any]:
    return [(office, list(roles)) for office, roles in by_office()]


class FilterForm(forms.Form):
    role = forms.ChoiceField(label="Role", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=list(STATUSES.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role"), *grouped_role_choices()]


class DetailsForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=301, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.CharField(
        label="Email",
        max_length=254,
        help_text="The set-password link goes to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_full_name(self) -> str:
        _check(actions.check_full_name, self.cleaned_data["full_name"])
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_email(self) -> str:
        return str(_check(actions.check_email, self.cleaned_data["email"]))


class PersonForm(DetailsForm):
    """A new person: the roles are checkboxes grouped by office (``accounts/_roles.html``)."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they sign in with: letters, digits and @ . + - _",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    roles = forms.MultipleChoiceField(label="Roles", required=False, choices=ROLE_CHOICES)
    send_link = forms.BooleanField(label="Mail them a link to set their password now", required=False, initial=True)

    field_order = ["username", "full_name", "email", "roles", "send_link"]

    def clean_username(self) -> str:
        return str(_check(actions.check_username, self.cleaned_data["username"]))


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, max_length=500, help_text="Recorded in the history."
    )


def _check(check: Any, value: Any) -> Any:
    """One of the actions' checks, as a form field's validation (the same words)."""
    try:
        return check(value)
    except actions.ActionError as e:
        raise forms.ValidationError(e.message) from None


def error_summary(form: forms.Form) -> list[str]:
    """Each error with the label of the field it is about: "Username: 'sam' is already taken"."""
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for e in errors:
            out.append(f"{label}: {e}" if label else str(e))
    return out
