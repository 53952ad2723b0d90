"""Publishing through the one redaction path (SMC 3.29.030.C, D, G; 3.29.027.D; 3.29.040; 3.29.330.B)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oversight.cases import actions as case_actions
from oversight.cases.models import Case
from oversight.public import actions
from oversight.public.models import Digest, Publication, Subscription
from oversight.rules import access as R
from tests.history import record_history

from .conftest import PEOPLE_TEXT

pytestmark = pytest.mark.django_db

SECRETS = [
    "Taylor",
    "Brightwater",
    "206-555-0100",
    "taylor@example.net",
    "12 Yarrow",
    "Kai",
    "Ironside",
    "7421",
    "Jules",
    "Northcott",
    "Vale",
]


def _publish(staff: dict[str, Any], case: Case, text: str = PEOPLE_TEXT, **kw: Any) -> Publication:
    kw.setdefault("kind", "summary")
    kw.setdefault("title", "Force at 3rd and Pine")
    kw.setdefault("findings", ["sustained"])
    return actions.publish(staff[R.DIRECTOR], case, text=text, reviewed=actions.preview(case, text).text, **kw)


def test_the_preview_shows_every_redaction_and_the_published_text_names_no_one(
    staff: dict[str, Any], force_case: Case
) -> None:
    p = actions.preview(force_case, PEOPLE_TEXT)
    assert "Named Employee #1" in p.text and "the Complainant" in p.text and "Witness #1" in p.text
    found = " ".join(r.found for r in p.redactions)
    for s in ["Taylor Brightwater", "Kai Ironside", "7421", "Jules Northcott", "206-555-0100", "taylor@example.net"]:
        assert s in found
    pub = _publish(staff, force_case)
    for s in SECRETS:
        assert s not in pub.text
    assert pub.allegations == ["use_of_force"] and pub.precinct == "west"


def test_the_staff_screen_previews_then_publishes_exactly_what_was_previewed(
    staff: dict[str, Any], force_case: Case
) -> None:
    client = Client()
    client.force_login(staff[R.DIRECTOR])
    url = reverse("public:staff_publish")
    data = {
        "case": force_case.number,
        "kind": "summary",
        "title": "Kai Ironside and the push",
        "text": PEOPLE_TEXT,
        "findings": "sustained",
        "preview": "1",
    }
    resp = client.post(url, data)
    html = resp.content.decode()
    assert resp.status_code == 200 and 'id="redactions"' in html
    assert "Kai Ironside" in html  # the reviewer sees what was found ...
    assert "Named Employee #1 and the push" in html  # ... and what replaces it
    assert not Publication.objects.exists()
    data.pop("preview")
    # publishing with a reviewed text that is not the redaction's answer is refused
    resp = client.post(url, {**data, "publish": "1", "reviewed": "something else"})
    assert resp.status_code == 400 and "review the preview again" in resp.content.decode()
    assert not Publication.objects.exists()
    reviewed = actions.preview(force_case, PEOPLE_TEXT).text
    resp = client.post(url, {**data, "publish": "1", "reviewed": reviewed}, follow=True)
    assert resp.status_code == 200
    pub = Publication.objects.get()
    assert pub.title == "Named Employee #1 and the push"
    page = Client().get(reverse("public:publication", args=[pub.pk])).content.decode()
    for s in SECRETS:
        assert s not in page


def test_only_the_director_or_a_supervisor_may_publish(staff: dict[str, Any], force_case: Case) -> None:
    text = "The allegation was sustained."
    for role in (R.INTAKE, R.INVESTIGATOR, R.CPC_STAFF, "nobody"):
        with pytest.raises(actions.Refused):
            actions.publish(
                staff[role], force_case, kind="summary", title="t", text=text, reviewed=text, findings=["sustained"]
            )
    client = Client()
    client.force_login(staff[R.INVESTIGATOR])
    assert client.get(reverse("public:staff_publish")).status_code == 403
    assert not Publication.objects.exists()


def test_a_summary_states_findings_from_the_profile(staff: dict[str, Any], force_case: Case) -> None:
    with pytest.raises(actions.ActionError) as e:
        _publish(staff, force_case, findings=[])
    assert e.value.field == "findings"
    with pytest.raises(actions.ActionError) as e:
        _publish(staff, force_case, findings=["exonerated"])
    assert "'exonerated' is not a finding" in str(e.value)


def test_a_person_added_after_review_stops_the_publication(staff: dict[str, Any], force_case: Case) -> None:
    text = "Morgan Ashdown also saw it."
    reviewed = actions.preview(force_case, text).text
    assert "Morgan" in reviewed
    case_actions.add_named_employee(staff[R.INTAKE], force_case, name="Morgan Ashdown")
    with pytest.raises(actions.ActionError) as e:
        actions.publish(
            staff[R.DIRECTOR],
            force_case,
            kind="summary",
            title="t",
            text=text,
            reviewed=reviewed,
            findings=["unfounded"],
        )
    assert e.value.field == "reviewed"


def test_management_actions_statements_and_appeal_outcomes_are_published_by_the_same_door(
    staff: dict[str, Any], force_case: Case
) -> None:
    letter = "OPA recommends that SPD retrain West Precinct on de-escalation after Kai Ironside's case."
    pub = actions.publish_for_case(
        staff[R.DIRECTOR],
        force_case,
        "management_action",
        letter,
        reviewed=actions.preview(force_case, letter).text,
        status="Awaiting SPD response",
    )
    assert "Ironside" not in pub.text and pub.status == "Awaiting SPD response"
    with pytest.raises(actions.ActionError):
        actions.publish_for_case(staff[R.DIRECTOR], force_case, "chief_statement", "x")  # never unreviewed
    html = Client().get(reverse("public:publications") + "?kind=management_action").content.decode()
    assert "Management Action letter" in html


def _three(staff: dict[str, Any], force_case: Case) -> list[Publication]:
    other = case_actions.open_case(
        staff[R.INTAKE],
        channel="email",
        received_on=timezone.localdate() - dt.timedelta(days=3),
        precinct="north",
        named_employees=[{"name": "Lee Marrow"}],
        allegations=[{"employee": 0, "category": "courtesy"}],
    )
    return [
        _publish(staff, force_case, findings=["sustained"], completed_on=dt.date(2026, 3, 1)),
        _publish(
            staff,
            other,
            text="Lee Marrow was rude at a traffic stop; the video shows a raised voice.",
            title="Rudeness",
            findings=["training_referral"],
            completed_on=dt.date(2026, 5, 1),
        ),
        _publish(
            staff,
            force_case,
            kind="spd_response",
            title="SPD answers",
            text="SPD agrees.",
            findings=[],
            status="Implemented",
        ),
    ]


def test_search_by_text_allegation_finding_precinct_and_date(staff: dict[str, Any], force_case: Case) -> None:
    a, b, c = _three(staff, force_case)
    client = Client()

    def found(**q: str) -> set[int]:
        resp = client.get(reverse("public:publications"), q)
        assert resp.status_code == 200
        return {p.pk for p in resp.context["rows"]}

    assert found() == {a.pk, b.pk, c.pk}
    assert found(q="raised voice") == {b.pk}
    assert found(allegation="courtesy") == {b.pk}
    assert found(finding="sustained") == {a.pk}
    assert found(precinct="west", kind="summary") == {a.pk}
    assert found(start="2026-04-01", end="2026-06-30") == {b.pk}


def test_the_atom_feed_is_read_by_a_feed_parser_and_names_no_one(staff: dict[str, Any], force_case: Case) -> None:
    a, b, _ = _three(staff, force_case)
    body = Client().get(reverse("public:feed")).content
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert f"{force_case.number}: Force at 3rd and Pine" in titles
    entry = next(e for e in feed.entries if e.title.startswith(force_case.number + ": Force"))
    assert entry.link.endswith(reverse("public:publication", args=[a.pk]))
    assert "Named Employee #1" in entry.summary
    text = body.decode()
    for s in SECRETS + ["Marrow"]:
        assert s not in text


def test_the_csv_holds_the_published_texts_only(staff: dict[str, Any], force_case: Case) -> None:
    _three(staff, force_case)
    text = Client().get(reverse("public:publications_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3 and {r["case"] for r in rows} >= {force_case.number}
    for s in SECRETS:
        assert s not in text


def test_the_library_posts_agreements_and_reports_with_identifiers_removed(staff: dict[str, Any]) -> None:
    with pytest.raises(actions.Refused):
        actions.add_library_document(staff[R.INTAKE], kind="cba", title="SPOG CBA", text="terms")
    doc = actions.add_library_document(
        staff[R.DIRECTOR],
        kind="side_agreement",
        title="Settlement of grievance 2019-04",
        text="Agreed with the grievant, reachable at 206-555-0199, that ...",
        effective_on=dt.date(2019, 4, 2),
    )
    html = Client().get(reverse("public:library")).content.decode()
    assert "Settlement of grievance 2019-04" in html and "Collective bargaining agreement" in html
    page = Client().get(reverse("public:library_document", args=[doc.pk])).content.decode()
    assert "206-555-0199" not in page and "[phone removed]" in page


def test_the_monthly_digest_is_confirmed_sent_over_smtp_once_and_notes_appeals(
    smtp: Any, staff: dict[str, Any], force_case: Case, today: dt.date
) -> None:
    client = Client()
    resp = client.post(reverse("public:digest"), {"email": "nope"})
    assert resp.status_code == 400 and "Enter an email address" in resp.content.decode()
    client.post(reverse("public:digest"), {"email": "reader@example.org"})
    (confirm,) = smtp.to("reader@example.org")
    link = next(w for w in smtp.body(confirm).split() if "/digest/confirm/" in w)
    path = link.split("public.example.org", 1)[1]
    assert client.get(path).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    actions.subscribe("unconfirmed@example.org")  # never confirmed: gets no digest

    pub = _publish(staff, force_case)
    record_history(force_case, [("appeal_notice_filed", today, {})], staff[R.SUPERVISOR])
    month = today.replace(day=1)
    with pytest.raises(actions.ActionError):
        actions.send_monthly_digest(month)  # this month is not over
    Publication.objects.filter(pk=pub.pk).update(published_on=actions.prior_month(today))
    digest = actions.send_monthly_digest(actions.prior_month(today))
    assert digest.recipients == 1 and digest.publications == [pub.pk]
    (msg,) = [m for m in smtp.to("reader@example.org") if "summaries" in m["Subject"]]
    body = smtp.body(msg)
    assert force_case.number in body and "The discipline in this case has been appealed." in body
    assert "Named Employee #1" in body
    for s in SECRETS:
        assert s not in body
    assert smtp.to("unconfirmed@example.org")[0]["Subject"].startswith("Confirm")
    assert len(smtp.to("unconfirmed@example.org")) == 1
    with pytest.raises(actions.ActionError):
        actions.send_monthly_digest(actions.prior_month(today))
    assert Digest.objects.count() == 1
    # unsubscribing stops it
    unsub = next(w for w in body.split() if "/digest/unsubscribe/" in w).split("public.example.org", 1)[1]
    assert client.post(unsub).status_code == 200
    assert Subscription.objects.get(email="reader@example.org").unsubscribed_at is not None


def test_the_status_page_links_the_published_outcome(staff: dict[str, Any]) -> None:
    client = Client()
    client.post(
        reverse("public:complaint"), {"what_happened": "Shoved.", "anonymous": "on", "in_person_interview": "no"}
    )
    case = Case.objects.get()
    case_actions.close_case(staff[R.SUPERVISOR], case, "Investigated.")
    pub = _publish(staff, case, text="The allegation was not sustained.", findings=["unfounded"])
    html = client.get(reverse("public:track_status")).content.decode()
    assert "Your case is closed." in html
    assert reverse("public:publication", args=[pub.pk]) in html


def test_the_statistics_page_hides_small_cells_and_what_would_reveal_them(
    staff: dict[str, Any], force_case: Case
) -> None:
    for _ in range(3):
        _publish(staff, force_case, findings=["sustained"])
    for _ in range(6):
        _publish(staff, force_case, findings=["unfounded"])
    resp = Client().get(reverse("public:statistics"))
    html = resp.content.decode()
    body = resp.context["body"]
    finds = resp.context["finds"]
    (row, cells) = next((r, c) for r, c in body if r == "use_of_force")
    assert cells[finds.index("sustained")] is None  # 3 is below the threshold
    assert cells[finds.index("unfounded")] is None  # else 9 - 6 gives the 3 back
    assert cells[-1] == 9  # the row total is shown
    assert "—" in html


def test_the_statistics_threshold_is_the_profiles(
    staff: dict[str, Any], force_case: Case, settings: Any, tmp_path: Any
) -> None:
    """SMC 3.29.320.B: the threshold is the profile's publication.min_cell, not a setting."""
    for _ in range(3):
        _publish(staff, force_case, findings=["sustained"])
    for _ in range(6):
        _publish(staff, force_case, findings=["unfounded"])
    lower = tmp_path / "lower.toml"
    lower.write_text(
        '[profile]\nname = "lower"\ntitle = "t"\njurisdiction = "j"\nextends = "seattle"\n'
        '[publication]\nmin_cell."2020-01-01" = { value = 3, cite = "SMC 3.29.320.B (test)" }\n',
        encoding="utf-8",
    )
    settings.OVERSIGHT_PROFILE = str(lower)
    resp = Client().get(reverse("public:statistics"))
    assert resp.context["threshold"] == 3
    finds = resp.context["finds"]
    cells = next(c for r, c in resp.context["body"] if r == "use_of_force")
    assert cells[finds.index("sustained")] == 3 and cells[finds.index("unfounded")] == 6


def test_the_library_screen_previews_then_posts(staff: dict[str, Any]) -> None:
    client = Client()
    client.force_login(staff[R.ADMINISTRATOR])
    url = reverse("public:staff_library")
    data = {
        "kind": "cba",
        "title": "SPOG agreement 2024-2027",
        "text": "Call 206-555-0123 for copies.",
        "url": "",
        "effective_on": "2024-01-01",
        "preview": "1",
    }
    resp = client.post(url, data)
    assert resp.status_code == 200 and "[phone removed]" in resp.content.decode()
    data.pop("preview")
    resp = client.post(url, {**data, "publish": "1", "reviewed": "Call me."})
    assert resp.status_code == 400 and "differs from the one reviewed" in resp.content.decode()
    resp = client.post(url, {**data, "publish": "1", "reviewed": "Call [phone removed] for copies."}, follow=True)
    assert "SPOG agreement 2024-2027" in resp.content.decode()
    other = Client()
    other.force_login(staff[R.INTAKE])
    assert other.get(url).status_code == 403
