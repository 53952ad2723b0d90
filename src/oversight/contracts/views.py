"""Compare and replay, on the staff side (cases linked, the registry, the consultations) and the
public side (the same figures and charts, never a case's number or people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.actions import ActionError
from oversight.cases.models import Case, CaseEvent
from oversight.rules.profile import ProfileError

from . import actions, service
from .models import OFFICES, STATUS_LABELS, STATUSES, Agreement

_REPLAYS: dict[tuple[Any, ...], service.Replay] = {}


def _shipped() -> list[tuple[str, Any, str]]:
    """Each shipped overlay: its name, its header and its status as a person reads it."""
    out = []
    for n in service.shipped():
        h = service.load(n).header
        out.append((n, h, STATUS_LABELS.get(h.status, h.status)))
    return out


def _documents() -> Any:
    from oversight.public.models import LibraryDocument

    return LibraryDocument.objects.filter(kind__in=("cba", "side_agreement")).order_by("-published_on")[:200]


def _overlay_or_404(name: str) -> None:
    if name not in service.shipped():
        raise Http404("no such agreement overlay")


def _period(request: HttpRequest) -> tuple[dt.date | None, dt.date | None, str]:
    def day(key: str) -> dt.date | None:
        v = request.GET.get(key) or ""
        if not v:
            return None
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"{key}: {v!r} is not a date (YYYY-MM-DD)") from None

    try:
        a, b = day("from"), day("to")
    except ValueError as e:
        return None, None, str(e)
    if a and b and b < a:
        return None, None, f"to: {b} is before from ({a})"
    return a, b, ""


def _replay(name: str, a: dt.date | None, b: dt.date | None) -> service.Replay:
    today = timezone.localdate()
    stamp = (Case.objects.count(), CaseEvent.objects.aggregate(m=Max("pk"))["m"])
    key = (name, a, b, today, stamp)
    r = _REPLAYS.get(key)
    if r is None:
        if len(_REPLAYS) > 16:
            _REPLAYS.clear()
        r = _REPLAYS[key] = service.run_replay(name, a, b, today)
    return r


def _download(data: bytes | str, ctype: str, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def _compare_response(request: HttpRequest, name: str, template: str, public: bool) -> HttpResponse:
    _overlay_or_404(name)
    c = service.compare(name)
    fmt = request.GET.get("format", "html")
    ctx = {"c": c, "name": name, "public": public}
    if fmt == "pdf":
        return _download(service.pdf("contracts/compare_print.html", ctx), "application/pdf", f"{name}-compare.pdf")
    if fmt == "csv":
        return _download(service.compare_csv(c), "text/csv", f"{name}-compare.csv")
    if fmt == "json":
        return HttpResponse(orjson.dumps(c.rows), content_type="application/json")
    return render(request, template, ctx)


def _replay_response(request: HttpRequest, name: str, template: str, public: bool) -> HttpResponse:
    _overlay_or_404(name)
    a, b, error = _period(request)
    if error:
        return render(
            request,
            template,
            {
                "name": name,
                "error": error,
                "public": public,
                "a": request.GET.get("from", ""),
                "b": request.GET.get("to", ""),
            },
            status=400,
        )
    r = _replay(name, a, b)
    fmt = request.GET.get("format", "html")
    ctx = {"r": r, "name": name, "public": public, "a": a, "b": b}
    if fmt == "pdf":
        return _download(service.pdf("contracts/replay_print.html", ctx), "application/pdf", f"{name}-replay.pdf")
    if not public and fmt == "json":
        return HttpResponse(orjson.dumps(r.to_json()), content_type="application/json")
    if not public and fmt == "csv":
        return _download(service.replay_csv(r), "text/csv", f"{name}-replay.csv")
    if not public:
        # only the cases this reader may open are listed (and linked)
        readable = set(Case.objects.filter(access.cases_q(request.user)).values_list("number", flat=True))
        diff = [res for res in r.differing if res["case"] in readable]
        ctx["differing"] = [(res, None) for res in diff[:500]]
        ctx["hidden"] = len(r.differing) - len(diff)
        ctx["indeterminate"] = [(res, None) for res in r.indeterminate if res["case"] in readable][:200]
    return render(request, template, ctx)


# --- public


def public_index(request: HttpRequest) -> HttpResponse:
    agreements = Agreement.objects.filter(public_on__isnull=False).select_related("library_document")
    overlays = _shipped()
    return render(request, "contracts/public_index.html", {"overlays": overlays, "agreements": agreements})


def public_compare(request: HttpRequest, name: str) -> HttpResponse:
    return _compare_response(request, name, "contracts/public_compare.html", True)


def public_replay(request: HttpRequest, name: str) -> HttpResponse:
    return _replay_response(request, name, "contracts/public_replay.html", True)


# --- staff


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "open_contracts")
    ctx = {
        "overlays": _shipped(),
        "agreements": Agreement.objects.all(),
        "may_record": access.may(request.user, "record_agreement"),
        "statuses": STATUSES,
        "form": {},
        "documents": _documents(),
    }
    return render(request, "contracts/index.html", ctx)


@login_required
def compare(request: HttpRequest, name: str) -> HttpResponse:
    access.require(request.user, "open_contracts")
    return _compare_response(request, name, "contracts/compare.html", False)


@login_required
def replay(request: HttpRequest, name: str) -> HttpResponse:
    access.require(request.user, "open_contracts")
    return _replay_response(request, name, "contracts/replay.html", False)


@login_required
def draft(request: HttpRequest) -> HttpResponse:
    """A draft agreement pasted as an overlay (before a vote): compared and replayed, nothing kept."""
    access.require(request.user, "open_contracts")
    template = service.template_text()
    if request.method != "POST":
        return render(request, "contracts/draft.html", {"text": "", "template": template})
    text = request.POST.get("overlay", "")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.toml"
        path.write_text(text, encoding="utf-8")
        try:
            c = service.compare(str(path))
            r = service.run_replay(str(path), None, None, timezone.localdate())
        except ProfileError as e:
            error = str(e).replace(str(path), "the draft")
            ctx = {"text": text, "error": error, "template": template}
            return render(request, "contracts/draft.html", ctx, status=400)
    readable = set(Case.objects.filter(access.cases_q(request.user)).values_list("number", flat=True))
    diff = [res for res in r.differing if res["case"] in readable]
    ctx = {
        "text": text,
        "template": template,
        "c": c,
        "r": r,
        "differing": [(x, None) for x in diff[:200]],
        "hidden": len(r.differing) - len(diff),
    }
    return render(request, "contracts/draft.html", ctx)


def _int(v: str | None, field: str) -> int | None:
    if not v:
        return None
    try:
        return int(v)
    except ValueError:
        raise ActionError(field, f"{v!r} is not a whole number") from None


def _date(v: str | None, field: str) -> dt.date | None:
    if not v:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise ActionError(field, f"{v!r} is not a date (YYYY-MM-DD)") from None


@login_required
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "record_agreement")
    p = request.POST
    try:
        a = actions.record_agreement(
            request.user,
            guild=p.get("guild", ""),
            title=p.get("title", ""),
            status=p.get("status", ""),
            overlay=p.get("overlay", ""),
            term_from=_date(p.get("term_from"), "term_from"),
            term_to=_date(p.get("term_to"), "term_to"),
            votes_for=_int(p.get("votes_for"), "votes_for"),
            votes_against=_int(p.get("votes_against"), "votes_against"),
            vote_on=_date(p.get("vote_on"), "vote_on"),
            public_on=_date(p.get("public_on"), "public_on"),
            library_document=_int(p.get("library_document"), "library_document"),
        )
    except ActionError as e:
        ctx = {
            "overlays": _shipped(),
            "agreements": Agreement.objects.all(),
            "may_record": True,
            "statuses": STATUSES,
            "documents": _documents(),
            "error": str(e),
            "form": p,
        }
        return render(request, "contracts/index.html", ctx, status=400)
    return redirect("contracts:agreement", a.pk)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "open_contracts")
    a = get_object_or_404(Agreement, pk=pk)
    consults = access.may(request.user, "consult_bargaining")
    ctx = {
        "a": a,
        "may_consult": consults,
        "consultations": a.consultations.all() if consults else None,
        "offices": OFFICES,
        "form": {},
    }
    return render(request, "contracts/agreement.html", ctx)


@login_required
@require_POST
def consult(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "consult_bargaining")
    a = get_object_or_404(Agreement, pk=pk)
    p = request.POST
    try:
        held = _date(p.get("held_on"), "held_on")
        if held is None:
            raise ActionError("held_on", "give the day of the consultation")
        actions.record_consultation(request.user, a, p.get("office", ""), held, p.get("summary", ""))
    except ActionError as e:
        ctx = {
            "a": a,
            "may_consult": True,
            "consultations": a.consultations.all(),
            "offices": OFFICES,
            "error": str(e),
            "form": p,
        }
        return render(request, "contracts/agreement.html", ctx, status=400)
    return redirect("contracts:agreement", a.pk)
