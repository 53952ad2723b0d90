"""A working office for the demo: staff logins and a generated year of cases.

The cases come from ``oversight.demo.generate_year`` (the clock's events, no real
people); here they get what the office records around the clock: complainants,
named employees with rank and unit, classification with rationale, assignment,
plan approval, the notice, Supervisor Action referrals, closing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from oversight.demo import generate_year
from oversight.rules import access as R
from oversight.rules import classification as rc

from .clock import rules_for

DEMO_PASSWORD = "oversight-demo"
DEMO_USERS: list[tuple[str, str, str]] = [
    # username, role, full name (invented)
    ("intake", R.INTAKE, "Robin Intake"),
    ("investigator", R.INVESTIGATOR, "Sam Okafor"),
    ("investigator2", R.INVESTIGATOR, "Lee Marchetti"),
    ("investigator3", R.INVESTIGATOR, "Ana Villanueva"),
    ("supervisor", R.SUPERVISOR, "Pat Lindqvist"),
    ("director", R.DIRECTOR, "Jordan Reyes"),
    ("deputy", R.DIRECTOR, "Morgan Abara"),
    ("admin", R.ADMINISTRATOR, "Casey Admin"),
    ("cpc", R.CPC_STAFF, "Drew Commission"),
    ("auditor", R.OIG_AUDITOR, "Kit Auditor"),
    ("ig", R.INSPECTOR_GENERAL, "Noor Inspector"),
    ("chief", R.CHIEF, "Avery Chief"),
    ("liaison", R.SPD_LIAISON, "Quinn Liaison"),
    ("cityattorney", R.CITY_ATTORNEY, "Rowan Counsel"),
    ("clerk", R.CITY_CLERK, "Sidney Clerk"),
    ("records", R.RECORDS_OFFICER, "Tatum Records"),
]
# The address each office's logins get.
_MAIL_DOMAIN = {
    R.OIG_AUDITOR: "oig",
    R.INSPECTOR_GENERAL: "oig",
    R.CPC_STAFF: "cpc",
    R.CHIEF: "spd",
    R.SPD_LIAISON: "spd",
    R.CITY_CLERK: "clerk",
    R.RECORDS_OFFICER: "sdot",
}

_FIRST = [
    "Alex",
    "Blake",
    "Casey",
    "Dana",
    "Eli",
    "Frankie",
    "Gray",
    "Harper",
    "Indy",
    "Jules",
    "Kai",
    "Logan",
    "Marley",
    "Noa",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Skyler",
    "Taylor",
    "Umi",
    "Val",
    "Wren",
    "Yael",
]
_LAST = [
    "Ashdown",
    "Brightwater",
    "Coldbrook",
    "Dunmore",
    "Elmsworth",
    "Fairholm",
    "Glenrock",
    "Hollowell",
    "Ironside",
    "Juniper",
    "Kestrel",
    "Larchmont",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pinecrest",
    "Quarry",
    "Redfern",
    "Stillwater",
    "Thornbury",
    "Underhill",
    "Vale",
    "Westbrook",
    "Yarrow",
]
_RANKS = ["Officer", "Officer", "Officer", "Officer", "Detective", "Sergeant", "Lieutenant"]
_UNITS = [
    "North Precinct Patrol",
    "East Precinct Patrol",
    "South Precinct Patrol",
    "West Precinct Patrol",
    "Southwest Precinct Patrol",
    "Traffic",
    "Gang Unit",
    "Crisis Response",
]
_PLACES = [
    "3rd Ave and Pine St",
    "Rainier Ave S and S Genesee St",
    "Aurora Ave N and N 85th St",
    "Broadway and E Pike St",
    "California Ave SW and SW Alaska St",
    "Westlake Park",
    "Lake City Way NE",
]
_NEIGHBOURHOODS = ["Capitol Hill", "Rainier Valley", "Ballard", "Delridge", "Lake City", "Belltown", "Beacon Hill"]
_PRECINCT_SECTORS = {"north": "BJLNU", "east": "CEG", "south": "ORS", "west": "DKMQ", "southwest": "FW"}
_CHANNELS = (
    ["web"] * 5
    + ["phone"] * 2
    + ["email"] * 2
    + ["in_person", "navigator", "community_org", "spd_referral", "spd_unit", "oig_referral"]
)


# Who records each of the clock's events in the demo (the rest: the case's investigator).
_RECORDED_BY = {
    "complaint_received": "intake",
    "complaint_initiated": "supervisor",
    "should_have_been_referred": "intake",
    "submitted_to_oig": "supervisor",
    "oig_certified": "auditor",
    "oig_not_certified": "auditor",
    "additional_investigation": "auditor",
    "proposed_findings_issued": "director",
    "director_vacancy": "director",
    "chief_decision": "chief",
    "chief_statement_issued": "chief",
    "discipline_determination_received": "chief",
    "appeal_notice_filed": "cityattorney",
}


def ensure_demo_users() -> dict[str, Any]:
    User = get_user_model()
    users = {}
    encoded = make_password(DEMO_PASSWORD)  # one slow hash, shared by the demo logins
    for username, role, full in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            first, _, last = full.partition(" ")
            user.first_name, user.last_name = first, last
            user.email = f"{username}@{_MAIL_DOMAIN.get(role, 'opa')}.example.org"
            user.password = encoded
            user.is_staff = role == R.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[username] = user
    return users


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def build_case(
    rng: random.Random,
    data: dict[str, Any],
    users: dict[str, Any],
    today: dt.date,
    investigate: float = 0.7,
    report_all: bool = False,
) -> dict[str, Any]:
    """One generated case as the office would have recorded it; a case the clock's events do not
    take past the investigation is classified for investigation with chance ``investigate``."""
    ev = [(dt.date.fromisoformat(e["date"]), e) for e in data["events"]]
    received = next(d for d, e in ev if e["type"] in ("complaint_received", "complaint_initiated"))
    initiated = any(e["type"] == "complaint_initiated" for _, e in ev)
    referred = any(e["type"] == "should_have_been_referred" for _, e in ev)
    channel = (
        "opa_initiated"
        if initiated
        else rng.choice(["spd_referral", "spd_unit"])
        if referred
        else rng.choice(_CHANNELS)
    )
    precinct = rng.choice(list(_PRECINCT_SECTORS))
    sector = rng.choice(_PRECINCT_SECTORS[precinct])
    employees = []
    for _ in data["named_employees"]:
        employees.append(
            {
                "name": _name(rng),
                "serial": str(rng.randint(4000, 9999)),
                "rank": rng.choice(_RANKS),
                "unit": rng.choice(_UNITS),
                "assignment": rng.choice(["Patrol", "Bicycle", "Anti-crime team", "Desk"]),
                "shift": rng.choice(["first", "second", "third"]),
                "years_of_service": rng.randint(1, 28),
                "supervisor_name": f"Sergeant {_name(rng)}",
                "captain": f"Captain {_name(rng)}",
                "bargaining_unit": "Seattle Police Officers' Guild",
            }
        )
    anonymous = rng.random() < 0.15
    complainants = (
        []
        if initiated
        else [
            {
                "anonymous": anonymous,
                "name": "" if anonymous else _name(rng),
                "address": "" if anonymous else f"{rng.randint(100, 9999)} {rng.choice(_LAST)} Ave",
                "race": rng.choice(["", "", "Black", "White", "Asian", "Native American", "Pacific Islander"]),
                "gender": rng.choice(["", "female", "male", "non-binary"]),
                "neighbourhood": rng.choice([""] + _NEIGHBOURHOODS),
                "in_person_interview": rng.choice(["yes", "no", "undecided"]),
            }
        ]
    )
    allegations = [
        {"employee": i, "category": a["category"], "criminal": a["criminal"], "concealment": a["concealment"]}
        for i, a in enumerate(data["allegations"])
    ]
    types = {e["type"] for _, e in ev}
    advanced = bool(types & {"submitted_to_oig", "proposed_findings_issued", "chief_decision"})
    rules = rules_for(received)
    views = [rc.AllegationView(e["name"], a["category"]) for e, a in zip(employees, allegations, strict=True)]
    open_to = rc.allowed(rules, views)
    investigator = users[rng.choice(["investigator", "investigator2", "investigator3"])]
    extra: list[tuple[dt.date, dict[str, Any]]] = []
    days_in = (today - received).days
    referrals: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    closed_on = None
    classification = ""
    extra.append(
        (
            received,
            {
                "type": "intake_recorded",
                "by": users["intake"],
                "data": {
                    "complainants": len(complainants),
                    "named_employees": len(employees),
                    "allegations": len(allegations),
                    "limitation": rc.limitation(
                        rules,
                        dt.date.fromisoformat(data["incident_date"]),
                        received,
                        [(a["criminal"], a["concealment"]) for a in allegations],
                    ).text(),
                },
            },
        )
    )
    if days_in >= 3 or advanced:
        on = min(received + dt.timedelta(days=rng.randint(1, 3)), today)
        if advanced or rng.random() < investigate:
            classification = "investigation"
        else:
            classification = rng.choice([c for c in open_to if c != "investigation"] or ["investigation"])
        extra.append(
            (
                on,
                {
                    "type": "classified",
                    "by": users["supervisor"],
                    "data": {
                        "classification": classification,
                        "label": rc.label(classification),
                        "rationale": "Allegations and evidence reviewed at the weekly classification meeting.",
                    },
                },
            )
        )
        extra.append(
            (
                on,
                {
                    "type": "assigned",
                    "by": users["supervisor"],
                    "data": {"investigator": investigator.username, "supervisor": "supervisor"},
                },
            )
        )
        if classification == "investigation" and days_in >= 9:
            p_on = on + dt.timedelta(days=rng.randint(2, 5))
            plans.append(
                {
                    "version": 1,
                    "priority": rng.choice(["High", "Normal", "Normal", "Low"]),
                    "witnesses": "Complainant; named employees; two civilian witnesses.",
                    "perishable_evidence": "Body-worn video; 911 recordings; nearby business cameras.",
                    "other_evidence": "CAD logs; use-of-force report; medical records.",
                    "approach": "Each allegation: review video, interview complainant, then named employees.",
                    "resource_constraints": "",
                    "submitted_by": investigator,
                    "submitted_at": dt.datetime.combine(p_on, dt.time(10), tzinfo=dt.UTC),
                }
            )
            extra.append((p_on, {"type": "plan_submitted", "by": investigator, "data": {"version": 1}}))
            extra.append(
                (
                    p_on + dt.timedelta(days=1),
                    {"type": "plan_approved", "by": users["director"], "data": {"version": 1}},
                )
            )
        elif classification == "supervisor_action":
            due = on + dt.timedelta(days=rng.choice([30, 45, 60]))
            on_time = due < today and rng.random() < 0.7
            reported = (
                due - dt.timedelta(days=rng.randint(0, 10))
                if on_time
                else min(due + dt.timedelta(days=rng.randint(1, 30)), today)  # an earlier year's: late, but in
                if report_all and due < today
                else None
            )
            referrals.append(
                {
                    "employee": 0,
                    "supervisor_name": employees[0]["supervisor_name"],
                    "referred_on": on,
                    "report_due": due,
                    "reported_on": reported,
                    "report": "Coached the employee on courtesy; spoke with the complainant." if reported else "",
                }
            )
            extra.append(
                (
                    on,
                    {
                        "type": "supervisor_action_referred",
                        "by": users["supervisor"],
                        "data": {"supervisor": employees[0]["supervisor_name"], "report_due": due.isoformat()},
                    },
                )
            )
            if reported:
                extra.append(
                    (
                        reported,
                        {
                            "type": "supervisor_action_reported",
                            "by": users["intake"],
                            "data": {"report": referrals[0]["report"]},
                        },
                    )
                )
                closed_on = reported
        elif classification == "contact_log":
            closed_on = on
        elif classification in ("mediation", "rapid_adjudication") and days_in > 60:
            closed_on = on + dt.timedelta(days=rng.randint(20, 55))
    if "chief_decision" in types:
        cd = max(
            d
            for d, e in ev
            if e["type"]
            in ("chief_decision", "chief_statement_issued", "discipline_determination_received", "appeal_notice_filed")
        )
        closed_on = min(cd + dt.timedelta(days=rng.randint(1, 10)), today)
    if closed_on is not None and closed_on <= today:
        extra.append((closed_on, {"type": "case_closed", "by": users["director"], "data": {"reason": "Complete."}}))
    else:
        closed_on = None
    merged = [
        (
            d,
            {
                "type": e["type"],
                "data": {k: v for k, v in e.items() if k not in ("type", "date")},
                "by": users[_RECORDED_BY[e["type"]]] if e["type"] in _RECORDED_BY else investigator,
            },
        )
        for d, e in ev
    ] + extra
    merged.sort(key=lambda x: x[0])  # stable: the clock's own order within a day is kept
    events = []
    for d, e in merged:
        if e["type"] == "notice_sent":
            e["by"] = users["intake"]
            e["data"] = {"document": "(demo notice: named employees, allegations, no complainant details)"}
        at = dt.datetime.combine(d, dt.time(9, rng.randint(0, 59)), tzinfo=dt.UTC)
        events.append({"type": e["type"], "date": d, "data": e["data"], "by": e["by"], "at": at})
    return {
        "number": data["case_id"],
        "channel": channel,
        "received_on": received,
        "should_have_been_referred_on": next((d for d, e in ev if e["type"] == "should_have_been_referred"), None),
        "incident_date": dt.date.fromisoformat(data["incident_date"]),
        "incident_time": dt.time(rng.randint(0, 23), rng.choice([0, 15, 30, 45])),
        "incident_place": rng.choice(_PLACES),
        "precinct": precinct,
        "sector": sector,
        "beat": f"{sector}{rng.randint(1, 3)}",
        "shift": rng.choice(["first", "second", "third"]),
        "summary": data["summary"],
        "classification": classification,
        "investigator": investigator if classification else None,
        "supervisor": users["supervisor"] if classification else None,
        "closed_on": closed_on,
        "complainants": complainants,
        "named_employees": employees,
        "allegations": allegations,
        "witnesses": [{"kind": "civilian", "name": _name(rng)}] if rng.random() < 0.5 else [],
        "plans": plans,
        "referrals": referrals,
        "events": events,
    }


def demo_cases(seed: int, today: dt.date, n: int, users: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(seed + 1)
    return [build_case(rng, data, users, today) for data in generate_year(seed, today, n)]


def history_cases(seed: int, today: dt.date, years: int, per_year: int, users: dict[str, Any]) -> list[dict[str, Any]]:
    """``years`` full calendar years of cases before this one, at ``per_year`` a year, about a third
    investigated and the rest resolved otherwise (Seattle's shape), numbered per year."""
    return list(iter_history(seed, today, years, per_year, users))


def iter_history(
    seed: int, today: dt.date, years: int, per_year: int, users: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The cases of ``history_cases``, one at a time, in the order they were received."""
    from oversight.demo import generate_case

    rng = random.Random(seed)
    # the ``years`` full calendar years before this one, at full rate (the demo year's own
    # cases add to the months it shares with the last of them)
    first = dt.date(today.year - years, 1, 1).toordinal()
    last = min(dt.date(today.year - 1, 12, 31).toordinal(), today.toordinal() - 1)
    days = sorted(rng.randint(first, last) for _ in range(years * per_year))
    seq: dict[int, int] = {}
    for o in days:
        received = dt.date.fromordinal(o)
        seq[received.year] = seq.get(received.year, 0) + 1
        case_id = f"{received.year}OPA-H{seq[received.year]:05d}"
        for _ in range(20):  # an earlier year's complaint is closed by now
            data = generate_case(rng, case_id, received, today)
            advanced = any(e["type"] == "submitted_to_oig" for e in data["events"])
            if advanced and rng.random() < 0.5:
                for _ in range(20):  # most complaints are not investigated
                    data = generate_case(rng, case_id, received, today)
                    if not any(e["type"] == "submitted_to_oig" for e in data["events"]):
                        break
            data["summary"] = "A complaint from an earlier year (generated history)."
            data["named_employees"] = ["" for _ in data["allegations"]]
            case = build_case(rng, data, users, today, investigate=0.0, report_all=True)
            if case["closed_on"] is not None:
                break
        yield case
