"""The OPA Manual's pages: the staff page of its update rounds (the Director, OIG, CPC) and the
public page of its versions, each with its effective date, its file and how it was adopted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from oversight import access
from oversight.cases.actions import ActionError
from oversight.uploads import Rejected, read_stored

from . import actions
from . import forms as F
from .models import ManualRound, ManualVersion

READERS = ("manual_update", "comment_on_manual")


def _errors(form: Any) -> str:
    return "; ".join(f"{form.fields[f].label or f}: {' '.join(m)}" for f, m in form.errors.items() if f in form.fields)


def _page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    from django.utils import timezone

    user = request.user
    failed = bound.pop("failed", "")
    rounds = list(ManualRound.objects.prefetch_related("comments").select_related("version")[:10])
    body = actions.body_of(user)
    for r in rounds:
        r.commented = {c.body for c in r.comments.all()}  # type: ignore[attr-defined]
    due, cite, last = actions.next_update_due(timezone.localdate())
    return render(
        request,
        "manual/index.html",
        {
            "rounds": rounds,
            "versions": ManualVersion.objects.all(),
            "may_update": access.may(user, "manual_update"),
            "may_comment": access.may(user, "comment_on_manual"),
            "body": body,
            "due": due,
            "cite": cite,
            "last": last,
            "failed": failed,
            "round_form": bound.pop("round_form", None) or F.RoundForm(),
            "comment_form": bound.pop("comment_form", None) or F.CommentForm(),
            "response_form": bound.pop("response_form", None) or F.ResponseForm(),
            "publish_form": bound.pop("publish_form", None) or F.PublishForm(),
            **bound,
        },
        status=status,
    )


def _require_reader(user: Any) -> None:
    if not any(access.may(user, a) for a in READERS):
        access.require(user, "comment_on_manual")  # the refusal page: who keeps the Manual


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    if request.method != "POST":
        return _page(request)
    access.require(request.user, "manual_update")
    form = F.RoundForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.open_round(
                request.user, title=d["title"], proposed=d["proposed"], on=d["on"], comments_by=d["comments_by"]
            )
        except ActionError as e:
            return _page(request, 400, round_form=form, error=str(e), failed="open")
        messages.success(request, "The round is open: OIG and CPC are asked for their comments.")
        return redirect("manual:index")
    return _page(request, 400, round_form=form, error=_errors(form), failed="open")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rnd = get_object_or_404(ManualRound, pk=pk)
    user = request.user
    form: Any
    if action == "comment":
        access.require(user, "comment_on_manual")
        form, key = F.CommentForm(request.POST), "comment_form"
    elif action == "respond":
        access.require(user, "manual_update")
        form, key = F.ResponseForm(request.POST), "response_form"
    elif action == "publish":
        access.require(user, "manual_update")
        form, key = F.PublishForm(request.POST, request.FILES), "publish_form"
    else:
        raise Http404("No such action")
    if not form.is_valid():
        return _page(request, 400, **{key: form}, error=_errors(form), failed=action)
    d = form.cleaned_data
    try:
        if action == "comment":
            actions.comment(user, rnd, text=d["text"], on=d["on"])
            done = "Your comments are recorded; OPA answers them before adopting the update."
        elif action == "respond":
            actions.respond(user, rnd, response=d["response"], on=d["on"])
            done = "OPA's answer is recorded; the version can now be adopted and published."
        else:
            f = d["file"]
            v = actions.publish(
                user,
                rnd,
                version=d["version"],
                effective_on=d["effective_on"],
                summary=d["summary"],
                file_name=f.name,
                content=f.read(),
            )
            done = f"Version {v.version} is published on the public Manual page."
    except ActionError as e:
        return _page(request, 400, **{key: form}, error=str(e), failed=action)
    messages.success(request, done)
    return redirect(reverse("manual:index") + f"#round-{rnd.pk}")


# --------------------------------------------------------------------------
# Public
# --------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    due, cite, last = actions.next_update_due(timezone.localdate())
    versions = ManualVersion.objects.select_related("round").prefetch_related("round__comments")
    return render(request, "manual/public_index.html", {"versions": versions, "due": due, "cite": cite})


def public_file(request: HttpRequest, pk: int) -> HttpResponse:
    v = get_object_or_404(ManualVersion, pk=pk)
    try:
        content = read_stored(v.file)
    except Rejected as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    resp = HttpResponse(content, content_type=v.content_type)
    safe = "".join(ch for ch in v.file_name if ch.isalnum() or ch in "._- ") or "opa-manual"
    resp["Content-Disposition"] = f'attachment; filename="{safe}"'
    return resp
