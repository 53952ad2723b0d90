"""A working office for page tests: the demo's generated cases and logins, plus one of each
record the demo does not make (a quarter's audit, a hotline report, records withheld, a
conflict complaint routed to OIG, published summaries, library documents, a web complaint).

``fill(n)`` runs on an empty database (a test's, or a demo's own data folder) and returns
what the page tests need to find their pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone


@dataclass
class Office:
    users: dict[str, Any]  # demo username -> user
    case: str = ""  # a case number every staff role may read
    audit: int = 0
    published_audit: int = 0
    hotline: int = 0
    hotline_code: str = ""
    publication: int = 0
    library: int = 0
    tracking_code: str = ""
    discipline_case: str = ""  # a case with the Chief's decision
    extra: dict[str, Any] = field(default_factory=dict)


def _last_quarter(today: dt.date, back: int = 1) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1 - back
    year = today.year
    while q < 1:
        q += 4
        year -= 1
    return year, q


def fill(n: int = 240) -> Office:
    from oversight.cases import actions as ca
    from oversight.cases.models import Case
    from oversight.cases.seed import ensure_demo_users
    from oversight.discipline.models import ChiefDecision
    from oversight.oig import actions as oa
    from oversight.oig.models import ClassificationAudit
    from oversight.public import actions as pa

    quiet = io.StringIO()
    call_command("seed_demo", cases=n, stdout=quiet)
    call_command("seed_discipline_demo", cases=6, stdout=quiet)
    users = ensure_demo_users()
    today = timezone.localdate()
    office = Office(users=users)

    # a case every staff role reads: classified, with allegations (the latest Investigation)
    inv = Case.objects.filter(classification="investigation", allegations__isnull=False).order_by("-number").first()
    assert inv is not None, "the demo made no investigation"
    office.case = inv.number
    decided = ChiefDecision.objects.select_related("case").order_by("pk").first()
    office.discipline_case = decided.case.number if decided else inv.number

    # OIG: two quarters' audits (one checked and published), a hotline report, records withheld
    made: list[ClassificationAudit] = []
    for back in (1, 2, 3, 4):
        year, q = _last_quarter(today, back)
        if ClassificationAudit.objects.filter(year=year, quarter=q).exists():
            continue
        try:
            made.append(oa.create_audit(users["auditor"], year, q, seed=3_29_111 + back))
        except oa.ActionError:
            continue
        if len(made) == 2:
            break
    if made:
        office.audit = made[0].pk
        last = made[-1]
        for it in last.items.all():
            oa.check_audit_item(
                users["auditor"],
                it,
                classification_appropriate=True,
                allegations_identified=True,
                employees_identified=it.pk % 2 == 0,
                notes="Checked against the intake record.",
            )
        oa.publish_audit(
            users["ig"], last, findings="Classifications were appropriate.", recommendations="Keep the rationale."
        )
        office.published_audit = last.pk
    report, code = oa.hotline_submit(
        text="A supervisor told me not to help OPA.", topic="retaliation", reporter_kind="city_employee"
    )
    oa.hotline_answer(users["auditor"], report, status="under_review", text="OIG is looking into it.")
    office.hotline, office.hotline_code = report.pk, code
    oa.record_withheld(
        users["auditor"],
        department="Seattle Police Department",
        request="The body-worn video of the incident.",
        items=[{"description": "Video of the second officer", "legal_basis": "RCW 42.56.240"}],
    )
    # a complaint OPA routes to OIG for a conflict of interest
    opened = Case.objects.filter(closed_on__isnull=True, classification="", routed_to="").order_by("number").first()
    if opened is not None:
        ca.route(users["supervisor"], opened, "oig", "A named employee is related to OPA staff.")
        opened.refresh_from_db()
        oa.classify_conflict(users["ig"], opened, "contact_log", "No policy violation alleged.")
        office.extra["conflict"] = opened.number

    # the public side: a summary with its findings, a Management Action, library documents, a web complaint
    closed = Case.objects.filter(closed_on__isnull=False, classification="investigation").order_by("number").first()
    target = closed or inv
    text = "The complainant alleged that the named employee used force. Video shows the push. Finding: Sustained."
    pub = pa.publish(
        users["director"],
        target,
        kind="summary",
        title="Force during an arrest",
        text=text,
        reviewed=pa.preview(target, text).text,
        allegations=["use_of_force", "stops_detentions_arrests"],
        findings=["sustained", "lawful_and_proper"],
    )
    office.publication = pub.pk
    ma = "OPA recommends that SPD retrain officers on in-car and body-worn video."
    pa.publish(
        users["director"],
        target,
        kind="management_action",
        title="Body-worn video training",
        text=ma,
        reviewed=pa.preview(target, ma).text,
        findings=["management_action"],
        status="Awaiting SPD's written response",
    )
    doc = pa.add_library_document(
        users["director"], kind="side_agreement", title="Grievance settlement", text="The parties agree."
    )
    pa.add_library_document(users["director"], kind="oig_report", title="OIG annual report", text="OIG's year.")
    office.library = doc.pk
    web, tracking = pa.submit_complaint(
        pa.ComplaintInput(
            what_happened="An officer pushed me at the bus stop.",
            topic="use_of_force",
            anonymous=True,
            precinct="west",
            in_person_interview="undecided",
        )
    )
    office.tracking_code = tracking
    office.extra["web_case"] = web.case.number
    return office


REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("OVERSIGHT_SHARED_DATA", REPO.parent / "shared" / "data"))
EXPORTS = {
    "seattle-terry": (DATA / "seattle_terry_stops_2023" / "Terry_Stops.csv", 4000),
    "seattle-use-of-force": (DATA / "seattle_use_of_force" / "Use_Of_Force.csv", 3000),
    "seattle-ois": (DATA / "seattle_ois" / "SPD_Officer_Involved_Shooting__OIS__Data.csv", 600),
}


def small_public_data(folder: Path) -> Path | None:
    """The first few thousand rows of each of Seattle's exports, imported into a store in
    ``folder``; None when the shared data is not beside the checkout."""
    from oversight.publicdata import importer, store
    from oversight.publicdata.mapping import load_shipped
    from oversight.publicdata.pseudonym import Pseudonymizer

    if not all(path.exists() for path, _ in EXPORTS.values()):
        return None
    db = folder / "store.duckdb"
    pseudo = Pseudonymizer("pages-test-pseudonym-key-0123456789")
    for name, (path, rows) in EXPORTS.items():
        cut = folder / path.name
        with path.open(encoding="utf-8-sig", newline="") as src, cut.open("w", encoding="utf-8", newline="") as out:
            w = csv.writer(out)
            for i, row in enumerate(csv.reader(src)):
                if i > rows:
                    break
                w.writerow(row)
        store.write(db, importer.read_export(cut, load_shipped(name), pseudo))
    return db
