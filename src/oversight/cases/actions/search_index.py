"""The search's projection of each case: its words as written, and through the one redaction path.

A case's words are its summary, its notes and its allegations' descriptions. The search
(``oversight.cases.search``) reads them in two forms kept on the case: ``search_text`` as
written, for those who read every person's identity in that case, and ``search_redacted``,
the same text through ``people.redact_for_case`` (every complainant, witness and named
employee replaced by their role, identifiers removed), for everyone else. So a reader who
may not read a complainant's name cannot find the case by typing it, even where the name
was written into the summary or a note.

Like the board's projection (``clock.refresh_board``) this is not a person's action: no
event, no audit entry. ``append_event`` marks the case stale whenever anything is recorded
on it; ``refresh_search_index`` recomputes every stale case, and the search calls it before
it reads. One mark for every write, so a write that adds to what the redaction path knows
(a person, an interview, the web form's complaint created after the case's first events)
cannot leave an old redacted text behind.
"""

from __future__ import annotations

from django.db import transaction

from ..models import Case
from ..people import redact_for_case

BATCH = 500


def case_words(case: Case) -> str:
    """The words a search reads on ``case``, as written (notes and allegations prefetched or not)."""
    parts = [case.summary, *(n.text for n in case.notes.all()), *(a.description for a in case.allegations.all())]
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def refresh_search_index(batch: int = BATCH) -> int:
    """Recompute the two texts of every stale case; returns the number recomputed.

    Each batch locks its stale rows first: a write in progress on one of them (which holds the
    row from ``lock_case`` or from ``append_event``'s mark) is waited for and then read, and a
    write that starts later marks the case stale again after this batch is saved."""
    done = 0
    while True:
        with transaction.atomic():
            pks = list(
                Case.objects.filter(search_stale=True)
                .order_by("pk")
                .select_for_update(of=("self",))
                .values_list("pk", flat=True)[:batch]
            )
            if not pks:
                return done
            cases = list(
                Case.objects.filter(pk__in=pks)
                .select_related("web_complaint")
                .prefetch_related("notes", "allegations", "interviews", "named_employees", "complainants", "witnesses")
            )
            for case in cases:
                words = case_words(case)
                case.search_text = words
                case.search_redacted = redact_for_case(words, case).text if words else ""
                case.search_stale = False
            Case.objects.bulk_update(cases, ["search_text", "search_redacted", "search_stale"], batch_size=batch)
        done += len(cases)
        if len(pks) < batch:
            return done
