"""Every page, download and API operation, as every role, asks the one access model.

The URL configuration is walked (``django.urls.get_resolver()``, recursively) and the JSON
API's OpenAPI schema read; each URL name and each API operation must be declared in
``URLS`` or ``API`` below, saying who may open it in the words of ``rules.access``: a
part of the case in the URL that the role reads, an action it may take there, a grant
it holds somewhere, or everyone. A new page that is not declared fails
``test_every_url_is_declared``: declaring it is one line.

Each declared URL is then opened, on the cases of the world's stages it names
(``tests/web/world.py``), by a client for every role, one with no role, and an
anonymous visitor, and the answer is checked against the declaration, resolved for
that role and the stage's known facts (never by asking ``oversight.access``):

- allowed: the page is served (200, or a redirect that is not to the login page; a
  POST of an empty form may also answer 400 with the form's errors);
- refused: the site's refusal page (403, "Not allowed", "Where to go"), never a bare
  "403 Forbidden"; a refused POST writes nothing;
- anonymous on a staff page: sent to sign in (302 to /accounts/login/?next=...);
- the API: refusals are JSON 403, anonymous calls 401.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.template import Template
from django.test import Client
from django.test import utils as test_utils
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from oversight.access import facts_for
from oversight.cases import views as case_views
from oversight.cases.api import api as cases_api
from oversight.discipline import views as discipline_views
from oversight.discipline.reports import REPORTS
from oversight.rules import access as A

from .world import NOBODY, STAGES, Stage, World, build, snapshot

pytestmark = pytest.mark.django_db

# Who opens every URL: each role (its user is named after it), a user with no role, anonymous.
CLIENTS: tuple[str | None, ...] = (*A.ROLES, NOBODY, None)


# --------------------------------------------------------------------------
# Who may open a URL, in the words of rules.access
# --------------------------------------------------------------------------


class Rule:
    """Whether ``role`` (None: anonymous) may open a URL on a case at ``stage`` (None: no case)."""

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        raise NotImplementedError

    def __and__(self, other: Rule) -> Rule:
        return Both(self, other)

    def __or__(self, other: Rule) -> Rule:
        return Either(self, other)


def _roles(role: str | None) -> frozenset[str]:
    return frozenset({role}) if role in A.ROLES else frozenset()


def _facts(role: str | None, stage: Stage | None) -> A.CaseFacts | None:
    return stage.facts(role) if stage is not None else None


@dataclass(frozen=True)
class Everyone(Rule):
    """The public: anyone, signed in or not."""

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return True


@dataclass(frozen=True)
class SignedIn(Rule):
    """Anyone signed in, with a role or none."""

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return role is not None


@dataclass(frozen=True)
class Reads(Rule):
    """Reads ``part`` of the case in the URL (with no case: a grant that holds on any case)."""

    part: str

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return A.reads(_roles(role), self.part, _facts(role, stage))


@dataclass(frozen=True)
class ReadsSome(Rule):
    """Reads ``part`` of some case (a list of the cases where it does)."""

    part: str

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return bool(_roles(role) & set(A.READS[self.part]))


@dataclass(frozen=True)
class May(Rule):
    """May take any of ``actions`` on the case in the URL (with no case: holds a grant for one)."""

    actions: tuple[str, ...]

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        roles = _roles(role)
        if stage is None:
            return any(A.holds_role_for(roles, a) for a in self.actions)
        return any(A.may(roles, a, stage.facts(role)) for a in self.actions)


@dataclass(frozen=True)
class Holds(Rule):
    """Holds a grant for ``action`` on some case or none (a page of the office's own)."""

    action: str

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return A.holds_role_for(_roles(role), self.action)


@dataclass(frozen=True)
class AnyRole(Rule):
    roles: frozenset[str]

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return bool(_roles(role) & self.roles)


@dataclass(frozen=True)
class Both(Rule):
    a: Rule
    b: Rule

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return self.a.allows(role, stage) and self.b.allows(role, stage)


@dataclass(frozen=True)
class Either(Rule):
    a: Rule
    b: Rule

    def allows(self, role: str | None, stage: Stage | None) -> bool:
        return self.a.allows(role, stage) or self.b.allows(role, stage)


EVERYONE = Everyone()
SIGNED_IN = SignedIn()


def may(*actions: str) -> Rule:
    return May(actions)


def act(*actions: str) -> Rule:
    """A case action's POST: reads the case and may take the action on it."""
    return Reads(A.CASE) & May(actions)


# --------------------------------------------------------------------------
# The declarations: every URL name and API operation, and who may open it
# --------------------------------------------------------------------------

Args = Callable[[World, str | None], Mapping[str, Any]]


@dataclass(frozen=True)
class Url:
    """A URL as opened by the walk: who may open it, on which stages' cases (``<number>``),
    with which other arguments, by GET or (``post``) by POST of ``data``."""

    who: Rule
    on: tuple[str, ...] = ()
    args: Args | None = None
    post: bool = False
    data: Mapping[str, Any] | Callable[[World], Mapping[str, Any]] = field(default_factory=dict)
    query: Callable[[World, str | None], str] | None = None
    before: Callable[[Client, World], None] | None = None  # e.g. follow the complaint with its code
    fresh: bool = False  # a client of its own (signing out must not sign the walk's client out; also with before)
    served: tuple[int, ...] = (200, 302)  # what "allowed" answers to a GET
    in_url: bool = True  # the case's number is in the URL (else only its objects' are)


ALL = tuple(STAGES)
NO_DATA = Url(EVERYONE, served=(200, 404))
SOME = ("intake", "others", "findings", "decided", "closed", "routed")  # for URLs that only send elsewhere


def number(w: World, stage: str | None) -> dict[str, Any]:
    return {"number": w.cases[stage]} if stage else {}


def pk(fn: Callable[[World, str | None], int]) -> Args:
    return lambda w, s: {"pk": fn(w, s)}


def follow_complaint(client: Client, w: World) -> None:
    """The complainant's browser: the tracking code opens their complaint."""
    r = client.post(reverse("public:track"), {"code": w.codes["intake"]})
    assert r.status_code == 302, r.status_code


def kind(k: str) -> Args:
    return lambda w, s: {"kind": k}


def row_pk(related: str) -> Callable[[World, str | None], str]:
    """``?pk=`` of the first complainant, named employee, witness or allegation of the case."""
    return lambda w, s: f"?pk={getattr(w.case(s or ''), related).order_by('pk').first().pk}"


def _oig_draft(w: World) -> int:
    """OIG's draft of last year's quarterly report, delivered for comment (once for the walk)."""
    from oversight.reports import actions as reports_actions
    from oversight.reports.models import ReportDraft

    start, end = dt.date(w.today.year - 1, 10, 1), dt.date(w.today.year - 1, 12, 31)
    d = ReportDraft.objects.filter(kind="oig-quarterly", period_start=start).first()
    if d is None:
        d = reports_actions.deliver_draft(w.users[A.INSPECTOR_GENERAL], "oig-quarterly", start, end, w.today)
    return d.pk


def _inst(w: World, what: str) -> int:
    """A record of the institutions app to act on (made once for the walk)."""
    from oversight.institutions import models as im

    clerk, director = w.users[A.CITY_CLERK], w.users[A.DIRECTOR]
    day = w.today - dt.timedelta(days=30)
    made: dict[str, Callable[[], Any]] = {
        "appointment": lambda: im.Appointment.objects.get_or_create(
            body="pscsc",
            seat="3",
            person="Walk Member",
            defaults=dict(kind="full", authority="council", start=day, recorded_by=clerk, recorded_at=timezone.now()),
        )[0],
        "vacancy": lambda: im.SwornVacancy.objects.get_or_create(
            position="investigator", opened_on=day, defaults=dict(recorded_by=director)
        )[0],
        "scene": lambda: im.SceneResponse.objects.get_or_create(
            place="Walk Ave",
            defaults=dict(
                office="opa",
                kind="shooting",
                incident_on=day,
                responders="R",
                recorded_by=director,
                recorded_at=timezone.now(),
            ),
        )[0],
        "referral": lambda: im.IntegrityReferral.objects.get_or_create(
            officer="Walk Officer",
            defaults=dict(
                received_on=day,
                referrer="court",
                referrer_name="A judge",
                concern="Testimony",
                recorded_by=director,
                recorded_at=timezone.now(),
            ),
        )[0],
        "report": lambda: im.ProblemReport.objects.get_or_create(
            entity="Walk Department",
            defaults=dict(reported_on=day, problem="A gap", reported_by=director, reported_at=timezone.now()),
        )[0],
        "removal": lambda: im.Removal.objects.get_or_create(
            basis="Walk basis",
            defaults=dict(
                appointment=im.Appointment.objects.get(pk=_inst(w, "appointment")), notice_on=day, recorded_by=clerk
            ),
        )[0],
        "advice": lambda: im.Advice.objects.get_or_create(
            issue="Walk advice",
            defaults=dict(
                source="litigation", on=day, recorded_by=w.users[A.CITY_ATTORNEY], recorded_at=timezone.now()
            ),
        )[0],
    }
    return int(made[what]().pk)


def _body(w: World, s: str | None) -> dict[str, Any]:
    return {"body": "cpc"}


def _agreement(w: World) -> int:
    """An agreement in the registry (once for the walk)."""
    from oversight.contracts import actions as contracts_actions
    from oversight.contracts.models import Agreement

    a = Agreement.objects.order_by("pk").first()
    if a is None:
        a = contracts_actions.record_agreement(w.users[A.DIRECTOR], guild="Guild", title="Next", status="proposed")
    return a.pk


def both(get: Rule, post: Rule | None = None, data: Any = None, **kw: Any) -> dict[str, Url]:
    """A staff page that is read (GET) and also takes its form (POST, empty or ``data``): who may do each."""
    return {"GET": Url(get, **kw), "POST": Url(post or get, post=True, data=data or {}, **kw)}


# cases:action <action>: the permission(s) of rules.access it takes, and the stage whose case it is posted to.
CASE_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "classify": (("classify",), "intake"),
    "route": (("route",), "intake"),
    "assign": (("assign",), "intake"),
    "notice": (("send_notice",), "assigned"),
    "plan": (("submit_plan",), "assigned"),
    "approve": (("approve_plan",), "assigned"),
    "return_plan": (("approve_plan",), "assigned"),
    "postpone": (("toll",), "plan"),
    "clock": (("toll", "director_vacancy"), "plan"),
    "submit_to_oig": (("submit_to_oig",), "plan"),
    "exigent": (("record_exigent",), "plan"),
    "interview": (("investigate",), "plan"),
    "evidence": (("investigate",), "others"),
    "subpoena": (("issue_subpoena",), "plan"),
    "subpoena_status": (("update_subpoena",), "plan"),
    "referral": (("refer_supervisor_action",), "supervisor_action"),
    "report": (("record_supervisor_report",), "supervisor_action"),
    "close": (("close_case",), "submitted"),
    "note": (("add_note",), "closed"),
    "legal_hold": (("legal_hold",), "closed"),
    "release_hold": (("legal_hold",), "closed"),
    "dispose": (("dispose_case_file",), "closed"),
    "add_complainant": (("edit_parties",), "intake"),
    "add_employee": (("edit_parties",), "assigned"),
    "add_witness": (("edit_parties",), "others"),
    "add_allegation": (("edit_parties",), "intake"),
    "edit_complainant": (("edit_parties",), "intake"),
    "edit_employee": (("edit_parties",), "assigned"),
    "edit_witness": (("edit_parties",), "plan"),
    "edit_allegation": (("edit_parties",), "intake"),
    "failure_to_refer": (("open_case",), "closed"),
    "incident_review": (("open_case",), "intake"),
}
EDIT_ROWS = {
    "edit_complainant": "complainants",
    "edit_employee": "named_employees",
    "edit_witness": "witnesses",
    "edit_allegation": "allegations",
}

