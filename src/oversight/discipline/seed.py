"""Demo records for the discipline app: logins for the Chief and the City Attorney, and a few
demo cases taken from recommended findings through the Chief's decision to an appeal, every
write through ``oversight.discipline.actions``. Invented people only."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from oversight.cases.integrity import seal_objects
from oversight.cases.models import Allegation, Case, CaseEvent
from oversight.cases.seed import DEMO_USERS as ALL_DEMO_USERS
from oversight.cases.seed import ensure_demo_users
from oversight.rules import access as R

from . import actions
from .models import ChiefDecision, Discipline, Finding, Recommendation

DEMO_USERS = [(u, r, n) for u, r, n in ALL_DEMO_USERS if r in (R.CHIEF, R.CITY_ATTORNEY)]


def ensure_users() -> dict[str, Any]:
    by_name = ensure_demo_users()
    out = {role: by_name[username] for username, role, _ in DEMO_USERS}
    User = get_user_model()
    director = User.objects.filter(groups__name=R.DIRECTOR).order_by("pk").first()
    if director is None:
        raise RuntimeError("no OPA Director login: run seed_demo first")
    out[R.DIRECTOR] = director
    return out


def seed(today: dt.date, n: int = 12, seed: int = 3_29_310) -> int:
    """Give every open demo case with proposed findings and no decision its recommended findings, and
    take up to ``n`` of them (those recommended 40 days ago or more) through the rest of the path."""
    users = ensure_users()
    if Recommendation.objects.exists():
        return 0  # already seeded (or real records): nothing added
    rng = random.Random(seed)
    decided = CaseEvent.objects.filter(case=OuterRef("pk"), type="chief_decision")
    candidates = (
        Case.objects.filter(events__type="proposed_findings_issued", closed_on__isnull=True)
        .exclude(Exists(decided))
        .exclude(recommendations__isnull=False)
        .distinct()
        .order_by("number")
    )
    done = 0
    left_open = False  # one appeal stays open, for the City Attorney's home page
    for case in candidates:
        pf = case.events.filter(type="proposed_findings_issued").order_by("seq").first()
        if pf is None or not case.allegations.exists():
            continue
        allegations = list(case.allegations.order_by("pk"))
        recommended = {
            a.pk: rng.choice(
                [
                    "sustained",
                    "sustained",
                    "sustained",
                    "unfounded",
                    "inconclusive",
                    "training_referral",
                    "lawful_and_proper",
                ]
            )
            for a in allegations
        }
        actions.recommend_findings(users[R.DIRECTOR], case, on=pf.date, findings=recommended)
        if done >= n or (today - pf.date).days < 40:
            continue  # the recommendation waits for the Chief's decision
        depart = rng.random() < 0.3
        final = dict(recommended)
        if depart:
            pk = allegations[0].pk
            final[pk] = "inconclusive" if recommended[pk] == "sustained" else "sustained"
        hearing = pf.date + dt.timedelta(days=rng.randint(5, 10))
        decided_on = hearing + dt.timedelta(days=rng.randint(3, 8))
        sustained = {a.named_employee_id for a in allegations if final[a.pk] == "sustained"}
        discipline = {
            e: rng.choice([("written_reprimand", None), ("suspension", rng.choice([1, 3, 5, 10]))]) for e in sustained
        }
        actions.record_chief_decision(
            users[R.CHIEF],
            case,
            decided_on=decided_on,
            due_process_hearing_on=hearing,
            findings=final,
            discipline=discipline,
            supplemental_meeting_on=hearing + dt.timedelta(days=2) if depart else None,
            inspector_general_present=depart,
        )
        if depart:
            actions.issue_chief_statement(
                users[R.CHIEF],
                case,
                on=min(today, decided_on + dt.timedelta(days=rng.randint(10, 29))),
                reasons="The video evidence did not establish the allegation by a preponderance of the evidence.",
            )
        if discipline:
            emp = case.named_employees.get(pk=sorted(discipline)[0])
            actions.record_determination_received(users[R.CHIEF], case, named_employee=emp, on=decided_on)
            # every disciplined demo case is appealed, so the status reports have rows
            filed = decided_on + dt.timedelta(days=rng.randint(3, 10))
            ap = actions.file_appeal(
                users[R.CITY_ATTORNEY],
                case,
                named_employee=emp,
                appellant="employee",
                forum=rng.choice(["pscsc", "pscsc_examiner"]),
                nature="The discipline is too severe.",
                notice_filed_on=filed,
            )
            hearing_on = filed + dt.timedelta(days=rng.randint(5, 10))
            if not left_open:
                left_open = True
            elif hearing_on <= today:
                actions.schedule_hearing(users[R.CITY_ATTORNEY], ap, hearing_on=hearing_on)
                ruling_on = hearing_on + dt.timedelta(days=rng.randint(2, 5))
                if ruling_on <= today and rng.random() < 0.6:
                    kind, days = discipline[emp.pk]
                    if kind == "suspension" and days and days > 1:
                        actions.record_ruling(
                            users[R.CITY_ATTORNEY],
                            ap,
                            ruling_on=ruling_on,
                            outcome="modified",
                            discipline=("suspension", days // 2),
                        )
                    else:
                        actions.record_ruling(users[R.CITY_ATTORNEY], ap, ruling_on=ruling_on, outcome="upheld")
        done += 1
    return done


DISCIPLINE_DRAWN = [
    ("oral_reprimand", None),
    ("written_reprimand", None),
    ("written_reprimand", None),
    ("suspension", 1),
    ("suspension", 3),
    ("suspension", 10),
    ("termination", None),
]
FINDINGS_DRAWN = ["sustained", "sustained", "unfounded", "inconclusive", "training_referral", "lawful_and_proper"]


def seed_history(seed: int = 3_29_027) -> int:
    with transaction.atomic():  # one commit: thousands of closed cases in seconds
        return _seed_history(seed)


def _seed_history(seed: int) -> int:
    """The findings and decisions of the demo's closed cases, as an import brings a past office's
    records in: the cases' logs already hold the clock's events (proposed findings, the Chief's
    decision); this writes the records beside them, without new events, in bulk (a fixed number
    of queries per thousand cases). Returns the cases done."""
    users = ensure_users()
    rng = random.Random(seed)
    closed = list(
        Case.objects.filter(closed_on__isnull=False, events__type="proposed_findings_issued")
        .exclude(recommendations__isnull=False)
        .distinct()
        .order_by("number")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    director, chief = users[R.DIRECTOR], users[R.CHIEF]
    done = 0
    for i in range(0, len(closed), 2000):
        ids = closed[i : i + 2000]
        allegations: dict[int, list[tuple[int, int]]] = {}
        for pk, case_id, emp in (
            Allegation.objects.filter(case_id__in=ids).order_by("pk").values_list("pk", "case_id", "named_employee_id")
        ):
            allegations.setdefault(case_id, []).append((pk, emp))
        first: dict[tuple[int, str], CaseEvent] = {}
        for ev in CaseEvent.objects.filter(
            case_id__in=ids, type__in=("proposed_findings_issued", "chief_decision")
        ).order_by("case_id", "seq"):
            first.setdefault((ev.case_id, ev.type), ev)
        plan = []  # (case, allegations, recommended, final or None, chief event)
        for case_id in ids:
            alls = allegations.get(case_id)
            if not alls:
                continue
            cd = first.get((case_id, "chief_decision"))
            recommended = {a: rng.choice(FINDINGS_DRAWN) for a, _ in alls}
            final = None
            disc: list[tuple[int, str, int | None]] = []
            if cd is not None:
                final = dict(recommended)
                if not bool(cd.data.get("follows_recommendation", True)):
                    a0 = alls[0][0]
                    final[a0] = "inconclusive" if recommended[a0] == "sustained" else "sustained"
                for e in sorted({emp for a, emp in alls if final[a] == "sustained"}):
                    kind, days = rng.choice(DISCIPLINE_DRAWN)
                    disc.append((e, kind, days))
            plan.append((case_id, alls, recommended, final, cd, disc))
        recs = Recommendation.objects.bulk_create(
            Recommendation(
                case_id=c, issued_on=first[(c, "proposed_findings_issued")].date, recorded_by=director, recorded_at=now
            )
            for c, *_ in plan
        )
        decisions = ChiefDecision.objects.bulk_create(
            ChiefDecision(
                case_id=c,
                decided_on=cd.date,
                due_process_hearing_on=cd.date,
                follows_recommendation=bool(cd.data.get("follows_recommendation", True)),
                recorded_by=chief,
                recorded_at=now,
            )
            for c, _, _, _, cd, _ in plan
            if cd is not None
        )
        by_case = {d.case_id: d for d in decisions}
        findings = []
        discipline = []
        for (c, alls, recommended, final, cd, disc), rec in zip(plan, recs, strict=True):
            for a, emp in alls:
                findings.append(
                    Finding(
                        case_id=c,
                        allegation_id=a,
                        named_employee_id=emp,
                        stage="recommended",
                        finding=recommended[a],
                        decided_on=rec.issued_on,
                        recommendation=rec,
                        recorded_by=director,
                        recorded_at=now,
                    )
                )
                if final is not None:
                    findings.append(
                        Finding(
                            case_id=c,
                            allegation_id=a,
                            named_employee_id=emp,
                            stage="chief",
                            finding=final[a],
                            decided_on=cd.date,
                            decision=by_case[c],
                            recorded_by=chief,
                            recorded_at=now,
                        )
                    )
            for e, kind, days in disc:
                discipline.append(
                    Discipline(
                        case_id=c,
                        named_employee_id=e,
                        kind=kind,
                        suspension_days=days,
                        imposed_on=cd.date,
                        effective_on=cd.date,
                        decision=by_case[c],
                        recorded_by=chief,
                        recorded_at=now,
                    )
                )
        made = Finding.objects.bulk_create(findings, batch_size=2000)
        imposed = Discipline.objects.bulk_create(discipline, batch_size=2000)
        for written in (recs, decisions, made, imposed):  # bulk writes skip save(): seal them here
            seal_objects(written)
        done += len(plan)
    return done
