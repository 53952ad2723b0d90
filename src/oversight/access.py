"""The web app's door to the one access model (``oversight.rules.access``).

Every page, download and API operation asks here: which roles a user holds, what a case
is for them (``CaseFacts``), whether they may take an action or read a part of it, and
the same question as a database filter for lists and search (``cases_q``). A refusal is
``Refused``, which the site renders as a page in its layout (``oversight.views.refused``)
and the API as JSON.

The scopes of ``rules.access`` are computed here in two ways that must agree: on one
case (``facts_for``) and as a query over all cases (``scope_q``); a test checks both on
generated cases.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from oversight.rules import access as A

if TYPE_CHECKING:
    from oversight.cases.models import Case

__all__ = [
    "A",
    "Refused",
    "Reader",
    "roles_of",
    "facts_for",
    "may",
    "require",
    "reads",
    "require_read",
    "cases_q",
    "SENSITIVE",
    "record_read",
]


class Refused(PermissionDenied):
    """A refusal: what was tried, why not (with the citation), where to go instead."""

    def __init__(
        self, refusal: A.Refusal | str, *, cite: str = "", what: str = "", where: tuple[str, ...] = ()
    ) -> None:
        if isinstance(refusal, str):
            refusal = A.Refusal(what or "that", refusal, cite, where)
        self.refusal = refusal
        super().__init__(refusal.text())


def roles_of(user: Any) -> frozenset[str]:
    """The roles a user holds: their groups that are roles (a superuser is an administrator).
    An inactive or anonymous user holds none."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return frozenset()
    cached = getattr(user, "_oversight_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if getattr(user, "is_superuser", False):
            names.add(A.ADMINISTRATOR)
        cached = frozenset(n for n in names if n in A.ROLES)
        user._oversight_roles = cached
    return cached


def _user_pk(user: Any) -> int | None:
    return user.pk if user is not None and getattr(user, "is_authenticated", False) else None


# --------------------------------------------------------------------------
# Scopes as queries, and on one case
# --------------------------------------------------------------------------


def _has_event(type: str) -> Exists:
    from oversight.cases.models import CaseEvent

    return Exists(CaseEvent.objects.filter(case=OuterRef("pk"), type=type))


def _criminal() -> Exists:
    from oversight.cases.models import Allegation

    return Exists(Allegation.objects.filter(case=OuterRef("pk"), criminal=True))


def _own(user_pk: int | None) -> Exists:
    from oversight.discipline.models import CaseAccess

    return Exists(CaseAccess.objects.filter(case=OuterRef("pk"), user_id=user_pk))


AT_INTAKE_Q = Q(classification="", routed_to="", closed_on__isnull=True)


def scope_q(scope: str, user: Any) -> Q:
    """The cases inside ``scope`` for ``user``, as a filter on Case."""
    pk = _user_pk(user)
    if scope == A.ANY:
        return Q(pk__isnull=False)
    if scope == A.OPEN:
        return Q(closed_on__isnull=True)
    if scope == A.CLOSED:
        return Q(closed_on__isnull=False)
    if scope == A.AT_INTAKE:
        return AT_INTAKE_Q
    if scope == A.ASSIGNED:
        return Q(investigator_id=pk) | Q(supervisor_id=pk) if pk is not None else Q(pk__in=[])
    if scope == A.FINDINGS:
        return Q(_has_event("proposed_findings_issued"))
    if scope == A.DECIDED:
        return Q(_has_event("chief_decision"))
    if scope == A.CRIMINAL:
        return Q(_criminal())
    if scope == A.NOTICED:
        return Q(_has_event("notice_sent"))
    if scope == A.OWN:
        return Q(_own(pk))
    raise KeyError(scope)


def _grants_q(grants: Mapping[str, A.Grant], user: Any) -> Q:
    roles = roles_of(user)
    q = Q(pk__in=[])
    for role, grant in grants.items():
        if role in roles:
            for s in grant.scopes:
                q |= scope_q(s, user)
    return q


def cases_q(user: Any, part: str = A.CASE) -> Q:
    """The cases in which ``user`` reads ``part`` (nothing, for a user with no role)."""
    return _grants_q(A.READS[part], user)


def action_q(user: Any, action: str) -> Q:
    """The cases on which ``user`` may take ``action``."""
    return _grants_q(A.PERMISSIONS[action].grants, user)


def facts_for(user: Any, case: Case) -> A.CaseFacts:
    """What the access model needs to know of ``case`` for ``user``, as the database has it
    now: one query. (A ``Reader`` computes it once for a page.)"""
    from oversight.cases.models import Case

    pk = _user_pk(user)
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            _findings=_has_event("proposed_findings_issued"),
            _decided=_has_event("chief_decision"),
            _criminal=_criminal(),
            _noticed=_has_event("notice_sent"),
            _own=_own(pk),
        )
        .values_list(
            "classification",
            "routed_to",
            "closed_on",
            "investigator_id",
            "supervisor_id",
            "_findings",
            "_decided",
            "_criminal",
            "_noticed",
            "_own",
        )
        .first()
    )
    if row is None:
        return A.CaseFacts()
    classification, routed, closed_on, inv, sup, findings, decided, criminal, noticed, own = row
    facts = A.CaseFacts(
        closed=closed_on is not None,
        at_intake=not classification and not routed and closed_on is None,
        assigned=pk is not None and pk in (inv, sup),
        findings=bool(findings),
        decided=bool(decided),
        criminal=bool(criminal),
        noticed=bool(noticed),
        own=bool(own),
    )
    return facts


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------


