"""Mapping files for complaint history: which column of a city's export feeds which field of
a complaint, an allegation and a named employee, and how its words become the profile's.

A mapping is a TOML file (see ``mappings/template.toml`` for every option, with comments)::

    [dataset]
    name = "nyc-ccrb"                 # the dataset's name; its complaints are numbered PREFIX-ID
    case_prefix = "CCRB"
    officer_namespace = "nyc-nypd"    # same namespace + same officer ID = same pseudonym
    names_public = false              # false: officer names are read for nothing, never stored
    placeholders = ["", "Unknown"]    # values meaning "unknown" in every column

    [fields.complaint_id]
    column = "complaint_id"
    [fields.received]
    columns = ["year_received", "month_received"]   # joined with a space
    format = "%Y %m"                                 # month and year only: the first of the month
    [fields.finding]
    column = "board_disposition"
    values = { "Substantiated (Charges)" = "sustained" }

Pure Python: imports no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from oversight.publicdata.mapping import MappingError, read_header, read_mapping, strs

DATASET_KEYS = {
    "name",
    "title",
    "publisher",
    "encoding",
    "format",
    "officer_namespace",
    "case_prefix",
    "names_public",
    "placeholders",
    "notes",
    "row",
    "can_show",
    "office_history",
}
FIELD_KEYS = {"column", "columns", "placeholders", "values", "pattern", "format", "default"}
PREFIX_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,11}$")


@dataclass(frozen=True)
class Std:
    """A standard field of complaint history."""

    name: str
    level: str  # complaint, employee or allegation: where the field's value belongs
    type: str  # text, date, int, code (a vocabulary), private (read, never stored)
    vocabulary: str = ""  # code fields: the vocabulary its values map onto
    required: bool = False
    doc: str = ""


FIELDS: tuple[Std, ...] = (
    Std("complaint_id", "complaint", "text", required=True, doc="the complaint's number in the export"),
    Std("received", "complaint", "date", doc="when the complaint was received"),
    Std("occurred", "complaint", "date", doc="when the incident happened"),
    Std("closed", "complaint", "date", doc="when the case was closed"),
    Std("precinct", "complaint", "text", doc="precinct (or command) of the incident"),
    Std("classification", "complaint", "code", "classifications", doc="how the complaint was handled"),
    Std("officer_id", "employee", "text", doc="the named employee's ID in the export (stored only as a pseudonym)"),
    Std("officer_name", "employee", "private", doc="the named employee's name (stored only with names_public)"),
    Std("rank", "employee", "text", doc="the named employee's rank at the incident"),
    Std("assignment", "employee", "text", doc="unit or command at the incident"),
    Std("officer_race", "employee", "text", doc="the named employee's race or ethnicity"),
    Std("officer_gender", "employee", "text", doc="the named employee's gender"),
    Std("years_of_service", "employee", "int", doc="whole years of service at the incident"),
    Std("category", "allegation", "code", "allegation_categories", doc="the allegation's policy category"),
    Std("allegation", "allegation", "text", doc="the allegation as the export words it"),
    Std("finding", "allegation", "code", "findings", doc="the finding, onto the profile's findings"),
    Std("recommended_discipline", "allegation", "text", doc="the discipline recommended (its label)"),
    Std("discipline", "allegation", "code", "discipline", doc="the discipline imposed"),
    Std("appeal_outcome", "allegation", "code", "appeal_outcomes", doc="the appeal's outcome, when appealed"),
)
BY_NAME = {f.name: f for f in FIELDS}
# What the app's own records say for discipline and appeals (discipline.models), as codes.
DISCIPLINE_CODES = ("none", "oral_reprimand", "written_reprimand", "suspension", "demotion", "termination")
APPEAL_CODES = ("pending", "upheld", "modified", "reversed", "settled", "withdrawn")


@dataclass(frozen=True)
class FieldMap:
    field: Std
    columns: tuple[str, ...]
    placeholders: frozenset[str]
    values: dict[str, str]
    pattern: re.Pattern[str] | None
    formats: tuple[str, ...]
    default: str | None

    @property
    def label(self) -> str:
        return " + ".join(self.columns)


@dataclass(frozen=True)
class Mapping:
    name: str
    title: str
    publisher: str
    encoding: str
    format: str  # csv or json
    officer_namespace: str
    case_prefix: str
    names_public: bool
    office_history: bool
    row: str  # what one row of the export is: allegation, employee or complaint
    fields: tuple[FieldMap, ...]
    origin: str
    notes: str = ""
    can_show: str = ""
    placeholders: frozenset[str] = field(default_factory=frozenset)

    def get(self, name: str) -> FieldMap | None:
        return next((f for f in self.fields if f.field.name == name), None)

    def columns(self) -> list[str]:
        return [c for f in self.fields for c in f.columns]


def shipped() -> list[str]:
    folder = resources.files("oversight.history").joinpath("mappings")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml") and p.name != "template.toml"
    )


def load_shipped(name: str) -> Mapping:
    if name not in shipped():
        raise MappingError(f"--source: no shipped complaints mapping {name!r}; shipped: {', '.join(shipped())}")
    text = resources.files("oversight.history").joinpath("mappings", f"{name}.toml").read_text("utf-8")
    return parse(text, origin=f"{name}.toml")


def load_file(path: Path) -> Mapping:
    return parse(read_mapping(path), origin=str(path))


def parse(text: str, origin: str = "<mapping>", vocabularies: dict[str, set[str]] | None = None) -> Mapping:
    """Check and read a mapping. ``vocabularies`` (the profile's findings, categories and
    classifications, by name) are checked against the ``values`` a code field maps onto."""
    doc, ds, name = read_header(text, origin, DATASET_KEYS)
    prefix = ds.get("case_prefix", name.upper()[:12])
    if not isinstance(prefix, str) or not PREFIX_RE.match(prefix):
        raise MappingError(f"{origin}: [dataset] case_prefix must be 1-12 capital letters, digits or dashes")
    encoding = ds.get("encoding", "utf-8-sig")
    try:
        "".encode(encoding)
    except (LookupError, TypeError):
        raise MappingError(f"{origin}: [dataset] encoding {encoding!r} is not a known text encoding") from None
    fmt = ds.get("format", "csv")
    if fmt not in ("csv", "json"):
        raise MappingError(f"{origin}: [dataset] format must be csv or json, got {fmt!r}")
    row = ds.get("row", "allegation")
    if row not in ("allegation", "employee", "complaint"):
        raise MappingError(f"{origin}: [dataset] row must be allegation, employee or complaint, got {row!r}")
    names_public = ds.get("names_public", False)
    if not isinstance(names_public, bool):
        raise MappingError(f"{origin}: [dataset] names_public must be true or false")
    office_history = ds.get("office_history", False)
    if not isinstance(office_history, bool):
        raise MappingError(f"{origin}: [dataset] office_history must be true or false")
    common = frozenset(strs(origin, "[dataset] placeholders", ds.get("placeholders", [])))
    fields_doc = doc.get("fields")
    if not isinstance(fields_doc, dict) or not fields_doc:
        raise MappingError(f"{origin}: missing [fields.*] tables")
    vocab = vocabularies or {}
    vocab.setdefault("discipline", set(DISCIPLINE_CODES))
    vocab.setdefault("appeal_outcomes", set(APPEAL_CODES))
    maps: list[FieldMap] = []
    for fname, spec in fields_doc.items():
        f = BY_NAME.get(fname)
        where = f"[fields.{fname}]"
        if f is None:
            raise MappingError(f"{origin}: {where}: no standard field {fname!r}; known: {', '.join(BY_NAME)}")
        if not isinstance(spec, dict):
            raise MappingError(f"{origin}: {where} must be a table")
        bad = set(spec) - FIELD_KEYS
        if bad:
            raise MappingError(f"{origin}: {where}: unknown option(s) {', '.join(sorted(bad))}")
        if ("column" in spec) == ("columns" in spec):
            raise MappingError(f"{origin}: {where}: give 'column' (the export's header) or 'columns', one of them")
        cols = strs(origin, f"{where} columns", spec.get("columns", spec.get("column")))
        if not cols or not all(cols):
            raise MappingError(f"{origin}: {where}: a column name cannot be empty")
        values = spec.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise MappingError(f"{origin}: {where}: 'values' must map the export's words to standard codes")
        if f.type == "code" and f.vocabulary in vocab:
            wrong = sorted({v for v in values.values() if v not in vocab[f.vocabulary]})
            if wrong:
                raise MappingError(
                    f"{origin}: {where}: {', '.join(map(repr, wrong))} not in the {f.vocabulary} "
                    f"({', '.join(sorted(vocab[f.vocabulary]))})"
                )
        pattern = None
        if "pattern" in spec:
            try:
                pattern = re.compile(spec["pattern"])
            except (re.error, TypeError) as e:
                raise MappingError(f"{origin}: {where}: bad pattern: {e}") from None
        formats = strs(origin, f"{where} format", spec.get("format", []))
        if f.type == "date" and not formats:
            raise MappingError(f"{origin}: {where}: a date needs 'format' (strptime, e.g. '%m/%d/%Y' or '%Y %m')")
        for fm in formats:
            try:
                dt.datetime.strptime(dt.date(2001, 2, 3).strftime(fm), fm)
            except ValueError:
                raise MappingError(f"{origin}: {where}: format {fm!r} is not a strptime date format") from None
        default = spec.get("default")
        if default is not None and not isinstance(default, str):
            raise MappingError(f"{origin}: {where}: default must be a string")
        ph = common | frozenset(strs(origin, f"{where} placeholders", spec.get("placeholders", [])))
        maps.append(FieldMap(f, cols, ph, dict(values), pattern, formats, default))
    mapped = {m.field.name for m in maps}
    if "complaint_id" not in mapped:
        raise MappingError(f"{origin}: complaints need [fields.complaint_id] with column")
    if row != "complaint" and "officer_id" not in mapped and "officer_name" not in mapped:
        raise MappingError(
            f"{origin}: a row per {row} needs [fields.officer_id] (or officer_name) to tell employees apart"
        )
    ns = ds.get("officer_namespace", name)
    if not isinstance(ns, str) or not ns:
        raise MappingError(f"{origin}: [dataset] officer_namespace must be a non-empty string")
    return Mapping(
        name=name,
        title=str(ds.get("title", name)),
        publisher=str(ds.get("publisher", "")),
        encoding=encoding,
        format=fmt,
        officer_namespace=ns,
        case_prefix=prefix,
        names_public=names_public,
        office_history=office_history,
        row=row,
        fields=tuple(maps),
        origin=origin,
        notes=str(ds.get("notes", "")),
        can_show=str(ds.get("can_show", "")),
        placeholders=common,
    )
