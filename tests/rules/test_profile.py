"""The law as data: a broken profile names the file, the key and what is wrong."""

from __future__ import annotations

import ast
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from oversight.rules import compute, load_profile, parse_case
from oversight.rules.profile import ProfileError, available_profiles

RULES_DIR = Path(__file__).parents[2] / "src" / "oversight" / "rules"
SEATTLE = RULES_DIR / "profiles" / "seattle.toml"


def _write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def _seattle_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SEATTLE.read_text()
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def test_seattle_is_shipped_and_default() -> None:
    assert "seattle" in available_profiles()
    rules = load_profile().at(dt.date(2018, 1, 1))
    assert rules.profile == "seattle"
    assert rules.deadlines["investigation"].days == 180
    assert rules.deadlines["investigation"].cite == "SMC 3.29.026.B"


def test_every_dated_value_has_a_citation_and_a_date() -> None:
    raw = tomllib.loads(SEATTLE.read_text())

    def walk(node: object, path: str) -> int:
        n = 0
        if isinstance(node, dict):
            if node and all(isinstance(k, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", k) for k in node):
                for date_key, entry in node.items():
                    assert isinstance(entry, dict) and set(entry) == {"value", "cite"}, f"{path}.{date_key}"
                    assert entry["cite"].startswith("SMC 3.29."), f"{path}.{date_key}"
                    n += 1
            else:
                for k, v in node.items():
                    n += walk(v, f"{path}.{k}")
        return n

    assert walk(raw, "") > 30


def test_unknown_key(tmp_path: Path) -> None:
    p = _seattle_with(tmp_path, 'label = "Investigation complete', 'lable = "typo"\nlabel = "Investigation complete')
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    assert str(p) in str(e.value)
    assert "deadlines.investigation.lable" in str(e.value)
    assert "unknown key" in str(e.value)


def test_value_without_citation(tmp_path: Path) -> None:
    p = _seattle_with(
        tmp_path,
        'days."2017-07-01" = { value = 180, cite = "SMC 3.29.026.B" }',
        'days."2017-07-01" = { value = 180 }',
    )
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    msg = str(e.value)
    assert str(p) in msg and 'deadlines.investigation.days."2017-07-01".cite' in msg and "missing" in msg


def test_negative_duration(tmp_path: Path) -> None:
    p = _seattle_with(
        tmp_path,
        'days."2017-07-01" = { value = 30, cite = "SMC 3.29.026.A" }',
        'days."2017-07-01" = { value = -30, cite = "SMC 3.29.026.A" }',
    )
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    msg = str(e.value)
    assert str(p) in msg and "deadlines.named_employee_notice.days" in msg and "negative" in msg


def test_bad_date_key_and_unknown_event(tmp_path: Path) -> None:
    p = _seattle_with(tmp_path, 'days."2017-07-01" = { value = 10, cite', 'days."2017-13-01" = { value = 10, cite')
    with pytest.raises(ProfileError, match=r"deadlines\.oig_review\.days.*not a real date"):
        load_profile(p)
    p = _seattle_with(tmp_path, 'value = ["notice_sent"]', 'value = ["notice_snet"]')
    with pytest.raises(ProfileError, match=r"completed_by.*unknown event type 'notice_snet'"):
        load_profile(p)


def test_not_toml(tmp_path: Path) -> None:
    p = _write(tmp_path, "[profile\nname=")
    with pytest.raises(ProfileError, match=r"broken\.toml: not valid TOML"):
        load_profile(p)


def test_a_later_profile_overlays_the_baseline(tmp_path: Path) -> None:
    """An amendment adds dated values; a case is judged by what was in force on its start date."""
    amendment = _write(
        tmp_path,
        """
[profile]
name = "seattle-amended"
title = "A hypothetical amendment"
jurisdiction = "City of Seattle"
extends = "seattle"

[deadlines.investigation]
days."2021-01-01" = { value = 150, cite = "Hypothetical Ordinance 1, amending SMC 3.29.026.B" }

[flags]
limitation_barred."2021-01-01" = { value = false, cite = "Hypothetical Ordinance 1" }
""",
        "amended.toml",
    )
    prof = load_profile(amendment)
    assert prof.name == "seattle-amended"
    old = {"incident_date": "2010-01-01", "events": [{"type": "complaint_received", "date": "2020-12-31"}]}
    new = {"incident_date": "2010-01-01", "events": [{"type": "complaint_received", "date": "2021-01-01"}]}
    r_old = compute(parse_case(old), prof, dt.date(2021, 1, 5))
    r_new = compute(parse_case(new), prof, dt.date(2021, 1, 5))
    inv_old = next(d for d in r_old["deadlines"] if d["id"] == "investigation")
    inv_new = next(d for d in r_new["deadlines"] if d["id"] == "investigation")
    assert inv_old["due"] == "2021-06-29" and inv_old["explanation"][0]["cite"] == "SMC 3.29.026.B"
    assert inv_new["due"] == "2021-05-31" and inv_new["explanation"][0]["cite"].startswith("Hypothetical")
    assert [f["id"] for f in r_old["flags"]] == ["limitation_barred"]
    assert r_new["flags"] == []
    # the baseline itself is untouched
    base = compute(parse_case(new), load_profile("seattle"), dt.date(2021, 1, 5))
    assert next(d for d in base["deadlines"] if d["id"] == "investigation")["due"] == "2021-06-30"


def test_overlay_errors_name_the_overlay_file(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        '[profile]\nname = "x"\ntitle = "x"\njurisdiction = "x"\nextends = "seattle"\n'
        '[deadlines.investigation]\ndays."2021-01-01" = { value = -1, cite = "x" }\n',
        "overlay.toml",
    )
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    assert str(e.value).startswith(f"{p}: deadlines.investigation.days")


def test_no_duration_is_written_in_the_engine() -> None:
    """The law's numbers live in the profile: the engine's code has no 180, 60, 30 or 10."""
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and type(node.value) is int:
                assert node.value not in (180, 60, 30, 10), f"{path.name}:{node.lineno}: {node.value}"


def test_rules_import_no_django() -> None:
    for path in RULES_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.split(".")[0] == "django" for n in names), path


# --------------------------------------------------------------------------
# The publication threshold (SMC 3.29.320.B)
# --------------------------------------------------------------------------

MIN_CELL = (
    'min_cell."2017-07-01" = { value = 5, cite = "SMC 3.29.320.B (protect the privacy of those involved; '
    "the threshold is the deployment's choice)\" }"
)


def test_the_publication_threshold_is_dated_and_cited() -> None:
    rules = load_profile().at(dt.date.today())
    assert rules.publication.min_cell == 5
    assert rules.publication.cite.startswith("SMC 3.29.320.B")
    assert load_profile().at(dt.date(2017, 7, 1)).publication.min_cell == 5


def test_a_negative_publication_threshold_is_refused(tmp_path: Path) -> None:
    p = _seattle_with(tmp_path, MIN_CELL, 'min_cell."2017-07-01" = { value = -1, cite = "SMC 3.29.320.B" }')
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    msg = str(e.value)
    assert str(p) in msg and 'publication.min_cell."2017-07-01".value' in msg and "negative" in msg


def test_a_publication_threshold_without_citation_is_refused(tmp_path: Path) -> None:
    p = _seattle_with(tmp_path, MIN_CELL, 'min_cell."2017-07-01" = { value = 5 }')
    with pytest.raises(ProfileError) as e:
        load_profile(p)
    msg = str(e.value)
    assert str(p) in msg and 'publication.min_cell."2017-07-01".cite' in msg and "missing" in msg
    p = _seattle_with(tmp_path, MIN_CELL, 'min_cell."2017-07-01" = { value = 5, cite = "" }')
    with pytest.raises(ProfileError, match=r'publication\.min_cell\."2017-07-01"\.cite'):
        load_profile(p)


def test_a_profile_without_a_publication_threshold_or_with_a_fraction_is_refused(tmp_path: Path) -> None:
    p = _seattle_with(tmp_path, "[publication]\n" + MIN_CELL, "")
    with pytest.raises(ProfileError, match=r"publication: required key is missing"):
        load_profile(p)
    p = _seattle_with(tmp_path, MIN_CELL, 'min_cell."2017-07-01" = { value = 4.5, cite = "SMC 3.29.320.B" }')
    with pytest.raises(ProfileError, match=r'publication\.min_cell\."2017-07-01"\.value'):
        load_profile(p)


def test_a_later_profile_changes_the_publication_threshold_from_its_date(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        '[profile]\nname = "x"\ntitle = "x"\njurisdiction = "x"\nextends = "seattle"\n'
        '[publication]\nmin_cell."2024-01-01" = { value = 10, cite = "SMC 3.29.320.B (a larger threshold)" }\n',
        "publication.toml",
    )
    prof = load_profile(p)
    assert prof.at(dt.date(2023, 12, 31)).publication.min_cell == 5
    assert prof.at(dt.date(2024, 1, 1)).publication.min_cell == 10
    assert prof.at(dt.date(2024, 1, 1)).publication.cite == "SMC 3.29.320.B (a larger threshold)"


# --------------------------------------------------------------------------
# Bargaining (SMC 3.29.400.B) and the chapter's start (SMC 3.29.400.F)
# --------------------------------------------------------------------------

OVER_SEATTLE = '[profile]\nname = "bargained"\ntitle = "x"\njurisdiction = "x"\nextends = "seattle"\n'


def _deadline(result: object, dl_id: str) -> dict[str, object]:
    return next(d for d in result["deadlines"] if d["id"] == dl_id)  # type: ignore[index]


def _case(received: str, *events: dict[str, object]) -> object:
    return parse_case({"events": [{"type": "complaint_received", "date": received}, *events]})


def test_a_value_pending_bargaining_is_not_in_force(tmp_path: Path) -> None:
    """3.29.400.B: a provision that requires bargaining "shall not become effective until the City satisfies its
    collective bargaining obligations": the value before it stays in force, and the explanation says why."""
    p = _write(
        tmp_path,
        OVER_SEATTLE + '[deadlines.named_employee_notice]\ndays."2019-01-01" = '
        '{ value = 20, cite = "Hypothetical contract, SMC 3.29.026.A", bargaining = "pending" }\n',
    )
    prof = load_profile(p)
    notice = _deadline(compute(_case("2019-03-01"), prof, dt.date(2019, 3, 5)), "named_employee_notice")
    assert notice["due"] == "2019-03-31"  # 30 days, the value in force
    steps = notice["explanation"]
    assert [(s["days"], s["cite"]) for s in steps] == [(30, "SMC 3.29.026.A")]  # type: ignore[index,union-attr]
    assert "awaits collective bargaining" in steps[0]["text"] and "SMC 3.29.400.B" in steps[0]["text"]  # type: ignore[index]
    pending = prof.at(dt.date(2019, 3, 1)).pending
    assert [(v.key, v.value, v.bargaining) for v in pending] == [
        ('deadlines.named_employee_notice.days."2019-01-01"', 20, "pending")
    ]
    assert prof.at(dt.date(2018, 12, 31)).pending == ()


def test_a_bargained_value_is_in_force_from_the_day_it_took_effect(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        OVER_SEATTLE + '[deadlines.named_employee_notice]\ndays."2019-01-01" = '
        '{ value = 20, cite = "Hypothetical contract, SMC 3.29.026.A", bargaining = "2019-06-01" }\n',
    )
    prof = load_profile(p)
    before = _deadline(compute(_case("2019-05-31"), prof, dt.date(2019, 6, 2)), "named_employee_notice")
    after = _deadline(compute(_case("2019-06-01"), prof, dt.date(2019, 6, 2)), "named_employee_notice")
    assert before["due"] == "2019-06-30"  # 30 days: the bargained value was not yet in force when this case began
    assert after["due"] == "2019-06-21"  # 20 days, from the day it took effect
    assert after["explanation"][0]["cite"] == "Hypothetical contract, SMC 3.29.026.A"  # type: ignore[index]


def test_a_deadline_whose_only_value_awaits_bargaining_does_not_apply(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        OVER_SEATTLE + '[deadlines.incident_review]\ndays."2017-07-01" = '
        '{ value = 90, cite = "SMC 3.29.335.A", bargaining = "pending" }\n',
    )
    case = parse_case(
        {"events": [{"type": "incident_review_started", "date": "2018-01-05", "unit": "Force Review Board"}]}
    )
    review = _deadline(compute(case, load_profile(p), dt.date(2018, 6, 1)), "incident_review_1")
    assert review["status"] == "not_applicable" and review["due"] is None
    assert [(s["days"], s["cite"]) for s in review["explanation"]] == [(0, "SMC 3.29.400.B")]  # type: ignore[union-attr]
    # the shipped profile marks nothing pending: the same review has its 90 days
    shipped = _deadline(compute(case, load_profile(), dt.date(2018, 6, 1)), "incident_review_1")
    assert shipped["due"] == "2018-04-05" and shipped["status"] == "overdue"


def test_an_adjustment_pending_bargaining_adds_nothing(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        OVER_SEATTLE + '[adjustments.interview_postponed]\nevent."2017-07-01" = '
        '{ value = "interview_postponed", cite = "SMC 3.29.026.D", bargaining = "pending" }\n',
    )
    case = _case("2018-01-10", {"type": "interview_postponed", "date": "2018-02-01", "days": 5})
    inv = _deadline(compute(case, load_profile(p), dt.date(2018, 3, 1)), "investigation")
    assert inv["due"] == "2018-07-09"
    assert _deadline(compute(case, load_profile(), dt.date(2018, 3, 1)), "investigation")["due"] == "2018-07-14"


def test_profile_show_says_what_awaits_bargaining(tmp_path: Path) -> None:
    import subprocess
    import sys

    p = _write(
        tmp_path,
        OVER_SEATTLE + '[deadlines.named_employee_notice]\ndays."2019-01-01" = '
        '{ value = 20, cite = "Hypothetical contract", bargaining = "pending" }\n',
    )
    oversight = str(Path(sys.executable).parent / "oversight")
    out = subprocess.run([oversight, "profile", "show", str(p), "--at", "2019-03-01"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if "named_employee_notice.days" in x)
    assert "pending bargaining: not in force" in line and "SMC 3.29.400.B" in line
    assert "named_employee_notice: 30 days" in out.stdout


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (
            'days."2017-07-01" = { value = 30, cite = "SMC 3.29.026.A" }',
            'days."2017-07-01" = { value = 30, cite = "SMC 3.29.026.A", bargaining = "soon" }',
            r'deadlines\.named_employee_notice\.days\."2017-07-01"\.bargaining: .*neither',
        ),
        (
            'days."2017-07-01" = { value = 30, cite = "SMC 3.29.026.A" }',
            'days."2017-07-01" = { value = 30, cite = "SMC 3.29.026.A", bargaining = "2017-01-01" }',
            r"named_employee_notice\.days\.\"2017-07-01\"\.bargaining: 2017-01-01 is before the value was enacted",
        ),
        (
            'years."2017-07-01" = { value = 3, cite = "SMC 3.29.310.A.5" }',
            'years."2017-07-01" = { value = 3, cite = "SMC 3.29.310.A.5", bargaining = "pending" }',
            r'limitation\.years\."2017-07-01"\.bargaining: only a deadline',
        ),
    ],
)
def test_a_broken_bargaining_mark_is_refused(tmp_path: Path, old: str, new: str, needle: str) -> None:
    p = _seattle_with(tmp_path, old, new)
    with pytest.raises(ProfileError, match=needle) as e:
        load_profile(p)
    assert str(e.value).startswith(str(p))


