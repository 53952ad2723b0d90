"""Who may do what: every action of the one access model (``rules.access.PERMISSIONS``),
taken through its door (the actions functions; for the two status reports, their view),
by every role, on the world's cases (``tests/web/world.py``).

For each action:

(a) every role the table does not grant it, a user with no role and an anonymous visitor
    are refused, with the action named, and the refusal leaves nothing behind (no row in
    any table, no event on the hash chain);
(b) a role granted it only on some cases is refused on a case outside them (an
    investigator on a case not assigned to them, intake on a classified or closed case,
    OIG directing review of a closed case, the Chief before findings, the City Attorney
    before the Chief's decision), and the refusal says so and writes nothing;
(c) each granted role takes it on a case inside its scope.

Which case is inside or outside a role's scope is read from the world's known stages
and ``rules.access``, not from ``oversight.access``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils import timezone

from oversight.access import roles_of
from oversight.accounts import actions as accounts_actions
from oversight.cases import actions as ca
from oversight.cases import views as cases_views
from oversight.cpc import actions as cpc_actions
from oversight.cpc.models import Workplan
from oversight.discipline import actions as da
from oversight.discipline import views as discipline_views
from oversight.discipline.models import Finding
from oversight.institutions import actions as ia
from oversight.institutions import views as institutions_views
from oversight.manual import actions as manual_actions
from oversight.oig import actions as oa
from oversight.public import actions as pa
from oversight.reports import actions as reports_actions
from oversight.reports import views as reports_views
from oversight.reports.kinds import KINDS as REPORT_KINDS
from oversight.rules import access as A
from oversight.rules import review as rules_review
from oversight.uploads import sample_m4a

from .world import NOBODY, STAGES, World, build, quarter_of, snapshot

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"

# Actions with no door yet (none: every action of rules.access has one below).
NOT_YET: dict[str, str] = {}


# --------------------------------------------------------------------------
# The doors: one call per action, on the stages where the action applies
# --------------------------------------------------------------------------

Call = Callable[[World, Any, str | None, Any], object]


@dataclass(frozen=True)
class Door:
    """How an action is taken: ``call(world, user, stage, prepared)``, on the first stage of
    ``on`` inside the role's scope (no stage: the action is not about one case).
    ``prepare(world, stage)`` is what others did first (it is not the call being refused).
    ``where``: the stages whose cases have what the call needs (default: every stage),
    among which the case outside a role's scope is found. ``outside``: why no case
    outside the scope can exist, when it cannot."""

    call: Call
    on: tuple[str, ...] = ()
    prepare: Callable[[World, str | None], Any] | None = None
    where: tuple[str, ...] = tuple(STAGES)
    outside: str = ""


def _ne(w: World, stage: str | None, i: int = 0) -> Any:
    return list(w.case(stage or "").named_employees.order_by("pk"))[i]


def _allegations(w: World, stage: str | None) -> list[int]:
    return list(w.case(stage or "").allegations.order_by("pk").values_list("pk", flat=True))


def _today(w: World) -> dt.date:
    return w.today


def _intake_kwargs(w: World) -> dict[str, Any]:
    return {
        "channel": "phone",
        "received_on": w.today,
        "incident_date": w.today - dt.timedelta(days=1),
        "summary": "A caller said an officer swore at them on Rainier Ave.",
        "complainants": [{"name": "Perpetua Wexcombe", "phone": "206-555-0111"}],
        "named_employees": [{"name": "Ansel Brightmoor", "rank": "Officer"}],
        "allegations": [{"employee": 0, "category": "courtesy"}],
    }


def _import_row(w: World) -> dict[str, Any]:
    day = w.today - dt.timedelta(days=3000)
    return {
        "number": f"{day.year}OPA-9001",
        "channel": "phone",
        "received_on": day,
        "closed_on": day + dt.timedelta(days=40),
        "summary": "An old record from the previous system.",
        "events": [
            {"type": "complaint_received", "date": day},
            {"type": "case_closed", "date": day + dt.timedelta(days=40), "data": {"reason": "Imported."}},
        ],
    }


_OLD_FILES = iter(range(8001, 8999))


def _old_closed_file(w: World, stage: str | None) -> Any:
    """A case closed eight years ago naming no employee: its retention has ended (SMC 3.29.320.E)."""
    row = _import_row(w)
    row["number"] = row["number"].replace("OPA-9001", f"OPA-{next(_OLD_FILES)}")
    ca.import_cases(w.users[A.ADMINISTRATOR], [row])
    from oversight.cases.models import Case

    return Case.objects.get(number=row["number"])


def _reads_page(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    """The OIG's page of who read what has no action function: its door is the view."""
    from oversight.oig import views as oig_views

    request = RequestFactory().get("/oig/reads/")
    request.user = u
    response = oig_views.reads_view.__wrapped__(request)
    assert response.status_code == 200, response.status_code
    return response


