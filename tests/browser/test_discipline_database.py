"""The public discipline database in Chromium: imported history and a native case together; a
person filters to one rank, groups by finding, reads the table and downloads the CSV, whose
numbers are the page's cells; axe-core finds no serious or critical violation."""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest

from tests.browser.axe import axe
from tests.complaint_history.test_import import _row, _seattle, run

KEY = "browser-test-pseudonym-key-0123456789"


@pytest.fixture
def history(settings: Any, tmp_path: Any) -> None:
    settings.OVERSIGHT_PSEUDONYM_KEY = KEY
    settings.OVERSIGHT_PUBLICDATA_DB = tmp_path / "store.duckdb"
    rows = [
        _row(
            f"2021OPA-{i:04d}",
            str(1000 + i % 7),
            "Courtesy",
            ["Sustained", "Not Sustained - Unfounded", "Not Sustained - Inconclusive"][i % 3],
            "Written Reprimand" if i % 3 == 0 else "Not Applicable",
            **{"Named Employee Title at Incident": "Sergeant" if i % 4 == 0 else "Police Officer"},
        )
        for i in range(60)
    ]
    code, out, err = run(
        "import", "complaints", "--source", "seattle-opa", str(_seattle(tmp_path, rows)), "--no-progress"
    )
    assert code == 0, err


def test_filter_group_by_finding_and_download_the_pages_numbers(page: Any, history: None) -> None:
    from oversight.history import database as db

    page.goto("/data/discipline/")
    axe(page)
    page.get_by_label(re.compile(r"^Group by\b")).select_option("finding")
    page.get_by_label(re.compile(r"^Rank\b")).select_option("Police Officer")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"[?&]rank=Police\+Officer(&|$)"))
    table = page.locator("#discipline-summary")
    shown: dict[str, list[str]] = {}
    for tr in table.locator("tbody tr").all():
        cells = [c.strip() for c in tr.locator("td").all_inner_texts()]
        if cells[0] != "All":
            shown[cells[0]] = cells[1:]
    want = db.summary(["finding"], ["rank=Police Officer"])
    assert len(shown) == len(want["groups"]) == 3
    assert sum(int(v[0]) for v in shown.values()) == want["total"]["allegations"] == 45
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    with open(info.value.path(), encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    labels = {
        "sustained": "Sustained",
        "unfounded": "Not Sustained: Unfounded",
        "inconclusive": "Not Sustained: Inconclusive",
    }
    assert {labels[r["finding"]] for r in got} == set(shown)
    for r in got:
        cells = shown[labels[r["finding"]]]
        assert [
            r["allegations"],
            r["complaints"],
            r["named_employees"],
            r["sustained"],
            r["complaints_with_sustained"],
        ] == cells[:5]
        low, high = float(r["sustained_rate_ci_low"]), float(r["sustained_rate_ci_high"])
        assert cells[5] == f"{float(r['sustained_rate']):.3f} ({low:.3f}–{high:.3f})"
    assert db.summary(["finding"], [])["total"]["allegations"] == 60, "the rank filter was applied"
