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
