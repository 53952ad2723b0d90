"""The API answers bad input with 400/422 and a message, declares its error answers in the
OpenAPI description, and a schemathesis run against that description finds no 500 (bounded:
a few examples an operation, no deadline per example, since the database is real)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from oversight.cases.api import api as cases_api
from oversight.rules import access as R

pytestmark = pytest.mark.django_db

CSRF = "robustnesstestcsrftoken000000000"[:32]


@pytest.fixture
def api(staff: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    return c


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=-1", "offset"),
        ("offset=99999999999999999999", "offset"),
        ("offset=ten", "offset"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-5", "limit"),
        ("limit=1e3", "limit"),
    ],
)
@pytest.mark.parametrize("path", ["/api/cases", "/api/deadlines"])
def test_bad_paging_is_refused_with_422_naming_the_parameter(api: Client, path: str, query: str, field: str) -> None:
    r = api.get(f"{path}?{query}")
    assert r.status_code == 422, (r.status_code, r.content)
    body = r.json()
    assert body["detail"].startswith(f"{field}: "), body
    assert body["errors"] and body["errors"][0]["loc"][-1] == field


def test_good_paging_still_pages(api: Client, force_case: Any) -> None:
    assert api.get("/api/cases?limit=1&offset=0").status_code == 200
    assert api.get("/api/cases?limit=1000&offset=1000000").json() == []


def test_the_openapi_description_declares_every_error_answer() -> None:
    schema = Client().get("/api/openapi.json").json()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert {"401", "403", "404", "422"} <= codes, f"{method.upper()} {path} declares only {sorted(codes)}"
    assert "400" in schema["paths"]["/api/cases"]["get"]["responses"]
    assert "400" in schema["paths"]["/api/cases/{number}/events"]["post"]["responses"]


def test_unknown_case_and_no_session_are_404_and_401(api: Client) -> None:
    missing = api.get("/api/cases/2099OPA-9999")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert Client().get("/api/cases").status_code == 401


SCHEMA = schemathesis.openapi.from_dict(cases_api.get_openapi_schema())
SCHEMA.app = get_wsgi_application()


@pytest.fixture
def signed_in(staff: dict[str, Any], force_case: Any) -> Iterator[dict[str, str]]:
    """A director's session cookie and the CSRF pair, for the WSGI calls schemathesis makes. As
    Django's test client does, the calls keep the test's connection (and its transaction) open."""
    c = Client()
    c.force_login(staff[R.DIRECTOR])
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"sessionid": c.cookies["sessionid"].value, "csrftoken": CSRF}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_generated_request_makes_the_api_fail(case: Any, signed_in: dict[str, str]) -> None:
    response = case.call(cookies=signed_in, headers={"X-CSRFToken": CSRF})
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:500])
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
        assert response.json().get("detail"), response.text[:300]  # every error answer says what was wrong