# discipline:action <action>: the permission it takes, and the stage whose case it is posted to.
DISCIPLINE_ACTIONS: dict[str, tuple[str, str]] = {
    "recommend": ("recommend_findings", "submitted"),
    "management_action": ("management_action", "findings"),
    "spd_response": ("management_action", "findings"),
    "training": ("training_report", "findings"),
    "decide": ("chief_decision", "findings"),
    "more_investigation": ("request_investigation", "findings"),
    "determination": ("chief_decision", "decided"),
    "chief_statement": ("chief_statement", "decided"),
    "timeline_statement": ("timeline_statement", "late"),
    "leave": ("leave_without_pay", "assigned"),
    "appeal": ("appeal", "decided"),
    "hearing": ("appeal", "appealed"),
    "ruling": ("appeal", "appealed"),
    "settle": ("settle", "appealed"),
    "separation": ("separation", "plan"),
    "separation_step": ("separation", "plan"),
    "grant": ("grant_access", "findings"),
}

# discipline:report <kind>: the permission it takes.
REPORT_KINDS = {"appeals": "appeals_report", "criminal_referrals": "criminal_report"}

# Every URL name of the URL configuration, and who may open it. A new page is one line, e.g.
#     "cases:search": Url(Holds("search")),
#     "cpc:case": Url(Reads(A.CASE) & may("cpc_review"), ALL),
URLS: dict[str, Url | dict[str, Url]] = {
    "home": Url(SIGNED_IN),  # each person's home; one with no role is told to ask for one
    "cases:search": Url(Holds("search")),
    "accounts:users": Url(Holds("manage_users")),
    "accounts:sign_ins": Url(Holds("manage_users")),  # the record of sign-ins
    # the second step of sign-in: the person's own, for anyone signed in
    "second_factor": Url(SIGNED_IN),
    "second_factor_setup": Url(SIGNED_IN),
    "recovery_codes": Url(SIGNED_IN),
    "accounts:new": both(Holds("manage_users"), data={"username": "newcomer", "first_name": "New", "email": "n@x.org"}),
    "accounts:person": Url(Holds("manage_users"), args=lambda w, s: {"pk": w.users[A.INVESTIGATOR].pk}),
    **{
        name: Url(Holds("manage_users"), args=lambda w, s: {"pk": w.users[A.INVESTIGATOR].pk}, post=True, data=data)
        for name, data in (
            ("accounts:roles", {"roles": [A.INVESTIGATOR, A.SUPERVISOR]}),
            ("accounts:details", {"first_name": "Renamed", "email": "renamed@example.org"}),
            ("accounts:deactivate", {}),
            ("accounts:reactivate", {}),
            ("accounts:password_link", {}),
            ("accounts:reset_second_factor", {}),  # refused with a message when none is set up
        )
    },
    "accounts:password_set_done": Url(EVERYONE),
    "accounts:password_set_confirm": Url(EVERYONE, args=lambda w, s: {"uidb64": "MA", "token": "not-a-token"}),
    "cpc:home": Url(Holds("cpc_review")),
    "cpc:review": Url(
        act("cpc_review"), ("closed",), post=True, data=lambda w: {"case": w.cases["closed"]}, in_url=False
    ),
    # --- OPA
    "cases:board": Url(AnyRole(A.OPA_STAFF)),
    "cases:intake": both(Holds("open_case")),
    "cases:detail": Url(Reads(A.CASE), ALL),
    "cases:notice": Url(Reads(A.EMPLOYEES), ("plan", "closed"), lambda w, s: {"seq": w.notice_seq(s)}),
    "cases:evidence": Url(Reads(A.EVIDENCE), ("plan", "findings", "closed"), pk(World.evidence)),
    "cases:action": {
        action: Url(
            act(*perms),
            (stage,),
            lambda w, s, a=action: {"action": a},
            post=True,
            query=row_pk(EDIT_ROWS[action]) if action in EDIT_ROWS else None,
        )
        for action, (perms, stage) in CASE_ACTIONS.items()
    },
    "cases:login": Url(EVERYONE),
    "cases:logout": Url(EVERYONE, post=True, fresh=True),
    # --- OIG
    "oig:home": Url(EVERYONE),  # sends OIG to its queue, everyone else to the hotline
    "oig:queue": Url(Holds("record_determination")),
    "oig:case": Url(Reads(A.CASE), SOME),  # OIG's review is a section of the case page: sends there
    "oig:determine": Url(act("record_determination"), ("submitted", "closed"), post=True),
    "oig:direct": Url(act("direct_review"), ("plan", "closed"), post=True),
    "oig:classification_input": Url(act("classification_input"), ("intake",), post=True),
    "oig:policy": both(Holds("record_determination"), Holds("set_review_policy")),
    "oig:audits": both(Holds("run_audit")),
    "oig:audit": both(Holds("run_audit"), Holds("publish_audit"), args=pk(lambda w, s: w.audit)),
    "oig:audit_report": Url(EVERYONE, args=pk(lambda w, s: w.audit)),  # published: public by law
    "oig:hotline": Url(EVERYONE),
    "oig:hotline_status": Url(EVERYONE),
    "oig:hotline_inbox": Url(Reads(A.HOTLINE) & Holds("handle_hotline")),
    "oig:hotline_report": both(Reads(A.HOTLINE) & Holds("handle_hotline"), args=pk(lambda w, s: w.hotline)),
    "oig:withheld": both(Holds("record_withheld")),
    "oig:conflicts": both(Holds("classify_conflict"), data=lambda w: {"case": w.cases["routed"]}),
    "oig:reads": both(Holds("review_reads")),  # POST: verify the chain now (reads only)
    "oig:retention": Url(Holds("review_reads")),
    # --- Findings, the Chief, appeals
    "discipline:index": Url(ReadsSome(A.DISCIPLINE)),
    "discipline:report": {k: Url(Holds(perm), args=kind(k)) for k, perm in REPORT_KINDS.items()},
    "discipline:case": Url(Reads(A.DISCIPLINE), SOME),  # staff to the case page; its own parties read it here
    "discipline:action": {
        action: Url(act(perm), (stage,), lambda w, s, a=action: {"action": a}, post=True)
        for action, (perm, stage) in DISCIPLINE_ACTIONS.items()
    },
    "discipline:statement": Url(Reads(A.DISCIPLINE), ("appealed",), pk(World.statement)),
    "discipline:notice": Url(Reads(A.DISCIPLINE), ("closed",), pk(World.complainant_notice)),
    # --- The reports of Chapter 3.29 and the dashboards
    "reports:index": Url(Holds("open_reports")),
    "reports:report": Url(Holds("open_reports"), args=kind("opa-annual")),
    "reports:post": Url(
        Holds("post_report") & AnyRole(frozenset({A.DIRECTOR})),  # each office posts its own: OPA's by the Director
        args=kind("opa-annual"),
        post=True,
        data=lambda w: {"from": f"{w.today.year - 1}-01-01", "to": f"{w.today.year - 1}-12-31"},
    ),
    "reports:draft": Url(
        Holds("report_draft"),
        args=kind("oig-annual"),
        post=True,
        data=lambda w: {
            "from": f"{w.today.year - 1}-01-01",
            "to": f"{w.today.year - 1}-12-31",
            "delivered_on": w.today.isoformat(),
        },
    ),
    "reports:draft_comment": Url(
        Holds("report_draft"),
        args=pk(lambda w, s: _oig_draft(w)),
        post=True,
        data=lambda w: {"reviewer": "the OPA Director", "received_on": w.today.isoformat()},
    ),
    "reports:posted": Url(EVERYONE, args=lambda w, s: {"pk": 1}, served=(200, 404)),  # public once posted
    "reports:dashboard": Url(Holds("dashboard")),
    "reports:cases": Url(Holds("dashboard"), query=lambda w, s: "?f=risk&v=0"),
    # --- The institutions themselves (oversight.institutions)
    "institutions:index": Url(Holds("open_registry")),
    "institutions:body": Url(Holds("open_registry"), args=_body),
    "institutions:appoint": Url(Holds("record_appointment"), args=_body, post=True),
    **{
        f"institutions:{n}": Url(Holds("record_appointment"), args=pk(lambda w, s: _inst(w, "appointment")), post=True)
        for n in ("end", "confirm", "residency", "removal")
    },
    "institutions:removal_step": Url(Holds("record_appointment"), args=pk(lambda w, s: _inst(w, "removal")), post=True),
    "institutions:staffing": Url(Holds("record_staffing") | Holds("evaluate_civilianization") | Holds("rotation_list")),
    "institutions:add_staff": Url(Holds("record_staffing"), post=True),
    "institutions:training": Url(Holds("record_staffing"), post=True),
    "institutions:vacancy": Url(Holds("record_staffing"), post=True),
    "institutions:evaluation": Url(Holds("evaluate_civilianization"), post=True),
    "institutions:volunteer": Url(Holds("record_staffing"), args=pk(lambda w, s: _inst(w, "vacancy")), post=True),
    "institutions:select": Url(Holds("record_staffing"), args=pk(lambda w, s: _inst(w, "vacancy")), post=True),
    "institutions:give_list": Url(Holds("rotation_list"), args=pk(lambda w, s: _inst(w, "vacancy")), post=True),
    "institutions:scenes": both(Holds("log_scene_response")),
    "institutions:follow_up": Url(Holds("log_scene_response"), args=pk(lambda w, s: _inst(w, "scene")), post=True),
    "institutions:reviews": Url(Holds("review_overdue_reviews")),
    "institutions:integrity": both(Holds("integrity_referral")),
    "institutions:open_referral": Url(
        Holds("integrity_referral") & Holds("open_case"), args=pk(lambda w, s: _inst(w, "referral")), post=True
    ),
    "institutions:oig_reports": both(Holds("report_to_oig") | Holds("handle_city_reports"), Holds("report_to_oig")),
    "institutions:answer_report": Url(
        Holds("handle_city_reports"), args=pk(lambda w, s: _inst(w, "report")), post=True
    ),
    "institutions:advice": both(
        Holds("city_attorney_advice") | Holds("acknowledge_advice"), Holds("city_attorney_advice")
    ),
    "institutions:answer_advice": Url(Holds("acknowledge_advice"), args=pk(lambda w, s: _inst(w, "advice")), post=True),
    "institutions:withheld": both(Holds("file_withheld")),
    "institutions_public:index": Url(EVERYONE),
    "institutions_public:body": Url(EVERYONE, args=_body),
    # --- Bargaining agreements against the chapter (oversight.contracts)
    "contracts:index": Url(Holds("open_contracts")),
    "contracts:record": Url(Holds("record_agreement"), post=True),
    "contracts:draft": both(Holds("open_contracts"), data={"overlay": "not toml ["}),
    "contracts:agreement": Url(Holds("open_contracts"), args=pk(lambda w, s: _agreement(w))),
    "contracts:consult": Url(Holds("consult_bargaining"), args=pk(lambda w, s: _agreement(w)), post=True),
    "contracts:compare": Url(Holds("open_contracts"), args=lambda w, s: {"name": "spog-2018-tentative"}),
    "contracts:replay": Url(Holds("open_contracts"), args=lambda w, s: {"name": "spog-2018-tentative"}),
    "public_contracts:index": Url(EVERYONE),
    "public_contracts:compare": Url(EVERYONE, args=lambda w, s: {"name": "spog-2018-tentative"}),
    "public_contracts:replay": Url(EVERYONE, args=lambda w, s: {"name": "spog-2018-tentative"}),
    # --- The public side
    "public:home": Url(EVERYONE),
    # --- CPC's meetings and community input
    "cpc:meetings": both(Holds("cpc_workspace")),
    "cpc:minutes": Url(Holds("cpc_workspace"), args=pk(lambda w, s: w.meeting), post=True),
    "cpc:input": both(Holds("cpc_workspace")),
    "cpc:route": Url(Holds("cpc_workspace"), args=pk(lambda w, s: w.community_input), post=True),
    "cpc_public:meetings": Url(EVERYONE),
    "manual:index": both(May(("manual_update", "comment_on_manual")), Holds("manual_update")),
    "manual:act": {
        a: Url(Holds(perm), args=lambda w, s, a=a: {"pk": w.manual_round, "action": a}, post=True)
        for a, perm in (("comment", "comment_on_manual"), ("respond", "manual_update"), ("publish", "manual_update"))
    },
    "manual_public:index": Url(EVERYONE),
    "manual_public:file": Url(EVERYONE, args=pk(lambda w, s: w.manual_version)),
    "cpc:workplan": both(May(("share_workplan", "propose_workplan_addition")), Holds("share_workplan")),
    "cpc:workplan_act": {
        a: Url(Holds(perm), args=lambda w, s, a=a: {"pk": w.workplan, "action": a}, post=True)
        for a, perm in (
            ("propose", "propose_workplan_addition"),
            ("answer", "share_workplan"),
            ("set", "share_workplan"),
        )
    },
    # --- Recommendations and their answers
    "recommendations:index": Url(Holds("track_recommendations")),
    "recommendations:new": both(Holds("issue_recommendation")),
    "recommendations:notices": both(Holds("track_recommendations"), Holds("record_city_notice")),
    "recommendations:detail": Url(Holds("track_recommendations"), args=lambda w, s: {"number": w.recommendation}),
    "recommendations:act": {
        a: Url(Holds(perm), args=lambda w, s, a=a: {"number": w.recommendation, "action": a}, post=True)
        for a, perm in (("answer", "answer_recommendation"), ("withdraw", "withdraw_recommendation"))
    },
    "recommendations_public:index": Url(EVERYONE),
    "recommendations_public:feed": Url(EVERYONE),
    "recommendations_public:detail": Url(EVERYONE, args=lambda w, s: {"number": w.recommendation}),
    "public:set_language": Url(EVERYONE),
    "public:complaint": Url(EVERYONE),
    "public:complaint_received": Url(EVERYONE),
    "public:track": Url(EVERYONE),
    "public:track_status": Url(EVERYONE, before=follow_complaint),
    "public:track_add": Url(EVERYONE, post=True, data={"text": "One more thing."}, before=follow_complaint),
    "public:track_leave": Url(EVERYONE, post=True),
    "public:publications": Url(EVERYONE),
    "public:publications_csv": Url(EVERYONE),
    "public:publication": Url(EVERYONE, args=pk(lambda w, s: w.publication)),
    "public:feed": Url(EVERYONE),
    "public:library": Url(EVERYONE),
    "public:library_document": Url(EVERYONE, args=pk(lambda w, s: w.library)),
    "public:statistics": Url(EVERYONE),
    "public:digest": Url(EVERYONE),
    "public:digest_confirm": Url(EVERYONE, args=lambda w, s: {"token": w.token}),
    "public:digest_unsubscribe": Url(EVERYONE, args=lambda w, s: {"token": w.token}),
    "public:staff_publish": both(Holds("publish")),
    "public:staff_library": both(Holds("library")),
    "public:staff_evidence": Url(
        Reads(A.ADDITIONS), ("intake", "plan", "closed"), pk(World.web_evidence), in_url=False
    ),
    "public:mark_read": Url(Reads(A.ADDITIONS) & may("read_additions"), ("intake", "assigned", "closed"), post=True),
    # --- Public data: no case and no person in it, everyone reads it. The walk imports none, so
    # the pages that show data answer 404 "no public data imported yet", to everyone alike.
    "publicdata:index": Url(EVERYONE),
    "publicdata:stops": NO_DATA,
    "publicdata:disparity": NO_DATA,
    "publicdata:force": NO_DATA,
    "publicdata:shootings": NO_DATA,
    "publicdata:disparity_api": NO_DATA,
    "publicdata:disparity_csv": NO_DATA,
    "publicdata:summary_json": replace(NO_DATA, args=kind("stops")),
    "publicdata:summary_csv": replace(NO_DATA, args=kind("force")),
    "publicdata:summary_parquet": replace(NO_DATA, args=kind("stops")),
    "publicdata:download_csv": replace(NO_DATA, args=kind("stops")),
    "publicdata:download_parquet": replace(NO_DATA, args=kind("force")),
    # --- The discipline database (3.29.320.B) and the pattern report (3.29.310.A.1): public, no name in it
    "discipline_data:page": Url(EVERYONE),
    "discipline_data:patterns": Url(EVERYONE),
    "discipline_data:summary_json": Url(EVERYONE),
    "discipline_data:summary_csv": Url(EVERYONE),
    "discipline_data:summary_parquet": Url(EVERYONE),
    "discipline_data:download_csv": Url(EVERYONE),
    "discipline_data:download_parquet": Url(EVERYONE),
    # --- Early intervention (3.29.305.E): SPD command and OIG; a named employee's history (3.29.315.F)
    "history:alerts": both(Holds("view_alerts"), Holds("handle_alert")),
    "history:audit": both(Holds("audit_alerts"), Holds("report_efficacy")),
    "history:employee": Url(Reads(A.EMPLOYEE_HISTORY), args=lambda w, s: {"pseudonym": "OFC-0123456789abcdef"}),
    # --- The API's own pages (its operations are declared in API below)
    "api:openapi-json": Url(EVERYONE),  # the description of the API, no data
    "api:openapi-view": Url(EVERYONE),
    "api:api-root": Url(EVERYONE, served=(404,)),  # a name to reverse; serves nothing to anyone
}


