"""OIG's page of who read what, in the browser: a director reads a case's people, a hotline
report is read, and the auditor's page lists each read by its labels (never a stored code),
with the chain verified on request. A screenshot is written for review
(OVERSIGHT_SCREENSHOTS, default the test's tmp folder)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from oversight.cases import actions as ca
from oversight.rules import access as R
from tests.browser.test_oig_review import cast  # noqa: F401 (the fixture)
from tests.web.conftest import intake_kwargs

sync_api = pytest.importorskip("playwright.sync_api")


def test_the_read_audit_shows_labels_not_codes(cast, browse_as, tmp_path: Any) -> None:  # noqa: F811
    from django.utils import timezone

    from oversight.oig.actions import hotline_submit

    kw = intake_kwargs(timezone.localdate())
    kw["witnesses"] = [{"name": "Robin Quarrystone", "contact": "206-555-0199"}]
    case = ca.open_case(cast[R.INTAKE], **kw)
    report, _ = hotline_submit(text="A sergeant told us to falsify a report.")
    director = browse_as(cast[R.DIRECTOR])
    director.goto(f"/cases/{case.number}/")
    assert "Taylor Brightwater" in director.content()
    auditor = browse_as(cast[R.OIG_AUDITOR])
    auditor.goto(f"/oig/hotline/reports/{report.pk}/")
    auditor.goto("/oig/reads/")
    table = auditor.locator("#reads")
    text = table.inner_text()
    for label in ("complainants' identity", "witnesses' identity", "hotline reports and their reporters", "Shown"):
        assert label in text, label
    assert "OPA Director or Deputy Director" in text and "OIG auditor" in text
    roles = table.locator("tbody td:nth-child(3)").all_inner_texts()
    parts = table.locator("tbody td:nth-child(4)").all_inner_texts()
    outcomes = table.locator("tbody td:nth-child(7)").all_inner_texts()
    assert set(roles) == {"OPA Director or Deputy Director", "OIG auditor"}  # the logins are the role codes here
    assert set(parts) == {"complainants' identity", "witnesses' identity", "hotline reports and their reporters"}
    assert set(outcomes) == {"Shown"}
    auditor.get_by_role("button", name="Verify the chain now").click()
    assert "The chain is intact" in auditor.locator("#integrity").inner_text()
    out = Path(os.environ.get("OVERSIGHT_SCREENSHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    auditor.screenshot(path=str(out / "oig-reads.png"), full_page=True)
    assert (out / "oig-reads.png").stat().st_size > 10_000
