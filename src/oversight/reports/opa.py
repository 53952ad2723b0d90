"""OPA's reports: the annual report (SMC 3.29.030.H-I, its twelve items) and the quarterly
report on Management Actions, Training Referrals and recommendations (3.29.030.E)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings

from oversight.cases.clock import rules_for
from oversight.cases.models import CHANNELS, PRECINCTS, SHIFTS
from oversight.discipline.models import DISCIPLINE_KINDS, MA_STATUSES, OUTCOMES, STATEMENT_KINDS
from oversight.labels import label_for

from . import metrics as M
from . import records as Q
from . import tracker as T
from .document import NOT_RECORDED, Report, Section, count_table, cross_table, pct, value_table

NOT_GIVEN = ("not_given", "Not given")
UNCLASSIFIED = ("", "Not yet classified")
ROUTED = "routed"


def _labels(kind: str, codes: list[str], day: dt.date) -> list[tuple[str, str]]:
    return [(c, label_for(kind, c, day)) for c in codes]


def _volunteered(values: list[str]) -> list[tuple[str, str]]:
    seen = sorted({v for v in values if v})
    return [(v, v[:1].upper() + v[1:]) for v in seen] + [NOT_GIVEN]


def oig_followup(
    start: dt.date, end: dt.date, today: dt.date
) -> tuple[list[tuple[int, str, dt.date, int]], set[int], dict[int, int], Counter[str]]:
    """OIG's determinations in the period, the investigations they were on, those not certified,
    and what followed each of those (by ``today``)."""
    det = Q.events(("oig_certified", "oig_not_certified"), start, end)
    reviewed = {c for c, _, _, _ in det}
    not_cert = {c: seq for c, t, _, seq in det if t == "oig_not_certified"}
    after = Q.events_of_cases(
        not_cert,
        (
            "oig_not_certified",
            "additional_investigation",
            "submitted_to_oig",
            "oig_certified",
            "proposed_findings_issued",
        ),
        today,
    )
    followed: Counter[str] = Counter()
    for c in not_cert:
        types = [t for t, _ in after.get(c, [])]
        last = max((i for i, t in enumerate(types) if t == "oig_not_certified"), default=-1)
        tail = types[last + 1 :]
        if "oig_certified" in tail:
            followed["certified"] += 1
        elif "additional_investigation" in tail or "submitted_to_oig" in tail:
            followed["further"] += 1
        elif "proposed_findings_issued" in tail:
            followed["findings_without"] += 1
        else:
            followed["none"] += 1
    return det, reviewed, not_cert, followed


FOLLOWUP_ROWS = [
    ("certified", "Further investigation; certified on re-submission"),
    ("further", "Further investigation; awaiting OIG's review or under way"),
    ("findings_without", "Findings issued without OIG's certification"),
    ("none", "No action recorded yet"),
]


def opa_annual(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    mc = rules.publication.min_cell
    cats = list(rules.taxonomies["allegation_categories"].value)
    classes = list(rules.taxonomies["classifications"].value)
    finds = list(rules.taxonomies["findings"].value)
    not_sustained = [f for f in finds if f != "sustained"]
    rep = Report(
        "opa-annual",
        "Office of Police Accountability: annual report",
        "SMC 3.29.030.H; SMC 3.29.030.I",
        "The Office of Police Accountability",
        [
            "the Mayor",
            "the City Attorney",
            "the City Council",
            "the Chief of Police",
            "the Inspector General",
            "the CPC",
            "the City Clerk",
        ],
        start,
        end,
        today,
        mc,
    )
    cases = Q.cases_received(start, end)
    n_cases = len(cases)
    allegations = Q.allegations_of(start, end)
    findings = Q.final_findings(start, end)

    # 1. complaints by classification and nature of allegation
    cls = Counter(ROUTED if c.routed_to else c.classification for c in cases)
    s1 = Section("classification", "1. Complaints by classification and nature of allegation", "SMC 3.29.030.I.1")
    s1.text.append(f"{n_cases:,} complaints were received from {start.isoformat()} to {end.isoformat()}.")
    s1.tables.append(
        count_table(
            "complaints_by_classification",
            "Complaints by classification",
            "Classification",
            [*_labels("classification", classes, end), (ROUTED, "Routed outside OPA"), UNCLASSIFIED],
            cls,
            mc,
            unit="Complaints",
        )
    )
    by_cat = Counter(cat for _, cat in {(c, cat) for c, cat, _ in allegations})
    s1.tables.append(
        count_table(
            "complaints_by_allegation",
            "Complaints by nature of allegation (a complaint with several is counted under each)",
            "Allegation",
            _labels("category", cats, end),
            by_cat,
            mc,
            unit="Complaints",
            percent_of=n_cases,
        )
    )
    by_channel = Counter(c.channel for c in cases)
    s1.tables.append(
        count_table(
            "complaints_by_channel",
            "Complaints by how they came in",
            "Channel",
            CHANNELS,
            by_channel,
            mc,
            unit="Complaints",
        )
    )
    rep.sections.append(s1)

    # 2. sustained, and the discipline
    s2 = Section("sustained", "2. Complaints and allegations sustained, and the action taken", "SMC 3.29.030.I.2")
    decided_cases = {f.case for f in findings}
    sus_cases = M.complaints_with(findings, {"sustained"})
    sus_alleg = sum(1 for f in findings if f.finding == "sustained")
    s2.text.append(
        f"Final findings were made on {len(findings):,} allegations in {len(decided_cases):,} complaints "
        "during the period: "
        f"{sus_alleg:,} allegations ({pct(sus_alleg, len(findings)) or 0}%) in {sus_cases:,} complaints "
        f"({pct(sus_cases, len(decided_cases)) or 0}%) were sustained."
    )
    s2.tables.append(
        count_table(
            "sustained_by_allegation",
            "Allegations sustained, by nature of allegation",
            "Allegation",
            _labels("category", cats, end),
            Counter(f.category for f in findings if f.finding == "sustained"),
            mc,
            unit="Allegations sustained",
        )
    )
    disc = Q.discipline_imposed(start, end)
    s2.tables.append(
        count_table(
            "discipline_imposed",
            "Discipline imposed in sustained cases (the Chief's decision)",
            "Discipline",
            DISCIPLINE_KINDS,
            Counter(k for _, k, on_appeal in disc if not on_appeal),
            mc,
            unit="Named employees",
        )
    )
    rep.sections.append(s2)

    # 3. not certified by OIG
    s3 = Section("not_certified", "3. Cases not certified by OIG, and the Director's actions", "SMC 3.29.030.I.3")
    det, reviewed, not_cert, followed = oig_followup(start, end, today)
    s3.text.append(
        f"OIG made {len(det):,} determinations on {len(reviewed):,} investigations in the period and did not certify "
        f"{len(not_cert):,} of them ({pct(len(not_cert), len(reviewed)) or 0}%)."
    )
    s3.tables.append(
        count_table(
            "not_certified_followup",
            "What OPA did with the investigations OIG did not certify",
            "OPA's action",
            FOLLOWUP_ROWS,
            followed,
            mc,
            unit="Cases",
        )
    )
    rep.sections.append(s3)

    # 4. appealed or grieved
    s4 = Section("appeals", "4. Cases appealed or grieved, and the changes that followed", "SMC 3.29.030.I.4")
    decided = {c for c, _, _, _ in Q.events(("chief_decision",), start, end)}
    appeals = Q.appeals_filed(start, end)
    appealed = {c for c, _, _, _ in appeals}
    only_events = {c for c, _, _, _ in Q.events(("appeal_notice_filed",), start, end)} - appealed
    outcome = Counter(o for _, _, o, _ in appeals)
    outcome["not_recorded"] = len(only_events)
    changed = {c for c, _, o, _ in appeals if o in ("modified", "reversed", "settled")}
    n_app = len(appealed | only_events)
    s4.text.append(
        f"The Chief decided {len(decided):,} cases in the period; {n_app:,} cases were appealed or grieved "
        f"({pct(n_app, len(decided)) or 0}% of those decided), and findings or discipline were "
        f"changed in {len(changed):,} "
        f"({pct(len(changed), n_app) or 0}% of those appealed)."
    )
    s4.tables.append(
        count_table(
            "appeal_outcomes",
            "Appeals and grievances filed in the period, by outcome",
            "Outcome",
            [*OUTCOMES, ("not_recorded", "Appeal known from the log only; outcome not recorded")],
            outcome,
            mc,
            unit="Appeals",
        )
    )
    rep.sections.append(s4)

    # 5. not sustained, by finding
    s5 = Section("not_sustained", "5. Complaints and allegations not sustained, by finding", "SMC 3.29.030.I.5")
    ns = [f for f in findings if f.finding in not_sustained]
    only_ns = len(decided_cases) - sus_cases
    s5.text.append(
        f"{len(ns):,} allegations ({pct(len(ns), len(findings)) or 0}% of those decided) were not sustained; "
        f"{only_ns:,} complaints ({pct(only_ns, len(decided_cases)) or 0}%) had no allegation sustained."
    )
    s5.tables.append(
        count_table(
            "findings",
            "Allegations by final finding",
            "Finding",
            _labels("finding", finds, end),
            Counter(f.finding for f in findings),
            mc,
            unit="Allegations",
        )
    )
    rep.sections.append(s5)

    # 6. supervisors, Management Action, training, alternative resolution
    s6 = Section(
        "resolution",
        "6. Complaints handled by supervisors, Management Action, training and alternative resolution",
        "SMC 3.29.030.I.6",
    )
    mas = Q.management_actions(start, end)
    tr = sum(1 for f in findings if f.finding == "training_referral")
    handled = Counter(
        {
            "supervisor_action": cls.get("supervisor_action", 0),
            "mediation": cls.get("mediation", 0),
            "rapid_adjudication": cls.get("rapid_adjudication", 0),
            "contact_log": cls.get("contact_log", 0),
            "management_action": len({c for c, _, _, _ in mas}),
            "training_referral": len({f.case for f in findings if f.finding == "training_referral"}),
        }
    )
    s6.tables.append(
        count_table(
            "other_resolutions",
            "Complaints resolved other than by a sustained or not sustained finding alone",
            "How",
            [
                ("supervisor_action", "Referred for Supervisor Action"),
                ("mediation", "Mediation"),
                ("rapid_adjudication", "Rapid Adjudication"),
                ("contact_log", "Contact Log"),
                ("management_action", "Management Action recommended (cases)"),
                ("training_referral", "Training Referral (cases)"),
            ],
            handled,
            mc,
            unit="Complaints",
            percent_of=n_cases,
            note="Percent of the complaints received in the period. A case can be counted in more than one row.",
        )
    )
    s6.text.append(
        f"{tr:,} allegations ended in a Training Referral; {len(mas):,} Management Actions were sent to SPD."
    )
    s6.missing.append(
        "Complaints handled directly by frontline supervisors without an OPA referral: " + NOT_RECORDED.lower() + "."
    )
    rep.sections.append(s6)

    # 7. geography and shift
    s7 = Section("geography", "7. Where and when the incidents happened", "SMC 3.29.030.I.7")
    geo = Counter((c.precinct or "not_given", c.shift or "not_given") for c in cases)
    s7.tables.append(
        cross_table(
            "incidents_by_precinct_shift",
            "Incidents by precinct and shift",
            "Precinct",
            [*[(k, v) for k, v in PRECINCTS if k], NOT_GIVEN],
            [*[(k, v) for k, v in SHIFTS if k], NOT_GIVEN],
            geo,
            mc,
        )
    )
    rep.sections.append(s7)

    # 8. complainants
    s8 = Section("complainants", "8. Complainants, as they chose to tell OPA", "SMC 3.29.030.I.8")
    comps = Q.complainants_of(start, end)
    s8.text.append(f"{len(comps):,} complainants; these details are given voluntarily, and blank where not given.")
    for i, (tid, title) in enumerate(
        [("race", "Race"), ("ethnicity", "Ethnicity"), ("gender", "Gender"), ("neighbourhood", "Neighbourhood")]
    ):
        vals = [c[i] for c in comps]
        s8.tables.append(
            count_table(
                f"complainants_by_{tid}",
                f"Complainants by {title.lower()}",
                title,
                _volunteered(vals),
                M.tally(vals),
                mc,
                unit="Complainants",
            )
        )
    rep.sections.append(s8)

    # 9. named employees
    s9 = Section("named_employees", "9. Named employees who were the subjects of complaints", "SMC 3.29.030.I.9")
    emps = Q.employees_of(start, end)
    s9.text.append(
        f"{len(emps):,} named employees in the period's complaints "
        "(an employee named in two complaints is counted twice)."
    )
    s9.missing.append(
        "Named employees' race, ethnicity and gender: " + NOT_RECORDED.lower() + " (intake records rank, unit, "
        "assignment, shift and years of service only)."
    )
    for tid, title, vals in (
        ("assignment", "Assignment", [e["assignment"] for e in emps]),
        ("unit", "Unit", [e["unit"] for e in emps]),
        ("shift", "Shift", [e["shift"] for e in emps]),
    ):
        rows = [(k, v) for k, v in SHIFTS if k] + [NOT_GIVEN] if tid == "shift" else _volunteered(vals)
        s9.tables.append(
            count_table(
                f"employees_by_{tid}",
                f"Named employees by {title.lower()}",
                title,
                rows,
                M.tally(vals),
                mc,
                unit="Named employees",
            )
        )
    s9.tables.append(
        count_table(
            "employees_by_seniority",
            "Named employees by years of service",
            "Years of service",
            [*M.SENIORITY, NOT_GIVEN],
            Counter(M.seniority_band(e["years_of_service"]) for e in emps),
            mc,
            unit="Named employees",
            chart="column",
        )
    )
    rep.sections.append(s9)

    # 10. repeat sustained
    window = rules.periods["repeat_sustained_window"]
    s10 = Section(
        "repeat_sustained",
        "10. Named employees with two or more sustained complaints within one year",
        f"SMC 3.29.030.I.10; {window.cite}",
    )
    year_before = Q.final_findings(start - dt.timedelta(days=int(window.value)), end)
    n10 = M.repeat_sustained(year_before, start, end, int(window.value))
    s10.tables.append(
        value_table(
            "repeat_sustained",
            "Named employees with two or more sustained complaints within one year",
            "Measure",
            ["Named employees"],
            [
                (
                    "repeat",
                    f"Two or more sustained complaints within {window.value} days, the later in the period",
                    [n10],
                )
            ],
        )
    )
    from oversight.history.alerts import counts_in_period

    s10.tables.append(
        value_table(
            "early_intervention",
            "Named employees at each level of early intervention",
            "Threshold",
            ["Warning", "Critical"],
            counts_in_period(start, end),
            note="The profile's thresholds (SMC 3.29.305.E), the alert's latest record in the period.",
        )
    )
    s10.text.append("A count only: no named employee is identified.")
    rep.sections.append(s10)

    # 11. patterns and year-over-year
    s11 = Section("trends", "11. Patterns and trends, year over year", "SMC 3.29.030.I.11")
    years: list[tuple[str, str, list[int | float | str | None]]] = []
    race_by_year: Counter[tuple[str, str]] = Counter()
    races: set[str] = set()
    for k in range(4, -1, -1):
        a, b = M.shift_years(start, k), M.shift_years(end, k)
        label = (
            str(b.year)
            if (a.month, a.day) == (1, 1) and (b.month, b.day) == (12, 31)
            else f"{a.isoformat()}–{b.isoformat()}"
        )
        if k == 0:
            n_c, n_inv, n_al = n_cases, cls.get("investigation", 0), len(allegations)
            by_race = Counter(race for race, *_ in comps)
            fs = findings
        else:  # earlier years: counted in the database
            n_c, n_inv, n_al = Q.counts_received(a, b)
            by_race = Q.complainant_races(a, b)
            fs = Q.final_findings(a, b)
        sus = sum(1 for f in fs if f.finding == "sustained")
        years.append((label, label, [n_c, n_inv, n_al, len(fs), sus, pct(sus, len(fs))]))
        for race, n in by_race.items():
            races.add(race)
            race_by_year[(race or "not_given", label)] += n
    s11.tables.append(
        value_table(
            "year_over_year",
            "Complaints received, year over year",
            "Period",
            ["Complaints", "Investigations", "Allegations", "Allegations decided", "Sustained", "Sustained %"],
            years,
            chart="column",
        )
    )
    s11.tables.append(
        cross_table(
            "complainant_race_by_year",
            "Complainants by race, year over year",
            "Race",
            _volunteered(list(races)),
            [(y[0], y[0]) for y in years],
            race_by_year,
            mc,
            chart="",
        )
    )
    monthly = Counter(c.received_on.strftime("%Y-%m") for c in cases)
    s11.tables.append(
        count_table(
            "complaints_by_month",
            "Complaints received, by month",
            "Month",
            M.months(start, end),
            monthly,
            mc,
            unit="Complaints",
            chart="column",
            keep_empty=True,
        )
    )
    rep.sections.append(s11)

    # 12. timeliness and effectiveness
    s12 = Section("timeliness", "12. Timeliness and effectiveness of OPA's and SPD's processes", "SMC 3.29.030.I.12")
    pf = Q.events(("proposed_findings_issued",), start, end)
    first_pf: dict[int, dt.date] = {}
    for c, _, d, _ in pf:
        first_pf.setdefault(c, d)
    # every case open during the period or acted on in it (those received in it, findings and
    # submissions in it among them)
    tls = Q.timelines(Q.open_during(start, end), min(end, today), str(settings.OVERSIGHT_PROFILE))
    inv: Counter[str] = Counter()
    notice: Counter[str] = Counter()
    oig: Counter[str] = Counter()
    for dls in tls.values():
        inv += M.deadline_outcomes(dls, "investigation", start, end)
        notice += M.deadline_outcomes(dls, "named_employee_notice", start, end)
        oig += M.deadline_outcomes(dls, "oig_review", start, end)
    recv: dict[int, dt.date] = {}
    for c, _, d, _ in Q.events(("complaint_received", "complaint_initiated"), None, end, cases=first_pf):
        recv.setdefault(c, d)
    days = [(first_pf[c] - recv[c]).days for c in first_pf if c in recv]
    refs = Q.referrals_due(start, end)
    sa_on_time = sum(1 for _, _, due, rep_on in refs if rep_on is not None and rep_on <= due)
    sa_late = sum(1 for _, _, due, rep_on in refs if rep_on is not None and rep_on > due)
    sa_none = sum(1 for _, _, _, rep_on in refs if rep_on is None)

    def _row(key: str, label: str, c: Counter[str]) -> tuple[str, str, list[int | float | str | None]]:
        n = c["met"] + c["missed"] + c["overdue"]
        return (key, label, [n, c["met"], c["missed"] + c["overdue"], pct(c["met"], n)])

    s12.tables.append(
        value_table(
            "deadlines_met",
            "Deadlines of the chapter met, by the clock",
            "Deadline",
            ["Fell due or completed", "Met", "Missed or overdue", "Met %"],
            [
                _row("investigation", "Investigation complete and findings issued (180 days, with tolling)", inv),
                _row("named_employee_notice", "Notice to named employees (30 days)", notice),
                _row("oig_review", "OIG review and certification windows", oig),
                (
                    "supervisor_action",
                    "Supervisor Action reports back by their due date",
                    [len(refs), sa_on_time, sa_late + sa_none, pct(sa_on_time, len(refs))],
                ),
            ],
            chart="bar",
            chart_column=3,
        )
    )
    s12.tables.append(
        value_table(
            "investigation_days",
            "Days from the complaint to the proposed findings",
            "Measure",
            ["Value"],
            [
                ("n", "Investigations whose findings were issued in the period", [len(days)]),
                ("median", "Median calendar days (before tolling)", [M.median(days)]),
                ("within", "Issued within 180 calendar days", [sum(1 for d in days if d <= 180)]),
            ],
        )
    )
    rep.sections.append(s12)

    # E, H and outreach
    se = Section("statements", "Written statements of SMC 3.29.027", "SMC 3.29.027.E; SMC 3.29.030.H")
    st = Q.statements(start, end)
    st_ev = Counter(t for _, t, _, _ in Q.events(("chief_statement_issued", "timeline_statement_issued"), start, end))
    counts = Counter(k for k, _ in st)
    counts["chief_reasons"] = max(counts["chief_reasons"], st_ev["chief_statement_issued"])
    counts["timeline"] = max(counts["timeline"], st_ev["timeline_statement_issued"])
    se.tables.append(
        count_table(
            "statements",
            "Statements issued in the period",
            "Statement",
            STATEMENT_KINDS,
            counts,
            mc,
            unit="Statements",
            keep_empty=True,
        )
    )
    se.text.append("Each statement is posted in full, with no named employee, among OPA's publications.")
    rep.sections.append(se)

    sh = Section("recommendations", "The Director's recommendations and their implementation", "SMC 3.29.030.H")
    sh.tables.append(
        count_table(
            "management_action_status",
            "Management Actions sent in the period, by status",
            "Status",
            MA_STATUSES,
            Counter(s for _, _, s, _ in mas),
            mc,
            unit="Management Actions",
            keep_empty=True,
        )
    )
    T.add_tracker(
        sh,
        "opa_recommendations",
        ["opa"],
        start,
        end,
        today,
        who="The Director's recommendations and Management Actions",
    )
    rep.sections.append(sh)
    so = Section("outreach", "What community outreach told OPA", "SMC 3.29.030.B; SMC 3.29.030.H")
    so.missing.append("Community outreach: " + NOT_RECORDED.lower() + ".")
    rep.sections.append(so)
    return rep


def opa_quarterly(start: dt.date, end: dt.date, today: dt.date | None = None) -> Report:
    today = today or dt.date.today()
    rules = rules_for(end)
    mc = rules.publication.min_cell
    answer = rules.periods["spd_response_to_recommendations"]
    rep = Report(
        "opa-quarterly",
        "Office of Police Accountability: quarterly report on recommendations",
        "SMC 3.29.030.E",
        "The Office of Police Accountability",
        ["the Mayor", "the City Council", "the Inspector General", "the CPC", "the City Clerk"],
        start,
        end,
        today,
        mc,
    )
    mas = Q.management_actions(start, end)
    s1 = Section(
        "management_actions", "Management Actions: status and SPD's response", f"SMC 3.29.030.D-E; {answer.cite}"
    )
    s1.tables.append(
        count_table(
            "management_action_status",
            "Management Actions sent in the period, by status",
            "Status",
            MA_STATUSES,
            Counter(s for _, _, s, _ in mas),
            mc,
            unit="Management Actions",
            keep_empty=True,
        )
    )
    T.add_tracker(
        s1,
        "management_actions",
        ["opa"],
        start,
        end,
        today,
        who="Management Actions",
        sources=["management_action"],
    )
    rep.sections.append(s1)
    s2 = Section(
        "training_referrals", "Training Referrals: was the training given, and when", "SMC 3.29.030.E; SMC 3.29.007"
    )
    trs = Q.training_referrals(start, end)
    reported = Q.training_reports()
    days = [(reported[f] - on).days for f, _, on in trs if f in reported]
    s2.tables.append(
        value_table(
            "training_referral_followthrough",
            "Training Referrals made in the period",
            "Measure",
            ["Value"],
            [
                ("referrals", "Training Referrals", [len(trs)]),
                ("reported", "Training reported by the chain of command", [len(days)]),
                ("not_reported", "Not reported yet", [len(trs) - len(days)]),
                ("median_days", "Median days from the finding to the report", [M.median(days)]),
            ],
        )
    )
    rep.sections.append(s2)
    s3 = Section("policy_recommendations", "Other policy and practice recommendations", "SMC 3.29.030.E")
    T.add_tracker(
        s3,
        "policy_recommendations",
        ["opa"],
        start,
        end,
        today,
        who="OPA's policy and practice recommendations",
        exclude_sources=["management_action"],
    )
    rep.sections.append(s3)
    return rep
