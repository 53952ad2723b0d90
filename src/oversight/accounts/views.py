"""Thin views for users and roles: parse, call ``oversight.accounts.actions``, render.

Every page but the password-set pages is the administrator's (``manage_users``); anyone
else gets the refusal page. The password-set pages are Django's own confirm and done
views in the site's layout, opened from the link the administrator sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from oversight import access

from . import actions
from .forms import DeactivateForm, DetailsForm, FilterForm, PersonForm, error_summary
from .people import Person, history, people, rows
from .roles import assigned, by_office, labels


def _admin(request: HttpRequest) -> None:
    try:
        access.require(request.user, actions.MANAGE)
    except access.Refused as e:
        r = e.refusal
        where = (*r.where, "Roles are given and taken by the administrator: ask them if yours are not right.")
        raise access.Refused(access.A.Refusal(r.what, r.why, r.cite, where)) from None


def _role_groups(checked: set[str] | frozenset[str]) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The role checkboxes, by office: [(office, [(code, label, checked)])]."""
    return [(office, [(c, label, c in checked) for c, label in roles]) for office, roles in by_office()]


def _attach(form: Any, e: actions.ActionError) -> None:
    form.add_error(e.field if e.field in form.fields else None, e.message)


# --------------------------------------------------------------------------
# The list and the new person
# --------------------------------------------------------------------------


@login_required
def users(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = FilterForm(request.GET or None)
    role = status = ""
    if form.is_bound and form.is_valid():
        role, status = form.cleaned_data["role"], form.cleaned_data["status"]
    found = rows(people(role, status))
    return render(
        request,
        "accounts/users.html",
        {"form": form, "rows": found, "filtered": bool(role or status), "role_label": labels([role])},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _admin(request)
    if request.method != "POST":
        form = PersonForm()
        return render(request, "accounts/new.html", {"form": form, "groups": _role_groups(set())})
    form = PersonForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            person = actions.create_user(
                request.user, username=d["username"], full_name=d["full_name"], email=d["email"], roles=d["roles"]
            )
        except actions.ActionError as e:
            _attach(form, e)
        else:
            done = f"{person.get_full_name()} ({person.get_username()}) can sign in once they set a password."
            if not d["send_link"]:
                messages.success(request, done + " Send them the link from this page when they need it.")
                return redirect("accounts:person", pk=person.pk)
            try:
                sent = actions.send_password_link(request.user, person, base_url=request.build_absolute_uri("/"))
            except actions.ActionError as e:
                messages.warning(request, f"{done} But no link was sent: {e.message}. Send it again from this page.")
            else:
                messages.success(request, f"{done} A link to set it was mailed to {sent}.")
            return redirect("accounts:person", pk=person.pk)
    checked = set(request.POST.getlist("roles"))
    context = {"form": form, "groups": _role_groups(checked), "errors": error_summary(form)}
    return render(request, "accounts/new.html", context, status=400)


# --------------------------------------------------------------------------
# One person: roles, details, deactivation, the link, the history
# --------------------------------------------------------------------------


def _person(pk: int) -> Any:
    return get_object_or_404(get_user_model()._default_manager.prefetch_related("groups"), pk=pk)


def _page(
    request: HttpRequest,
    person: Any,
    *,
    errors: list[str] | None = None,
    failed: str = "",
    details: DetailsForm | None = None,
    deactivate: DeactivateForm | None = None,
    checked: set[str] | None = None,
) -> HttpResponse:
    given = assigned(person)
    context = {
        "person": person,
        "row": Person(person, labels(given)),
        "groups": _role_groups(given if checked is None else checked),
        "details_form": details or DetailsForm(initial={"full_name": person.get_full_name(), "email": person.email}),
        "deactivate_form": deactivate or DeactivateForm(),
        "history": history(person),
        "is_self": person.pk == request.user.pk,
        "link_days": actions.link_days(),
        "has_second_factor": actions.has_second_factor(person),
        "errors": errors or [],
        "failed": failed,
    }
    return render(request, "accounts/person.html", context, status=400 if errors else 200)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    return _page(request, _person(pk))


_FIELD = {"roles": "Roles", "user": "Account", "email": "Email", "full_name": "Full name", "username": "Username"}


def _do(request: HttpRequest, pk: int, name: str, call: Callable[[Any], str], **keep: Any) -> HttpResponse:
    """Run one action on the person; on bad input show their page again with the error,
    keeping what was typed or ticked (``keep``: the arguments of ``_page``)."""
    _admin(request)
    who = _person(pk)
    try:
        done = call(who)
    except actions.ActionError as e:
        return _page(request, who, errors=[f"{_FIELD.get(e.field, e.field)}: {e.message}"], failed=name, **keep)
    messages.success(request, done)
    if not access.may(request.user, actions.MANAGE):  # they took their own Administrator role
        return redirect("home")
    return redirect(reverse("accounts:person", args=[pk]) + f"#{name}")


@login_required
@require_POST
def set_roles(request: HttpRequest, pk: int) -> HttpResponse:
    wanted = request.POST.getlist("roles")

    def call(who: Any) -> str:
        given, taken = actions.set_roles(request.user, who, wanted)
        if not given and not taken:
            return "Nothing changed: those are the roles they were given."
        parts = [f"given {', '.join(labels(given))}"] if given else []
        parts += [f"taken {', '.join(labels(taken))}"] if taken else []
        return f"Roles of {who.get_username()}: " + "; ".join(parts) + "."

    return _do(request, pk, "roles", call, checked=set(wanted))


@login_required
@require_POST
def details(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    who = _person(pk)
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            changed = actions.update_details(
                request.user, who, full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"]
            )
        except actions.ActionError as e:
            _attach(form, e)
        else:
            messages.success(request, "Name and email saved." if changed else "Nothing changed.")
            return redirect(reverse("accounts:person", args=[pk]) + "#details")
    return _page(request, who, errors=error_summary(form), failed="details", details=form)


@login_required
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        _admin(request)
        return _page(request, _person(pk), errors=error_summary(form), failed="status", deactivate=form)

    def call(who: Any) -> str:
        actions.deactivate(request.user, who, reason=form.cleaned_data["reason"])
        return f"{who.get_username()} is deactivated: they cannot sign in and hold no role."

    return _do(request, pk, "status", call, deactivate=form)


@login_required
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    def call(who: Any) -> str:
        actions.reactivate(request.user, who)
        held = ", ".join(labels(assigned(who))) or "no role yet"
        return f"{who.get_username()} is active again and holds: {held}."

    return _do(request, pk, "status", call)


@login_required
@require_POST
def password_link(request: HttpRequest, pk: int) -> HttpResponse:
    def call(who: Any) -> str:
        sent = actions.send_password_link(request.user, who, base_url=request.build_absolute_uri("/"))
        return f"A link to set a password was mailed to {sent}; it works once, for {actions.link_days()} days."

    return _do(request, pk, "link", call)


@login_required
@require_POST
def reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    def call(who: Any) -> str:
        actions.reset_second_factor(request.user, who)
        return f"{who.get_username()}'s second factor is reset: they set up a new one at their next sign-in."

    return _do(request, pk, "second-factor", call)


# --------------------------------------------------------------------------
# Setting a password through the link (Django's own views, in the site's layout)
# --------------------------------------------------------------------------


class PasswordSetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set_confirm.html"
    success_url = reverse_lazy("accounts:password_set_done")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None  # a deactivated person's link is dead

    def form_valid(self, form: Any) -> HttpResponse:
        actions.set_password_from_link(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordSetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