@dataclass(frozen=True)
class Op:
    """An API operation: who may call it, on which stages' cases, with which JSON body."""

    who: Rule
    on: tuple[str, ...] = ()
    body: Callable[[World], Mapping[str, Any]] | None = None


API: dict[str, Op] = {
    "GET /api/cases": Op(AnyRole(A.STAFF)),
    "GET /api/cases/{number}": Op(Reads(A.CASE), ALL),
    "GET /api/cases/{number}/events": Op(Reads(A.CASE), SOME),
    "GET /api/cases/{number}/deadlines": Op(Reads(A.CASE), ("intake", "plan", "closed", "late")),
    "POST /api/cases/{number}/events": Op(
        act("toll"),
        ("plan", "others", "closed"),
        lambda w: {"type": "interview_postponed", "date": w.today.isoformat(), "days": 3, "reason": "Guild rep away."},
    ),
    "GET /api/deadlines": Op(AnyRole(A.OPA_STAFF)),
}


# --------------------------------------------------------------------------
# The URL configuration and the API's schema, walked
# --------------------------------------------------------------------------


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = "") -> Iterator[tuple[str | None, str, Any]]:
    """(name with its namespaces, route, view) of every pattern under ``resolver``."""
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern), p.callback


def _is_api_operation(callback: Any) -> bool:
    return getattr(callback, "__module__", "").startswith("ninja.operation")


