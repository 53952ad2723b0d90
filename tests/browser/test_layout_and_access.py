"""Pages work on a phone and for everyone (issue 11, items 7 and 8), in Chromium:

- at 390 px wide (a phone) and at 1280 px, no public page and none of the staff pages of the
  board, intake, OIG's workspace and discipline scrolls sideways: a wide table scrolls inside
  its own wrapper, never the page;
- signed in as the Director, intake, an OIG auditor, the Chief, CPC staff and an administrator,
  axe-core finds no serious or critical violation on their home page, a case they may read,
  the deadline board, OIG's queue, the discipline index and the search page (each as that
  person gets it: a refusal is a page too), and on the OIG workspace for the auditor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import axe
from tests.office import Office, fill, small_public_data

PHONE, DESK = 390, 1280


@pytest.fixture
def office(transactional_db: Any) -> Office:
    return fill()


@pytest.fixture
def public_data(settings: Any, tmp_path: Path) -> None:
    db = small_public_data(tmp_path)
    if db is not None:
        settings.OVERSIGHT_PUBLICDATA_DB = db


def sign_in(browser: Any, live_server: Any, username: str) -> Any:
    ctx = browser.new_context(base_url=live_server.url)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("oversight-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def too_wide(page: Any, urls: list[str]) -> list[str]:
    """The pages whose document is wider than the window, at a phone's and a desk's width."""
    out = []
    for width in (PHONE, DESK):
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width + 1:
                out.append(f"{url} at {width} px is {scroll} px wide")
    return out


def test_public_pages_fit_a_phone(page: Any, office: Office, public_data: None) -> None:
    urls = [
        "/public/",
        "/public/complaint/",
        "/public/track/",
        "/public/published/",
        f"/public/published/{office.publication}/",
        "/public/library/",
        f"/public/library/{office.library}/",
        "/public/statistics/",
        "/public/digest/",
        "/oig/hotline/",
        "/oig/hotline/status/",
        f"/oig/audits/{office.published_audit}/report/",
        "/data/",
        "/data/stops/",
        "/data/stops/?by=precinct&by=subject_race",
        "/data/stops/disparity/?within=precinct",
        "/data/force/",
        "/data/shootings/",
        "/accounts/login/",
    ]
    wide = too_wide(page, urls)
    # the complaint form filled in wrong (its errors listed) and a case's status, as a complainant sees them
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto("/public/complaint/")
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_selector("#form-errors")
    if page.evaluate("document.documentElement.scrollWidth") > PHONE + 1:
        wide.append("the complaint form with its errors")
    page.goto("/public/track/")
    page.get_by_label("Tracking code").fill(office.tracking_code)
    page.get_by_role("button", name="Show the status").click()
    page.wait_for_selector("#case-status")
    if page.evaluate("document.documentElement.scrollWidth") > PHONE + 1:
        wide.append("the status page")
    assert not wide, "; ".join(wide)
    # every field of the complaint form fits the phone: nothing is cut off at the right
    page.goto("/public/complaint/")
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('input, select, textarea')]"
        ".filter(e => e.type !== 'hidden' && e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.name)"
    )
    assert not overflow, f"fields past the right edge at {PHONE} px: {overflow}"


def test_staff_pages_fit_a_phone(browser: Any, live_server: Any, office: Office) -> None:
    from datetime import date

    year = date.today().year
    pages = {
        "intake": ["/board/", "/board/?status=overdue", "/intake/"],
        "auditor": [
            "/oig/queue/",
            "/oig/audits/",
            f"/oig/audits/{office.audit}/",
            "/oig/hotline/reports/",
            f"/oig/hotline/reports/{office.hotline}/",
            "/oig/conflicts/",
            "/oig/withheld/",
            "/oig/policy/",
        ],
        "director": ["/discipline/", f"/discipline/reports/criminal_referrals/?year={year}&month=12"],
        "cityattorney": ["/discipline/", f"/discipline/reports/appeals/?year={year}&month=12"],
        "chief": ["/discipline/"],
    }
    wide = []
    for who, urls in pages.items():
        page = sign_in(browser, live_server, who)
        wide += [f"{who}: {w}" for w in too_wide(page, urls)]
        page.context.close()
    assert not wide, "; ".join(wide)


ROLES = ["director", "intake", "auditor", "chief", "cpc", "admin"]


@pytest.mark.parametrize("who", ROLES)
def test_staff_pages_pass_axe_for_each_role(browser: Any, live_server: Any, office: Office, who: str) -> None:
    from oversight import access
    from oversight.cases.models import Case

    user = office.users[who]
    readable = Case.objects.filter(access.cases_q(user)).order_by("-number").first()
    urls = ["/", "/board/", "/oig/queue/", "/discipline/", "/search/"]
    if readable is not None:
        urls.insert(1, f"/cases/{readable.number}/")
    if who == "auditor":
        urls += [
            "/oig/audits/",
            f"/oig/audits/{office.audit}/",
            "/oig/hotline/reports/",
            f"/oig/hotline/reports/{office.hotline}/",
            "/oig/conflicts/",
            "/oig/withheld/",
            "/oig/policy/",
        ]
    if who == "intake":
        urls.append("/intake/")
    page = sign_in(browser, live_server, who)
    try:
        for url in urls:
            response = page.goto(url)
            if url == "/search/" and response.status == 404:
                continue  # no search page in this build
            axe(page)
    finally:
        page.context.close()


def test_the_hotline_passes_axe_in_both_languages(page: Any, office: Office) -> None:
    page.goto("/oig/hotline/")
    axe(page)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Oficina del Inspector General").is_visible()
    page.get_by_role("button", name="Enviar a la OIG").click()  # empty: the page says what to do
    assert page.get_by_role("alert").is_visible()
    axe(page)
    page.get_by_label("Su informe").fill("Me cambiaron el turno después de hablar con la OIG.")
    page.get_by_role("button", name="Enviar a la OIG").click()
    axe(page)
    page.goto("/oig/hotline/status/")
    axe(page)
