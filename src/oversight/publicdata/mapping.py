"""Mapping files: which column of a city's export feeds which standard field.

A mapping is a TOML file::

    [dataset]
    name = "seattle-terry"          # the dataset's name in the store
    kind = "stops"                  # stops, force or shootings (kinds.py)
    title = "..."
    encoding = "utf-8-sig"          # optional; utf-8-sig also reads files without a BOM
    officer_namespace = "spd"       # same namespace + same officer ID = same pseudonym
    placeholders = ["-", ""]        # values that mean "unknown" in every column

    [fields.stop_id]
    column = "Terry Stop ID"        # the export's column header, exactly
    pattern = '^[0-9]+$'            # a value that does not match sets the row aside

    [fields.subject_race]
    column = "Subject Perceived Race"
    placeholders = ["Unknown"]      # more values meaning unknown, for this column only
    values = { "Hispanic" = "Hispanic or Latino" }   # raw -> standard vocabulary

Options per field: ``column`` (required), ``placeholders``, ``values``, ``pattern``,
``format`` (strptime, one or a list, for date and datetime fields), ``true`` / ``false``
(for yes/no fields), and for the cells real exports have:

- ``contains = { "Protective Frisk" = "TRUE" }``: a cell containing the text (a multi-valued
  cell such as "Incident to Arrest,Protective Frisk") gets the value; the first match in the
  file's order wins;
- ``matches = { '^[0-9]+$' = "..." }``: the same with regular expressions (RE2);
- ``blank = "FALSE"``: the value of an empty cell (otherwise an empty cell is unknown);
- ``otherwise = "FALSE"``: the value of a non-empty cell that no ``values``, ``contains`` or
  ``matches`` entry took;
- ``bands = { "1 - 17" = 17, "18 - 25" = 25, "56 and Above" = 200 }``: a number becomes the
  first band whose upper bound (inclusive) it does not pass (ages into age groups);
- ``optional = true``: a file without the column simply does not feed the field (the shipped
  ``opp`` mapping marks every column so);
- ``caveat = "..."``: a warning about the column's meaning, shown on every page that shows
  the field (e.g. a flag recorded only in some years);
- ``missing_when = [{ year = [2015, 2016] }, { subject_race = ["Other"] }]``: where the column
  says nothing (a flag left at "N" in some years or for some groups), the field is unknown for the
  records any condition takes (a condition's fields all match; ``year`` is the record's year): its
  counts and rates there are "no data", and rates elsewhere count only the records that have it.

``[dataset] timezone`` (e.g. ``America/New_York``) is the stops' local time, for the
veil-of-darkness test. ``[dataset] disclosure`` is ``rows`` (the city publishes every record: the default) or
``aggregate`` (only counts may be published: no row-level download). A field may be named by
its Stanford Open Policing Project name where this schema calls it otherwise
(``kinds.OPP_ALIASES``). Pure Python: imports no Django.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from oversight.publicdata.kinds import KINDS, OPP_ALIASES, Field, Kind

DATASET_KEYS = {
    "name",
    "kind",
    "title",
    "publisher",
    "encoding",
    "officer_namespace",
    "placeholders",
    "notes",
    "disclosure",
    "timezone",
}
FIELD_KEYS = {
    "column",
    "placeholders",
    "values",
    "pattern",
    "format",
    "true",
    "false",
    "contains",
    "matches",
    "blank",
    "otherwise",
    "bands",
    "caveat",
    "optional",
    "missing_when",
}
DISCLOSURES = ("rows", "aggregate")
RESERVED_NAMES = {"all"}  # ``--dataset all`` pools every dataset of a kind
DEFAULT_TRUE = ("Y", "Yes", "YES", "yes", "True", "TRUE", "true", "1")
DEFAULT_FALSE = ("N", "No", "NO", "no", "False", "FALSE", "false", "0")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class FieldMap:
    field: Field
    column: str
    placeholders: frozenset[str]
    values: dict[str, str]
    pattern: re.Pattern[str] | None
    formats: tuple[str, ...]
    true: frozenset[str]
    false: frozenset[str]
    contains: tuple[tuple[str, str], ...] = ()
    matches: tuple[tuple[str, str], ...] = ()
    blank: str | None = None
    otherwise: str | None = None
    bands: tuple[tuple[str, float], ...] = ()
    caveat: str = ""
    optional: bool = False  # a file without the column simply does not feed the field
    # where the column carries no information: any of these conditions (each a conjunction of
    # standard field -> values, "year" for the record's year) makes the field unknown
    missing_when: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()


@dataclass(frozen=True)
class Mapping:
    name: str
    kind: Kind
    title: str
    publisher: str
    encoding: str
    officer_namespace: str
    fields: tuple[FieldMap, ...]
    origin: str
    notes: str = ""
    placeholders: frozenset[str] = field(default_factory=frozenset)
    disclosure: str = "rows"
    timezone: str = ""  # the stops' local time zone (the veil-of-darkness test needs it)

    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    def mapped(self) -> set[str]:
        """The standard fields this mapping feeds."""
        return {f.field.name for f in self.fields}

    def caveats(self) -> dict[str, str]:
        """The mapping's warnings, by standard field."""
        return {f.field.name: f.caveat for f in self.fields if f.caveat}

    def for_header(self, header: list[str]) -> tuple[Mapping, list[str]]:
        """The mapping without its optional fields whose column the file lacks, and those columns."""
        have = {h.strip() for h in header}
        absent = [f for f in self.fields if f.optional and f.column not in have]
        if not absent:
            return self, []
        kept = tuple(f for f in self.fields if f not in absent)
        return replace(self, fields=kept), sorted({f.column for f in absent})

    @property
    def row_key(self) -> bool:
        """Whether each row's line is the key (the file has no column for it)."""
        return self.kind.row_key and self.kind.key not in self.mapped()


