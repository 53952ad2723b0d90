"""Forms: they parse and check the shape of input; the actions check the law."""

from __future__ import annotations

from typing import Any

from django import forms

from oversight.cases.models import Case
from oversight.labels import finding_label

from .documents import allegation_label, employee_role
from .models import APPELLANTS, DISCIPLINE_KINDS, FORUMS, MA_STATUSES, SEPARATIONS, Appeal, Separation

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


def _finding_choices(values: list[str], blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank is not None else []
    return out + [(v, finding_label(v)) for v in values]


def _allegations(case: Case) -> list[Any]:
    return list(case.allegations.select_related("named_employee", "case").order_by("pk"))


def _employees(case: Case) -> list[tuple[int, str]]:
    return [(e.pk, f"{employee_role(case, e.pk)}: {e}") for e in case.named_employees.order_by("pk")]


class _CaseForm(forms.Form):
    def __init__(self, case: Case, findings: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.finding_values = findings
        self.build()

    def build(self) -> None:
        pass

    def findings(self, prefix: str = "finding_") -> dict[int, str]:
        return {int(k[len(prefix) :]): v for k, v in self.cleaned_data.items() if k.startswith(prefix) and v}


class RecommendForm(_CaseForm):
    on = _date("Certified and recommended on")
    analysis = forms.CharField(label="Analysis", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    meet_complainant = forms.BooleanField(
        label="Recommend that the Chief meet the complainant (SMC 3.29.025.F)", required=False
    )
    meet_complainant_reason = forms.CharField(label="Why hearing from the complainant would help", required=False)

    def build(self) -> None:
        for a in _allegations(self.case):
            self.fields[f"finding_{a.pk}"] = forms.ChoiceField(
                label=f"{employee_role(self.case, a.named_employee_id)} ({a.named_employee}), "
                f"allegation {allegation_label(a)}",
                choices=_finding_choices(self.finding_values, "— choose —"),
            )


class ManagementActionForm(_CaseForm):
    letter = forms.CharField(label="Letter to SPD", widget=forms.Textarea(attrs={"rows": 3}))
    on = _date("Issued on")


class SPDResponseForm(_CaseForm):
    management_action = forms.TypedChoiceField(label="Management Action", coerce=int)
    response = forms.CharField(label="SPD's written response", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label="Status of the recommended change", choices=[c for c in MA_STATUSES if c[0] != "awaiting_response"]
    )
    on = _date("Received on")

    def build(self) -> None:
        self.fields["management_action"].choices = [
            (m.pk, f"#{m.pk} of {m.issued_on}") for m in self.case.management_actions.order_by("pk")
        ]


class TrainingReportForm(_CaseForm):
    finding = forms.TypedChoiceField(label="Training Referral", coerce=int)
    reported_by_name = forms.CharField(label="Reported by (chain of command)")
    training_given = forms.CharField(label="Training given", widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("Reported on")

    def build(self) -> None:
        from .actions import current_findings, final_finding

        choices = []
        for stages in current_findings(self.case).values():
            f = final_finding(stages)
            if f is not None and f.finding == "training_referral":
                choices.append(
                    (
                        f.pk,
                        f"{employee_role(self.case, f.named_employee_id)}, allegation {allegation_label(f.allegation)}",
                    )
                )
        self.fields["finding"].choices = choices


class ChiefDecisionForm(_CaseForm):
    due_process_hearing_on = _date("Due process hearing held on")
    supplemental_meeting_on = _date("Supplemental meeting with the OPA Director (SMC 3.29.027.A)", required=False)
    inspector_general_present = forms.BooleanField(label="The Inspector General was present", required=False)
    complainant_meeting_on = _date("Met the complainant on (SMC 3.29.025.F)", required=False)
    decided_on = _date("Final findings and discipline decided on")
    dishonesty_reasons = forms.CharField(
        label="Reasons for discipline other than termination for material dishonesty (SMC 3.29.027.F)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def build(self) -> None:
        for a in _allegations(self.case):
            self.fields[f"finding_{a.pk}"] = forms.ChoiceField(
                label=f"Final finding: {employee_role(self.case, a.named_employee_id)} ({a.named_employee}), "
                f"allegation {allegation_label(a)}",
                choices=_finding_choices(self.finding_values, "— choose —"),
            )
            self.fields[f"dishonest_{a.pk}"] = forms.BooleanField(
                label=f"Allegation {allegation_label(a)} sustained as material dishonesty", required=False
            )
        for pk, label in _employees(self.case):
            self.fields[f"discipline_{pk}"] = forms.ChoiceField(
                label=f"Discipline: {label}", choices=DISCIPLINE_KINDS, initial="none"
            )
            self.fields[f"days_{pk}"] = forms.IntegerField(
                label="Days of unpaid suspension", required=False, min_value=1
            )

    def discipline(self) -> dict[int, tuple[str, int | None]]:
        out = {}
        for pk, _ in _employees(self.case):
            out[pk] = (self.cleaned_data[f"discipline_{pk}"], self.cleaned_data.get(f"days_{pk}"))
        return out

    def dishonest(self) -> list[int]:
        return [int(k[len("dishonest_") :]) for k, v in self.cleaned_data.items() if k.startswith("dishonest_") and v]


class _EmployeeForm(_CaseForm):
    named_employee = forms.TypedChoiceField(label="Named employee", coerce=int)

    def build(self) -> None:
        self.fields["named_employee"].choices = _employees(self.case)


class DeterminationForm(_EmployeeForm):
    on = _date("The employee received the Chief's final determination on")


class AdditionalInvestigationForm(_CaseForm):
    reason = forms.CharField(
        label="What the additional investigation must look into (name no one)", widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _date("Asked for on")


class ChiefStatementForm(_CaseForm):
    reasons = forms.CharField(
        label="Material reasons (name no employee)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    personal_circumstances = forms.BooleanField(
        label='The reason is personal (family or health): the statement says "personal circumstances"', required=False
    )
    on = _date("Issued on")


class TimelineStatementForm(_CaseForm):
    nature = forms.CharField(label="Nature of the allegations (name no one)", widget=forms.Textarea(attrs={"rows": 2}))
    reasons = forms.CharField(label="Why the time limit was exceeded", widget=forms.Textarea(attrs={"rows": 3}))
    on = _date("Issued on")


class LeaveForm(_EmployeeForm):
    charge = forms.ChoiceField(
        label="Charged with", choices=[("felony", "Felony"), ("gross_misdemeanor", "Gross misdemeanor")]
    )
    charged_on = _date("Charged on")
    leave_from = _date("Leave without pay from")


class AppealForm(_EmployeeForm):
    appellant = forms.ChoiceField(label="Brought by", choices=APPELLANTS)
    forum = forms.ChoiceField(label="Heard by", choices=FORUMS)
    nature = forms.CharField(label="Nature of the appeal", widget=forms.Textarea(attrs={"rows": 2}))
    notice_filed_on = _date("Written notice of intent to appeal filed on")


class _AppealPick(_CaseForm):
    appeal = forms.TypedChoiceField(label="Appeal", coerce=int)

    def build(self) -> None:
        self.fields["appeal"].choices = [
            (a.pk, f"#{a.pk}: {employee_role(self.case, a.named_employee_id)}, {a.get_forum_display()}")
            for a in Appeal.objects.filter(case=self.case, closed_on__isnull=True).order_by("pk")
        ]


class HearingForm(_AppealPick):
    hearing_on = forms.DateField(label="Hearing on", widget=DATE)


class _ChangesForm(_AppealPick):
    new_discipline = forms.ChoiceField(
        label="Discipline as modified", required=False, choices=[("", "— unchanged —"), *DISCIPLINE_KINDS]
    )
    new_days = forms.IntegerField(label="Days of unpaid suspension", required=False, min_value=1)

    def build(self) -> None:
        super().build()
        for a in _allegations(self.case):
            self.fields[f"newfinding_{a.pk}"] = forms.ChoiceField(
                label=f"Finding as modified: {employee_role(self.case, a.named_employee_id)}, "
                f"allegation {allegation_label(a)}",
                choices=_finding_choices(self.finding_values, "— unchanged —"),
                required=False,
            )

    def discipline(self) -> tuple[str, int | None] | None:
        kind = self.cleaned_data.get("new_discipline")
        return (kind, self.cleaned_data.get("new_days")) if kind else None


class RulingForm(_ChangesForm):
    ruling_on = _date("Ruling issued on")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("upheld", "Upheld"), ("modified", "Modified"), ("reversed", "Reversed"), ("withdrawn", "Withdrawn")],
    )
    modification = forms.CharField(label="Modification, in words", required=False)


class SettlementForm(_ChangesForm):
    terms = forms.CharField(label="Terms", widget=forms.Textarea(attrs={"rows": 2}))
    settled_on = _date("Settled on")


class SeparationForm(_EmployeeForm):
    kind = forms.ChoiceField(label="Separation", choices=[c for c in SEPARATIONS if c[0] != "terminated"])
    separated_on = _date("Separated on")


class SeparationStepForm(_CaseForm):
    separation = forms.TypedChoiceField(label="Separation", coerce=int)
    step = forms.ChoiceField(
        label="Document",
        choices=[
            ("wscjtc_letter", "Letter sent to the WSCJTC regarding de-certification"),
            ("wscjtc_response", "The WSCJTC's response"),
            ("no_special_commission", "The Chief did not and will not grant a Special Commission"),
            ("no_concealed_carry", "The Chief did not and will not grant concealed-carry (LEOSA) authorization"),
        ],
    )
    on = _date("On")
    text = forms.CharField(
        label="Facts and circumstances / the WSCJTC's action", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def build(self) -> None:
        self.fields["separation"].choices = [
            (s.pk, f"{employee_role(self.case, s.named_employee_id)}: {s.get_kind_display()}")
            for s in Separation.objects.filter(case=self.case).order_by("pk")
        ]


class GrantForm(_EmployeeForm):
    username = forms.CharField(label="Username of the named employee or union representative")
    role = forms.ChoiceField(label="Reads as", choices=[("named_employee", "Named employee"), ("union", "Union")])