def url_names() -> dict[str | None, str]:
    """Every pattern of the URL configuration but the API's operations (read from the schema)."""
    return {name: route for name, route, cb in _walk(get_resolver()) if not _is_api_operation(cb)}


def api_operations() -> set[str]:
    schema = cases_api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_url_is_declared() -> None:
    found = url_names()
    unnamed = sorted(route for name, route in found.items() if name is None)
    assert not unnamed, f"URL patterns without a name: {unnamed}; name each and declare who may open it in URLS"
    missing = sorted(n for n in found if n not in URLS)
    assert not missing, (
        f"{missing}: not declared in tests/web/test_access_urls.py URLS; declare who may open each "
        "(Reads, May, Holds, AnyRole, SIGNED_IN or EVERYONE from rules.access)"
    )
    stale = sorted(n for n in URLS if n not in found)
    assert not stale, f"{stale}: declared in URLS but not in the URL configuration"


def test_every_api_operation_is_declared() -> None:
    ops = api_operations()
    missing = sorted(ops - set(API))
    assert not missing, f"{missing}: API operations not declared in API; declare who may call each"
    assert not sorted(set(API) - ops), "declared in API but not in the OpenAPI schema"
    ninja_routes = {route for _, route, cb in _walk(get_resolver()) if _is_api_operation(cb)}
    schema_routes = {op.split(" ", 1)[1].removeprefix("/").replace("{", "<").replace("}", ">") for op in ops}
    assert ninja_routes == schema_routes, "an API route is served that the OpenAPI schema does not describe"


