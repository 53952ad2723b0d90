"""A case is its events: an append-only, hash-chained log from which the clock computes every date.

Beside the log live the case's people and papers as intake and the investigation
record them (complainants, named employees, witnesses, allegations, the plan,
interviews, evidence, subpoenas, Supervisor Action referrals). Every write to any
of them goes through ``oversight.cases.actions``, which appends the event and the
audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from oversight.rules.events import EVENT_TYPES

# Every event a case's log may hold, with the words a person reads for it: the events
# the deadline clock reads (shared/spec/timeline.md) and the offices' own.
CLOCK_EVENT_LABELS: dict[str, str] = {
    "complaint_received": "Complaint received",
    "complaint_initiated": "Complaint initiated by OPA",
    "should_have_been_referred": "Should have been referred to OPA",
    "notice_sent": "Notice sent to named employees",
    "interview_postponed": "Interview postponed",
    "criminal_pause_started": "Paused for a criminal investigation",
    "criminal_pause_ended": "Criminal-investigation pause ended",
    "administrative_step": "Administrative investigation step taken",
    "director_vacancy": "OPA Director position vacant",
    "additional_investigation": "Additional investigation",
    "submitted_to_oig": "Submitted to OIG for review",
    "oig_certified": "Certified by OIG",
    "oig_not_certified": "Not certified by OIG",
    "proposed_findings_issued": "Proposed findings issued to the Chief",
    "chief_decision": "The Chief's decision",
    "chief_statement_issued": "The Chief's statement of reasons issued",
    "timeline_statement_issued": "The Director's timeline statement issued",
    "discipline_determination_received": "Final determination received by the employee",
    "appeal_notice_filed": "Notice of intent to appeal filed",
    "failure_to_refer_determined": "Deadline found missed for a failure to refer",
    "incident_review_started": "SPD incident review started",
    "incident_review_completed": "SPD incident review completed",
    "review_found_potential_misconduct": "Potential misconduct found in an SPD review",
}
OFFICE_EVENT_TYPES: dict[str, str] = {
    "intake_recorded": "Intake recorded",
    "party_added": "Person or allegation added",
    "party_changed": "Person or allegation corrected",
    "note_added": "Note added",
    "complainant_added": "The complainant sent more",
    "additions_read": "What the complainant sent was read",
    "classified": "Classified",
    "classification_refused": "Classification refused",
    "routed": "Routed outside OPA",
    "assigned": "Investigator assigned",
    "supervisor_action_referred": "Supervisor Action referred",
    "supervisor_action_reported": "Supervisor Action report received",
    "notice_generated": "Notice generated",
    "plan_submitted": "Investigation plan submitted",
    "plan_approved": "Investigation plan approved",
    "plan_returned": "Investigation plan returned",
    "exigent_circumstances": "Exigent circumstances recorded",
    "interview_recorded": "Interview recorded",
    "evidence_added": "Evidence added",
    "subpoena_issued": "Subpoena issued",
    "subpoena_status": "Subpoena status changed",
    "case_closed": "Case closed",
    "failure_to_refer_of": "Opened for a failure to refer another case",
    "failure_to_refer_opened": "A failure-to-refer complaint was opened from this case",
    # findings, the Chief, discipline and appeals (oversight.discipline)
    "findings_recommended": "Findings recommended to the Chief",
    "management_action_issued": "Management Action issued",
    "management_action_response": "SPD's response to a Management Action",
    "training_reported": "Training Referral reported",
    "discipline_imposed": "Discipline imposed",
    "statement_filed": "Statement filed",
    "leave_without_pay": "Leave without pay",
    "appeal_filed": "Appeal filed",
    "appeal_hearing_set": "Appeal hearing set",
    "appeal_ruling": "Appeal ruling",
    "appeal_settled": "Appeal settled",
    "complainant_notified_of_appeal": "Complainant and public told of the appeal's outcome",
    "separation_recorded": "Separation for cause recorded",
    "separation_documented": "Separation documentation recorded",
    "access_granted": "Access granted to a named employee or union",
    # retention (SMC 3.29.320.E)
    "legal_hold_placed": "Legal hold placed",
    "legal_hold_released": "Legal hold released",
    "case_file_disposed": "Case file disposed of (its retention ended)",
}
CLOCK_EVENT_TYPES = frozenset(EVENT_TYPES)
EVENT_LABELS: dict[str, str] = {
    **{t: CLOCK_EVENT_LABELS.get(t, t.replace("_", " ").capitalize()) for t in EVENT_TYPES},
    **OFFICE_EVENT_TYPES,
}
EVENT_CHOICES = list(EVENT_LABELS.items())


def event_label(type: str) -> str:
    return EVENT_LABELS.get(type, type.replace("_", " ").capitalize())


CHANNELS = [
    ("web", "Web form"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("in_person", "In person"),
    ("navigator", "Complainant navigator"),
    ("community_org", "Community organization"),
    ("spd_referral", "SPD referral"),
    ("spd_unit", "SPD unit (force review, collision review, ...)"),
    ("opa_initiated", "OPA-initiated"),
    ("oig_referral", "OIG referral"),
    ("justice_referral", "Criminal justice system referral (integrity or honesty, 3.29.300.D)"),
]
# What a case may carry: the intake channels, and a case brought in from another system's export
# (oversight.history), which no one chooses at intake.
CASE_CHANNELS = [*CHANNELS, ("imported", "Imported from another system's export")]
REFERRAL_CHANNELS = frozenset({"spd_referral", "spd_unit", "oig_referral"})

SHIFTS = [("", "—"), ("first", "First watch"), ("second", "Second watch"), ("third", "Third watch")]
PRECINCTS = [
    ("", "—"),
    ("north", "North"),
    ("east", "East"),
    ("south", "South"),
    ("west", "West"),
    ("southwest", "Southwest"),
]
INTERVIEW_CHOICE = [
    ("undecided", "Not yet asked"),
    ("yes", "Wants an in-person interview"),
    ("no", "Does not want one"),
]
WITNESS_KINDS = [("civilian", "Civilian"), ("employee", "SPD employee")]
SUBPOENA_STATUSES = [
    ("issued", "Issued"),
    ("served", "Served"),
    ("complied", "Complied"),
    ("not_responded", "Not responded; City Attorney asked to enforce"),
    ("withdrawn", "Withdrawn"),
]

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """An attempt to change or remove a record the law or the log keeps forever."""


class AppendOnly(models.Model):
    """A row written once: saving it again or deleting it raises AppendOnlyError."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records are append-only: record a new one instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} records are append-only and cannot be deleted")


