"""The public side's sections of the one case page: what the complainant sent through the web
form and the tracking page (marked unread until staff read it), and what was published."""

from __future__ import annotations

from typing import Any

from oversight.cases.page import CasePage
from oversight.home import registry as reg
from oversight.rules import access as A

from .actions import unread
from .models import Publication, WebComplaint


def sent(page: CasePage) -> reg.Section | None:
    web: WebComplaint | None = WebComplaint.objects.filter(case=page.case).first()
    if web is None:
        return None
    reader = page.reader
    if not reader.reads[A.ADDITIONS]:
        return reg.Section(
            "sent",
            "What the complainant sent",
            "public/sections/sent.html",
            {"withheld": A.WITHHELD[A.ADDITIONS], "web": web},
            reg.SENT,
        )
    fresh, first = unread(web)
    fresh_ids = {u.pk for u in fresh}
    updates = [
        {
            "u": u,
            "text": reader.redact(u.text),
            "unread": u.pk in fresh_ids,
            "files": [{"f": f, "name": reader.redact(f.name)} for f in u.files.all()],
        }
        for u in web.updates.all()
    ]
    initial = [{"f": f, "name": reader.redact(f.name)} for f in web.evidence.filter(update__isnull=True)]
    ctx: dict[str, Any] = {
        "web": web,
        "officer": reader.redact(web.officer_description) if reader.reads[A.EMPLOYEES] else "",
        "initial": initial,
        "initial_unread": first,
        "updates": updates,
        "unread": len(fresh) + first,
        "may_mark": reader.may["read_additions"] and (fresh or first),
        "reads_complainant": reader.reads[A.COMPLAINANT],
        "error": page.error("read_additions"),
    }
    return reg.Section("sent", "What the complainant sent", "public/sections/sent.html", ctx, reg.SENT)


def published(page: CasePage) -> reg.Section | None:
    pubs = list(Publication.objects.filter(case=page.case).order_by("-published_at"))
    may = page.reader.may["publish"]
    if not pubs and not (may and (page.case.closed_on or page.has("proposed_findings_issued"))):
        return None
    return reg.Section(
        "publication",
        "Published",
        "public/sections/published.html",
        {"pubs": pubs, "may_publish": may},
        reg.PUBLICATION,
    )


def register() -> None:
    reg.register_section(sent)
    reg.register_section(published)
