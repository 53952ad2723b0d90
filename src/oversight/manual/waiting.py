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
from .models import BODIES, ManualRound


def manual(user: Any, today: dt.date) -> Iterator[Waiting]:
    url = reverse("manual:index")
    open_round = ManualRound.objects.filter(version__isnull=True).prefetch_related("comments").first()
    if access.may(user, "manual_update"):
        due, cite, last = next_update_due(today)
        late = due is not None and today > due
        if open_round is None:
            title = "The OPA Manual's annual update"
            why = (
                f"Version {last.version} took effect on {last.effective_on}; open a round of comment for the next "
                "update: OIG and CPC are consulted before it is adopted"
                if last
                else "No version of the OPA Manual is posted yet: post it, then update it yearly"
            )
            status = "overdue" if late else "open"
        else:
            have = {c.body for c in open_round.comments.all()}
            waiting_for = [label for b, label in BODIES if b not in have]
            title = f"The OPA Manual: {open_round.title}"
            if open_round.responded_on is not None:
                why, status = "OPA answered the comments: adopt and publish the version", "new"
            elif waiting_for:
                who = " and the ".join(waiting_for)
                why = f"Round of comment open since {open_round.opened_on}; waiting for the {who}"
                why += f" (asked by {open_round.comments_by})" if open_round.comments_by else ""
                status = "overdue" if late else "open"
            else:
                why, status = "OIG's and CPC's comments are in: answer them, then adopt the version", "new"
        yield Waiting(
            "The OPA Manual",
            title,
            url + (f"#round-{open_round.pk}" if open_round else ""),
            f"{why} [{cite}]." + (f" The update is due by {due}." if due else ""),
            due=due,
            status=status,
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
