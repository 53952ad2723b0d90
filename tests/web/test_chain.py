"""The tamper-evident event log: each entry carries the hash of the one before."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from oversight.cases import actions
from oversight.cases.models import AppendOnlyError, CaseEvent
from oversight.rules import access as R

from .conftest import intake_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(staff, today):
    for _ in range(3):
        case = actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
        actions.classify(staff[R.SUPERVISOR], case, "investigation", "Force alleged.")
    return list(CaseEvent.objects.order_by("pk"))


def test_each_entry_links_to_the_one_before(log):
    assert log[0].prev_hash == "0" * 64
    for before, after in zip(log, log[1:], strict=False):
        assert after.prev_hash == before.hash
    n, broken, why = actions.verify_chain()
    assert (n, broken, why) == (len(log), None, "")


def test_the_command_reports_an_intact_chain(log, capsys):
    call_command("verify_chain")
    assert f"chain intact: {len(log)} entries verified" in capsys.readouterr().out


def test_a_changed_entry_is_named(log):
    target = log[4]
    CaseEvent.objects.filter(pk=target.pk).update(data={"classification": "contact_log"})  # behind the log's back
    with pytest.raises(CommandError) as err:
        call_command("verify_chain")
    msg = str(err.value)
    assert f"entry 5 (event id {target.pk}, case {target.case.number}, #{target.seq} {target.type}" in msg
    assert "content does not match" in msg


def test_a_removed_entry_breaks_the_link_at_the_next_one(log):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_caseevent WHERE id = %s", [log[2].pk])
    n, broken, why = actions.verify_chain()
    assert broken is not None and broken.pk == log[3].pk and n == 3
    assert "link" in why


def test_a_removed_last_entry_is_noticed(log):
    with connection.cursor() as cur:
        cur.execute("DELETE FROM cases_caseevent WHERE id = %s", [log[-1].pk])
    n, broken, why = actions.verify_chain()
    assert broken is None and "removed from the end" in why


def test_events_cannot_be_edited_or_deleted_through_the_models(log):
    ev = log[0]
    ev.data = {"x": 1}
    with pytest.raises(AppendOnlyError):
        ev.save()
    with pytest.raises(AppendOnlyError):
        ev.delete()


def test_imported_cases_extend_the_chain(staff, today, log):
    from oversight.cases.seed import demo_cases, ensure_demo_users

    users = ensure_demo_users()
    cases = demo_cases(5, today, 12, users)
    with pytest.raises(actions.ActionError, match="never reused"):  # the log's cases hold the first numbers
        actions.import_cases(staff[R.ADMINISTRATOR], cases)
    for c in cases:
        c["number"] = c["number"].replace("OPA-", "OPA-9")
    actions.import_cases(staff[R.ADMINISTRATOR], cases)
    actions.open_case(staff[R.INTAKE], **intake_kwargs(today))
    n, broken, why = actions.verify_chain()
    assert broken is None and why == "" and n == CaseEvent.objects.count()
