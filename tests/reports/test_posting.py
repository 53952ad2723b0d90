"""Posting a report: each office its own; it goes to the public library as posted, and its
distribution to the recipients its section names and the City Clerk is recorded. OIG's reports
wait for their draft's comment period (SMC 3.29.115.E)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from oversight.cases.actions import ActionError
from oversight.public.models import LibraryDocument
from oversight.reports import actions
from oversight.reports.models import Distribution, PostedReport
from oversight.rules import access as A

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)


def test_the_director_posts_the_annual_report_to_the_library_and_its_recipients(make_user: Callable[..., Any]) -> None:
    director = make_user("dir", A.DIRECTOR)
    posted = actions.post_report(director, "opa-annual", START, END)
    doc = LibraryDocument.objects.get(pk=posted.library_document_id)
    assert doc.kind == "opa_report" and doc.url == f"/reports/posted/{posted.pk}/"
    sent = set(Distribution.objects.filter(report=posted).values_list("recipient", flat=True))
    assert {"the Mayor", "the City Attorney", "the City Council", "the Chief of Police", "the City Clerk"} <= sent
    assert "1. Complaints by classification" in posted.html
    page = Client().get(f"/reports/posted/{posted.pk}/")  # public
    assert page.status_code == 200 and "the City Clerk: sent" in page.content.decode()
    assert Client().get(f"/public/library/{doc.pk}/").status_code == 200


def test_each_office_posts_only_its_own_and_only_a_period_that_has_ended(make_user: Callable[..., Any]) -> None:
    ig, cpc, director = make_user("ig", A.INSPECTOR_GENERAL), make_user("cpc", A.CPC_STAFF), make_user("d", A.DIRECTOR)
    with pytest.raises(PermissionDenied, match="posted by its own office"):
        actions.post_report(ig, "opa-annual", START, END)
    with pytest.raises(PermissionDenied, match="posted by its own office"):
        actions.post_report(director, "cpc-annual", START, END)
    with pytest.raises(ActionError, match="must have ended"):
        actions.post_report(cpc, "cpc-annual", START, TODAY)
    assert not PostedReport.objects.exists() and not LibraryDocument.objects.exists()
    actions.post_report(cpc, "cpc-annual", START, END)
    assert LibraryDocument.objects.get().kind == "cpc_report"


def test_an_oig_report_waits_for_its_draft_and_the_comment_period(make_user: Callable[..., Any]) -> None:
    ig = make_user("ig", A.INSPECTOR_GENERAL)
    with pytest.raises(ActionError, match="deliver the draft first"):
        actions.post_report(ig, "oig-annual", START, END)
    draft = actions.deliver_draft(ig, "oig-annual", START, END, TODAY - dt.timedelta(days=3))
    with pytest.raises(ActionError, match="in review until"):
        actions.post_report(ig, "oig-annual", START, END)
    actions.record_draft_comment(ig, draft, "the Chief of Police", TODAY - dt.timedelta(days=1))
    with pytest.raises(ActionError, match="in review until"):
        actions.post_report(ig, "oig-annual", START, END)
    actions.record_draft_comment(ig, draft, "the OPA Director", TODAY)
    cyc = actions.cycle(draft, TODAY)
    assert not cyc.in_review and cyc.final_due == TODAY + dt.timedelta(days=10)
    posted = actions.post_report(ig, "oig-annual", START, END)
    assert "the City Clerk" in set(posted.distribution.values_list("recipient", flat=True))
    with pytest.raises(ActionError, match="did not receive the draft"):
        actions.record_draft_comment(ig, draft, "the Mayor", TODAY)


def test_a_bad_period_is_named_and_the_form_keeps_it(make_user: Callable[..., Any]) -> None:
    c = Client()
    c.force_login(make_user("dir", A.DIRECTOR))
    r = c.get("/reports/opa-annual/?from=2025-13-01&to=2025-12-31")
    assert r.status_code == 400
    body = r.content.decode()
    assert "from: &#x27;2025-13-01&#x27; is not a date" in body and 'value="2025-13-01"' in body
    r = c.get(f"/reports/opa-annual/?from={END}&to={START}")
    assert r.status_code == 400 and "is before from" in r.content.decode()