def may(user: Any, action: str, case: Case | None = None) -> bool:
    roles = roles_of(user)
    if case is None:
        return A.holds_role_for(roles, action)
    return A.may(roles, action, facts_for(user, case))


def require(user: Any, action: str, case: Case | None = None) -> None:
    """Raise ``Refused`` unless ``user`` may take ``action`` (on ``case``)."""
    roles = roles_of(user)
    if case is None:
        if not A.holds_role_for(roles, action):
            raise Refused(A.refusal(roles, action))
        return
    facts = facts_for(user, case)
    if not A.may(roles, action, facts):
        raise Refused(A.refusal(roles, action, facts))


def reads(user: Any, case: Case, part: str = A.CASE) -> bool:
    """The question only: nothing is shown, nothing recorded (``Reader.reads`` and
    ``require_read`` are where a part is shown, and recorded)."""
    return A.reads(roles_of(user), part, facts_for(user, case))


def require_read(user: Any, case: Case | None, part: str = A.CASE, *, record: str = "") -> None:
    """Raise ``Refused`` unless ``user`` reads ``part`` of ``case`` (``None``: a part that
    belongs to no case, the hotline). A sensitive part read here is about to be shown (a
    download, a document, a report): the read is recorded, and so is a refusal."""
    roles = roles_of(user)
    facts = facts_for(user, case) if case is not None else None
    request = current_request.get()
    # A GET is a read: shown or refused, it is recorded. A POST is an action: refused, it writes
    # nothing; taken, the page it renders records what that page shows.
    looking = part in SENSITIVE and (request is None or request.method in ("GET", "HEAD"))
    if not A.reads(roles, part, facts):
        if looking:
            record_read(user, part, case, outcome="refused", record=record)
        raise Refused(A.read_refusal(roles, part, facts))
    if looking:
        record_read(user, part, case, record=record)


# --------------------------------------------------------------------------
# Who read what (recorded here, reviewed by OIG at /oig/reads/)
# --------------------------------------------------------------------------

# The parts whose every showing is recorded: people's identity, the evidence, what the
# complainant sent, discipline, and hotline reports.
SENSITIVE: frozenset[str] = frozenset(
    {A.COMPLAINANT, A.WITNESS, A.EVIDENCE, A.ADDITIONS, A.DISCIPLINE, A.HOTLINE, A.EMPLOYEE_HISTORY}
)

# The request being answered (set by ``ReadContextMiddleware``): where a read came from.
current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("oversight_request", default=None)


