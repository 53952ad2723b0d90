"""A world of cases at every stage of a case's journey, built through the actions (the one
door for writes), with the facts of each stage known in advance.

``build()`` makes, from the public form or OPA's intake, a case at each of the stages in
``STAGES`` and what the pages around them read (a hotline report, a published
classification audit, a publication, a library document, a digest subscription). Each
stage says, in ``Stage``, what the access model needs to know of it for a reader: open
or closed, at intake, assigned to whom, findings issued, decided, criminal, noticed,
granted to whom. Tests compute what a role may do from these known facts and
``rules.access``; they do not ask ``oversight.access.facts_for``, which a test checks
against them.

Every person here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oversight.cases import actions as ca
from oversight.cases.models import Case, EvidenceFile, Subpoena, SupervisorActionReferral
from oversight.discipline import actions as da
from oversight.discipline.models import Appeal, ComplainantNotice, Statement
from oversight.oig import actions as oa
from oversight.oig.models import ClassificationAudit, HotlineReport
from oversight.public import actions as pa
from oversight.public.models import Publication, WebComplaint, WebEvidence
from oversight.rules import access as A
from oversight.uploads import sample_m4a, sample_pdf, sample_png

# The users of the world: one per role (named after it), one with no role, and the
# investigator and supervisor who work the cases that are not ours ("others").
NOBODY = "nobody"
INVESTIGATOR_B = "investigator_b"
SUPERVISOR_B = "supervisor_b"
ROLE_USERS = tuple(A.ROLES)
USERS = (*ROLE_USERS, NOBODY)

PNG = sample_png()
PDF = sample_pdf("A statement.")
M4A = sample_m4a()


@dataclass(frozen=True)
class Stage:
    """A stage of a case's journey and what the access model knows of a case there."""

    name: str
    closed: bool = False
    at_intake: bool = False
    findings: bool = False
    decided: bool = False
    criminal: bool = False
    noticed: bool = False
    assigned_to: frozenset[str] = frozenset()  # the users who investigate or supervise it
    own_for: frozenset[str] = frozenset()  # the users granted it as named employee or union
    web: bool = False  # came through the public form (has what the complainant sent)

    def facts(self, user: str | None) -> A.CaseFacts:
        return A.CaseFacts(
            closed=self.closed,
            at_intake=self.at_intake,
            assigned=user is not None and user in self.assigned_to,
            findings=self.findings,
            decided=self.decided,
            criminal=self.criminal,
            noticed=self.noticed,
            own=user is not None and user in self.own_for,
        )


OURS = frozenset({A.INVESTIGATOR, A.SUPERVISOR})
OWN = frozenset({A.NAMED_EMPLOYEE, A.UNION})

STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("intake", at_intake=True, web=True),
        Stage("assigned", assigned_to=OURS, web=True),
        Stage("others", noticed=True, assigned_to=frozenset({INVESTIGATOR_B, SUPERVISOR_B}), web=True),
        Stage("plan", noticed=True, assigned_to=OURS, web=True),
        Stage("submitted", noticed=True, assigned_to=OURS, web=True),
        Stage("findings", noticed=True, findings=True, assigned_to=OURS, web=True),
        Stage("decided", noticed=True, findings=True, decided=True, assigned_to=OURS, own_for=OWN, web=True),
        Stage("appealed", noticed=True, findings=True, decided=True, assigned_to=OURS, web=True),
        Stage("closed", closed=True, noticed=True, findings=True, decided=True, assigned_to=OURS, web=True),
        Stage("late", noticed=True, findings=True, criminal=True, assigned_to=OURS),
        Stage("supervisor_action"),
        Stage("routed"),
    )
}