class Kept(models.Model):
    """A row that may be corrected (through the actions, which keep the old values in a
    ``PartyRevision``) but never deleted."""

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} records are kept: correct them instead of deleting them")


class CaseNumber(models.Model):
    """The last sequence number handed out for a year: numbers are never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Case(models.Model):
    number = models.CharField(max_length=32, unique=True)
    channel = models.CharField(max_length=24, choices=CASE_CHANNELS, default="web")
    received_on = models.DateField(null=True, blank=True)
    should_have_been_referred_on = models.DateField(null=True, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    incident_time = models.TimeField(null=True, blank=True)
    incident_place = models.CharField(max_length=300, blank=True)
    precinct = models.CharField(max_length=16, choices=PRECINCTS, blank=True)
    sector = models.CharField(max_length=16, blank=True)
    beat = models.CharField(max_length=16, blank=True)
    shift = models.CharField(max_length=16, choices=SHIFTS, blank=True)
    summary = models.TextField(blank=True)
    # Projections of the log, kept by the actions for the board's filters.
    classification = models.CharField(max_length=32, blank=True)
    routed_to = models.CharField(max_length=16, blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The board's projection: the next deadline as the clock computed it on board_day, true
    # through board_until (rules.projection.unchanged_through). Any appended event recomputes
    # it; a day past board_until makes it stale and the board recomputes it (clock.refresh_board).
    board_day = models.DateField(null=True, blank=True)
    board_until = models.DateField(null=True, blank=True)
    board_stage = models.CharField(max_length=48, blank=True)
    board_risk = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 overdue, 1 open, 2 tolled
    board_due = models.DateField(null=True, blank=True)
    board_deadline_id = models.CharField(max_length=48, blank=True)
    board_deadline = models.JSONField(null=True, blank=True)
    board_flags = models.JSONField(default=list, blank=True)
    # Whether the Director owes the statement on an exceeded time limit (SMC 3.29.027.C) and has
    # not made it, and that deadline as the clock gave it (only its status moves with the day, and
    # nothing else does until an event is appended): None until the clock was asked (by the
    # board's recomputation of an open case, or discipline.waiting.statements for the rest), and
    # again after any appended event.
    timeline_statement_owed = models.BooleanField(null=True, default=None)
    timeline_statement_deadline = models.JSONField(null=True, blank=True, default=None)
    # The search's projection (oversight.cases.search): the case's words (its summary, notes and
    # allegation descriptions) as written, and the same through the one redaction path, for those
    # who may not read every person's identity. Any appended event marks it stale; a search
    # refreshes what is stale first (actions.refresh_search_texts).
    search_text = models.TextField(blank=True, default="", editable=False)
    search_redacted = models.TextField(blank=True, default="", editable=False)
    search_stale = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["-number"]
        indexes = [
            models.Index(fields=["closed_on"], name="case_closed_idx"),
            models.Index(fields=["board_risk", "board_due", "number"], name="case_board_idx"),
            models.Index(fields=["received_on", "number"], name="case_received_idx"),
            models.Index(fields=["search_stale"], condition=models.Q(search_stale=True), name="case_search_stale_idx"),
            # what clock._stale asks on every board read: projections computed for another day or past theirs
            models.Index(fields=["board_day"], condition=models.Q(closed_on__isnull=True), name="case_board_day_idx"),
            models.Index(
                fields=["board_until"], condition=models.Q(closed_on__isnull=True), name="case_board_until_idx"
            ),
            models.Index(
                fields=["timeline_statement_owed"],
                condition=models.Q(timeline_statement_owed__isnull=True) | models.Q(timeline_statement_owed=True),
                name="case_statement_owed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    def as_clock_input(self, events: list[CaseEvent] | None = None) -> dict[str, Any]:
        """The case in the timeline contract's input shape (shared/spec/timeline.md)."""
        evs = events if events is not None else list(self.events.all())
        return {
            "case_id": self.number,
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "allegations": [
                {
                    "id": f"A{a.pk}",
                    "category": a.category,
                    "criminal": a.criminal,
                    "concealment": a.concealment,
                    "type_iii_force": a.type_iii_force,
                }
                for a in self.allegations.all()
            ],
            "events": [e.as_clock_input() for e in evs if e.type in CLOCK_EVENT_TYPES],
        }