class ReadContextMiddleware:
    """Makes the request known to the access model, so a read is recorded with its address."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def _client_ip(request: Any) -> str | None:
    from django.conf import settings

    meta = request.META
    if getattr(settings, "OVERSIGHT_TRUST_X_FORWARDED_FOR", False) and meta.get("HTTP_X_FORWARDED_FOR"):
        return str(meta["HTTP_X_FORWARDED_FOR"]).split(",")[0].strip() or None
    return meta.get("REMOTE_ADDR") or None


def record_read(user: Any, part: str, case: Case | None, *, outcome: str = "shown", record: str = "") -> None:
    """Record that ``part`` (of ``case``) was shown to ``user``, or refused to them: who, with
    which roles, which record, when, from where. The record is sealed like every record of a
    case (``oversight.cases.integrity``)."""
    from django.db import transaction
    from django.utils import timezone

    from oversight.cases.models import ReadRecord

    request = current_request.get()
    who = user if user is not None and getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        ReadRecord.objects.create(
            at=timezone.now(),
            user=who,
            roles=",".join(sorted(roles_of(user))),
            part=part,
            outcome=outcome,
            case=case,
            record=record[:120],
            path=(request.get_full_path()[:300] if request is not None else ""),
            method=(request.method or "")[:8] if request is not None else "",
            ip=_client_ip(request) if request is not None else None,
        )


def _present(case: Case, part: str) -> bool:
    """Whether ``case`` has anything of ``part`` to show (a part with nothing in it is not read)."""
    if part == A.COMPLAINANT:
        return case.complainants.exists()
    if part == A.WITNESS:
        return case.witnesses.exists()
    if part == A.EVIDENCE:
        from oversight.public.models import WebEvidence

        return (
            case.evidence.exists() or case.plans.exists() or WebEvidence.objects.filter(complaint__case=case).exists()
        )
    if part == A.ADDITIONS:
        from oversight.public.models import WebComplaint

        return WebComplaint.objects.filter(case=case).exists()
    if part == A.DISCIPLINE:
        from oversight.discipline.models import ChiefDecision, Discipline, Finding, Recommendation

        return any(m.objects.filter(case=case).exists() for m in (Finding, Recommendation, ChiefDecision, Discipline))
    return False  # the hotline is no part of a case


class _Lazy(Mapping[str, bool]):
    """A mapping computed on first look-up (templates read ``reader.may.classify``)."""

    def __init__(self, keys: Any, fn: Any) -> None:
        self._keys = list(keys)
        self._fn = fn
        self._seen: dict[str, bool] = {}

    def __getitem__(self, key: str) -> bool:
        if key not in self._seen:
            if key not in self._keys:
                raise KeyError(key)
            self._seen[key] = bool(self._fn(key))
        return self._seen[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class Reader:
    """One person looking at one case: what they read of it and what they may do on it."""

    def __init__(self, user: Any, case: Case) -> None:
        self.user = user
        self.case = case
        self.roles = roles_of(user)
        self.facts = facts_for(user, case)
        self.reads = _Lazy(A.PARTS, self._shows)
        self.may = _Lazy(A.PERMISSIONS, lambda action: A.may(self.roles, action, self.facts))
        self._people: list[Any] | None = None

    def _shows(self, part: str) -> bool:
        """Whether this reader reads ``part``: asked where the part is about to be shown, so
        a sensitive part that is read (and has something in it) is recorded, once per page.
        A part withheld or redacted is not recorded as shown."""
        ok = A.reads(self.roles, part, self.facts)
        if ok and part in SENSITIVE and _present(self.case, part):
            record_read(self.user, part, self.case)
        return ok

    @property
    def withheld(self) -> list[str]:
        """Why each part this reader does not read is not shown (for the top of the case page)."""
        return [A.WITHHELD[p] for p in A.WITHHELD if not self.reads[p]]

    @property
    def sees_everyone(self) -> bool:
        return all(self.reads[p] for p in (A.COMPLAINANT, A.WITNESS, A.EMPLOYEES))

    def redact(self, text: str) -> str:
        """``text`` as this reader may read it: the people whose identity they do not read
        are replaced by their role, through the one redaction path."""
        if not text or self.sees_everyone:
            return text
        from oversight.rules.redaction import redact

        return redact(text, self._hidden()).text

    def _hidden(self) -> list[Any]:
        if self._people is None:
            from oversight.cases.people import hidden_people

            self._people = hidden_people(self.case, self)
        return self._people

    def redact_data(self, value: Any) -> Any:
        """A JSON value (an event's data) with every string passed through ``redact``."""
        if self.sees_everyone:
            return value
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_data(v) for v in value]
        if isinstance(value, dict):
            return {k: self.redact_data(v) for k, v in value.items()}
        return value
