"""What the institutions put on people's homes: each body's deadlines ahead of time (its
appointing and recording offices, and the body itself), SPD's incident reviews past their
limit (the Chief, OIG and the Director), referrals to take in, reports and advice to answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from oversight import access
from oversight.cases.clock import timeline
from oversight.cases.models import Case
from oversight.home.registry import Waiting, register_waiting
from oversight.rules import access as A
from oversight.rules import institutions as I

from . import actions
from .models import Advice, IntegrityReferral, ProblemReport, Removal

# Who watches each body's deadlines on their home: the offices that record and appoint, and the
# body's own office.
_CLERKS = frozenset({A.CITY_CLERK, A.ADMINISTRATOR})
WATCHERS: dict[str, frozenset[str]] = {
    "opa_director": _CLERKS | {A.DIRECTOR},
    "inspector_general": _CLERKS | {A.INSPECTOR_GENERAL},
    "cpc": _CLERKS | {A.CPC_STAFF},
    "cpc_executive_director": _CLERKS | {A.CPC_STAFF},
    "pscsc": _CLERKS,
}
CAP = 25


def body_deadlines(user: Any, today: dt.date) -> Iterator[Waiting]:
    roles = access.roles_of(user)
    prof = actions.profile()
    codes = I.labels(prof)
    for body in I.body_ids(prof):
        if not roles & WATCHERS.get(body, _CLERKS):
            continue
        hist = actions.history(body)
        if not hist:  # the registry is not in use for this body yet: nothing to warn of
            continue
        rules = I.body_rules(prof, body, today)
        for d in I.deadlines(rules, hist, today, codes):
            if d.status == "open":
                continue
            yield Waiting(
                f"Seats and terms: {rules.label}",
                d.what,
                reverse("institutions:body", args=[body]),
                f"{d.why[:1].upper() + d.why[1:]} [{d.cite}]." if d.why else f"[{d.cite}]",
                due=d.due,
                status="overdue" if d.status == "overdue" else "due",
                more=reverse("institutions:body", args=[body]),
            )


def removal_deadlines(user: Any, today: dt.date) -> Iterator[Waiting]:
    """The next step of a pending removal for cause, for those who watch the body."""
    roles = access.roles_of(user)
    prof = actions.profile()
    for r in Removal.objects.filter(outcome="").select_related("appointment"):
        body = r.appointment.body
        if not roles & WATCHERS.get(body, _CLERKS):
            continue
        rules = I.body_rules(prof, body, r.notice_on)
        steps = I.removal_deadlines(rules, r.notice_on, r.hearing_requested_on, r.hearing_on)
        done = {
            "Request a hearing": r.hearing_requested_on is not None,
            "The Council's hearing": r.hearing_on is not None,
        }
        for st in steps:
            if done.get(st.what) or (st.what == "Request a hearing" and today > st.latest):
                continue  # met, or the days to request a hearing passed without one
            yield Waiting(
                f"Removal for cause: {rules.label}",
                f"{st.what}: {r.appointment.person}",
                reverse("institutions:body", args=[body]),
                f"Notice of intended removal given {r.notice_on} [{st.cite}].",
                due=st.latest,
                status="overdue" if today > st.latest else "due",
            )
            break


def overdue_reviews(today: dt.date) -> list[dict[str, Any]]:
    """SPD's incident reviews past their limit (3.29.335.A): unit, case, start, due, days over."""
    out = []
    cases = Case.objects.filter(events__type="incident_review_started").distinct().order_by("number")
    for case in cases:
        started: dict[str, list[str]] = {}
        for e in case.events.filter(type="incident_review_started").order_by("seq"):
            started.setdefault(e.date.isoformat(), []).append(str(e.data.get("unit", "")))
        for d in timeline(case, today)["deadlines"]:
            if d["id"].startswith("incident_review_") and d["status"] == "overdue":
                due = dt.date.fromisoformat(d["due"])
                units = started.get(d["start"], [])
                out.append(
                    {
                        "case": case,
                        "unit": units.pop(0) if units else "an SPD unit",
                        "start": dt.date.fromisoformat(d["start"]),
                        "due": due,
                        "late": (today - due).days,
                        "cite": d["explanation"][0]["cite"] if d.get("explanation") else "SMC 3.29.335.A",
                    }
                )
    out.sort(key=lambda r: (r["due"], r["case"].number))
    return out


def reviews_overdue(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "review_overdue_reviews"):
        return
    for r in overdue_reviews(today)[:CAP]:
        case = r["case"]
        readable = access.reads(user, case)
        yield Waiting(
            "Incident reviews by SPD past 90 days",
            f"{case.number}: review by {r['unit']}" if readable else f"Review by {r['unit']}, begun {r['start']}",
            reverse("cases:detail", args=[case.number]) if readable else reverse("institutions:reviews"),
            f"Begun {r['start']}; SPD's administrative reviews are limited to 90 days [{r['cite']}]: "
            f"{r['late']} days over.",
            due=r["due"],
            status="overdue",
            case=case.number if readable else "",
            more=reverse("institutions:reviews"),
        )


def referrals(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not (access.may(user, "integrity_referral") and access.may(user, "open_case")):
        return
    for r in IntegrityReferral.objects.filter(case__isnull=True)[:CAP]:
        yield Waiting(
            "Integrity referrals to take in",
            f"{r.get_referrer_display()}: {r.referrer_name}",
            reverse("institutions:integrity"),
            f"Received {r.received_on}; open the investigation of possible misconduct [SMC 3.29.300.D].",
            status="new",
        )


def reports(user: Any, today: dt.date) -> Iterator[Waiting]:
    if not access.may(user, "handle_city_reports"):
        return
    for r in ProblemReport.objects.filter(status="received")[:CAP]:
        yield Waiting(
            "Problems reported to OIG",
            f"{r.entity}, {r.reported_on}",
            reverse("institutions:oig_reports"),
            "A new problem or deficiency reported by a City entity [SMC 3.29.300.E].",
            status="new",
        )


def advice(user: Any, today: dt.date) -> Iterator[Waiting]:
    roles = access.roles_of(user)
    if not access.may(user, "acknowledge_advice"):
        return
    field = "director_answered_on" if A.DIRECTOR in roles else "chief_answered_on"
    for a in Advice.objects.filter(**{f"{field}__isnull": True})[:CAP]:
        yield Waiting(
            "Advice from the City Attorney to answer",
            f"{a.get_source_display()}: advice of {a.on}",
            reverse("institutions:advice"),
            "Issues from litigation, grievances or appeals, to inform policies and procedures [SMC 3.29.300.F].",
            status="new",
        )


def register() -> None:
    for fn in (reviews_overdue, body_deadlines, removal_deadlines, referrals, reports, advice):
        register_waiting(fn)