@dataclass(frozen=True)
class People:
    """The invented people of one complaint."""

    complainant: str = "Marisol Quenby"
    address: str = "4418 Fernhollow Ave"
    phone: str = "206-555-0143"
    email: str = "mquenby@example.net"
    witness: str = "Tobiah Vantreese"
    witness_contact: str = "206-555-0178"
    officer: str = "Corwin Ashgrove"
    badge: str = "6604"
    officer_b: str = "Delphine Oakridge"

    @property
    def identity(self) -> dict[str, str]:
        """Everything that identifies the complainant and the witness."""
        return {
            "complainant's name": self.complainant,
            "complainant's address": self.address,
            "complainant's phone": self.phone,
            "complainant's email": self.email,
            "witness's name": self.witness,
            "witness's contact": self.witness_contact,
        }


@dataclass
class World:
    users: dict[str, User]
    cases: dict[str, str]  # stage -> case number
    codes: dict[str, str] = field(default_factory=dict)  # stage -> the complainant's tracking code
    hotline: int = 0
    hotline_code: str = ""
    audit: int = 0
    publication: int = 0
    library: int = 0
    token: str = ""
    recommendation: str = ""  # its number
    meeting: int = 0
    community_input: int = 0
    workplan: int = 0
    manual_round: int = 0  # adopted: its version is published
    manual_version: int = 0
    today: dt.date = field(default_factory=timezone.localdate)

    def case(self, stage: str) -> Case:
        return Case.objects.get(number=self.cases[stage])

    def web(self, stage: str) -> WebComplaint:
        return WebComplaint.objects.get(case__number=self.cases[stage])

    def notice_seq(self, stage: str) -> int:
        return int(self.case(stage).events.get(type="notice_sent").seq)

    def evidence(self, stage: str) -> int:
        return int(EvidenceFile.objects.filter(case__number=self.cases[stage]).order_by("pk").values("pk")[0]["pk"])

    def web_evidence(self, stage: str) -> int:
        return int(WebEvidence.objects.filter(complaint__case__number=self.cases[stage]).order_by("pk")[0].pk)

    def statement(self, stage: str) -> int:
        return int(Statement.objects.get(case__number=self.cases[stage]).pk)

    def complainant_notice(self, stage: str) -> int:
        return int(ComplainantNotice.objects.get(case__number=self.cases[stage]).pk)

    def appeal(self, stage: str) -> Appeal:
        return Appeal.objects.filter(case__number=self.cases[stage]).order_by("pk").last()  # type: ignore[return-value]

    def subpoena(self, stage: str) -> Subpoena:
        return Subpoena.objects.filter(case__number=self.cases[stage]).order_by("pk")[0]

    def referral(self, stage: str) -> SupervisorActionReferral:
        return SupervisorActionReferral.objects.filter(case__number=self.cases[stage]).order_by("pk")[0]

    def hotline_report(self) -> HotlineReport:
        return HotlineReport.objects.get(pk=self.hotline)


def make_users() -> dict[str, User]:
    users = {}
    for role in ROLE_USERS:
        u = User.objects.create(username=role, first_name=A.role_label(role))
        u.groups.add(Group.objects.get(name=role))
        users[role] = u
    users[NOBODY] = User.objects.create(username=NOBODY)
    for name, role in ((INVESTIGATOR_B, A.INVESTIGATOR), (SUPERVISOR_B, A.SUPERVISOR)):
        u = User.objects.create(username=name)
        u.groups.add(Group.objects.get(name=role))
        users[name] = u
    return users


# --------------------------------------------------------------------------
# One complaint's journey, a step at a time
# --------------------------------------------------------------------------