def test_every_action_of_a_case_and_of_discipline_is_declared() -> None:
    assert set(CASE_ACTIONS) == set(case_views.HANDLERS), "declare each cases:action in CASE_ACTIONS"
    assert set(DISCIPLINE_ACTIONS) == set(discipline_views.ACTIONS), "declare each discipline:action"
    assert set(REPORT_KINDS) == set(REPORTS), "declare each discipline:report kind"
    used = {p for perms, _ in CASE_ACTIONS.values() for p in perms} | {p for p, _ in DISCIPLINE_ACTIONS.values()}
    assert used <= set(A.PERMISSIONS), f"{sorted(used - set(A.PERMISSIONS))}: not actions of rules.access"


# --------------------------------------------------------------------------
# The world, once per module, and one client per role
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, media: Path) -> None:
    """(Replaces the shared fixture: the world's files stay in the world's folder; no public data.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(media)
    settings.OVERSIGHT_PUBLICDATA_DB = media / "no-public-data.duckdb"


@dataclass
class Walk:
    world: World
    clients: dict[str | None, Client]


@pytest.fixture(scope="module")
def walk(django_db_setup: Any, django_db_blocker: Any, media: Path) -> Iterator[Walk]:
    """The world of ``tests/web/world.py``, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        world = build()
        clients: dict[str | None, Client] = {None: Client()}
        for role in CLIENTS[:-1]:
            clients[role] = Client()
            clients[role].force_login(world.users[role])  # type: ignore[index]
        # The walk reads answers, not template contexts: templates render as in production.
        instrumented, Template._render = Template._render, test_utils._TestState.saved_data.template_render
        try:
            yield Walk(world, clients)
        finally:
            Template._render = instrumented
            transaction.set_rollback(True)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever an allowed request writes is undone before the next role opens the URL."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def cookies_kept(client: Client) -> Iterator[None]:
    """The client's session is the one the world signed in, whatever a request did to it."""
    saved = copy.deepcopy(client.cookies)
    try:
        yield
    finally:
        client.cookies = saved


