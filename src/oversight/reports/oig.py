"""OIG's reports: the quarterly report on its recommendations (SMC 3.29.115.B), the annual
report (3.29.115.C-D) and the semi-annual review of complaints OPA did not investigate
(3.29.110.A.7)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from oversight.cases.clock import rules_for
from oversight.discipline.models import MA_STATUSES
from oversight.oig.models import HOTLINE_STATUSES, HOTLINE_TOPICS, AuditItem, ClassificationAudit, HotlineReport

from . import metrics as M
from . import records as Q
from . import tracker as T
from .document import NOT_RECORDED, Report, Section, count_table, pct, value_table
from .opa import FOLLOWUP_ROWS, oig_followup

OIG_RECIPIENTS = [
    "the Mayor",
    "the City Attorney",
    "the City Council",
    "the Chief of Police",
    "the OPA Director",
    "the CPC",
    "the City Clerk",
]
NOT_INVESTIGATED = [
    ("contact_log", "Contact Log"),
    ("supervisor_action", "Supervisor Action"),
    ("mediation", "Mediation"),
    ("rapid_adjudication", "Rapid Adjudication"),
]


def _audits(start: dt.date, end: dt.date) -> list[tuple[int, int, int, str, dt.date | None]]:
    return list(
        ClassificationAudit.objects.filter(published_on__gte=start, published_on__lte=end).values_list(
            "pk", "year", "quarter", "recommendations", "published_on"
        )
    )


def oig_quarterly(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    rep = Report(
        "oig-quarterly",
        "Office of Inspector General: quarterly report on recommendations",
        "SMC 3.29.115.B",
        "The Office of Inspector General",
        ["the Mayor", "the City Council", "the CPC", "the City Clerk"],
        start,
        end,
        today,
        rules.publication.min_cell,
    )
    audits = _audits(start, end)
    s = Section("recommendations", "OIG's recommendations in the period", "SMC 3.29.115.B")
    s.tables.append(
        value_table(
            "audit_recommendations",
            "Classification audits published in the period",
            "Measure",
            ["Number"],
            [
                ("audits", "Audits published", [len(audits)]),
                ("with_recommendations", "Audits that made recommendations", [sum(1 for a in audits if a[3].strip())]),
            ],
        )
    )
    T.add_tracker(s, "oig_recommendations", ["oig"], start, end, today, who="OIG's recommendations")
    rep.sections.append(s)
    return rep


def oig_semiannual(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    mc = rules.publication.min_cell
    rep = Report(
        "oig-semiannual",
        "Office of Inspector General: semi-annual review of complaints not investigated",
        "SMC 3.29.110.A.7; SMC 3.29.115.D.2",
        "The Office of Inspector General",
        OIG_RECIPIENTS,
        start,
        end,
        today,
        mc,
    )
    cases = Q.cases_received(start, end)
    s1 = Section("not_investigated", "Complaints OPA resolved without an investigation", "SMC 3.29.110.A.7")
    by = Counter(c.classification for c in cases if c.classification in dict(NOT_INVESTIGATED))
    s1.tables.append(
        count_table(
            "not_investigated",
            "Complaints received in the period and not investigated, by how they were resolved",
            "Resolution",
            NOT_INVESTIGATED,
            by,
            mc,
            unit="Complaints",
            keep_empty=True,
        )
    )
    closed_days: dict[str, list[int]] = {}
    for c in cases:
        if c.classification in dict(NOT_INVESTIGATED) and c.closed_on is not None:
            closed_days.setdefault(c.classification, []).append((c.closed_on - c.received_on).days)
    s1.tables.append(
        value_table(
            "not_investigated_days",
            "Days from the complaint to its closing",
            "Resolution",
            ["Closed", "Median days"],
            [(k, lbl, [len(closed_days.get(k, [])), M.median(closed_days.get(k, []))]) for k, lbl in NOT_INVESTIGATED],
            chart="bar",
            chart_column=1,
        )
    )
    rep.sections.append(s1)
    s2 = Section(
        "follow_through",
        "Follow-through on Supervisor Actions, Management Actions and Training Referrals",
        "SMC 3.29.110.A.7",
    )
    refs = Q.referrals_due(start, end)
    mas = Q.management_actions(start, end)
    trs = Q.training_referrals(start, end)
    reported = Q.training_reports()
    s2.tables.append(
        value_table(
            "follow_through",
            "Follow-through in the period",
            "Measure",
            ["Number", "Done in time or done", "Percent"],
            [
                (
                    "sa",
                    "Supervisor Action reports due",
                    [
                        len(refs),
                        sum(1 for _, _, due, r in refs if r and r <= due),
                        pct(sum(1 for _, _, due, r in refs if r and r <= due), len(refs)),
                    ],
                ),
                (
                    "ma",
                    "Management Actions answered by SPD",
                    [len(mas), sum(1 for m in mas if m[3]), pct(sum(1 for m in mas if m[3]), len(mas))],
                ),
                (
                    "tr",
                    "Training Referrals with the training reported",
                    [
                        len(trs),
                        sum(1 for f, _, _ in trs if f in reported),
                        pct(sum(1 for f, _, _ in trs if f in reported), len(trs)),
                    ],
                ),
            ],
            chart="bar",
            chart_column=2,
        )
    )
    s2.tables.append(
        count_table(
            "ma_status",
            "Management Actions sent in the period, by status",
            "Status",
            MA_STATUSES,
            Counter(s for _, _, s, _ in mas),
            mc,
            unit="Management Actions",
            keep_empty=True,
        )
    )
    rep.sections.append(s2)
    s3 = Section("assessment", "OIG's assessment of thoroughness, fairness and consistency", "SMC 3.29.110.A.7")
    s3.missing.append("OIG's written assessment of each case reviewed: " + NOT_RECORDED.lower() + ".")
    rep.sections.append(s3)
    return rep


def oig_annual(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    mc = rules.publication.min_cell
    rep = Report(
        "oig-annual",
        "Office of Inspector General: annual report",
        "SMC 3.29.115.C; SMC 3.29.115.D",
        "The Office of Inspector General",
        OIG_RECIPIENTS,
        start,
        end,
        today,
        mc,
    )
    det, reviewed, not_cert, followed = oig_followup(start, end, today)
    s1 = Section("reviewed", "1. Investigations reviewed, not certified, and OPA's follow-up", "SMC 3.29.115.D.1")
    directed = {c for c, _, _, _ in Q.events(("additional_investigation",), start, end)} & set(not_cert)
    s1.tables.append(
        value_table(
            "oig_reviews",
            "OIG's reviews of investigations",
            "Measure",
            ["Number", "Percent of reviewed"],
            [
                ("reviewed", "Investigations reviewed", [len(reviewed), 100.0 if reviewed else None]),
                ("not_certified", "Not certified", [len(not_cert), pct(len(not_cert), len(reviewed))]),
                (
                    "further",
                    "Further investigation requested or required",
                    [len(directed), pct(len(directed), len(reviewed))],
                ),
            ],
            chart="bar",
        )
    )
    s1.tables.append(
        count_table(
            "oig_followup",
            "OPA's follow-up on the investigations not certified",
            "Follow-up",
            FOLLOWUP_ROWS,
            followed,
            mc,
            unit="Cases",
        )
    )
    rep.sections.append(s1)
    semi = oig_semiannual(start, end, today)
    s2 = Section("not_investigated", "2. The semi-annual reviews of complaints not investigated", "SMC 3.29.115.D.2")
    s2.tables.extend(semi.sections[0].tables + semi.sections[1].tables)
    rep.sections.append(s2)
    s3 = Section(
        "audits",
        "3 and 7. Concerns in intake, and findings from audits of OPA's records",
        "SMC 3.29.115.D.3; SMC 3.29.115.D.7",
    )
    items = list(
        AuditItem.objects.filter(audit__published_on__gte=start, audit__published_on__lte=end).values_list(
            "classification_appropriate", "allegations_identified", "employees_identified"
        )
    )
    s3.tables.append(
        value_table(
            "audit_findings",
            "Cases checked in classification audits published in the period",
            "Check",
            ["Checked", "Found appropriate", "Percent"],
            [
                (
                    k,
                    lbl,
                    [
                        sum(1 for i in items if i[n] is not None),
                        sum(1 for i in items if i[n]),
                        pct(sum(1 for i in items if i[n]), sum(1 for i in items if i[n] is not None)),
                    ],
                )
                for n, (k, lbl) in enumerate(
                    [
                        ("classification", "Classification appropriate"),
                        ("allegations", "All allegations identified"),
                        ("employees", "All named employees identified"),
                    ]
                )
            ],
            chart="bar",
            chart_column=2,
        )
    )
    rep.sections.append(s3)
    s4 = Section("public_concern", "Cases of significant public concern", "SMC 3.29.115.C")
    s4.missing.append(
        "Outcomes of SPD's reviews of officer-involved shootings and in-custody deaths, and OIG's reviews of other "
        "such incidents: " + NOT_RECORDED.lower() + " (the public data at /data/ holds the shootings themselves)."
    )
    rep.sections.append(s4)
    s5 = Section("hotline", "What the hotline told OIG", "SMC 3.29.115.C; SMC 3.29.110.A.17")
    hot = list(
        HotlineReport.objects.filter(received_at__date__gte=start, received_at__date__lte=end).values_list(
            "topic", "status"
        )
    )
    s5.tables.append(
        count_table(
            "hotline_topics",
            "Hotline reports received, by topic",
            "Topic",
            [(k, str(v)) for k, v in HOTLINE_TOPICS],
            Counter(t for t, _ in hot),
            mc,
            unit="Reports",
            keep_empty=True,
        )
    )
    s5.tables.append(
        count_table(
            "hotline_status",
            "Hotline reports received, by where they stand",
            "Status",
            [(k, str(v)) for k, v in HOTLINE_STATUSES],
            Counter(s for _, s in hot),
            mc,
            unit="Reports",
            keep_empty=True,
        )
    )
    rep.sections.append(s5)
    s6 = Section(
        "other",
        "4-6 and 8. Claims and lawsuits, other issues, recommendations, other information",
        "SMC 3.29.115.D.4-6, 8",
    )
    s6.missing.append("Inquests, claims and lawsuits alleging SPD misconduct: " + NOT_RECORDED.lower() + ".")
    T.add_tracker(s6, "oig_recommendations", ["oig"], start, end, today, who="OIG's recommendations")
    s6.missing.append("Community outreach, and research on practices elsewhere: " + NOT_RECORDED.lower() + ".")
    rep.sections.append(s6)
    return rep