class Journey:
    """A complaint taken in (from the web form, or by OPA's intake) and moved along its stages
    by the people whose part each step is."""

    def __init__(self, users: dict[str, User], people: People, today: dt.date) -> None:
        self.u = users
        self.p = people
        self.today = today
        self.case: Case | None = None
        self.code = ""
        self.inv = A.INVESTIGATOR  # who investigates and supervises it, once assigned
        self.sup = A.SUPERVISOR

    @property
    def c(self) -> Case:
        assert self.case is not None
        self.case.refresh_from_db()
        return self.case

    def _ne(self, i: int = 0) -> Any:
        return list(self.c.named_employees.order_by("pk"))[i]

    def _allegations(self) -> list[int]:
        return list(self.c.allegations.order_by("pk").values_list("pk", flat=True))

    def from_web(self) -> Journey:
        p = self.p
        data = pa.ComplaintInput(
            what_happened=(
                f"I am {p.complainant}, I live at {p.address}, call me on {p.phone} or write to {p.email}. "
                f"An officer pushed me to the ground outside the library; {p.witness} ({p.witness_contact}) saw it."
            ),
            topic="use_of_force",
            name=p.complainant,
            email=p.email,
            phone=p.phone,
            address=p.address,
            incident_date=self.today - dt.timedelta(days=2),
            incident_place="Library steps, 4th Ave",
            precinct="west",
            officer_name=p.officer,
            officer_badge=p.badge,
            witnesses=p.witness,
            in_person_interview="yes",
        )
        files = [
            SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
            SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf"),
        ]
        web, self.code = pa.submit_complaint(data, files)
        self.case = web.case
        ca.edit_witness(self.u[A.INTAKE], self.c.witnesses.get(), contact=p.witness_contact)
        return self

    def added_later(self) -> Journey:
        """The complainant adds to the complaint with the tracking code."""
        p = self.p
        web = WebComplaint.objects.get(case=self.c)
        pa.add_information(
            web,
            f"{p.witness} can also be reached on {p.witness_contact}; my phone {p.phone} is best after six. "
            f"- {p.complainant}",
            [SimpleUploadedFile("later.png", sample_png(b"later"), content_type="image/png")],
        )
        return self

    def by_intake(self, received: dt.date, category: str = "use_of_force", criminal: bool = False) -> Journey:
        p = self.p
        self.case = ca.open_case(
            self.u[A.INTAKE],
            channel="phone",
            received_on=received,
            incident_date=received - dt.timedelta(days=3),
            incident_place="Pike St and 3rd Ave",
            precinct="west",
            summary=f"{p.complainant} of {p.address} ({p.phone}) said the officer shoved them; {p.witness} saw it.",
            complainants=[{"name": p.complainant, "address": p.address, "phone": p.phone, "email": p.email}],
            named_employees=[{"name": p.officer, "rank": "Officer", "serial": p.badge, "bargaining_unit": "SPOG"}],
            witnesses=[{"kind": "civilian", "name": p.witness, "contact": p.witness_contact}],
            allegations=[{"employee": 0, "category": category, "criminal": criminal}],
        )
        return self

    def classified(self, on: dt.date | None = None, investigator: str = A.INVESTIGATOR, supervisor: str = A.SUPERVISOR):
        on = on or self.today
        sup = self.u[A.SUPERVISOR]
        ca.classify(sup, self.c, "investigation", f"Force alleged by {self.p.complainant}.", on=on)
        ca.assign(sup, self.c, self.u[investigator], self.u[supervisor])
        self.inv, self.sup = investigator, supervisor
        return self

    def plan_submitted(self) -> Journey:
        p = self.p
        ca.submit_plan(
            self.u[self.inv],
            self.c,
            priority="High: force alleged.",
            witnesses=f"{p.complainant} ({p.phone}); {p.witness} ({p.witness_contact}).",
            perishable_evidence="Body-worn video; the library's camera.",
            other_evidence="CAD log.",
            approach=f"Interview {p.complainant}, then {p.witness}, then the named employee.",
        )
        return self

    def noticed(self, on: dt.date | None = None) -> Journey:
        ca.send_notice(self.u[A.INTAKE], self.c, on or self.today)
        return self

    def planned(self, on: dt.date | None = None) -> Journey:
        self.plan_submitted()
        plan = ca.plan_awaiting(self.c)
        assert plan is not None
        ca.approve_plan(self.u[A.DIRECTOR], plan, on=on or self.today)
        return self

    def investigated(self) -> Journey:
        p = self.p
        inv, director = self.u[self.inv], self.u[A.DIRECTOR]
        ca.record_exigent(director, self.c, p.witness, f"{p.witness} is abroad until the spring.")
        ca.record_interview(
            inv,
            self.c,
            interviewee=p.complainant,
            held_on=self.today,
            audio=SimpleUploadedFile("interview.m4a", sample_m4a(p.badge.encode()), content_type="audio/mp4"),
            transcript=SimpleUploadedFile("interview.txt", b"Q: What happened?\nA: I was pushed.\n"),
        )
        ca.record_interview(
            inv,
            self.c,
            interviewee=p.witness,
            held_on=self.today,
            in_person=False,
            audio=SimpleUploadedFile("witness.m4a", sample_m4a(b"w"), content_type="audio/mp4"),
            transcript=SimpleUploadedFile("witness.txt", b"Q: What did you see?\nA: A push.\n"),
        )
        ca.add_evidence(inv, self.c, SimpleUploadedFile("bwv.mp4", sample_m4a(b"video")), "Body-worn video")
        ca.add_note(
            inv,
            self.c,
            f"Called {p.complainant} at {p.phone} ({p.email}, {p.address}); {p.witness} ({p.witness_contact}) "
            "will write from abroad.",
        )
        ca.issue_subpoena(director, self.c, f"{p.witness}, {p.witness_contact}", "the video taken on a phone")
        return self

    def submitted(self, on: dt.date | None = None) -> Journey:
        ca.submit_to_oig(self.u[A.SUPERVISOR], self.c, on or self.today)
        return self

    def certified(self) -> Journey:
        oa.record_determination(
            self.u[A.OIG_AUDITOR],
            self.c,
            "certified",
            criteria={"a": f"{self.p.witness} and {self.p.complainant} ({self.p.phone}) were both interviewed."},
        )
        return self

    def with_second_allegation(self) -> Journey:
        inv = self.u[self.inv]
        ne = ca.add_named_employee(inv, self.c, name=self.p.officer_b, rank="Sergeant", serial="5150")
        ca.add_allegation(
            inv,
            self.c,
            named_employee=ne,
            category="courtesy",
            description=f"Swore at {self.p.complainant} and at {self.p.witness} in front of {self.p.address}.",
        )
        return self

    def recommended(self, on: dt.date | None = None) -> Journey:
        a1, a2 = self._allegations()
        da.recommend_findings(
            self.u[A.DIRECTOR],
            self.c,
            on=on or self.today,
            findings={a1: "sustained", a2: "training_referral"},
            analysis=f"The video shows the push {self.p.complainant} described.",
        )
        return self

    def decided(self, follows: bool) -> Journey:
        a1, a2 = self._allegations()
        kw: dict[str, Any] = {}
        if not follows:
            kw = {"supplemental_meeting_on": self.today, "inspector_general_present": True}
        da.record_chief_decision(
            self.u[A.CHIEF],
            self.c,
            decided_on=self.today,
            due_process_hearing_on=self.today,
            findings={a1: "sustained", a2: "training_referral" if follows else "unfounded"},
            discipline={self._ne().pk: ("suspension", 5)},
            **kw,
        )
        da.record_determination_received(self.u[A.CHIEF], self.c, named_employee=self._ne(), on=self.today)
        return self

    def stated(self) -> Journey:
        da.issue_chief_statement(
            self.u[A.CHIEF], self.c, reasons="The video does not show the discourtesy alleged.", on=self.today
        )
        return self

    def granted(self) -> Journey:
        ne = self._ne()
        for role in (A.NAMED_EMPLOYEE, A.UNION):
            da.grant_access(self.u[A.DIRECTOR], self.c, grantee=self.u[role], named_employee=ne, role=role)
        return self

    def appealed(self) -> Journey:
        ap = da.file_appeal(
            self.u[A.CITY_ATTORNEY],
            self.c,
            named_employee=self._ne(),
            appellant="employee",
            forum="pscsc",
            nature="The suspension is too severe.",
            notice_filed_on=self.today,
        )
        da.schedule_hearing(self.u[A.CITY_ATTORNEY], ap, hearing_on=self.today)
        return self

    def ruled(self) -> Journey:
        ap = Appeal.objects.filter(case=self.c).get()
        da.record_ruling(
            self.u[A.CITY_ATTORNEY],
            ap,
            ruling_on=self.today,
            outcome="modified",
            discipline=("written_reprimand", None),
        )
        return self

    def published(self) -> Publication:
        text = (
            f"A complaint that an officer pushed {self.p.complainant} outside the library was investigated; "
            "the allegation of force was sustained."
        )
        return pa.publish(
            self.u[A.DIRECTOR],
            self.c,
            kind="summary",
            title="Force at the library steps",
            text=text,
            reviewed=pa.preview(self.c, text).text,
            findings=["sustained"],
        )

    def closed(self) -> Journey:
        ca.close_case(self.u[A.SUPERVISOR], self.c, f"Complete; {self.p.complainant} was told of the outcome.")
        return self


