"""The public side's use of the one redaction path (kept in ``oversight.cases.people``)."""

from oversight.cases.people import case_people, redact_for_case

__all__ = ["case_people", "redact_for_case"]
