"""Fixtures for the public side: staff with OPA roles, a real SMTP server on 127.0.0.1, a case."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.utils import timezone

from oversight.cases import actions as case_actions
from oversight.cases.models import Case
from oversight.rules import access as R


@pytest.fixture(autouse=True)
def _public_base_url(settings: Any) -> None:
    settings.OVERSIGHT_PUBLIC_BASE_URL = "http://public.example.org"


class Inbox:
    """What the SMTP server received: (envelope sender, recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for _, rcpt, m in self.messages if address in rcpt]

    @staticmethod
    def body(msg: email.message.EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django's SMTP backend talks to it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def staff(make_user: Callable[..., User]) -> dict[str, User]:
    users = {role: make_user(role, role) for role in R.ROLES}
    users["nobody"] = make_user("nobody")
    return users


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


PEOPLE_TEXT = (
    "Taylor Brightwater (206-555-0100, taylor@example.net) of 12 Yarrow Ave said that Officer Kai Ironside, "
    "serial 7421, pushed them; Jules Northcott saw it. Sgt. Vale arrived later."
)


@pytest.fixture
def force_case(staff: dict[str, User], today: dt.date) -> Case:
    """A force complaint with a named complainant, a named employee and a witness."""
    return case_actions.open_case(
        staff[R.INTAKE],
        channel="phone",
        received_on=today - dt.timedelta(days=20),
        incident_date=today - dt.timedelta(days=25),
        incident_place="3rd Ave and Pine St",
        precinct="west",
        summary=PEOPLE_TEXT,
        complainants=[
            {
                "name": "Taylor Brightwater",
                "address": "12 Yarrow Ave",
                "phone": "206-555-0100",
                "email": "taylor@example.net",
            }
        ],
        named_employees=[{"name": "Kai Ironside", "rank": "Officer", "serial": "7421", "supervisor_name": "Sgt. Vale"}],
        witnesses=[{"kind": "civilian", "name": "Jules Northcott"}],
        allegations=[{"employee": 0, "category": "use_of_force"}],
    )
