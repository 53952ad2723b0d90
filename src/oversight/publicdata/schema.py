"""Stored columns and their types, per kind. Imports no Django."""

from __future__ import annotations

from oversight.publicdata.kinds import Kind

SQL = {
    "text": "VARCHAR",
    "longtext": "VARCHAR",
    "private": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "time": "TIME",
    "datetime": "TIMESTAMP",
    "flag": "BOOLEAN",
    "officer": "VARCHAR",
}


def columns(kind: Kind) -> list[tuple[str, str]]:
    """The stored columns of a kind's main table, in order, with their DuckDB types."""
    cols: list[tuple[str, str]] = [("dataset", "VARCHAR")]
    for f in kind.fields:
        if not f.stored:
            continue
        base = SQL[f.type]
        cols.append((f.col, f"{base}[]" if f.merge == "list" else base))
        if has_raw(f.type):
            cols.append((f.col + "_raw", "VARCHAR[]" if f.merge == "list" else "VARCHAR"))
    cols += [(name, SQL[t]) for name, t, _ in kind.derived]
    cols += [("source_line", "BIGINT"), ("source_rows", "BIGINT")]
    return cols


def has_raw(type_: str) -> bool:
    """Whether the raw text is stored beside the standard value (not for pseudonyms, not for
    long free text, which is stored as it came)."""
    return type_ not in ("officer", "longtext")


def same_as_read(kind: Kind) -> dict[str, str]:
    """The raw columns a dataset's table holds only where the cell differs from the standard
    value (NULL where the text read is the value, as in most rows of most text fields), each
    with the column of its value: the kind's view shows ``coalesce(raw, value)``, so a reader
    sees every cell as it was read, and the store does not write the same text twice. Not for
    a kind with a second table made from its records (force), which reads the raw cells."""
    if kind.extra_sql:
        return {}
    return {
        f.col + "_raw": f.col
        for f in kind.fields
        if f.stored and f.merge != "list" and has_raw(f.type) and SQL[f.type] == "VARCHAR"
    }


def extra_columns(kind: Kind) -> list[tuple[str, str]]:
    return [("dataset", "VARCHAR")] + [(name, SQL[t]) for name, t in kind.extra_columns]


def column_types(kind: Kind) -> dict[str, str]:
    """Standard type of every column a summary may use (main and extra tables)."""
    out = {f.col: f.type for f in kind.fields if f.stored and f.merge != "list"}
    out.update({name: t for name, t, _ in kind.derived})
    out.update(dict(kind.extra_columns))
    return out
