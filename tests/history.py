"""A case's past as another system recorded it: events appended to the log directly, the way
an import brings history in (``oversight.cases.actions.import_cases``). For tests that need a
case at a later stage without taking it through every office's forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from oversight.cases import actions as case_actions
from oversight.cases.models import Case


def record_history(case: Case, events: Iterable[tuple[str, dt.date, dict[str, Any]]], user: Any = None) -> None:
    with transaction.atomic():
        locked = case_actions.lock_case(case)
        for type, on, data in events:
            case_actions.append_event(locked, type, on, user, data)