def test_the_worlds_stages_are_what_they_say(walk: Walk) -> None:
    """The known facts the expectations are computed from are the facts the database holds."""
    w = walk.world
    for stage, num in w.cases.items():
        case = w.case(stage)
        for user in CLIENTS[:-1]:
            assert facts_for(w.users[user], case) == STAGES[stage].facts(user), (stage, num, user)  # type: ignore[index]


# --------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------


def _probes() -> list[Any]:
    out = []
    for name, entry in URLS.items():
        variants = entry if isinstance(entry, dict) else {"": entry}
        for variant, url in variants.items():
            for stage in url.on or (None,):
                label = "/".join(x for x in (name, variant, stage) if x)
                out.append(pytest.param(name, variant, stage, id=label))
    return out


def _who(role: str | None) -> str:
    return "anonymous" if role is None else role


def _body(r: Any) -> str:
    return r.content.decode(errors="replace") if not getattr(r, "streaming", False) else ""


def _gist(body: str) -> str:
    """What a failure message quotes of a page: its title, heading and first error or refusal."""
    bits = [
        m.group(1)
        for pat in (r"<title>(.*?)</title>", r"<h1[^>]*>(.*?)</h1>", r'class="(?:error|why)"[^>]*>(.*?)</p>')
        if (m := re.search(pat, body, re.S))
    ]
    return " | ".join(b.strip() for b in bits) if bits else body[:300]


