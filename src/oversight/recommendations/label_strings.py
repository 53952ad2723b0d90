"""The labels the public tracker shows (the models' choices, the statuses and events of
``rules.recommendations``), listed so that ``makemessages`` puts them in the translation
catalogue; the templates pass each through gettext when they show it."""

from django.utils.translation import gettext_noop

from oversight.rules import recommendations as rr

from .models import ADDRESSEES, CATEGORIES, CITY_NOTICE_KINDS, ISSUERS, SOURCES

LABELS = [
    gettext_noop("OPA Director"),
    gettext_noop("Inspector General"),
    gettext_noop("Community Police Commission"),
    gettext_noop("Seattle Police Department"),
    gettext_noop("Office of Police Accountability"),
    gettext_noop("Another City department"),
    gettext_noop("City Council"),
    gettext_noop("State legislature"),
    gettext_noop("SPD policy"),
    gettext_noop("Training"),
    gettext_noop("Supervision and early intervention"),
    gettext_noop("Use of force"),
    gettext_noop("Bias-free policing"),
    gettext_noop("Stops and detentions"),
    gettext_noop("The accountability process (OPA, OIG, CPC)"),
    gettext_noop("Discipline and appeals"),
    gettext_noop("Transparency and data"),
    gettext_noop("Community engagement"),
    gettext_noop("Technology and records"),
    gettext_noop("Other"),
    gettext_noop("A written report"),
    gettext_noop("A case"),
    gettext_noop("A Management Action"),
    gettext_noop("City Council review of implementation status (SMC 3.29.305.F)"),
    gettext_noop("Mayor's notice: recommendations needing funding left out of the proposed budget (SMC 3.29.305.G)"),
    gettext_noop("Mayor's notice: recommendations left out of the proposed state legislative agenda (SMC 3.29.305.H)"),
    gettext_noop("Awaiting the written answer (on time or overdue)"),
    gettext_noop("Issued, awaiting the written answer"),
    gettext_noop("Answer overdue"),
    gettext_noop("Answered, under consideration"),
    gettext_noop("Accepted"),
    gettext_noop("Accepted, implementation in progress"),
    gettext_noop("Implemented"),
    gettext_noop("Not accepted"),
    gettext_noop("Withdrawn"),
    gettext_noop("Issued"),
    gettext_noop("Written answer: under consideration"),
    gettext_noop("Written answer: accepted, with an implementation plan"),
    gettext_noop("Written answer: not accepted, with reasons"),
    gettext_noop("Progress report"),
    gettext_noop("Withdrawn by the issuing body"),
    gettext_noop("Issued by"),
    gettext_noop("Addressed to"),
    gettext_noop("Category"),
    gettext_noop("Status"),
    gettext_noop("Monthly public meeting (SMC 3.29.225.C)"),
    gettext_noop("Meeting with the OPA Director and the Inspector General (SMC 3.29.225.A)"),
    gettext_noop("Annual community meeting (SMC 3.29.215.A.11)"),
    gettext_noop("Office of Inspector General"),
    # the public navigation's and library's links to the Manual (public/base_public.html, library.html)
    gettext_noop("OPA Manual"),
    gettext_noop("Recommendations"),
    gettext_noop("CPC meetings"),
    # the status steps (rec_tags.step_text)
    gettext_noop("issued; the written answer is due in %(n)s days, by %(day)s"),
    gettext_noop("issued; the chapter sets no period for this addressee's answer"),
    gettext_noop("no written answer by %(day)s: overdue"),
    gettext_noop(", %(n)s days after it was due"),
    gettext_noop("The OPA Manual"),
    gettext_noop("Every version of the OPA Manual, with its effective date and file"),
]


def missing() -> list[str]:
    """The labels shown publicly that are not listed above (a test keeps this empty)."""
    from oversight.cpc.models import MEETING_KINDS
    from oversight.manual.models import BODIES

    shown = [label for choices in (ISSUERS, ADDRESSEES, CATEGORIES, SOURCES, CITY_NOTICE_KINDS) for _, label in choices]
    shown += list(rr.STATUS_LABELS.values()) + list(rr.EVENT_LABELS.values())
    shown += [label for k, label in MEETING_KINDS if k != "workgroup"] + [label for _, label in BODIES]
    return [s for s in shown if s not in LABELS]