class Complainant(Kept):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complainants")
    anonymous = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Given voluntarily; blank means not given.
    race = models.CharField(max_length=80, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    gender = models.CharField(max_length=80, blank=True)
    neighbourhood = models.CharField(max_length=120, blank=True)
    in_person_interview = models.CharField(max_length=12, choices=INTERVIEW_CHOICE, default="undecided")

    def __str__(self) -> str:
        return "Anonymous complainant" if self.anonymous or not self.name else self.name


class NamedEmployee(Kept):
    """An SPD employee named in a complaint, as they were at the time of the incident."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="named_employees")
    name = models.CharField(max_length=200)
    serial = models.CharField(max_length=16, blank=True)
    rank = models.CharField(max_length=60, blank=True)
    unit = models.CharField(max_length=120, blank=True)
    assignment = models.CharField(max_length=120, blank=True)
    shift = models.CharField(max_length=16, choices=SHIFTS, blank=True)
    years_of_service = models.PositiveSmallIntegerField(null=True, blank=True)
    supervisor_name = models.CharField(max_length=200, blank=True)
    captain = models.CharField(max_length=200, blank=True)
    bargaining_unit = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}".strip()


class Witness(Kept):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="witnesses")
    kind = models.CharField(max_length=12, choices=WITNESS_KINDS, default="civilian")
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Allegation(Kept):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allegations")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="allegations")
    category = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    criminal = models.BooleanField(default=False)
    concealment = models.BooleanField(default=False)
    # The conduct involved Type III force: a level of force (SMC 3.29.007), not a kind of allegation.
    type_iii_force = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]


PARTY_KINDS = [
    ("complainant", "Complainant"),
    ("named_employee", "Named employee"),
    ("witness", "Witness"),
    ("allegation", "Allegation"),
]


class PartyRevision(AppendOnly):
    """A correction of a complainant, named employee, witness or allegation: the values
    before and after, who made it and when. Nothing typed is ever lost."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="party_revisions")
    kind = models.CharField(max_length=16, choices=PARTY_KINDS)
    object_id = models.PositiveBigIntegerField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]


class CaseNote(AppendOnly):
    """A note in the case file, written by the staff working the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]


class CaseEvent(AppendOnly):
    """One thing that happened to a case, on a date. Never edited, never deleted.

    Every event carries the hash of the event recorded before it (across all cases)
    and its own hash over its content and that link, so that a changed, removed or
    inserted entry breaks the chain at that point.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=48, choices=EVENT_CHOICES)
    date = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]
        # The lists that wait for someone ask "which cases have an event of this kind": events
        # by type, and a case's events of a type, without reading every event of the log.
        indexes = [models.Index(fields=["type", "case"], name="case_event_type_case")]

    def as_clock_input(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "date": _iso(self.date)}
        if self.type in CLOCK_EVENT_TYPES:
            fields = EVENT_TYPES[self.type]
            out.update({k: v for k, v in self.data.items() if k in fields})
        return out

    def content_hash(self, case_number: str, username: str | None) -> str:
        """HMAC-SHA256, under the deployment's chain key, over what the entry says, who
        recorded it, and the entry before it (``oversight.cases.integrity``)."""
        from .integrity import event_hash

        return event_hash(
            case_number, self.seq, self.type, self.date, self.data, self.recorded_at, username, self.prev_hash
        )


