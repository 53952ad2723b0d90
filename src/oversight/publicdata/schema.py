"""Stored columns and their Arrow types, per kind. Imports no Django."""

from __future__ import annotations

import pyarrow as pa

from oversight.publicdata.kinds import Kind

ARROW = {
    "text": pa.string(),
    "longtext": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
    "time": pa.time64("us"),
    "datetime": pa.timestamp("us"),
    "flag": pa.bool_(),
    "officer": pa.string(),
}


def columns(kind: Kind) -> list[tuple[str, pa.DataType]]:
    """The stored columns of a kind's main table, in order."""
    cols: list[tuple[str, pa.DataType]] = [("dataset", pa.string())]
    for f in kind.fields:
        if not f.stored:
            continue
        base = ARROW[f.type]
        cols.append((f.col, pa.list_(base) if f.merge == "list" else base))
        if f.type not in ("officer", "longtext"):
            cols.append((f.col + "_raw", pa.list_(pa.string()) if f.merge == "list" else pa.string()))
    cols += [(name, ARROW[t]) for name, t in kind.derived]
    cols += [("source_line", pa.int64()), ("source_rows", pa.int64())]
    return cols


def extra_columns(kind: Kind) -> list[tuple[str, pa.DataType]]:
    return [("dataset", pa.string())] + [(name, ARROW[t]) for name, t in kind.extra_columns]


def column_types(kind: Kind) -> dict[str, str]:
    """Standard type of every column a summary may use (main and extra tables)."""
    out = {f.col: f.type for f in kind.fields if f.stored and f.merge != "list"}
    out.update(dict(kind.derived))
    out.update(dict(kind.extra_columns))
    return out


class TableBuilder:
    """Collects records (dicts) and turns them into Arrow in chunks, so that the dicts can go."""

    def __init__(self, cols: list[tuple[str, pa.DataType]], chunk: int = 20_000) -> None:
        self.schema = pa.schema(cols)
        self.chunk = chunk
        self.pending: list[dict[str, object]] = []
        self.batches: list[pa.RecordBatch] = []
        self.rows = 0

    def add(self, record: dict[str, object]) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.batches.append(pa.RecordBatch.from_pylist(self.pending, schema=self.schema))
            self.rows += len(self.pending)
            self.pending = []

    def table(self) -> pa.Table:
        self.flush()
        return pa.Table.from_batches(self.batches, schema=self.schema)
