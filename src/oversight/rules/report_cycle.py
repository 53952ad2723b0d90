"""The draft cycle of OIG's reports (SMC 3.29.115.E), as dates.

Pure Python. The Inspector General delivers a preliminary draft to the Chief of Police, the
OPA Director and others as appropriate; they comment within ``comment_days`` after receiving it
and release it to nobody meanwhile; the Inspector General issues the final report within
``final_days`` after receiving the comments. Readings taken where the text is open:

- the comment period runs from the day the draft was delivered (received);
- "after receipt of any comments" runs from the last comment, once every reviewer commented,
  or from the comment period's end when some reviewer did not comment by then;
- the report may be released (posted) once every reviewer commented or the comment period ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cycle:
    comment_due: dt.date
    final_due: dt.date | None  # None while comments may still come
    in_review: bool  # nothing may be released
    status: str  # "in_review" | "final_due" | "final_overdue"
    steps: tuple[str, ...]  # each date explained, with its citation


def draft_cycle(
    delivered: dt.date,
    reviewers: int,
    comments: list[dt.date],
    comment_days: int,
    final_days: int,
    today: dt.date,
    cite: str,
) -> Cycle:
    if reviewers < 1:
        raise ValueError("reviewers: the draft goes to at least the Chief of Police and the OPA Director")
    if any(c < delivered for c in comments):
        raise ValueError("comments: a comment is dated before the draft was delivered")
    comment_due = delivered + dt.timedelta(days=comment_days)
    timely = [c for c in comments if c <= comment_due]
    steps = [
        f"Delivered {delivered.isoformat()}; comments due {comment_days} days later, {comment_due.isoformat()} [{cite}]"
    ]
    if len(comments) >= reviewers:
        start = max(comments)
        steps.append(f"All {reviewers} reviewers commented, the last on {start.isoformat()}")
    elif today > comment_due:
        start = max(timely + [comment_due])
        steps.append(f"The comment period ended {comment_due.isoformat()} with {len(timely)} of {reviewers} comments")
    else:
        return Cycle(comment_due, None, True, "in_review", tuple(steps + ["In review: release it to nobody"]))
    final_due = start + dt.timedelta(days=final_days)
    steps.append(f"Final report due {final_days} days later, {final_due.isoformat()} [{cite}]")
    return Cycle(comment_due, final_due, False, "final_overdue" if today > final_due else "final_due", tuple(steps))
