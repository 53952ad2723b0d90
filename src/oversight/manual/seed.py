"""The demo's OPA Manual (invented): last year's version adopted after OIG's and CPC's comments,
and this year's update open for comment, OIG having commented; OIG's draft workplan for next
year shared with CPC, with one CPC proposal answered and one waiting."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from oversight.cpc import actions as cpa
from oversight.cpc.models import Workplan
from oversight.uploads import sample_pdf

from . import actions
from .models import ManualRound


def seed(today: dt.date) -> int:
    if ManualRound.objects.exists():
        return 0
    User = get_user_model()
    director, ig, cpc = (User.objects.get(username=n) for n in ("director", "ig", "cpc"))
    start = today - dt.timedelta(days=330)
    rnd = actions.open_round(
        director,
        title=f"{start.year} update",
        proposed="Intake: a complaint is classified within 30 days of its receipt; mediation offered in writing.",
        on=start,
        comments_by=start + dt.timedelta(days=30),
    )
    actions.comment(
        ig, rnd, text="Say who may extend the classification period, and why.", on=start + dt.timedelta(days=20)
    )
    actions.comment(cpc, rnd, text="Offer mediation in the complainant's language.", on=start + dt.timedelta(days=25))
    actions.respond(
        director,
        rnd,
        response="Both taken: extensions named; mediation letters translated.",
        on=start + dt.timedelta(days=35),
    )
    actions.publish(
        director,
        rnd,
        version=f"{start.year}.1",
        effective_on=start + dt.timedelta(days=45),
        summary="Classification within 30 days; mediation offered in writing, in the complainant's language.",
        file_name=f"opa-manual-{start.year}.pdf",
        content=sample_pdf(f"OPA Internal Operations and Training Manual, version {start.year}.1"),
    )
    now = actions.open_round(
        director,
        title=f"{today.year} update",
        proposed="Rapid Adjudication: the named employee's request in writing; the record kept with the case.",
        on=today - dt.timedelta(days=10),
        comments_by=today + dt.timedelta(days=20),
    )
    actions.comment(ig, now, text="Add the Inspector General's review of each Rapid Adjudication.", on=today)
    n = 2
    if not Workplan.objects.exists():
        plan = cpa.share_workplan(
            ig,
            year=today.year + 1,
            draft="1. Audit OPA's classification decisions.\n2. Review SPD's crowd-control after-action reports.",
            on=today - dt.timedelta(days=14),
            meeting_on=today - dt.timedelta(days=7),
        )
        first = cpa.propose_workplan_addition(
            cpc,
            plan,
            area="Stops of youth near schools",
            reasons="Raised at three community meetings.",
            on=today - dt.timedelta(days=7),
        )
        cpa.answer_workplan_proposal(
            ig, first, decision="included", text="Added as item 3.", on=today - dt.timedelta(days=3)
        )
        cpa.propose_workplan_addition(
            cpc,
            plan,
            area="Use of drones",
            reasons="New equipment this year.",
            on=today - dt.timedelta(days=2),
            emergent=True,
        )
        n += 1
    return n