def _certify(w: World, stage: str | None) -> None:
    oa.record_determination(
        w.users[A.OIG_AUDITOR], w.case(stage or ""), "certified", criteria={"a": "Every witness was interviewed."}
    )


def _unpublished_audit(w: World, stage: str | None) -> Any:
    year, quarter = quarter_of(w.today - dt.timedelta(days=3 * 365))
    return oa.create_audit(w.users[A.OIG_AUDITOR], year, quarter, seed=3)


def _reports_view(name: str, *args: str) -> Call:
    """The reports and the dashboard are read: their door is the page (signed in or not)."""
    view = getattr(reports_views, name).__wrapped__

    def call(w: World, u: Any, stage: str | None, prepared: Any) -> object:
        last = w.today.year - 1
        request = RequestFactory().get("/reports/", {"from": f"{last}-01-01", "to": f"{last}-12-31"})
        request.user = u
        response = view(request, *args)
        assert response.status_code == 200, response.status_code
        return response

    return call


def _post_report(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    """Each office posts its own report: the Director OPA's, OIG its own, CPC its own."""
    groups = set(u.groups.values_list("name", flat=True)) if getattr(u, "pk", None) else set()
    kind = next((k.id for k in REPORT_KINDS.values() if groups & k.office), "opa-annual")
    start, end = dt.date(w.today.year - 1, 1, 1), dt.date(w.today.year - 1, 12, 31)
    if kind in reports_actions.DRAFT_CYCLE and A.INSPECTOR_GENERAL in groups:  # its draft went out, the period ended
        reports_actions.deliver_draft(w.users[A.INSPECTOR_GENERAL], kind, start, end, w.today - dt.timedelta(days=30))
    return reports_actions.post_report(u, kind, start, end)


def _report(kind: str) -> Call:
    """The status reports have no action function: their door is the report view (signed in or not)."""
    view = discipline_views.report_view.__wrapped__

    def call(w: World, u: Any, stage: str | None, prepared: Any) -> object:
        request = RequestFactory().get(f"/discipline/reports/{kind}/", {"year": w.today.year, "month": 6})
        request.user = u
        response = view(request, kind)
        assert response.status_code == 200, response.status_code
        return response

    return call


def _search(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    """The search's door is its page (the query function only narrows to what the person reads)."""
    request = RequestFactory().get("/search/", {"q": "force"})
    request.user = u
    response = cases_views.search.__wrapped__(request)
    assert response.status_code == 200, response.status_code
    return response


def _new_person(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    return accounts_actions.create_user(
        u, username="newcomer", full_name="Nell Newcomer", email="nell@city.example.org", roles=[A.INTAKE]
    )


def _training_finding(w: World, stage: str | None) -> Finding:
    return Finding.objects.get(case__number=w.cases[stage or ""], finding="training_referral", stage="recommended")


WEB = tuple(s for s, st in STAGES.items() if st.web)
SUBPOENAED = ("others", "plan", "submitted", "findings", "decided", "appealed", "closed")
PLAN_TEXT = {
    "priority": "Medium.",
    "witnesses": "The bus driver.",
    "perishable_evidence": "Transit camera.",
    "other_evidence": "CAD.",
    "approach": "Video first.",
}


def _rec_for(u: Any) -> Any:
    """A recommendation this user answers, or whose answers their body records."""
    from oversight.recommendations import actions as ra
    from oversight.recommendations.models import Recommendation

    bodies = ra.bodies_of(u)
    if not bodies:  # SPD's liaison: the world's recommendation is addressed to SPD
        return Recommendation.objects.filter(addressee="spd").first()
    return _issue(u)


def _issue(u: Any) -> Any:
    from oversight.recommendations import actions as ra

    body = (ra.bodies_of(u) or ["oig"])[0]
    return ra.issue(
        u,
        body=body,
        addressee="spd",
        title="Publish the frisk data monthly",
        text="Publish it.",
        category="transparency",
        issued_on=timezone.localdate(),
        report_title="A report",
    )


def _answer(w: World, u: Any, s: str | None, p: Any) -> object:
    from oversight.recommendations import actions as ra
    from oversight.recommendations.models import Recommendation

    rec = _rec_for(u) if A.holds_role_for(roles_of(u), "answer_recommendation") else Recommendation.objects.first()
    return ra.record(u, rec, kind="answered", on=timezone.localdate(), text="Under study.")


def _withdraw(w: World, u: Any, s: str | None, p: Any) -> object:
    from oversight.recommendations import actions as ra
    from oversight.recommendations.models import Recommendation

    rec = _issue(u) if A.holds_role_for(roles_of(u), "withdraw_recommendation") else Recommendation.objects.first()
    return ra.withdraw(u, rec, on=timezone.localdate(), reason="Superseded.")


def _city_notice(w: World, u: Any, s: str | None, p: Any) -> object:
    from oversight.recommendations import actions as ra

    return ra.record_city_notice(u, kind="council_review", on=timezone.localdate(), text="March.", recommendations=[])


def _track(w: World, u: Any, s: str | None, p: Any) -> object:
    from oversight.recommendations import views as rv

    request = RequestFactory().get("/recommendations/")
    request.user = u
    response = rv.index.__wrapped__(request)
    assert response.status_code == 200, response.status_code
    return response


def _open_manual_round(w: World, stage: str | None) -> Any:
    from oversight.manual.models import ManualRound

    director = w.users[A.DIRECTOR]
    return ManualRound.objects.filter(version__isnull=True).first() or manual_actions.open_round(
        director, title="2027 update", proposed="Mediation.", on=w.today
    )


# --- The institutions themselves: fresh records for each door's call
_SEQ = iter(range(1, 10**6))


def _inst_view(view: Any, path: str) -> Call:
    def call(w: World, u: Any, s: str | None, p: Any) -> object:
        request = RequestFactory().get(path)
        request.user = u
        response = view.__wrapped__(request)
        assert response.status_code == 200, response.status_code
        return response

    return call


def _view(module: str, name: str, path: str) -> Callable[[World, Any, str | None, Any], object]:
    def call(w: World, u: Any, s: str | None, p: Any) -> object:
        import importlib

        view = getattr(importlib.import_module(module), name)
        request = RequestFactory().get(path)
        request.user = u
        response = view.__wrapped__(request)
        assert response.status_code == 200, response.status_code
        return response

    return call


def _vacancy(w: World) -> Any:
    from oversight.institutions.models import SwornVacancy

    return SwornVacancy.objects.create(position="investigator", opened_on=w.today, recorded_by=w.users[A.DIRECTOR])


def _advice(w: World) -> Any:
    return ia.give_advice(w.users[A.CITY_ATTORNEY], source="appeal", on=w.today, issue=f"Issue {next(_SEQ)}")


def _problem(w: World) -> Any:
    return ia.report_to_oig(w.users[A.DIRECTOR], entity="OPA", reported_on=w.today, problem=f"Gap {next(_SEQ)}")


def _scene(w: World) -> Any:
    return ia.log_scene_response(
        w.users[A.DIRECTOR], kind="shooting", incident_on=w.today, place="Pine St", responders="The Director"
    )


def _pscsc_member(w: World, u: Any) -> object:
    """A PSCSC member to a seat of its own (one term ends each year: the seats are staggered)."""
    n = next(_SEQ)
    return ia.record_appointment(u, "pscsc", seat="3", person=f"Member {n}", kind="interim", start=w.today)


_INSTITUTION_DOORS: dict[str, Door] = {
    "record_appointment": Door(lambda w, u, s, p: _pscsc_member(w, u)),
    "open_registry": Door(_inst_view(institutions_views.index, "/institutions/")),
    "record_staffing": Door(lambda w, u, s, p: ia.open_sworn_vacancy(u, position="intake", on=w.today)),
    "rotation_list": Door(
        lambda w, u, s, p: ia.give_list(u, p, names=[(f"Sgt {i}", "Sergeant") for i in range(10)], on=w.today),
        prepare=lambda w, s: _vacancy(w),
    ),
    "evaluate_civilianization": Door(
        lambda w, u, s, p: ia.evaluate_civilianization(u, on=w.today, finding="A mix serves continuity.")
    ),
    "log_scene_response": Door(
        lambda w, u, s, p: ia.add_scene_follow_up(u, p, kind="fit_meeting", on=w.today, text="FIT briefing."),
        prepare=lambda w, s: _scene(w),
    ),
    "review_overdue_reviews": Door(_inst_view(institutions_views.reviews, "/institutions/reviews/")),
    "integrity_referral": Door(
        lambda w, u, s, p: ia.take_integrity_referral(
            u, received_on=w.today, referrer="prosecutor", referrer_name="KCPAO", officer="Officer X", concern="Brady"
        )
    ),
    "report_to_oig": Door(
        lambda w, u, s, p: ia.report_to_oig(u, entity="A department", reported_on=w.today, problem="A gap.")
    ),
    "handle_city_reports": Door(
        lambda w, u, s, p: ia.answer_problem_report(u, p, status="under_review"), prepare=lambda w, s: _problem(w)
    ),
    "city_attorney_advice": Door(
        lambda w, u, s, p: ia.give_advice(u, source="litigation", on=w.today, issue="Pursuits.")
    ),
    "acknowledge_advice": Door(
        lambda w, u, s, p: ia.answer_advice(u, p, text="Policy revised.", on=w.today), prepare=lambda w, s: _advice(w)
    ),
    "file_withheld": Door(
        lambda w, u, s, p: ia.file_withheld(
            u, department="SDOT", request="Camera logs", items=[{"description": "Log 1", "legal_basis": "RCW 42.56"}]
        )
    ),
}


def _contracts_view(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    """The registry is read: its door is the page."""
    from oversight.contracts import views as contracts_views

    request = RequestFactory().get("/contracts/")
    request.user = u
    response = contracts_views.index.__wrapped__(request)
    assert response.status_code == 200, response.status_code
    return response


def _an_agreement(w: World, stage: str | None) -> Any:
    from oversight.contracts import actions as contracts_actions

    return contracts_actions.record_agreement(
        w.users[A.DIRECTOR], guild="Seattle Police Officers' Guild", title="Next agreement", status="proposed"
    )


def _record_agreement(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    from oversight.contracts import actions as contracts_actions

    return contracts_actions.record_agreement(u, guild="Guild", title="An agreement", status="proposed")


def _consult(w: World, u: Any, stage: str | None, prepared: Any) -> object:
    from oversight.contracts import actions as contracts_actions

    return contracts_actions.record_consultation(u, prepared, "cpc", w.today, "The appeal forum.")


def _handle_alert(w: World, u: Any, s: str | None, p: Any) -> object:
    from unittest import mock

    from oversight.history import actions as ha
    from oversight.rules.early_intervention import Alert, Record

    day = timezone.localdate()
    rec = Record("sustained_complaints", "OFC-0123456789abcdef", day, "2026OPA-0001")
    alert = Alert("sustained_complaints", "two within a year", rec.who, "warning", 2, day, day, (rec, rec), 365, "SMC")
    with mock.patch("oversight.history.alerts.current", return_value=[alert]):
        return ha.handle_alert(u, alert.key, "mentoring", "Met with the sergeant.")


def _report_efficacy(w: World, u: Any, s: str | None, p: Any) -> object:
    from oversight.history import actions as ha

    day = timezone.localdate()
    return ha.report_efficacy(u, day - dt.timedelta(days=365), day, "Two alerts, both mentored; no new record since.")


DOORS: dict[str, Door] = {
    # --- bargaining agreements (oversight.contracts)
    "open_contracts": Door(_contracts_view),
    "record_agreement": Door(_record_agreement),
    "consult_bargaining": Door(_consult, prepare=_an_agreement),
    # --- early intervention
    "view_alerts": Door(_view("oversight.history.views", "alert_list", "/history/alerts/")),
    "audit_alerts": Door(_view("oversight.history.views", "audit", "/history/alerts/audit/")),
    "handle_alert": Door(_handle_alert),
    "report_efficacy": Door(_report_efficacy),
    # --- CPC's meetings and community input
    "cpc_workspace": Door(
        lambda w, u, s, p: cpc_actions.schedule_meeting(
            u, kind="public", on=timezone.localdate(), title="December", agenda="The budget."
        )
    ),
    # --- OIG's workplan with CPC's proposals
    "share_workplan": Door(
        lambda w, u, s, p: cpc_actions.share_workplan(u, year=w.today.year + 2, draft="Audits.", on=w.today)
    ),
    "propose_workplan_addition": Door(
        lambda w, u, s, p: cpc_actions.propose_workplan_addition(
            u, Workplan.objects.get(pk=w.workplan), area="Drones", reasons="New.", on=w.today
        )
    ),
    # --- the OPA Manual's update
    "manual_update": Door(
        lambda w, u, s, p: manual_actions.open_round(u, title="2027 update", proposed="Mediation.", on=w.today)
    ),
    "comment_on_manual": Door(
        lambda w, u, s, p: manual_actions.comment(u, p, text="Agreed.", on=w.today), prepare=_open_manual_round
    ),
    # --- recommendations and their answers
    "track_recommendations": Door(_track),
    "issue_recommendation": Door(lambda w, u, s, p: _issue(u)),
    "answer_recommendation": Door(_answer),
    "withdraw_recommendation": Door(_withdraw),
    "record_city_notice": Door(_city_notice),
    # --- the system and CPC
    "manage_users": Door(_new_person),
    "search": Door(_search),
    "cpc_review": Door(lambda w, u, s, p: cpc_actions.mark_reviewed(u, case=w.case(s or "")), ("closed",)),
    # --- OPA: intake and classification
    "open_case": Door(lambda w, u, s, p: ca.open_case(u, **_intake_kwargs(w))),
    "edit_parties": Door(
        lambda w, u, s, p: ca.add_witness(u, w.case(s or ""), kind="civilian", name="Orla Penhallow"),
        ("intake", "assigned", "plan"),
    ),
    "read_additions": Door(
        lambda w, u, s, p: pa.mark_read(u, w.web(s or "")), ("intake", "assigned", "plan"), where=WEB
    ),
    "add_note": Door(lambda w, u, s, p: ca.add_note(u, w.case(s or ""), "Left a message."), ("intake", "plan")),
    "classify": Door(lambda w, u, s, p: ca.classify(u, w.case(s or ""), "investigation", "Force."), ("intake",)),
    "route": Door(lambda w, u, s, p: ca.route(u, w.case(s or ""), "oig", "A conflict of interest."), ("intake",)),
    "assign": Door(
        lambda w, u, s, p: ca.assign(u, w.case(s or ""), w.users[A.INVESTIGATOR], w.users[A.SUPERVISOR]), ("intake",)
    ),
    "refer_supervisor_action": Door(
        lambda w, u, s, p: ca.refer_supervisor_action(
            u, w.case(s or ""), _ne(w, s), w.today + dt.timedelta(days=20), "Sgt. Brenholt"
        ),
        ("supervisor_action",),
    ),
    "record_supervisor_report": Door(
        lambda w, u, s, p: ca.record_supervisor_report(u, w.referral(s or ""), "Spoke with the officer."),
        ("supervisor_action",),
        where=("supervisor_action",),
    ),
    "send_notice": Door(lambda w, u, s, p: ca.send_notice(u, w.case(s or ""), w.today), ("assigned",)),
    # --- OPA: the investigation
    "submit_plan": Door(lambda w, u, s, p: ca.submit_plan(u, w.case(s or ""), **PLAN_TEXT), ("assigned",)),
    "approve_plan": Door(
        lambda w, u, s, p: ca.approve_plan(u, ca.plan_awaiting(w.case(s or ""))), ("assigned",), where=("assigned",)
    ),
    "record_exigent": Door(
        lambda w, u, s, p: ca.record_exigent(u, w.case(s or ""), "Orla Penhallow", "At sea until March."), ("plan",)
    ),
    "investigate": Door(
        lambda w, u, s, p: ca.add_evidence(u, w.case(s or ""), SimpleUploadedFile("cad.m4a", sample_m4a(b"cad"))),
        ("plan",),
    ),
    "toll": Door(
        lambda w, u, s, p: ca.postpone_interview(u, w.case(s or ""), 7, "The guild representative is away."),
        ("plan",),
    ),
    "director_vacancy": Door(
        lambda w, u, s, p: ca.record_clock_event(u, w.case(s or ""), "director_vacancy", w.today), ("plan",)
    ),
    "issue_subpoena": Door(
        lambda w, u, s, p: ca.issue_subpoena(u, w.case(s or ""), "Metro Transit", "Bus camera footage"), ("plan",)
    ),
    "update_subpoena": Door(
        lambda w, u, s, p: ca.update_subpoena(u, w.subpoena(s or ""), "served"), ("plan",), where=SUBPOENAED
    ),
    "submit_to_oig": Door(lambda w, u, s, p: ca.submit_to_oig(u, w.case(s or "")), ("plan",)),
    "close_case": Door(lambda w, u, s, p: ca.close_case(u, w.case(s or ""), "Complete."), ("plan",)),
    "import_cases": Door(lambda w, u, s, p: ca.import_cases(u, [_import_row(w)])),
    # --- OPA: findings and what follows them
    "recommend_findings": Door(
        lambda w, u, s, p: da.recommend_findings(
            u, w.case(s or ""), on=w.today, findings=dict.fromkeys(_allegations(w, s), "sustained")
        ),
        ("submitted",),
        prepare=_certify,
        where=("submitted",),
    ),
    "management_action": Door(
        lambda w, u, s, p: da.issue_management_action(
            u, w.case(s or ""), letter="Train on de-escalation at crowded sites.", on=w.today
        ),
        ("findings",),
    ),
    "training_report": Door(
        lambda w, u, s, p: da.record_training_report(
            u, _training_finding(w, s), reported_by_name="Lt. Marrow", training_given="Courtesy refresher", on=w.today
        ),
        ("findings",),
        where=("findings",),
    ),
    "timeline_statement": Door(
        lambda w, u, s, p: da.issue_timeline_statement(
            u,
            w.case(s or ""),
            nature="An allegation of force.",
            reasons="The investigation waited for video that never came.",
            on=w.today,
        ),
        ("late",),
    ),
    "grant_access": Door(
        lambda w, u, s, p: da.grant_access(
            u, w.case(s or ""), grantee=w.users[A.NAMED_EMPLOYEE], named_employee=_ne(w, s), role=A.NAMED_EMPLOYEE
        ),
        ("findings",),
    ),
    "publish": Door(
        lambda w, u, s, p: pa.publish(
            u,
            w.case(s or ""),
            kind="summary",
            title="Force on the library steps",
            text="The allegation of force was sustained.",
            reviewed="The allegation of force was sustained.",
            findings=["sustained"],
        ),
        ("closed",),
    ),
    "library": Door(
        lambda w, u, s, p: pa.add_library_document(u, kind="cba", title="SPOG agreement", text="Article 3.")
    ),
    # --- OIG
    "record_determination": Door(
        lambda w, u, s, p: oa.record_determination(
            u, w.case(s or ""), "certified", criteria={"a": "Every witness was interviewed."}
        ),
        ("submitted",),
    ),
    "direct_review": Door(
        lambda w, u, s, p: oa.direct_review(u, w.case(s or ""), "A pattern of similar complaints."), ("plan",)
    ),
    "set_review_policy": Door(
        lambda w, u, s, p: oa.set_review_policy(u, mode=rules_review.ALL_MANDATORY, reason="Review all again.")
    ),
    "classification_input": Door(
        lambda w, u, s, p: oa.give_classification_input(
            u, w.case(s or ""), proposed="investigation", concur=True, comment="Agreed: force alleged."
        ),
        ("intake",),
    ),
    "run_audit": Door(lambda w, u, s, p: oa.create_audit(u, *quarter_of(w.today - dt.timedelta(days=2 * 365)))),
    "publish_audit": Door(
        lambda w, u, s, p: oa.publish_audit(u, p, findings="All appropriate.", recommendations="None."),
        prepare=_unpublished_audit,
    ),
    "handle_hotline": Door(
        lambda w, u, s, p: oa.hotline_answer(u, w.hotline_report(), status="under_review", text="We are looking.")
    ),
    "record_withheld": Door(
        lambda w, u, s, p: oa.record_withheld(
            u, department="SPD", request="Patrol logs", items=[{"description": "Log 4", "legal_basis": "RCW 42.56"}]
        )
    ),
    "classify_conflict": Door(
        lambda w, u, s, p: oa.classify_conflict(u, w.case(s or ""), "investigation", "Force; OPA is conflicted."),
        ("routed",),
    ),
    # --- SPD: the Chief
    "chief_decision": Door(
        lambda w, u, s, p: da.record_chief_decision(
            u,
            w.case(s or ""),
            decided_on=w.today,
            due_process_hearing_on=w.today,
            findings=dict(zip(_allegations(w, s), ("sustained", "training_referral"), strict=False)),
            discipline={_ne(w, s).pk: ("suspension", 2)},
        ),
        ("findings",),
    ),
    "request_investigation": Door(
        lambda w, u, s, p: da.request_additional_investigation(
            u, w.case(s or ""), on=w.today, reason="Interview the witness the hearing named."
        ),
        ("findings",),
    ),
    "chief_statement": Door(
        lambda w, u, s, p: da.issue_chief_statement(
            u, w.case(s or ""), reasons="The video shows no discourtesy.", on=w.today
        ),
        ("decided",),
    ),
    "leave_without_pay": Door(
        lambda w, u, s, p: da.record_leave_without_pay(
            u, w.case(s or ""), named_employee=_ne(w, s), charge="felony", charged_on=w.today, leave_from=w.today
        ),
        ("plan",),
    ),
    "separation": Door(
        lambda w, u, s, p: da.record_separation(
            u, w.case(s or ""), named_employee=_ne(w, s), kind="resigned_in_lieu", separated_on=w.today
        ),
        ("plan",),
    ),
    # --- The City Attorney
    "appeal": Door(
        lambda w, u, s, p: da.file_appeal(
            u,
            w.case(s or ""),
            named_employee=_ne(w, s),
            appellant="employee",
            forum="pscsc",
            nature="Too severe.",
            notice_filed_on=w.today,
        ),
        ("decided",),
    ),
    "settle": Door(
        lambda w, u, s, p: da.record_settlement(
            u, w.appeal(s or ""), terms="Two days instead of five.", settled_on=w.today
        ),
        ("appealed",),
        where=("appealed",),
        outside="an appeal is filed only after the Chief's decision, so every appeal is on a decided case",
    ),
    "appeals_report": Door(_report("appeals")),
    "review_reads": Door(_reads_page),
    # --- Retention (SMC 3.29.320.E)
    "legal_hold": Door(
        lambda w, u, s, p: ca.place_legal_hold(u, w.case(s or ""), "Claim for damages filed."), ("closed",)
    ),
    "dispose_case_file": Door(
        lambda w, u, s, p: ca.dispose_case_file(u, p, left_on={}, reason="Retention ended."), prepare=_old_closed_file
    ),
    "open_reports": Door(_reports_view("report", "opa-annual")),
    "dashboard": Door(_reports_view("dash")),
    "post_report": Door(_post_report),
    "report_draft": Door(
        lambda w, u, s, p: reports_actions.deliver_draft(
            u, "oig-annual", dt.date(w.today.year - 1, 1, 1), dt.date(w.today.year - 1, 12, 31), w.today
        )
    ),
    "criminal_report": Door(_report("criminal_referrals")),
    **_INSTITUTION_DOORS,
}


def test_the_doors_cover_exactly_the_permissions() -> None:
    assert set(DOORS) | set(NOT_YET) == set(A.PERMISSIONS), "one door per action of rules.access.PERMISSIONS"
    assert not set(DOORS) & set(NOT_YET)


# --------------------------------------------------------------------------
# The world, once for the module
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, media: Path) -> None:
    """(Replaces the shared fixture: the world's files stay in the world's folder.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(media)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, media: Path) -> Iterator[World]:
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def _user(w: World, who: str) -> Any:
    return AnonymousUser() if who == ANONYMOUS else w.users[who]


def _grant(action: str, role: str) -> A.Grant | None:
    return A.PERMISSIONS[action].grants.get(role)


def _inside(action: str, role: str) -> str | None:
    """The first stage the door names where ``role``'s grant holds, by the stage's known facts."""
    door, grant = DOORS[action], _grant(action, role)
    assert grant is not None
    return next((s for s in door.on if grant.holds(STAGES[s].facts(role))), None)


def _outside(action: str, role: str) -> str | None:
    door, grant = DOORS[action], _grant(action, role)
    assert grant is not None
    return next((s for s in door.where if not grant.holds(STAGES[s].facts(role))), None)


def _take(w: World, action: str, who: str, stage: str | None) -> object:
    door = DOORS[action]
    prepared = door.prepare(w, stage) if door.prepare else None
    return door.call(w, _user(w, who), stage, prepared)


def _refused(w: World, action: str, who: str, stage: str | None, words: str) -> None:
    door = DOORS[action]
    prepared = door.prepare(w, stage) if door.prepare else None
    before = snapshot()
    with pytest.raises(PermissionDenied) as err:
        door.call(w, _user(w, who), stage, prepared)
    label = A.PERMISSIONS[action].label
    assert label in str(err.value), f"the refusal does not name the action: {err.value}"
    assert words in str(err.value), f"{err.value}"
    assert snapshot() == before, f"{who} was refused {action} but something was written"


# --------------------------------------------------------------------------
# (a) roles without the action, (b) granted roles outside their scope, (c) inside it
# --------------------------------------------------------------------------


def _not_granted() -> list[Any]:
    return [
        pytest.param(action, who, id=f"{action}-{who}")
        for action in sorted(DOORS)
        for who in [*sorted(set(A.ROLES) - A.PERMISSIONS[action].roles), NOBODY, ANONYMOUS]
    ]


def _scoped() -> list[Any]:
    return [
        pytest.param(action, role, id=f"{action}-{role}")
        for action in sorted(DOORS)
        for role, grant in sorted(A.PERMISSIONS[action].grants.items())
        if A.ANY not in grant.scopes
    ]


def _granted() -> list[Any]:
    return [
        pytest.param(action, role, id=f"{action}-{role}")
        for action in sorted(DOORS)
        for role in sorted(A.PERMISSIONS[action].roles)
    ]


@pytest.mark.parametrize(("action", "who"), _not_granted())
def test_a_role_not_granted_the_action_is_refused_and_nothing_is_written(world: World, action: str, who: str) -> None:
    door = DOORS[action]
    stage = door.on[0] if door.on else None
    _refused(world, action, who, stage, "Only ")


@pytest.mark.parametrize(("action", "role"), _scoped())
def test_a_role_granted_the_action_on_some_cases_is_refused_on_another(world: World, action: str, role: str) -> None:
    door = DOORS[action]
    stage = _outside(action, role)
    if stage is None:
        assert door.outside, (
            f"the world has no case outside {role}'s scope for {action} ({_grant(action, role)}): add one to the world"
        )
        assert door.where and all(_grant(action, role).holds(STAGES[s].facts(role)) for s in door.where)  # type: ignore[union-attr]
        return
    _refused(world, action, role, stage, " only on ")


@pytest.mark.parametrize(("action", "role"), _granted())
def test_each_granted_role_takes_the_action_inside_its_scope(world: World, action: str, role: str) -> None:
    door = DOORS[action]
    stage = _inside(action, role) if door.on else None
    assert not door.on or stage is not None, f"the door of {action} names no stage inside {role}'s scope"
    before = snapshot()
    _take(world, action, role, stage)
    if action not in (
        "appeals_report",
        "criminal_report",
        "search",
        "review_reads",
        "track_recommendations",
        "open_reports",
        "dashboard",
        "open_registry",
        "review_overdue_reviews",
        "open_contracts",
        "view_alerts",
        "audit_alerts",
    ):  # a report, a search or a list is read, not written
        assert snapshot() != before, f"{role} took {action} but nothing was recorded"
