"""What the sign-in pages keep: every sign-in, failure, lockout, second factor and sign-out
(reviewable by the administrator at /people/sign-ins/), and the counters of the rate limits."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignInEvent(models.Model):
    SIGNED_IN = "signed_in"
    FAILED = "failed"
    LOCKED_OUT = "locked_out"
    SECOND_FACTOR = "second_factor"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    ENROLLED = "enrolled"
    RECOVERY_CODE = "recovery_code"
    SIGNED_OUT = "signed_out"
    EXPIRED = "expired"
    KINDS = [
        (SIGNED_IN, "Signed in with the password"),
        (FAILED, "Wrong username or password"),
        (LOCKED_OUT, "Locked out after repeated failures"),
        (SECOND_FACTOR, "Gave the second factor"),
        (SECOND_FACTOR_FAILED, "Wrong second-factor code"),
        (ENROLLED, "Set up a second factor"),
        (RECOVERY_CODE, "Used a recovery code"),
        (SIGNED_OUT, "Signed out"),
        (EXPIRED, "Signed out when the session ran out"),
    ]

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=24, choices=KINDS)
    username = models.CharField(max_length=150, blank=True, help_text="As typed, for a failure")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    ip = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class RateCounter(models.Model):
    """Requests counted in one fixed window of a rate limit, for one client address."""

    bucket = models.CharField(max_length=200)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window_start"], name="one_counter_per_window")]
