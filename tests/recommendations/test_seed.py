from __future__ import annotations

import pytest
from django.utils import timezone

from oversight.cases.seed import ensure_demo_users
from oversight.recommendations.actions import status_of
from oversight.recommendations.models import Recommendation
from oversight.recommendations.seed import seed

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_kind_of_status():
    ensure_demo_users()
    today = timezone.localdate()
    assert seed(today) > 0 and seed(today) == 0  # once
    statuses = {status_of(r, today).status for r in Recommendation.objects.all()}
    assert {"implemented", "in_progress", "accepted", "not_accepted", "overdue", "issued"} <= statuses
