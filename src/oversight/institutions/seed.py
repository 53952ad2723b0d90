"""The demo's institutions (every name invented): each body's roster with its seats filled, one
CPC seat vacant after a resignation without notice (its deadline on the roster and the homes),
terms about to end, OPA's staff with their training and a sworn rotation, a scene-response log,
an SPD review past its limit, and a referral, a report and advice waiting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from oversight.cases import actions as ca
from oversight.cases.actions import ActionError
from oversight.cases.models import Case

from . import actions
from .models import Appointment

_CPC = [
    "Amara Whitfield", "Bao Tran", "Celia Ortiz", "Dev Raman", "Esme Kalani",
    "Farid Haddad", "Gwen Albright", "Hollis Park", "Ines Moreau", "Jun Okada",
    "Kiri Walker", "Luz Romero", "Mateo Silva", "Nia Brooks", "Oren Castell",
]  # fmt: skip


def seed(today: dt.date) -> int:
    if Appointment.objects.exists():
        return 0
    User = get_user_model()
    u = {
        name: User.objects.get(username=name) for name in ("clerk", "director", "ig", "chief", "cityattorney", "intake")
    }
    clerk = u["clerk"]
    y = today.year
    n = 0

    def appoint(body: str, **kw: Any) -> Appointment:
        nonlocal n
        n += 1
        return actions.record_appointment(clerk, body, **kw)

    appoint(
        "opa_director",
        person="Jordan Reyes",
        kind="full",
        start=dt.date(y - 2, 7, 1),
        confirmed_on=dt.date(y - 2, 6, 2),
    )
    appoint(
        "inspector_general",
        person="Noor Inspector",
        kind="full",
        start=dt.date(y - 3, 7, 1),
        confirmed_on=dt.date(y - 3, 6, 10),
    )
    old = appoint("cpc", seat="4", person="Quincy Vale", kind="full", start=dt.date(y - 5, 1, 1))
    actions.end_appointment(clerk, old, on=dt.date(y - 2, 1, 1), reason="term_expired")
    nonresident = {"1", "2", "12"}  # one each for the Mayor, the Council and CPC: they work in the City
    for i, person in enumerate(_CPC):
        seat = str(i + 1)
        start = dt.date(y - 2 + i // 5, 1, 1)
        a = appoint(
            "cpc",
            seat=seat,
            person=person,
            kind="full",
            start=start,
            qualification={"3": "public_defense", "6": "civil_liberties"}.get(seat, ""),
            resides_in_city=seat not in nonresident,
            works_in_city=seat in nonresident,
            confirmed_on=start - dt.timedelta(days=20),
        )
        if seat == "9":  # resigned without notice: filled within 90 days (3.29.215.C.6)
            actions.end_appointment(clerk, a, on=today - dt.timedelta(days=40), reason="resigned_without_notice")
    # seat 1's reappointment for the next term, nominated and awaiting the Council
    appoint(
        "cpc", seat="1", person=_CPC[0], kind="full", start=dt.date(y + 1, 1, 1), resides_in_city=False,
        works_in_city=True, nominated_on=today - dt.timedelta(days=12),
    )  # fmt: skip
    appoint(
        "cpc_executive_director",
        person="Harper Okonkwo",
        kind="full",
        start=dt.date(y - 3, 3, 15),
        term_end=dt.date(y + 1, 3, 14),
        confirmed_on=dt.date(y - 3, 3, 1),
    )
    for seat, start in (("1", dt.date(y - 2, 2, 1)), ("2", dt.date(y - 1, 2, 1)), ("3", dt.date(y, 2, 1))):
        appoint(
            "pscsc",
            seat=seat,
            person=f"{['Rhea Lund', 'Sol Abernathy', 'Tove Brandt'][int(seat) - 1]}",
            kind="full",
            start=start,
        )

    # OPA's staff, their training, a sworn rotation (3.29.028, 3.29.315.H)
    d = u["director"]
    staff = {}
    for person, position in (
        ("Jordan Reyes", "director"), ("Morgan Abara", "deputy_director"),
        ("Pat Lindqvist", "investigative_supervisor"), ("Robin Intake", "intake"),
        ("Sam Okafor", "investigator"), ("Lee Marchetti", "investigator"), ("Ana Villanueva", "investigator"),
    ):  # fmt: skip
        staff[person] = actions.add_staff(
            d, person=person, position=position, civilian=True, started_on=dt.date(y - 3, 9, 1)
        )
    actions.record_training(
        d,
        staff["Sam Okafor"],
        kind="outside_professional",
        course="Interviewing for administrative investigations",
        provider="A national oversight association",
        on=today - dt.timedelta(days=60),
        hours=16,
    )
    actions.record_training(
        d,
        staff["Pat Lindqvist"],
        kind="in_house",
        course="SPD's revised use-of-force policy",
        provider="OPA's training lead",
        on=today - dt.timedelta(days=20),
        hours=4,
    )
    filled = actions.open_sworn_vacancy(d, position="investigator", on=today - dt.timedelta(days=300))
    vol = actions.add_volunteer(d, filled, name="Sgt. Casey Ward", rank="Sergeant", on=today - dt.timedelta(days=290))
    actions.select_candidate(d, vol, on=today - dt.timedelta(days=280))
    open_vacancy = actions.open_sworn_vacancy(d, position="intake", on=today - dt.timedelta(days=30))
    actions.give_list(
        u["chief"],
        open_vacancy,
        names=[(f"Sgt. Demo {i + 1}", "Acting Sergeant" if i % 3 else "Sergeant") for i in range(10)],
        on=today - dt.timedelta(days=15),
    )
    actions.evaluate_civilianization(
        u["ig"],
        on=today - dt.timedelta(days=120),
        finding="The mix of civilian investigators and one sworn rotation keeps continuity; no change recommended.",
    )

    # the scene-response log (3.29.020.A.12, 3.29.025.C, 3.29.110.A.4)
    r1 = actions.log_scene_response(
        d,
        kind="shooting",
        incident_on=today - dt.timedelta(days=45),
        place="Rainier Ave S and S Henderson St",
        responders="Jordan Reyes (Director), Pat Lindqvist",
        notes="Arrived within the hour; the scene was held by the Force Investigation Team.",
    )
    actions.add_scene_follow_up(
        d,
        r1,
        kind="fit_meeting",
        on=today - dt.timedelta(days=38),
        attended_by="Pat Lindqvist",
        text="FIT's preliminary briefing: timeline, body-worn video located.",
    )
    actions.add_scene_follow_up(
        d,
        r1,
        kind="concern",
        on=today - dt.timedelta(days=38),
        text="A second officer's video starts late: possible failure to activate.",
    )
    actions.add_scene_follow_up(
        d,
        r1,
        kind="follow_up",
        on=today - dt.timedelta(days=20),
        text="Intake opened a complaint on the late activation.",
    )
    r2 = actions.log_scene_response(
        u["ig"],
        kind="serious_force",
        incident_on=today - dt.timedelta(days=12),
        place="3rd Ave and Pine St",
        responders="Noor Inspector",
    )
    actions.add_scene_follow_up(
        u["ig"],
        r2,
        kind="meeting",
        on=today - dt.timedelta(days=5),
        attended_by="Noor Inspector",
        text="Attended the unit's review meeting; no concern raised yet.",
    )
    actions.log_scene_response(
        d,
        kind="other",
        incident_on=today - dt.timedelta(days=3),
        place="Cal Anderson Park",
        responders="Pat Lindqvist",
        access_given=False,
        notes="A crowd-control deployment; access was declined at first.",
    )

    # an SPD review past its 90 days (3.29.335.A)
    case = (
        Case.objects.filter(channel="spd_unit", closed_on__isnull=True, received_on__gte=today - dt.timedelta(days=90))
        .order_by("received_on")
        .first()
    )
    if case is not None:
        try:
            ca.record_incident_review(
                u["intake"], case, unit="Force Review Board", step="started", on=today - dt.timedelta(days=104)
            )
        except ActionError:
            pass

    # a referral, a report to OIG, the City Attorney's advice (3.29.300.D-F)
    actions.take_integrity_referral(
        u["intake"],
        received_on=today - dt.timedelta(days=2),
        referrer="prosecutor",
        referrer_name="The County Prosecutor's Office (Brady unit)",
        officer="Officer R. Demo",
        concern="A prosecutor found sworn testimony contradicted by body-worn video.",
    )
    actions.report_to_oig(
        u["chief"],
        entity="SPD",
        reported_on=today - dt.timedelta(days=6),
        problem="Body-worn cameras of one precinct failed to upload for a week.",
    )
    actions.give_advice(
        u["cityattorney"],
        source="appeal",
        on=today - dt.timedelta(days=9),
        issue="Two appeals turned on the vague wording of the pursuit policy: clarify when a pursuit ends.",
    )
    return n