def _served(r: Any) -> bool:
    return not (r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="))


@pytest.mark.parametrize(("name", "variant", "stage"), _probes())
def test_each_url_as_each_role(walk: Walk, name: str, variant: str, stage: str | None) -> None:
    entry = URLS[name]
    url = entry[variant] if isinstance(entry, dict) else entry
    w = walk.world
    kwargs = {**(number(w, stage) if url.in_url else {}), **(url.args(w, stage) if url.args else {})}
    path = reverse(name, kwargs=kwargs) + (url.query(w, stage) if url.query else "")
    st = STAGES[stage] if stage else None
    for role in CLIENTS:
        expected = url.who.allows(role, st)
        where = f"{'POST' if url.post else 'GET'} {path} ({name}{' ' + variant if variant else ''}"
        where += f", {stage} case" if stage else ""
        where += f") as {_who(role)}: expected {'allowed' if expected else 'refused'}"
        with rolled_back(), cookies_kept(walk.clients[role]):
            client = walk.clients[role]
            if url.fresh or url.before:
                client = Client()
                if role is not None:
                    client.force_login(w.users[role])
            if url.before:
                url.before(client, w)
            before = snapshot() if url.post and not expected else None
            data = url.data(w) if callable(url.data) else url.data
            r = client.post(path, data) if url.post else client.get(path)
            body = _body(r)
            got = f"got {r.status_code} {r.get('Location', '')} {_gist(body)!r}"
            if expected:
                ok = (200, 302, 400) if url.post else url.served
                assert r.status_code in ok and _served(r), f"{where}; {got}"
            elif role is None:
                assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="), f"{where}; {got}"
            else:
                assert r.status_code == 403, f"{where}; {got}"
                assert "Not allowed" in body and "Where to go" in body, f"{where}: not the refusal page; {got}"
            if before is not None:
                assert snapshot() == before, f"{where}: the refused POST wrote something"


def _api_probes() -> list[Any]:
    return [
        pytest.param(op, stage, id=f"{op}/{stage}" if stage else op)
        for op, spec in API.items()
        for stage in spec.on or (None,)
    ]


@pytest.mark.parametrize(("op", "stage"), _api_probes())
def test_each_api_operation_as_each_role(walk: Walk, op: str, stage: str | None) -> None:
    spec = API[op]
    w = walk.world
    method, template = op.split(" ", 1)
    path = template.replace("{number}", w.cases[stage]) if stage else template
    st = STAGES[stage] if stage else None
    for role in CLIENTS:
        expected = spec.who.allows(role, st)
        where = f"{op} on the {stage} case as {_who(role)}: expected {'allowed' if expected else 'refused'}"
        with rolled_back(), cookies_kept(walk.clients[role]):
            client = walk.clients[role]
            before = snapshot() if method == "POST" and not expected else None
            if method == "POST":
                body = json.dumps(spec.body(w) if spec.body else {})
                r = client.post(path, body, content_type="application/json")
            else:
                r = client.get(path)
            got = f"got {r.status_code} {r.content[:300]!r}"
            if role is None:
                assert r.status_code == 401, f"{where}; {got}"
            elif expected:
                assert r.status_code in ((201, 400) if method == "POST" else (200,)), f"{where}; {got}"
            else:
                assert r.status_code == 403 and r["Content-Type"].startswith("application/json"), f"{where}; {got}"
                assert r.json().get("detail"), f"{where}: a refusal says why; {got}"
            if before is not None:
                assert snapshot() == before, f"{where}: the refused call wrote something"


def test_the_api_lists_exactly_the_cases_each_role_reads(walk: Walk) -> None:
    w = walk.world
    for role in CLIENTS[:-1]:
        if role not in A.STAFF:
            continue
        got = {c["number"] for c in walk.clients[role].get("/api/cases?limit=1000").json()}
        want = {n for s, n in w.cases.items() if A.reads(_roles(role), A.CASE, STAGES[s].facts(role))}
        assert got == want, role
