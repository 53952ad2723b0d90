"""CPC's annual report (SMC 3.29.220.A, items 1-4), from CPC's records."""

from __future__ import annotations

import datetime as dt

from oversight.cases.clock import rules_for
from oversight.cpc.models import Review

from . import tracker as T
from .document import NOT_RECORDED, Report, Section, value_table


def cpc_annual(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    rep = Report(
        "cpc-annual",
        "Community Police Commission: annual report",
        "SMC 3.29.220.A",
        "The Community Police Commission",
        [
            "the Mayor",
            "the City Attorney",
            "the City Council",
            "the Chief of Police",
            "the OPA Director",
            "the Inspector General",
            "the City Clerk",
        ],
        start,
        end,
        today,
        rules.publication.min_cell,
    )
    reviews = list(
        Review.objects.filter(reviewed_at__date__gte=start, reviewed_at__date__lte=end).values_list(
            "case_id", "audit_id", "document_id", "systemic_note"
        )
    )
    s1 = Section(
        "duties", "1. The extent to which the chapter's duties have been met", "SMC 3.29.220.A.1; SMC 3.29.215.A.16"
    )
    s1.tables.append(
        value_table(
            "cpc_reviews",
            "CPC's reviews for systemic improvement in the period",
            "Reviewed",
            ["Number"],
            [
                ("cases", "Closed OPA investigations", [sum(1 for r in reviews if r[0])]),
                ("audits", "OIG audit reports", [sum(1 for r in reviews if r[1])]),
                ("documents", "Reports and documents in the library", [sum(1 for r in reviews if r[2])]),
                ("notes", "Reviews with a note on a systemic issue", [sum(1 for r in reviews if r[3].strip())]),
            ],
            chart="bar",
        )
    )
    s1.missing.append(
        "CPC's own assessment of the extent to which the chapter's purposes were met: " + NOT_RECORDED.lower() + "."
    )
    rep.sections.append(s1)
    s2 = Section("prior", "2. Prior recommendations and their implementation", "SMC 3.29.220.A.2")
    T.add_tracker(s2, "cpc_prior", ["cpc"], start, end, today, who="CPC's recommendations", new=False)
    rep.sections.append(s2)
    s3 = Section("new", "3. New recommendations", "SMC 3.29.220.A.3")
    T.add_tracker(s3, "cpc_new", ["cpc"], start, end, today, who="CPC's recommendations", earlier=False)
    rep.sections.append(s3)
    s4 = Section("outreach", "4. Outreach to SPD employees and the public", "SMC 3.29.220.A.4")
    s4.missing.append("CPC's outreach and the perspectives it gathered: " + NOT_RECORDED.lower() + ".")
    rep.sections.append(s4)
    return rep
