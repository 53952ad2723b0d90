"""The institutions of Chapter 3.29 as records: who held which seat of which body and when
(never deleted: history kept), OPA's staff and their training, the sworn rotations into OPA,
the scene-response log, and the referrals and reports of 3.29.300.D-F. Every write goes
through ``oversight.institutions.actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import AppendOnly, Case

KINDS = [
    ("full", "Full term"),
    ("mid_term", "Rest of a term left vacant"),
    ("interim", "Interim"),
]
END_REASONS = [
    ("term_expired", "Term expired; successor confirmed"),
    ("resigned", "Resigned with notice"),
    ("resigned_without_notice", "Resigned without notice"),
    ("removed", "Removed for cause"),
    ("other", "Other"),
]


class Appointment(models.Model):
    """One person's tenure of one seat of one body (a profile's ``institutions.bodies``).
    Its end is recorded once; nothing is deleted."""

    body = models.CharField(max_length=40)
    seat = models.CharField(max_length=8)
    person = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=KINDS)
    authority = models.CharField(max_length=40)
    start = models.DateField()
    term_end = models.DateField(null=True, blank=True)
    resides_in_city = models.BooleanField(default=True)
    works_in_city = models.BooleanField(default=False)
    lived_outside_city_days = models.PositiveIntegerField(default=0)
    city_employee = models.BooleanField(default=False)
    civilian = models.BooleanField(default=True)
    qualification = models.CharField(max_length=40, blank=True)
    nominated_on = models.DateField(null=True, blank=True)
    confirmed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, choices=END_REASONS, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["body", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.person}, {self.body} seat {self.seat} from {self.start}"


POSITIONS_HELP = "a code of the profile's institutions.staffing.positions"


class StaffMember(models.Model):
    """Someone on OPA's staff in one position, civilian or sworn (SMC 3.29.028)."""

    person = models.CharField(max_length=200)
    position = models.CharField(max_length=40, help_text=POSITIONS_HELP)
    civilian = models.BooleanField(default=True)
    rank = models.CharField(max_length=60, blank=True)
    started_on = models.DateField()
    assigned_until = models.DateField(null=True, blank=True)  # a sworn rotation's two years (3.29.315.H)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "person", "pk"]


TRAINING_KINDS_HELP = "a code of the profile's institutions.staffing.training_kinds"


class Training(AppendOnly):
    """A training of an OPA investigator or investigative supervisor (SMC 3.29.028.G)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(max_length=40, help_text=TRAINING_KINDS_HELP)
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    on = models.DateField()
    hours = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]


class CivilianizationEvaluation(AppendOnly):
    """OIG's evaluation of the level of civilianization of OPA's intake and investigators (3.29.028.F)."""

    on = models.DateField()
    civilian = models.PositiveIntegerField()
    sworn = models.PositiveIntegerField()
    finding = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]


class SwornVacancy(models.Model):
    """A sworn staff vacancy of OPA and how it is filled (SMC 3.29.315.H)."""

    position = models.CharField(max_length=40, help_text=POSITIONS_HELP)
    opened_on = models.DateField()
    filled_by = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filled_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-pk"]


SOURCES = [("volunteer", "Volunteer"), ("list_1", "The Chief's first list"), ("list_2", "The Chief's second list")]


class SwornCandidate(AppendOnly):
    vacancy = models.ForeignKey(SwornVacancy, on_delete=models.PROTECT, related_name="candidates")
    name = models.CharField(max_length=200)
    rank = models.CharField(max_length=60)
    source = models.CharField(max_length=12, choices=SOURCES)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["source", "pk"]


SCENE_KINDS = [
    ("shooting", "Officer-involved shooting"),
    ("serious_force", "Other serious use of force"),
    ("other", "Other incident, at the Director's or the Inspector General's discretion"),
]
OFFICES = [("opa", "OPA"), ("oig", "OIG")]


class SceneResponse(models.Model):
    """OPA's or OIG's response to an incident scene (3.29.020.A.12, 3.29.025.C, 3.29.110.A.4)."""

    office = models.CharField(max_length=4, choices=OFFICES)
    kind = models.CharField(max_length=16, choices=SCENE_KINDS)
    incident_on = models.DateField()
    place = models.CharField(max_length=300)
    responders = models.CharField(max_length=300)
    access_given = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-incident_on", "-pk"]


FOLLOW_KINDS = [
    ("fit_meeting", "Meeting to review Force Investigation Team information"),
    ("interview", "SPD administrative investigation unit interview"),
    ("meeting", "Other meeting discussing the incident"),
    ("concern", "Concern raised"),
    ("follow_up", "Follow-up of a concern"),
]


class SceneFollowUp(AppendOnly):
    response = models.ForeignKey(SceneResponse, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(max_length=16, choices=FOLLOW_KINDS)
    on = models.DateField()
    attended_by = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "pk"]


REFERRERS = [
    ("prosecutor", "Prosecutor's office"),
    ("court", "Court"),
    ("public_defense", "Public defense"),
    ("other_agency", "Other criminal justice agency"),
]


class IntegrityReferral(models.Model):
    """A concern from others in the criminal justice system that an officer may not have acted with
    integrity or honesty, referred to OPA for investigation of possible misconduct (3.29.300.D)."""

    received_on = models.DateField()
    referrer = models.CharField(max_length=16, choices=REFERRERS)
    referrer_name = models.CharField(max_length=200)
    officer = models.CharField(max_length=200)
    concern = models.TextField()
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="integrity_referral"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-pk"]


REPORT_STATUSES = [("received", "Received"), ("under_review", "Under review"), ("closed", "Closed")]


class ProblemReport(models.Model):
    """A City entity's report to OIG of a new problem or deficiency (3.29.300.E)."""

    entity = models.CharField(max_length=200)
    reported_on = models.DateField()
    problem = models.TextField()
    status = models.CharField(max_length=16, choices=REPORT_STATUSES, default="received")
    oig_note = models.TextField(blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_on", "-pk"]


ADVICE_SOURCES = [("litigation", "Litigation"), ("grievance", "Grievance"), ("appeal", "Disciplinary appeal")]


class Advice(models.Model):
    """The City Attorney's advice to the OPA Director and the Chief of an issue identified
    through litigation, grievances or disciplinary appeals (3.29.300.F), and what each did with it."""

    source = models.CharField(max_length=12, choices=ADVICE_SOURCES)
    on = models.DateField()
    issue = models.TextField()
    director_answer = models.TextField(blank=True)
    director_answered_on = models.DateField(null=True, blank=True)
    chief_answer = models.TextField(blank=True)
    chief_answered_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-pk"]


REMOVAL_OUTCOMES = [("", "Pending"), ("approved", "Removal approved"), ("not_approved", "Removal not approved")]


class Removal(models.Model):
    """Removal for cause of the OPA Director (3.29.020.C.5), the Inspector General (3.29.114.E) or
    a Commissioner (3.29.215.C.7): the written notice, the request for a hearing and the hearing
    where the section gives one, the votes it needs."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="removals")
    notice_on = models.DateField()
    basis = models.TextField()
    hearing_requested_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    vote_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=REMOVAL_OUTCOMES, blank=True)
    # each voter's count: {"council": [for, members], "cpc": [for, members]} (3.29.215.C.7)
    votes = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-notice_on", "-pk"]