def closed_journey(users: dict[str, User], people: People, today: dt.date) -> Journey:
    """A web complaint from filing to closing: every part of a case is there."""
    j = Journey(users, people, today).from_web().added_later().classified().noticed().planned().investigated()
    j.submitted().certified().with_second_allegation().recommended().decided(follows=True).appealed().ruled()
    j.published()
    return j.closed()


def findings_journey(users: dict[str, User], people: People, today: dt.date) -> Journey:
    """A web complaint whose proposed findings have reached the Chief."""
    j = Journey(users, people, today).from_web().added_later().classified().noticed().planned().investigated()
    return j.submitted().certified().with_second_allegation().recommended()


def build(today: dt.date | None = None) -> World:
    """Every stage of ``STAGES``, and what the pages around the cases read."""
    today = today or timezone.localdate()
    users = make_users()
    cases: dict[str, str] = {}
    codes: dict[str, str] = {}

    def web() -> Journey:
        return Journey(users, People(), today).from_web()

    def done(stage: str, j: Journey) -> None:
        cases[stage] = j.c.number
        codes[stage] = j.code

    done("intake", web().added_later())
    done("assigned", web().classified().plan_submitted())
    done(
        "others",
        web().classified(investigator=INVESTIGATOR_B, supervisor=SUPERVISOR_B).noticed().planned().investigated(),
    )
    done("plan", web().added_later().classified().noticed().planned().investigated())
    done("submitted", web().classified().noticed().planned().investigated().submitted())
    done("findings", findings_journey(users, People(), today))
    base = findings_journey(users, People(), today)
    done("decided", base.decided(follows=False).granted())
    base = findings_journey(users, People(), today)
    done("appealed", base.decided(follows=False).stated().appealed())
    closed = closed_journey(users, People(), today)
    done("closed", closed)

    received = today - dt.timedelta(days=400)
    late = Journey(users, People(), today).by_intake(received, criminal=True)
    late.classified(on=received + dt.timedelta(days=2)).noticed(on=received + dt.timedelta(days=10))
    late.planned(on=received + dt.timedelta(days=5)).submitted(on=received + dt.timedelta(days=20))
    late.with_second_allegation().recommended()
    done("late", late)

    sa = Journey(users, People(), today).by_intake(today - dt.timedelta(days=10), category="courtesy")
    ca.classify(users[A.SUPERVISOR], sa.c, "supervisor_action", "Courtesy only.")
    ca.refer_supervisor_action(
        users[A.SUPERVISOR], sa.c, sa._ne(), today + dt.timedelta(days=20), supervisor_name="Sgt. Brenholt"
    )
    done("supervisor_action", sa)

    routed = Journey(users, People(), today).by_intake(today - dt.timedelta(days=1))
    ca.route(users[A.SUPERVISOR], routed.c, "oig", "The named employee is related to OPA staff.")
    done("routed", routed)

    world = World(users=users, cases=cases, codes=codes, today=today)
    report, world.hotline_code = oa.hotline_submit(
        text="Overtime slips are signed by people who were not there.",
        reporter_kind="city_employee",
        reporter_name="Ines Calloway",
        reporter_contact="icalloway@example.net",
    )
    world.hotline = report.pk
    world.audit = _published_audit(users, received + dt.timedelta(days=2)).pk
    world.publication = Publication.objects.get(case__number=cases["closed"]).pk
    world.library = pa.add_library_document(
        users[A.DIRECTOR], kind="opa_report", title="OPA annual report", text="Complaints rose by a tenth."
    ).pk
    world.token = pa.subscribe("reader@example.org").token
    from oversight.cpc import actions as cpa
    from oversight.recommendations import actions as ra

    world.meeting = cpa.schedule_meeting(
        users[A.CPC_STAFF], kind="public", on=today - dt.timedelta(days=2), title="November meeting", agenda="Stops."
    ).pk
    world.community_input = cpa.record_input(
        users[A.CPC_STAFF], received_on=today, source="outreach", summary="Officers did not explain a stop."
    ).pk

    plan = cpa.share_workplan(users[A.INSPECTOR_GENERAL], year=today.year + 1, draft="Audit the intake.", on=today)
    cpa.propose_workplan_addition(users[A.CPC_STAFF], plan, area="Crowd control", reasons="Protests.", on=today)
    world.workplan = plan.pk
    from oversight.manual import actions as ma

    rnd = ma.open_round(users[A.DIRECTOR], title="2026 update", proposed="Intake timelines.", on=today)
    ma.comment(users[A.INSPECTOR_GENERAL], rnd, text="Clear.", on=today)
    ma.comment(users[A.CPC_STAFF], rnd, text="Add translations.", on=today)
    ma.respond(users[A.DIRECTOR], rnd, response="Translations added.", on=today)
    world.manual_version = ma.publish(
        users[A.DIRECTOR],
        rnd,
        version="2026.1",
        effective_on=today,
        summary="Intake timelines.",
        file_name="opa-manual.pdf",
        content=sample_pdf("The OPA Manual."),
    ).pk
    world.manual_round = rnd.pk

    world.recommendation = ra.issue(
        users[A.INSPECTOR_GENERAL],
        body="oig",
        addressee="spd",
        title="Record the reason for every frisk",
        text="SPD should record the articulable reason for each frisk in the stop report.",
        category="stops",
        issued_on=today - dt.timedelta(days=3),
        report_title="OIG review of Terry stops",
    ).number
    oa.record_withheld(
        users[A.OIG_AUDITOR],
        department="SPD",
        request="All use-of-force reports of May",
        items=[{"description": "Report 17", "legal_basis": "RCW 42.56.240"}],
    )
    return world


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _published_audit(users: dict[str, User], classified_on: dt.date) -> ClassificationAudit:
    year, quarter = quarter_of(classified_on)
    auditor = users[A.OIG_AUDITOR]
    audit = oa.create_audit(auditor, year, quarter, seed=7)
    for item in audit.items.all():
        oa.check_audit_item(
            auditor, item, classification_appropriate=True, allegations_identified=True, employees_identified=True
        )
    return oa.publish_audit(
        users[A.INSPECTOR_GENERAL],
        audit,
        findings="Every sampled complaint was classified as the law requires.",
        recommendations="None this quarter.",
    )


__all__ = [
    "NOBODY",
    "People",
    "STAGES",
    "Stage",
    "USERS",
    "World",
    "build",
    "closed_journey",
    "findings_journey",
    "snapshot",
]


def snapshot() -> tuple[Any, ...]:
    """Every table's row count (sessions aside) and the head of the case log's hash chain, in one
    query: two equal snapshots mean nothing was written between them."""
    from django.apps import apps
    from django.db import connection

    from oversight.cases.models import ChainHead

    qn = connection.ops.quote_name
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and m._meta.db_table != "django_session"
        }
    )
    parts = [f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables]
    parts.append(f"(SELECT MAX({qn('last_hash')}) FROM {qn(ChainHead._meta.db_table)})")
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(parts))
        row = cur.fetchone()
    return tuple(zip([*tables, "chain head"], row, strict=True))
