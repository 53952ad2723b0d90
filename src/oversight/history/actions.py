"""The one door for writing complaint history: each complaint of an export as a closed case
(no clock events: it never enters the live clock or the board), its named employees, its
allegations, their final findings and any discipline, marked as imported with the export's
own words beside; one transaction, bulk inserts, every record sealed.

Importing the same export again changes nothing (each complaint's digest is compared). A
complaint gone from a later export, or changed in it, is marked withdrawn (its records stay:
SMC 3.29.320.E) and a changed one is written again as a new version; when that would withdraw
more than the profile's ``imports.replace_share`` of what is there, the import stops unless
``replace`` is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from oversight import access
from oversight.cases.actions.base import ActionError, User, audit, require
from oversight.cases.actions.bulk import import_cases
from oversight.cases.integrity import seal_objects
from oversight.cases.models import Allegation, Case, NamedEmployee
from oversight.discipline.models import Discipline, Finding
from oversight.history.mapping import Mapping
from oversight.history.reader import Complaint, Read
from oversight.rules.access import ADMINISTRATOR, INSPECTOR_GENERAL, OIG_AUDITOR

from .models import (
    HANDLING_LABELS,
    AlertHandling,
    EfficacyReport,
    ImportedAllegation,
    ImportedCase,
    ImportedDataset,
    ImportedEmployee,
)

SYSTEM_USER = "oversight-import"
Progress = Callable[[str, float | None], None]


class ReplaceNeeded(ActionError):
    """A re-import would withdraw more than a small share of what is there."""


@dataclass
class Outcome:
    added: int
    unchanged: int
    withdrawn: int
    changed: int


def system_user() -> Any:
    """The account the command line imports as: an administrator that cannot sign in."""
    U = get_user_model()
    user, made = U.objects.get_or_create(username=SYSTEM_USER, defaults={"is_active": True})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    user.groups.add(group)
    return user


def replace_share() -> float:
    """The share of an imported dataset a re-import may withdraw without ``--replace``
    (settings ``OVERSIGHT_IMPORT_REPLACE_SHARE``, default 5%): an operator's safeguard, not a
    rule of the chapter."""
    return float(getattr(settings, "OVERSIGHT_IMPORT_REPLACE_SHARE", 0.05))


def _number(mapping: Mapping, c: Complaint, version: int) -> str:
    base = f"{mapping.case_prefix}-{c.source_id}"
    return (base if version == 1 else f"{base}.{version}")[:32]


def import_complaints(
    user: User, mapping: Mapping, result: Read, replace: bool = False, progress: Progress | None = None
) -> Outcome:
    """Write an export's complaints as closed imported cases (see the module's words)."""
    require(user, "import_cases")
    now = timezone.now()
    with transaction.atomic():
        ds, _ = ImportedDataset.objects.select_for_update().get_or_create(
            name=mapping.name,
            defaults={"title": mapping.title, "mapping": mapping.origin, "imported_at": now, "imported_by": user},
        )
        current = {
            sid: (pk, digest, version)
            for pk, sid, digest, version in ImportedCase.objects.filter(
                dataset=ds, withdrawn_at__isnull=True
            ).values_list("pk", "source_id", "digest", "version")
        }
        versions: dict[str, int] = {}
        for sid, v in ImportedCase.objects.filter(dataset=ds).values_list("source_id", "version"):
            versions[sid] = max(versions.get(sid, 0), v)
        incoming = {sid: c.digest() for sid, c in result.complaints.items()}
        gone = [sid for sid in current if sid not in incoming]
        changed = [sid for sid, d in incoming.items() if sid in current and current[sid][1] != d]
        new = [sid for sid in incoming if sid not in current]
        share = replace_share()
        if current and not replace and (len(gone) + len(changed)) > share * len(current):
            raise ReplaceNeeded(
                "--replace",
                f"this import would withdraw {len(gone)} and rewrite {len(changed)} of the {len(current)} "
                f"complaints of {mapping.name} already imported, more than {share:.0%}; "
                "check the file, then run again with --replace",
            )
        if gone or changed:
            ImportedCase.objects.filter(pk__in=[current[s][0] for s in gone + changed]).update(withdrawn_at=now)
        todo = [result.complaints[s] for s in changed + new]
        _write(user, mapping, ds, todo, versions, progress)
        ds.title, ds.publisher, ds.mapping = mapping.title, mapping.publisher, mapping.origin
        ds.notes, ds.can_show, ds.names_public = mapping.notes, mapping.can_show, mapping.names_public
        ds.office_history = mapping.office_history
        ds.imported_at, ds.imported_by = now, user
        outcome = Outcome(len(new), len(incoming) - len(new) - len(changed), len(gone), len(changed))
        ds.report = {**result.report, **{f"cases_{k}": v for k, v in outcome.__dict__.items()}}
        ds.save()
        audit(user, "import_complaints", None, dataset=mapping.name, **outcome.__dict__)
    return outcome


def _write(
    user: Any, mapping: Mapping, ds: ImportedDataset, todo: list[Complaint], versions: dict[str, int], progress: Any
) -> None:
    batch = 2000
    today = timezone.localdate()
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        cases = []
        for c in chunk:
            v = versions.get(c.source_id, 0) + 1
            versions[c.source_id] = v
            cv = c.values
            closed = cv.get("closed") or cv.get("received") or today
            if not cv.get("closed"):
                c.precision["closed"] = "unknown: the export gives none"
            cases.append(
                {
                    "number": _number(mapping, c, v),
                    "channel": "imported",
                    "received_on": cv.get("received"),
                    "incident_date": cv.get("occurred"),
                    "precinct": "",
                    "classification": cv.get("classification") or "investigation",
                    "closed_on": closed,
                    "summary": "",
                    "search_stale": False,
                    "board_flags": [],
                    "timeline_statement_owed": False,  # no clock events: it owes the clock nothing
                    "named_employees": [
                        {
                            "name": e.name,
                            "serial": (e.key if mapping.names_public and len(e.key) <= 16 else ""),
                            "rank": str(e.values.get("rank") or "")[:60],
                            "assignment": str(e.values.get("assignment") or "")[:120],
                            "years_of_service": e.values.get("years_of_service"),
                        }
                        for e in c.employees.values()
                    ],
                    "allegations": [
                        {"employee": i, "category": a.values.get("category") or "other", "description": ""}
                        for i, e in enumerate(c.employees.values())
                        for a in e.allegations.values()
                    ],
                    "events": [],
                }
            )
        import_cases(user, cases, batch=batch)
        made = {
            n: pk for n, pk in Case.objects.filter(number__in=[c["number"] for c in cases]).values_list("number", "pk")
        }
        emps = {}
        for pk, case_id in (
            NamedEmployee.objects.filter(case_id__in=made.values()).order_by("pk").values_list("pk", "case_id")
        ):
            emps.setdefault(case_id, []).append(pk)
        allegs = {}
        for pk, case_id in (
            Allegation.objects.filter(case_id__in=made.values()).order_by("pk").values_list("pk", "case_id")
        ):
            allegs.setdefault(case_id, []).append(pk)
        icases, iemps, iallegs, findings, disc = [], [], [], [], []
        for c, spec in zip(chunk, cases, strict=True):
            case_id = made[spec["number"]]
            icases.append(
                ImportedCase(
                    case_id=case_id,
                    dataset=ds,
                    source_id=c.source_id,
                    version=versions[c.source_id],
                    digest=c.digest(),
                    line=c.line,
                    raw={**c.raw, "rows": c.rows},
                    precision=c.precision,
                )
            )
            a_iter = iter(allegs.get(case_id, []))
            decided = spec["closed_on"]
            for e_pk, e in zip(emps.get(case_id, []), c.employees.values(), strict=True):
                iemps.append(
                    ImportedEmployee(
                        named_employee_id=e_pk,
                        pseudonym=e.pseudonym or "",
                        race=str(e.values.get("officer_race") or "")[:80],
                        gender=str(e.values.get("officer_gender") or "")[:40],
                        raw=e.raw,
                    )
                )
                kinds = set()
                for a in e.allegations.values():
                    a_pk = next(a_iter)
                    av = a.values
                    iallegs.append(
                        ImportedAllegation(
                            allegation_id=a_pk,
                            line=a.line,
                            rows=a.rows,
                            recommended_discipline=str(av.get("recommended_discipline") or "")[:120],
                            discipline=av.get("discipline") or "",
                            appeal_outcome=av.get("appeal_outcome") or "",
                            raw=a.raw,
                        )
                    )
                    if av.get("finding"):
                        findings.append(
                            Finding(
                                case_id=case_id,
                                allegation_id=a_pk,
                                named_employee_id=e_pk,
                                stage="chief",
                                finding=av["finding"],
                                decided_on=decided,
                                recorded_by=user,
                                recorded_at=timezone.now(),
                            )
                        )
                    if av.get("discipline"):
                        kinds.add(av["discipline"])
                for k in sorted(kinds, key=_severity):
                    disc.append(
                        Discipline(
                            case_id=case_id,
                            named_employee_id=e_pk,
                            kind=k,
                            imposed_on=decided,
                            effective_on=decided,
                            recorded_by=user,
                            recorded_at=timezone.now(),
                        )
                    )
                    break  # the most severe of what the rows say
        ImportedCase.objects.bulk_create(icases)
        ImportedEmployee.objects.bulk_create(iemps, batch_size=5000)
        ImportedAllegation.objects.bulk_create(iallegs, batch_size=5000)
        seal_objects(Finding.objects.bulk_create(findings, batch_size=5000))
        seal_objects(Discipline.objects.bulk_create(disc, batch_size=5000))
        if progress is not None:
            progress("writing", min(1.0, (start + len(chunk)) / max(len(todo), 1)))


SEVERITY = ("termination", "demotion", "suspension", "written_reprimand", "oral_reprimand", "none")


def _severity(kind: str) -> int:
    return SEVERITY.index(kind) if kind in SEVERITY else len(SEVERITY)


def handle_alert(user: User, alert_key: str, action: str, note: str = "") -> AlertHandling:
    """Record how SPD command handled an alert (SMC 3.29.305.E): the alert as it stands now,
    with the records that raised it."""
    from .alerts import current

    require(user, "handle_alert")
    if not action:
        raise ActionError("action", "choose how the alert was handled")
    if action not in HANDLING_LABELS:
        raise ActionError("action", f"{action!r} is not one of: {', '.join(HANDLING_LABELS)}")
    alert = next((a for a in current() if a.key == alert_key), None)
    if alert is None:
        raise ActionError("alert", "no such alert now: the records that raise it may have changed; reload the list")
    with transaction.atomic():
        h = AlertHandling.objects.create(
            alert_key=alert.key,
            rule=alert.rule,
            pseudonym=alert.who,
            level=alert.level,
            records=[{"ref": r.ref, "on": r.on.isoformat(), "source": r.source} for r in alert.records],
            action=action,
            note=note.strip(),
            handled_by=user,
            handled_at=timezone.now(),
        )
        audit(user, "handle_alert", None, alert=alert.key, handling=action)
    return h


def report_efficacy(user: User, period_start: dt.date, period_end: dt.date, findings: str) -> EfficacyReport:
    """SPD's or OIG's report on the efficacy of performance mentoring and early intervention
    (SMC 3.29.305.E), kept with the numbers of the moment."""
    from .alerts import current, efficacy

    require(user, "report_efficacy")
    if period_end < period_start:
        raise ActionError("period_end", "the period ends before it starts")
    if not findings.strip():
        raise ActionError("findings", "say what the numbers show")
    roles = access.roles_of(user)
    office = "oig" if roles & {INSPECTOR_GENERAL, OIG_AUDITOR} else "spd"
    handlings = list(AlertHandling.objects.filter(handled_at__date__gte=period_start, handled_at__date__lte=period_end))
    with transaction.atomic():
        r = EfficacyReport.objects.create(
            office=office,
            period_start=period_start,
            period_end=period_end,
            findings=findings.strip(),
            numbers=efficacy(current(), handlings),
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit(user, "report_efficacy", None, report=r.pk, office=office)
    return r
