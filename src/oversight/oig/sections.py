"""OIG's section of the one case page: must OIG review it, the review windows, OIG's
determinations with their memoranda, and, for OIG, the forms to answer, direct a review
or give input on a proposed classification."""

from __future__ import annotations

from typing import Any

from oversight.cases.clock import deadline_label
from oversight.cases.page import CasePage
from oversight.home import registry as reg
from oversight.rules import classification as rc

from .models import CRITERIA, FURTHER_KINDS, OUTCOMES
from .review import current_policy, findings_gate, review_state


def oig_section(page: CasePage) -> reg.Section | None:
    case = page.case
    st = review_state(case, page.today)
    policy = current_policy()
    may = page.reader.may
    determinations = list(case.oig_determinations.select_related("decided_by").order_by("pk"))
    for d in determinations:  # OIG's words may name the people whose identity this reader does not read
        d.memorandum_shown = page.reader.redact(d.memorandum)
    inputs = list(case.oig_classification_inputs.order_by("pk"))
    directions = list(case.oig_directions.order_by("pk"))
    may_determine = may["record_determination"] and st.pending is not None
    may_direct = may["direct_review"] and page.is_open and not page.has("proposed_findings_issued")
    may_input = may["classification_input"] and bool(policy and policy.preclassification) and page.is_open
    if not (st.submissions or determinations or directions or inputs or st.requirement.required or may_direct):
        return None
    windows = [d for d in page.timeline["deadlines"] if d["id"].startswith("oig_review_")]
    for d in windows:
        d["label"] = deadline_label(d["id"])  # type: ignore[typeddict-unknown-key]
    ctx: dict[str, Any] = {
        "state": st,
        "windows": windows,
        "lapsed": [f for f in page.timeline["flags"] if f["id"] == "oig_review_lapsed"],
        "gate": findings_gate(case, page.today, st) if st.requirement.required or st.submissions else None,
        "determinations": determinations,
        "directions": [{"d": d, "reason": page.reader.redact(d.reason)} for d in directions],
        "inputs": inputs,
        "policy": policy,
        "may_determine": may_determine,
        "may_direct": may_direct,
        "may_input": may_input,
        "outcomes": OUTCOMES,
        "further_kinds": FURTHER_KINDS,
        "criteria": CRITERIA,
        "classifications": rc.LABELS,
        "post": page.post("determine") or page.post("direct") or page.post("classification_input"),
        "error": page.error("determine", "direct", "classification_input"),
        "reads_all": page.reader.sees_everyone,
    }
    return reg.Section("oig", "OIG review and certification", "oig/sections/review.html", ctx, reg.OIG)


def register() -> None:
    reg.register_section(oig_section)
