"""The one door for CPC's writes: marking a closed case or a report as reviewed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions import ActionError, audit, not_future, required_text

from .models import (
    INPUT_SOURCES,
    MEETING_KINDS,
    PROPOSAL_DECISIONS,
    CommunityInput,
    Meeting,
    Review,
    Workplan,
    WorkplanAnswer,
    WorkplanProposal,
)


def mark_reviewed(
    user: Any, *, case: Any = None, audit_report: Any = None, document: Any = None, note: str = ""
) -> Review:
    """CPC reviewed a closed case (SMC 3.29.215.A.16) or a published report for systemic lessons."""
    subjects = [x for x in (case, audit_report, document) if x is not None]
    if len(subjects) != 1:
        raise ActionError("subject", "a review is of one closed case or one report")
    if case is not None:
        access.require(user, "cpc_review", case)
    else:
        access.require(user, "cpc_review")
    if audit_report is not None and audit_report.published_on is None:
        raise ActionError("audit", "only a published audit report is reviewed")
    with transaction.atomic():
        review = Review.objects.create(
            case=case,
            audit=audit_report,
            document=document,
            systemic_note=(note or "").strip(),
            reviewed_by=user,
            reviewed_at=timezone.now(),
        )
        audit(
            user,
            "cpc_review",
            case,
            review=review.pk,
            audit=getattr(audit_report, "pk", None),
            document=getattr(document, "pk", None),
        )
    return review


# --------------------------------------------------------------------------
# Meetings (SMC 3.29.225) and what the community tells CPC (3.29.215.A.3)
# --------------------------------------------------------------------------


def schedule_meeting(user: Any, *, kind: str, on: Any, title: str, agenda: str, place: str = "") -> Meeting:
    """A meeting and its agenda, published to the public when recorded."""
    access.require(user, "cpc_workspace")
    if kind not in dict(MEETING_KINDS):
        raise ActionError("kind", f"{kind!r} is not one of: {', '.join(label for _, label in MEETING_KINDS)}")
    title = required_text("title", title)
    agenda = required_text("agenda", agenda)
    with transaction.atomic():
        m = Meeting.objects.create(
            kind=kind,
            date=on,
            title=title,
            place=(place or "").strip(),
            agenda=agenda,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "schedule_meeting", None, meeting=m.pk, kind=kind)
    return m


def record_minutes(user: Any, meeting: Meeting, *, minutes: str, on: Any) -> Meeting:
    access.require(user, "cpc_workspace")
    minutes = required_text("minutes", minutes)
    not_future("on", on)
    if on < meeting.date:
        raise ActionError("on", f"the minutes of a meeting come after it ({meeting.date})")
    with transaction.atomic():
        m = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if m.minutes:
            raise ActionError("minutes", f"the minutes of this meeting were recorded on {m.minutes_on}")
        m.minutes, m.minutes_on = minutes, on
        m.save(update_fields=["minutes", "minutes_on"])
        audit(user, "record_minutes", None, meeting=m.pk)
    return m


def record_input(user: Any, *, received_on: Any, source: str, summary: str, meeting: Meeting | None = None) -> Any:
    access.require(user, "cpc_workspace")
    if source not in dict(INPUT_SOURCES):
        raise ActionError("source", f"{source!r} is not one of: {', '.join(label for _, label in INPUT_SOURCES)}")
    summary = required_text("summary", summary)
    not_future("received_on", received_on)
    with transaction.atomic():
        item = CommunityInput.objects.create(
            received_on=received_on,
            source=source,
            summary=summary,
            meeting=meeting,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "record_community_input", None, input=item.pk)
    return item


def route_input(
    user: Any, item: Any, *, to: str, consent: bool = False, name: str = "", email: str = "", phone: str = ""
) -> str:
    """Send an item to OPA as a complaint (only with the person's consent; anonymous unless they
    gave a name or a way to reach them) or to the Inspector General (3.29.215.A.3). Returns the
    code the person keeps to follow it (a tracking code, or the hotline's)."""
    access.require(user, "cpc_workspace")
    from oversight.oig.actions import hotline_submit
    from oversight.public.actions import ComplaintInput, submit_complaint

    if to not in ("opa", "oig"):
        raise ActionError("to", "an item goes to OPA (as a complaint) or to the Inspector General")
    if to == "opa" and not consent:
        raise ActionError("consent", "a complaint goes to OPA only with the person's consent")
    with transaction.atomic():
        item = CommunityInput.objects.select_for_update().get(pk=item.pk)
        if item.routed_to:
            raise ActionError("to", f"this item was sent to {item.get_routed_to_display().lower()} on {item.routed_on}")
        if to == "opa":
            anonymous = not (name.strip() or email.strip() or phone.strip())
            complaint, code = submit_complaint(
                ComplaintInput(
                    what_happened=item.summary,
                    anonymous=anonymous,
                    name=name,
                    email=email,
                    phone=phone,
                    channel="community_org",
                )
            )
            item.complaint = complaint
        else:
            report, code = hotline_submit(text=item.summary, reporter_kind="public")
            item.hotline_report = report
        item.routed_to, item.routed_on, item.consent = to, timezone.localdate(), consent
        item.save(update_fields=["routed_to", "routed_on", "consent", "complaint", "hotline_report"])
        audit(user, "route_community_input", None, input=item.pk, to=to)
    return code


# --------------------------------------------------------------------------
# OIG's annual workplan (SMC 3.29.110.A.20): the Inspector General shares a draft with CPC,
# CPC proposes areas for investigation and evaluation (3.29.215.A.15), the Inspector General
# answers each proposal and sets the workplan.
# --------------------------------------------------------------------------


def share_workplan(user: Any, *, year: int, draft: str, on: Any, meeting_on: Any = None) -> Workplan:
    access.require(user, "share_workplan")
    draft = required_text("draft", draft)
    not_future("on", on)
    if not 1900 < int(year) < 3000:
        raise ActionError("year", f"{year!r} is not a year")
    if Workplan.objects.filter(year=year).exists():
        raise ActionError("year", f"the draft workplan for {year} is already shared; set the workplan instead")
    with transaction.atomic():
        plan = Workplan.objects.create(
            year=year, draft=draft, shared_on=on, meeting_on=meeting_on, recorded_by=user, recorded_at=timezone.now()
        )
        audit(user, "share_workplan", None, workplan=plan.pk, year=year)
    return plan


def propose_workplan_addition(
    user: Any, workplan: Workplan, *, area: str, reasons: str, on: Any, emergent: bool = False
) -> WorkplanProposal:
    access.require(user, "propose_workplan_addition")
    workplan = Workplan.objects.get(pk=workplan.pk)  # as it stands now (it may have been set meanwhile)
    area = required_text("area", area)
    reasons = required_text("reasons", reasons)
    not_future("on", on)
    if on < workplan.shared_on:
        raise ActionError("on", f"falls before the draft was shared ({workplan.shared_on})")
    if workplan.set_on is not None and not emergent:
        raise ActionError(
            "emergent",
            f"the {workplan.year} workplan was set on {workplan.set_on}: only an emergent issue is proposed now "
            "[SMC 3.29.110.A.20]",
        )
    with transaction.atomic():
        p = WorkplanProposal.objects.create(
            workplan=workplan,
            proposed_on=on,
            area=area,
            reasons=reasons,
            emergent=emergent,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "propose_workplan_addition", None, workplan=workplan.pk, proposal=p.pk)
    return p


def answer_workplan_proposal(
    user: Any, proposal: WorkplanProposal, *, decision: str, text: str, on: Any
) -> WorkplanAnswer:
    access.require(user, "share_workplan")
    if decision not in dict(PROPOSAL_DECISIONS):
        raise ActionError("decision", f"{decision!r} is not one of: {', '.join(v for _, v in PROPOSAL_DECISIONS)}")
    text = required_text("text", text)
    not_future("on", on)
    if on < proposal.proposed_on:
        raise ActionError("on", f"falls before CPC proposed it ({proposal.proposed_on})")
    with transaction.atomic():
        if WorkplanAnswer.objects.filter(proposal=proposal).exists():
            raise ActionError("proposal", "this proposal is already answered")
        a = WorkplanAnswer.objects.create(
            proposal=proposal,
            decision=decision,
            text=text,
            answered_on=on,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "answer_workplan_proposal", None, proposal=proposal.pk, decision=decision)
    return a


def set_workplan(user: Any, workplan: Workplan, *, final: str, on: Any) -> Workplan:
    """The workplan as the Inspector General sets it, once CPC's proposals are answered."""
    access.require(user, "share_workplan")
    final = required_text("final", final)
    not_future("on", on)
    with transaction.atomic():
        workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
        if workplan.set_on is not None:
            raise ActionError("final", f"the {workplan.year} workplan was set on {workplan.set_on}")
        if on < workplan.shared_on:
            raise ActionError("on", f"falls before the draft was shared ({workplan.shared_on})")
        waiting = workplan.proposals.filter(answer__isnull=True, emergent=False).count()
        if waiting:
            raise ActionError("final", f"answer CPC's {waiting} proposed addition(s) first [SMC 3.29.110.A.20]")
        workplan.final, workplan.set_on = final, on
        workplan.save(update_fields=["final", "set_on"])
        audit(user, "set_workplan", None, workplan=workplan.pk)
    return workplan
