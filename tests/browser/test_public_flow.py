"""The public side in Chromium: an anonymous complaint filed in Spanish, followed with its
tracking code, its published summary found after staff close the case, naming no one; the
digest over SMTP and the Atom feed; axe-core on every public page (WCAG 2.1 AA)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from typing import Any

import feedparser
import pytest
from aiosmtpd.controller import Controller

from .axe import axe

SECRETS = ["Kai", "Ironside", "8812", "Jules", "Northcott"]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def bodies(self) -> list[tuple[str, str]]:
        with self.lock:
            return [
                (str(m["Subject"]), str(m.get_body(preferencelist=("plain",)).get_content())) for m in self.messages
            ]  # type: ignore[union-attr]


@pytest.fixture
def smtp(settings: Any, live_server: Any) -> Iterator[_Inbox]:
    inbox = _Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.OVERSIGHT_PUBLIC_BASE_URL = live_server.url
    try:
        yield inbox
    finally:
        controller.stop()


def test_file_in_spanish_follow_publish_digest_and_feed(
    page: Any, live_server: Any, smtp: _Inbox, django_user_model: Any
) -> None:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from oversight.cases import actions as case_actions
    from oversight.public import actions
    from oversight.public.models import Publication
    from oversight.rules import access as R

    page.goto("/public/")
    axe(page)
    page.goto("/public/complaint/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "es"
    axe(page)

    # a mistake first: nothing is lost, the page says what is wrong
    page.get_by_label("¿Qué pasó?").fill("El agente Kai Ironside, placa 8812, me empujó; Jules Northcott lo vio.")
    page.get_by_label("Presentar de forma anónima").check()
    page.get_by_label("Su nombre").fill("Robin")
    page.get_by_role("button", name="Enviar mi queja").click()
    assert page.get_by_role("alert").is_visible()
    assert "Su queja todavía no se ha enviado." in page.content()
    assert page.get_by_label("¿Qué pasó?").input_value().startswith("El agente Kai Ironside")
    axe(page)
    page.get_by_label("Su nombre").fill("")
    page.get_by_label("Nombre del agente o empleado, si lo sabe").fill("Kai Ironside")
    page.get_by_label("Número de placa o de serie, si lo sabe").fill("8812")
    page.get_by_label("Personas que vieron lo que pasó").fill("Jules Northcott")
    page.get_by_label("¿De qué trata principalmente su queja?").select_option("use_of_force")
    page.get_by_label("Sí, me gustaría una entrevista en persona").check()
    page.get_by_role("button", name="Enviar mi queja").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 14
    axe(page)

    # another device: the code opens the status page
    other = page.context.browser.new_context(base_url=live_server.url, locale="es-ES")
    p2 = other.new_page()
    p2.goto("/public/track/")
    axe(p2)
    p2.get_by_label("Código de seguimiento").fill(code)
    p2.get_by_role("button", name="Ver el estado").click()
    assert "Recibimos su queja." in p2.locator("#case-status").inner_text()
    axe(p2)

    # staff work the case, close it and publish the summary (names as written by OPA)
    web = actions.find_by_code(code)
    assert web is not None and web.case.channel == "web"
    case = web.case
    sup = django_user_model.objects.create_user("sup", "sup@opa.example.org", "pw")
    sup.groups.add(Group.objects.get(name=R.SUPERVISOR))
    director = django_user_model.objects.create_user("dir", "dir@opa.example.org", "pw")
    director.groups.add(Group.objects.get(name=R.DIRECTOR))
    case_actions.classify(sup, case, "investigation", "Force alleged.")
    case_actions.close_case(sup, case, "Investigation complete.")
    text = (
        "The complainant alleged that Officer Kai Ironside (badge 8812) pushed them. Witness Jules Northcott "
        "confirmed it. Body-worn video shows the push. Finding: Sustained."
    )
    pub = actions.publish(
        director,
        case,
        kind="summary",
        title="Kai Ironside: force at the library",
        text=text,
        reviewed=actions.preview(case, text).text,
        findings=["sustained"],
    )

    p2.reload()
    assert "Su caso está cerrado." in p2.locator("#case-status").inner_text()
    p2.locator("#outcome-link").click()
    body = p2.content()
    assert "Named Employee #1" in body
    for s in SECRETS:
        assert s not in body
    axe(p2)
    other.close()

    # the public finds it by searching
    page.goto("/public/published/?q=library&finding=sustained")
    axe(page)
    page.get_by_role("link", name=f"{case.number}: Named Employee #1: force at the library").click()
    for s in SECRETS:
        assert s not in page.content()

    for path in ("/public/library/", "/public/statistics/", "/public/track/"):
        page.goto(path)
        axe(page)

    # the digest: subscribe, confirm from the email, receive the month's summaries
    page.goto("/public/digest/")
    axe(page)
    page.get_by_label("Su correo electrónico").fill("reader@example.org")
    page.get_by_role("button", name="Suscribirse").click()
    assert "reader@example.org" in page.content()
    axe(page)
    ((subject, confirm),) = smtp.bodies()
    link = next(w for w in confirm.split() if "/digest/confirm/" in w)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Suscripción confirmada"
    axe(page)
    Publication.objects.filter(pk=pub.pk).update(published_on=actions.prior_month(timezone.localdate()))
    actions.send_monthly_digest()
    subject, digest = smtp.bodies()[-1]
    assert case.number in digest and "Named Employee #1" in digest
    for s in SECRETS:
        assert s not in digest

    # the Atom feed lists the case
    feed = feedparser.parse(page.request.get("/public/feed/").body())
    assert not feed.bozo
    assert any(e.title.startswith(case.number) for e in feed.entries)
    for s in SECRETS:
        assert s not in str(feed.entries)
