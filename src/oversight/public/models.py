"""What the public side keeps: web complaints and their tracking codes, what the
complainant added later, published texts (always stored already redacted), the
library, digest subscribers and the digests sent.

Every write goes through ``oversight.public.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.cases.models import AppendOnly, Case

# What a publication is, and the section of Chapter 3.29 that asks for it.
KINDS = [
    ("summary", _("Completed investigation summary")),  # SMC 3.29.030.C
    ("management_action", _("Management Action letter")),  # SMC 3.29.030.D
    ("spd_response", _("SPD response to a Management Action")),  # SMC 3.29.030.D
    ("chief_statement", _("Chief of Police's written statement")),  # SMC 3.29.027.B
    ("director_statement", _("OPA Director's written statement")),  # SMC 3.29.027.C
    ("appeal_outcome", _("Outcome of an appeal that changed findings")),  # SMC 3.29.030.G
]
KIND_CITES = {
    "summary": "SMC 3.29.030.C",
    "management_action": "SMC 3.29.030.D",
    "spd_response": "SMC 3.29.030.D",
    "chief_statement": "SMC 3.29.027.B; SMC 3.29.027.D",
    "director_statement": "SMC 3.29.027.C; SMC 3.29.027.D",
    "appeal_outcome": "SMC 3.29.030.G",
}

LIBRARY_KINDS = [
    ("cba", _("Collective bargaining agreement")),  # SMC 3.29.330.B
    ("side_agreement", _("Separate agreement (unfair labor practice, grievance or appeal settlement, other)")),
    ("opa_report", _("OPA report")),
    ("oig_report", _("OIG report")),
    ("cpc_report", _("CPC report")),
]

TOPICS = [
    ("use_of_force", _("Force was used on me or someone else")),
    ("courtesy", _("Rude or unprofessional behaviour")),
    ("bias", _("Treated differently because of who I am (bias)")),
    ("stops_detentions_arrests", _("A stop, detention or arrest")),
    ("search_seizure", _("A search or something taken")),
    ("other", _("Something else")),
]


class WebComplaint(models.Model):
    """A complaint filed through the public form; it is an OPA case with channel "web".

    The tracking code is kept only as its SHA-256: whoever holds the code can follow the case,
    and the office cannot show it to anyone again.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="web_complaint")
    code_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=12, default="en")
    topic = models.CharField(max_length=40, choices=TOPICS, blank=True)
    email = models.EmailField(blank=True)  # where status messages go; blank: none are sent
    officer_description = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField()
    last_status_sent = models.CharField(max_length=40, blank=True)


class WebEvidence(AppendOnly):
    """A file the complainant sent with the form or later, stored under its SHA-256."""

    complaint = models.ForeignKey(WebComplaint, on_delete=models.PROTECT, related_name="evidence")
    # The later addition it came with; None for the files sent with the form itself.
    update = models.ForeignKey(
        "ComplainantUpdate", null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="web-evidence/", max_length=200)
    added_at = models.DateTimeField()


class ComplainantUpdate(AppendOnly):
    """Information the complainant added after filing, through the tracking page."""

    complaint = models.ForeignKey(WebComplaint, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField()
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]


class ReadMark(AppendOnly):
    """Staff read what the complainant sent, up to ``up_to``: everything sent later is unread."""

    complaint = models.ForeignKey(WebComplaint, on_delete=models.PROTECT, related_name="read_marks")
    up_to = models.DateTimeField()
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        ordering = ["-up_to", "-pk"]


class StatusMessage(AppendOnly):
    """A status message emailed to a complainant (SMC 3.29.020.A.13)."""

    complaint = models.ForeignKey(WebComplaint, on_delete=models.PROTECT, related_name="messages")
    status = models.CharField(max_length=40)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "status"], name="status_message_once")]


class Publication(models.Model):
    """A text OPA posts online about a case. ``text`` is what the redaction path returned and
    what the reviewer saw; the text as written never leaves the office and is not kept here."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(max_length=24, choices=KINDS)
    title = models.CharField(max_length=300)
    text = models.TextField()
    redactions = models.JSONField(default=list)  # what the reviewer saw removed: [{found_len, replaced_by, reason}]
    allegations = models.JSONField(default=list)  # policy categories
    findings = models.JSONField(default=list)  # findings from the profile's taxonomy
    precinct = models.CharField(max_length=16, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=200, blank=True)  # a Management Action's status
    discipline_appealed = models.BooleanField(default=False)
    published_on = models.DateField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["kind", "published_on"], name="publication_kind_idx")]


class LibraryDocument(models.Model):
    """Collective bargaining agreements and every separate agreement (SMC 3.29.330.B); OPA, OIG and CPC reports."""

    kind = models.CharField(max_length=24, choices=LIBRARY_KINDS)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)  # redacted
    url = models.URLField(blank=True)
    effective_on = models.DateField(null=True, blank=True)
    published_on = models.DateField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "-effective_on", "title"]


class Subscription(models.Model):
    """An email address that asked for the monthly digest; it receives it once confirmed."""

    email = models.EmailField(unique=True)
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=12, default="en")
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)


class Digest(AppendOnly):
    """A monthly digest, sent once (SMC 3.29.030.C)."""

    month = models.DateField(unique=True)  # the first day of the month it compiles
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField()
    publications = models.JSONField(default=list)