def shipped() -> list[str]:
    """The names of the mappings shipped with the package."""
    folder = resources.files("oversight.publicdata").joinpath("mappings")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_shipped(name: str) -> Mapping:
    if name not in shipped():
        raise MappingError(f"--source: no shipped mapping {name!r}; shipped: {', '.join(shipped())}")
    text = resources.files("oversight.publicdata").joinpath("mappings", f"{name}.toml").read_text("utf-8")
    return parse(text, origin=f"{name}.toml")


def read_mapping(path: Path) -> str:
    """A mapping file's text (UTF-8), or a MappingError naming the file and why it cannot be read."""
    try:
        return path.read_text("utf-8")
    except OSError as e:
        raise MappingError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not UTF-8 text") from None


def load_file(path: Path) -> Mapping:
    return parse(read_mapping(path), origin=str(path))


def strs(origin: str, where: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MappingError(f"{origin}: {where} must be a string or a list of strings")
    return tuple(value)


def read_header(text: str, origin: str, dataset_keys: set[str]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A mapping file's TOML, its ``[dataset]`` table (no key outside ``dataset_keys``) and its
    checked name; the public data's and the complaint history's mappings share this shape."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise MappingError(f"{origin}: not TOML: {e}") from None
    unknown = set(doc) - {"dataset", "fields"}
    if unknown:
        raise MappingError(
            f"{origin}: unknown table(s) {', '.join(sorted(unknown))}; expected [dataset] and [fields.*]"
        )
    ds = doc.get("dataset")
    if not isinstance(ds, dict):
        raise MappingError(f"{origin}: missing [dataset] table")
    bad = set(ds) - dataset_keys
    if bad:
        raise MappingError(f"{origin}: [dataset]: unknown key(s) {', '.join(sorted(bad))}")
    name = ds.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise MappingError(f"{origin}: [dataset] name must be lower-case letters, digits and dashes, got {name!r}")
    return doc, ds, name


def parse(text: str, origin: str = "<mapping>") -> Mapping:
    doc, ds, name = read_header(text, origin, DATASET_KEYS)
    if name in RESERVED_NAMES:
        raise MappingError(f"{origin}: [dataset] name {name!r} is reserved (it means every dataset)")
    disclosure = ds.get("disclosure", "rows")
    if disclosure not in DISCLOSURES:
        raise MappingError(f"{origin}: [dataset] disclosure must be rows or aggregate, got {disclosure!r}")
    kind_name = ds.get("kind")
    if kind_name not in KINDS:
        raise MappingError(f"{origin}: [dataset] kind must be one of {', '.join(KINDS)}, got {kind_name!r}")
    kind = KINDS[kind_name]
    encoding = ds.get("encoding", "utf-8-sig")
    try:
        "".encode(encoding)
    except (LookupError, TypeError):
        raise MappingError(f"{origin}: [dataset] encoding {encoding!r} is not a known text encoding") from None
    common = frozenset(strs(origin, "[dataset] placeholders", ds.get("placeholders", [])))

    fields_doc = doc.get("fields")
    if not isinstance(fields_doc, dict) or not fields_doc:
        raise MappingError(f"{origin}: missing [fields.*] tables")
    maps: list[FieldMap] = []
    for fname, spec in fields_doc.items():
        fname = OPP_ALIASES.get(fname, fname) if kind.name == "stops" else fname
        f = kind.get(fname)
        where = f"[fields.{fname}]"
        if f is None:
            known = ", ".join(x.name for x in kind.fields)
            raise MappingError(f"{origin}: {where}: {kind.name} has no standard field {fname!r}; known: {known}")
        if not isinstance(spec, dict):
            raise MappingError(f"{origin}: {where} must be a table")
        bad = set(spec) - FIELD_KEYS
        if bad:
            raise MappingError(f"{origin}: {where}: unknown option(s) {', '.join(sorted(bad))}")
        column = spec.get("column")
        if not isinstance(column, str) or not column:
            raise MappingError(f"{origin}: {where}: 'column' (the export's header) is required")
        values = spec.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise MappingError(f"{origin}: {where}: 'values' must map raw strings to standard strings")
        pattern = None
        if "pattern" in spec:
            try:
                pattern = re.compile(spec["pattern"])
            except (re.error, TypeError) as e:
                raise MappingError(f"{origin}: {where}: bad pattern: {e}") from None
        formats = strs(origin, f"{where} format", spec.get("format", []))
        if f.type in ("date", "datetime") and not formats:
            raise MappingError(f"{origin}: {where}: a {f.type} field needs 'format' (strptime, e.g. '%m/%d/%Y')")
        true = frozenset(strs(origin, f"{where} true", spec.get("true", list(DEFAULT_TRUE))))
        false = frozenset(strs(origin, f"{where} false", spec.get("false", list(DEFAULT_FALSE))))
        if true & false:
            raise MappingError(f"{origin}: {where}: {sorted(true & false)} listed as both true and false")
        ph = common | frozenset(strs(origin, f"{where} placeholders", spec.get("placeholders", [])))
        extra = _extras(origin, where, spec, f)
        maps.append(FieldMap(f, column, ph, dict(values), pattern, formats, true, false, **extra))

    for m in maps:
        for cond in m.missing_when:
            for col, _vals in cond:
                if col != "year" and kind.get(col) is None:
                    raise MappingError(
                        f"{origin}: [fields.{m.field.name}] missing_when: {kind.name} has no standard field {col!r}"
                    )
    mapped = {m.field.name for m in maps}
    if len(mapped) != len(maps):
        raise MappingError(f"{origin}: a standard field is mapped twice (once under its Stanford name?)")
    missing = [r for r in kind.required if r not in mapped]
    if missing:
        raise MappingError(f"{origin}: {kind.name} needs field(s) {', '.join(missing)}; add [fields.NAME] with column")
    ns = ds.get("officer_namespace", name)
    if not isinstance(ns, str) or not ns:
        raise MappingError(f"{origin}: [dataset] officer_namespace must be a non-empty string")
    return Mapping(
        name=name,
        kind=kind,
        title=str(ds.get("title", name)),
        publisher=str(ds.get("publisher", "")),
        encoding=encoding,
        officer_namespace=ns,
        fields=tuple(maps),
        origin=origin,
        notes=str(ds.get("notes", "")),
        placeholders=common,
        disclosure=disclosure,
        timezone=_timezone(origin, ds.get("timezone", "")),
    )


def _timezone(origin: str, tz: Any) -> str:
    if tz == "":
        return ""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(str(tz))
    except (KeyError, ValueError):
        raise MappingError(f"{origin}: [dataset] timezone {tz!r} is not a time zone such as America/New_York") from None
    return str(tz)


def _pairs(origin: str, where: str, value: Any, regex: bool = False) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise MappingError(f"{origin}: {where} must map text to standard strings")
    if regex:
        for p in value:
            try:
                re.compile(p)
            except re.error as e:
                raise MappingError(f"{origin}: {where}: bad pattern {p!r}: {e}") from None
    return tuple((str(k), str(v)) for k, v in value.items())


def _missing_when(origin: str, where: str, value: Any) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    if not isinstance(value, list) or not value or not all(isinstance(c, dict) and c for c in value):
        raise MappingError(f"{origin}: {where} must be a list of tables such as {{ year = [2015, 2016] }}")
    out = []
    for cond in value:
        parts = []
        for col, vals in cond.items():
            vals = vals if isinstance(vals, list) else [vals]
            if not vals or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in vals):
                raise MappingError(f"{origin}: {where}: {col} must be a value or a list of values")
            parts.append((str(col), tuple(str(v) for v in vals)))
        out.append(tuple(parts))
    return tuple(out)


def _extras(origin: str, where: str, spec: dict[str, Any], f: Field) -> dict[str, Any]:
    """The options for real exports' cells: contains, matches, blank, otherwise, bands, caveat."""
    out: dict[str, Any] = {}
    if "contains" in spec:
        out["contains"] = _pairs(origin, f"{where} contains", spec["contains"])
    if "matches" in spec:
        out["matches"] = _pairs(origin, f"{where} matches", spec["matches"], regex=True)
    if "optional" in spec:
        if not isinstance(spec["optional"], bool):
            raise MappingError(f"{origin}: {where} optional must be true or false")
        out["optional"] = spec["optional"]
    for key in ("blank", "otherwise", "caveat"):
        if key in spec:
            if not isinstance(spec[key], str):
                raise MappingError(f"{origin}: {where} {key} must be a string")
            out[key] = spec[key]
    if "missing_when" in spec:
        out["missing_when"] = _missing_when(origin, f"{where} missing_when", spec["missing_when"])
    if "bands" in spec:
        b = spec["bands"]
        if f.type != "text":
            raise MappingError(f"{origin}: {where}: bands make a text field (an age group) from numbers")
        if not isinstance(b, dict) or not b or not all(isinstance(v, int | float) for v in b.values()):
            raise MappingError(f"{origin}: {where} bands must map each band's label to its upper bound (a number)")
        bounds = list(b.values())
        if bounds != sorted(bounds):
            raise MappingError(f"{origin}: {where} bands must be in increasing order of their upper bounds")
        out["bands"] = tuple((str(k), float(v)) for k, v in b.items())
    return out
