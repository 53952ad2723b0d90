"""Demo recommendations (invented, in the shape of Seattle's public tracker): each body's, to SPD
and to OPA, answered on time, late, not at all, in progress, implemented and declined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from . import actions
from .models import Recommendation

# (body, addressee, category, days ago issued, title, [(days after issue, kind, text)])
DEMO: list[tuple[str, str, str, int, str, list[tuple[int, str, str]]]] = [
    (
        "oig",
        "spd",
        "stops",
        400,
        "Record the articulable reason for every frisk",
        [
            (21, "accepted", "Plan: a required field in the stop report by the next release."),
            (120, "progress_report", "The field is in testing in two precincts."),
            (300, "implemented", "Released department-wide; the first quarter's data is attached."),
        ],
    ),
    (
        "cpc",
        "spd",
        "use_of_force",
        260,
        "Adopt a duty to intervene with reporting",
        [
            (29, "accepted", "Plan: policy revision with CPC's and OIG's comment rounds."),
            (140, "progress_report", "Draft policy out for comment."),
        ],
    ),
    (
        "opa",
        "spd",
        "training",
        200,
        "Retrain patrol on de-escalation before force",
        [(45, "accepted", "Accepted; the academy adds a block in the spring cycle.")],
    ),
    (
        "cpc",
        "spd",
        "transparency",
        150,
        "Publish the Force Review Board's findings quarterly",
        [(28, "not_accepted", "SPD declines: the findings are personnel records under review.")],
    ),
    (
        "oig",
        "opa",
        "accountability_process",
        120,
        "Time the intake review of every complaint",
        [(25, "accepted", "OPA will report intake timeliness monthly from January.")],
    ),
    ("cpc", "council", "community", 90, "Fund civilian crisis responders", []),
    ("oig", "spd", "technology", 70, "Keep body-worn video for the full limitation period", []),
    ("cpc", "opa", "transparency", 45, "Name the outreach events in each quarterly report", []),
    ("opa", "spd", "policy", 20, "Clarify when officers must turn on body-worn video", []),
    ("cpc", "spd", "bias", 10, "Report stops by race and precinct every quarter", []),
]


def seed(today: dt.date) -> int:
    if Recommendation.objects.filter(source="report").exists():
        return 0
    User = get_user_model()
    by_body = {
        "opa": User.objects.get(username="director"),
        "oig": User.objects.get(username="ig"),
        "cpc": User.objects.get(username="cpc"),
    }
    answerer: dict[str, Any] = {"spd": User.objects.get(username="liaison"), "opa": by_body["opa"]}
    n = 0
    for body, to, category, ago, title, events in DEMO:
        issued = today - dt.timedelta(days=ago)
        rec = actions.issue(
            by_body[body],
            body=body,
            addressee=to,
            title=title,
            text=title + ".",
            category=category,
            issued_on=issued,
            report_title=f"{dict(actions.ISSUERS)[body]} report, {issued:%B %Y}",
        )
        for after, kind, text in events:
            actions.record(
                answerer.get(to, by_body[body]), rec, kind=kind, on=issued + dt.timedelta(days=after), text=text
            )
        n += 1
    return n
