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


def test_the_demo_has_a_manual_version_an_open_round_and_a_workplan(settings, tmp_path):
    from oversight.cpc.models import WorkplanProposal
    from oversight.manual.models import ManualRound, ManualVersion
    from oversight.manual.seed import seed as seed_manual

    settings.MEDIA_ROOT = str(tmp_path)
    ensure_demo_users()
    today = timezone.localdate()
    assert seed_manual(today) == 3 and seed_manual(today) == 0  # once
    assert ManualVersion.objects.count() == 1 and ManualRound.objects.filter(version__isnull=True).count() == 1
    assert WorkplanProposal.objects.filter(answer__isnull=True).count() == 1
