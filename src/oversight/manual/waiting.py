"""What waits on the OPA Manual: for the Director, the next annual update (due from the last
version's effective date, SMC 3.29.020.A.4) and a round whose comments are in; for OIG and CPC,
an open round they have not commented on yet (3.29.110.A.10; 3.29.215.A.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from oversight import access
from oversight.home.registry import Waiting

from .actions import body_of, next_update_due
from .models import ManualRound


def manual(user: Any, today: dt.date) -> Iterator[Waiting]:
    url = reverse("manual:index")
    open_round = ManualRound.objects.filter(version__isnull=True).prefetch_related("comments").first()
    if access.may(user, "manual_update"):
        due, cite, last = next_update_due(today)
        if open_round is None:
            yield Waiting(
                "The OPA Manual",
                "The OPA Manual's annual update",
                url,
                (
                    f"Version {last.version} took effect on {last.effective_on}; update the Manual at least "
                    f"annually, after OIG's and CPC's consultation and input [{cite}]."
                    if last
                    else f"No version of the OPA Manual is posted yet: post it, then update it yearly [{cite}]."
                ),
                due=due,
                status="overdue" if due is not None and today > due else "open",
            )
        elif open_round.responded_on is None and {c.body for c in open_round.comments.all()} >= {"oig", "cpc"}:
            yield Waiting(
                "The OPA Manual",
                f"{open_round.title}: OIG's and CPC's comments are in",
                url + f"#round-{open_round.pk}",
                f"Answer the comments, then adopt and publish the version [{cite}].",
                due=due,
                status="new",
            )
    body = body_of(user)
    if open_round is not None and body and access.may(user, "comment_on_manual"):
        if body not in {c.body for c in open_round.comments.all()}:
            yield Waiting(
                "The OPA Manual",
                f"{open_round.title}: OPA asks for your comments",
                url + f"#round-{open_round.pk}",
                f"Opened {open_round.opened_on}: review and comment on the proposed revisions "
                f"[{'SMC 3.29.110.A.10' if body == 'oig' else 'SMC 3.29.215.A.2'}].",
                due=open_round.comments_by,
                status="open",
            )


def register() -> None:
    from oversight.home.registry import register_waiting

    register_waiting(manual)
