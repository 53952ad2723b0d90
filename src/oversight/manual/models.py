"""The OPA Manual (the Office of Police Accountability Internal Operations and Training Manual):
its versions, posted publicly online (SMC 3.29.010.D), and its update at least once a year after
consultation with OIG and CPC (3.29.020.A.4; 3.29.110.A.10; 3.29.215.A.2): OPA opens a round of
comment on the proposed update, OIG and CPC comment, OPA answers the comments, then adopts and
publishes the version. Written only through ``actions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oversight.cases.models import AppendOnly

BODIES = [("oig", "Office of Inspector General"), ("cpc", "Community Police Commission")]


class ManualRound(models.Model):
    title = models.CharField(max_length=200)  # "2027 update"
    proposed = models.TextField()  # the proposed revisions, as given to OIG and CPC
    opened_on = models.DateField()
    comments_by = models.DateField(null=True, blank=True)  # the date OPA asked for the comments by
    response = models.TextField(blank=True)  # OPA's answer to the comments
    responded_on = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from oversight.cases.models import AppendOnlyError

        raise AppendOnlyError("A round of comment on the OPA Manual stays on the record")


class ManualComment(AppendOnly):
    round = models.ForeignKey(ManualRound, on_delete=models.PROTECT, related_name="comments")
    body = models.CharField(max_length=8, choices=BODIES)
    text = models.TextField()
    commented_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["commented_on", "pk"]


class ManualVersion(AppendOnly):
    version = models.CharField(max_length=40, unique=True)
    effective_on = models.DateField()
    published_on = models.DateField()
    summary = models.TextField()  # what changed
    round = models.OneToOneField(ManualRound, on_delete=models.PROTECT, related_name="version")
    file = models.FileField(upload_to="manual/")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-effective_on", "-pk"]