def test_the_chapter_is_not_retroactive() -> None:
    """3.29.400.F: a case begun before 2017-07-01 (Ordinance 125315 in force) is judged by none of its clocks."""
    rules = load_profile().at(dt.date(2017, 6, 30))
    assert rules.before_chapter and rules.not_retroactive.cite == "SMC 3.29.400.F"
    assert all(d.not_in_force is not None for d in rules.deadlines.values())
    assert not load_profile().at(dt.date(2017, 7, 1)).before_chapter
    result = compute(_case("2017-06-30"), load_profile(), dt.date(2018, 6, 1))
    assert {d["status"] for d in result["deadlines"]} == {"not_applicable"} and result["flags"] == []
    result = compute(_case("2017-07-01"), load_profile(), dt.date(2018, 6, 1))
    assert _deadline(result, "investigation")["status"] == "overdue"


def test_a_profile_may_apply_its_first_rules_to_earlier_cases(tmp_path: Path) -> None:
    """Another jurisdiction's law may reach back: applicability.not_retroactive = false applies the first values."""
    p = _write(
        tmp_path,
        OVER_SEATTLE + '[applicability]\nnot_retroactive."2017-07-01" = { value = false, cite = "Hypothetical" }\n',
    )
    inv = _deadline(compute(_case("2017-01-10"), load_profile(p), dt.date(2017, 3, 1)), "investigation")
    assert inv["due"] == "2017-07-09" and inv["status"] == "open"
    assert "first rules, of 2017-07-01, applied here" in inv["explanation"][0]["text"]  # type: ignore[index]


def test_every_value_the_profile_holds_is_read_or_says_who_will() -> None:
    """No dated value sits in the profile unread: each period and schedule is read by the code, or its comment
    says which later work will read it."""
    text = SEATTLE.read_text()
    src = "\n".join(p.read_text() for p in (RULES_DIR.parent).rglob("*.py"))
    raw = tomllib.loads(text)
    for section in ("periods", "schedules"):
        for key in raw[section]:
            read = f'"{key}"' in src
            block = text.split(f"[{section}.{key}]", 1)[1].split("\n[", 1)[0]
            preface = text.split(f"[{section}.{key}]", 1)[0].rsplit("\n\n", 1)[-1]
            assert read or "Read by no engine yet" in block + preface, f"{section}.{key} is read by nothing"