class ChainHead(models.Model):
    """The hash of the last entry appended to a chain, locked while appending: row 1 is the
    event log's, row 2 the seals' (``RecordSeal``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.PositiveBigIntegerField(default=0)


class AuditEntry(AppendOnly):
    """Who did what, when: one entry for every write made through the actions layer."""

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=48)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class RecordSeal(AppendOnly):
    """The seal of one record as it was written (``oversight.cases.integrity``): its kind, its
    id, the fields sealed and their digest, chained to the seal before it like the events,
    under the same key. A record's latest seal must match it as it stands; a sealed record
    that is gone was removed, a record with no seal was written behind the actions' back."""

    kind = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    fields = models.TextField()
    digest = models.CharField(max_length=64)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="seal_record_idx")]


READ_OUTCOMES = [("shown", "Shown"), ("refused", "Refused")]


class ReadRecord(AppendOnly):
    """Who read what: one sensitive part of a case (complainants' or witnesses' identity,
    evidence, discipline) or a hotline report, shown to or refused to one person, when and
    from where. Written at the access model's door (``oversight.access``), sealed like every
    record that tells a case's story, and reviewed by OIG at /oig/reads/."""

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    roles = models.CharField(max_length=300, blank=True)
    part = models.CharField(max_length=24)
    outcome = models.CharField(max_length=8, choices=READ_OUTCOMES, default="shown")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="reads")
    record = models.CharField(max_length=120, blank=True)  # which record, beyond the case (a file, a report)
    path = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=8, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"], name="read_at_idx")]

    @property
    def roles_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]


class ChainCheckpoint(AppendOnly):
    """A checkpoint of the chains' heads, also appended to a file outside the database
    (``manage checkpoint_chain``): the verifier checks the chains still pass through it."""

    at = models.DateTimeField()
    events = models.PositiveBigIntegerField()
    events_head = models.CharField(max_length=64)
    seals = models.PositiveBigIntegerField()
    seals_head = models.CharField(max_length=64)
    file = models.CharField(max_length=300)
    line = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]


class LegalHold(Kept):
    """A legal hold on a case file (litigation, a public records request, an audit): while one
    is in place nothing of the file is disposed of, whatever the retention schedule says.
    Placed and released through ``oversight.cases.actions.retention``, each on the case's log."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]

    @property
    def active(self) -> bool:
        return self.released_at is None


class Disposal(AppendOnly):
    """The disposal of a case file once its retention ran out (SMC 3.29.320.E): who, when, on
    what basis (the earliest disposal date and how it was computed) and what was disposed of.
    Discipline records are never disposed of. OIG reviews every disposal at /oig/retention/."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disposals")
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField()
    earliest_on = models.DateField()
    basis = models.JSONField(default=list)
    disposed = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-disposed_at", "-pk"]


class InvestigationPlan(AppendOnly):
    """SMC 3.29.025.E: priority, witnesses, perishable and other evidence, the approach
    to each allegation, and any decision forced by resource constraints. A new
    version is a new row; approval is an event naming the version."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField()
    priority = models.CharField(max_length=200)
    witnesses = models.TextField()
    perishable_evidence = models.TextField()
    other_evidence = models.TextField()
    approach = models.TextField(help_text="The approach to addressing each allegation")
    resource_constraints = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="plan_version_unique")]


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceFile(AppendOnly):
    """A file in the case file, stored under its SHA-256: never overwritten, never removed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(max_length=255)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(
        max_length=16,
        choices=[("audio", "Interview audio"), ("transcript", "Interview transcript"), ("other", "Other evidence")],
        default="other",
    )
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} (sha256 {self.sha256[:12]}…)"


class Interview(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interviews")
    interviewee = models.CharField(max_length=200)
    held_on = models.DateField()
    in_person = models.BooleanField(default=True)
    audio = models.ForeignKey(EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transcript = models.ForeignKey(EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class Subpoena(models.Model):
    """Issued by the Director (SMC 3.29.025.D); each change of status is also an event."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="subpoenas")
    recipient = models.CharField(max_length=200)
    material = models.TextField()
    issued_on = models.DateField()
    status = models.CharField(max_length=16, choices=SUBPOENA_STATUSES, default="issued")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class SupervisorActionReferral(models.Model):
    """A Supervisor Action sent to the named employee's supervisor, who reports back."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervisor_actions")
    named_employee = models.ForeignKey(NamedEmployee, on_delete=models.PROTECT, related_name="+")
    supervisor_name = models.CharField(max_length=200)
    referred_on = models.DateField()
    report_due = models.DateField()
    reported_on = models.DateField(null=True, blank=True)
    report = models.TextField(blank=True)


class ReminderSent(AppendOnly):
    """A reminder emailed once per case, deadline, due date and threshold."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    deadline = models.CharField(max_length=48)
    due = models.DateField()
    days_before = models.SmallIntegerField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "deadline", "due", "days_before"], name="reminder_once"),
        ]


def _iso(d: dt.date | str) -> str:
    return d if isinstance(d, str) else d.isoformat()
