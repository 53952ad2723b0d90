"""The analytical store: one DuckDB file. Each dataset's records of a kind are a table of
their own (``"stops/seattle-terry"``), holding only the columns its mapping feeds, and the kind
is a view (``stops``) over them all, every column in the kind's type, NULL where a dataset has
no source for it: a column no dataset feeds costs nothing to write. Force's subjects are one
table for every dataset (``force_subjects``). An import replaces the dataset it names in one
transaction. Parquet and CSV exports of the public columns. Imports no Django.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import orjson

from oversight.publicdata.importer import Imported, Progress, literal, stage
from oversight.publicdata.kinds import KINDS, Kind
from oversight.publicdata.mapping import NAME_RE
from oversight.publicdata.schema import column_types, columns, extra_columns, same_as_read

__all__ = [
    "StoreBusy",
    "StoreError",
    "column_types",
    "columns",
    "connect",
    "datasets",
    "export",
    "extra_columns",
    "same_as_read",
    "write",
]


class StoreError(ValueError):
    """The store cannot do what was asked; the message says why."""


class StoreBusy(StoreError):
    """The store exists but cannot be opened now (an import holds it)."""


class WouldRemove(StoreError):
    """A re-import would remove more of a dataset than the profile allows without --replace."""

    def __init__(self, message: str, removed: int, before: int) -> None:
        super().__init__(message)
        self.removed = removed
        self.before = before


def member(kind: Kind, dataset: str) -> str:
    """The table (quoted, unqualified) holding one dataset's records of a kind."""
    return f'"{kind.table}/{dataset}"'


def members(con: duckdb.DuckDBPyConnection, kind: Kind, catalog: str | None = None) -> dict[str, dict[str, str]]:
    """The datasets that have a table of a kind's records, each with its columns and types
    (in the database ``catalog``, the connection's own when None)."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = coalesce(?, current_database()) AND starts_with(table_name, ?) "
        "ORDER BY table_name, column_index",
        [catalog, kind.table + "/"],
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, col, typ in rows:
        out.setdefault(table[len(kind.table) + 1 :], {})[col] = typ
    return out


def present(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The kinds' tables and views a store connection can read (e.g. {"stops", "force"})."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
    ).fetchall()
    return {r[0] for r in rows}


def _view(con: duckdb.DuckDBPyConnection, kind: Kind) -> dict[str, dict[str, str]]:
    """(Re)make the kind's view over its datasets' tables: every column of the kind, in order
    and in its type, NULL where a dataset's table has no such column (a column its mapping
    does not feed, or one the kind gained after the dataset was imported). Returns the
    datasets' tables it read (``members``)."""
    found = members(con, kind, "store")
    parts = [_part(kind, dataset, have) for dataset, have in sorted(found.items())]
    if not parts:
        con.execute(f"DROP VIEW IF EXISTS store.{kind.table}")
    else:
        con.execute(f"CREATE OR REPLACE VIEW store.{kind.table} AS {' UNION ALL '.join(parts)}")
    return found


def _part(kind: Kind, dataset: str, have: dict[str, str], catalog: str = "") -> str:
    """One dataset's table as the view shows it (``have``: the table's columns and types;
    ``catalog`` the table's, e.g. ``store.``; the view's own parts name none, so that the view
    reads the tables of its own database however that is attached)."""
    cols = []
    elided = same_as_read(kind)
    for n, t in columns(kind):
        if n in elided and n in have and elided[n] in have:
            cols.append(f'coalesce("{n}", CAST("{elided[n]}" AS VARCHAR)) AS "{n}"')
        elif have.get(n) == t:
            cols.append(f'"{n}"')
        else:
            cols.append(f'CAST({chr(34) + n + chr(34) if n in have else "NULL"} AS {t}) AS "{n}"')
    return f"SELECT {', '.join(cols)} FROM {catalog}{member(kind, dataset)}"


def _upgrade_layout(con: duckdb.DuckDBPyConnection, kind: Kind) -> None:
    """A store written before each dataset had its own table keeps a kind's records in one
    table: each dataset's records move to a table of their own, and the table makes way for
    the view (in the write's transaction, so a failed write leaves the store as it was)."""
    if not _has_table(con, kind.table):
        return
    for (dataset,) in con.execute(f"SELECT DISTINCT dataset FROM store.{kind.table}").fetchall():
        con.execute(
            f"CREATE TABLE store.{member(kind, dataset)} AS SELECT * FROM store.{kind.table} WHERE dataset = ?",
            [dataset],
        )
    con.execute(f"DROP TABLE store.{kind.table}")


def key_column(kind: Kind) -> str:
    """The stored column that tells a kind's records apart (a private key is stored hashed)."""
    f = kind.get(kind.key)
    if f is not None and f.stored:
        return f.col
    return next(name for name, _, expr in kind.derived if expr == "key_pseudonym")


IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    dataset VARCHAR, kind VARCHAR, title VARCHAR, publisher VARCHAR, notes VARCHAR,
    imported_at TIMESTAMP, sha256 VARCHAR, report JSON
)"""


def connect(db_path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only and not db_path.exists():
        raise StoreError(f"{db_path}: no public data imported yet (run `oversight import ...`)")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as e:
        if read_only:
            raise StoreBusy(f"{db_path}: the public data is being updated; try again in a minute ({e})") from None
        raise StoreError(f"{db_path}: cannot open the DuckDB store: {e}") from None
    except duckdb.Error as e:
        raise StoreError(f"{db_path}: cannot open the DuckDB store: {e}") from None


def write(
    db_path: Path,
    imported: Imported,
    progress: Progress | None = None,
    replace: bool = True,
    max_removed: float = 0.05,
) -> dict[str, Any]:
    """Replace the dataset with what was imported (staged by the importer); returns the stored
    import entry. All or nothing: a failure leaves the store as it was. With ``replace`` false,
    a re-import that would remove more than ``max_removed`` of the dataset's records (records
    of the dataset whose key the new import does not have) raises WouldRemove, naming how many,
    and leaves the store as it was."""
    m = imported.mapping
    kind = m.kind
    if imported.loaded == 0:
        r = imported.report
        raise StoreError(
            f"{r['file']}: no {kind.name} could be loaded ({r['rows_read']} rows read, {r['set_aside']} set aside); "
            f"the dataset {m.name!r} in the store was left as it was"
        )
    # The staging connection attaches the store: the store is held only while it is written.
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = imported.staging
    try:
        con.execute(f"ATTACH {literal(str(db_path))} AS store")
    except duckdb.IOException as e:
        raise StoreBusy(f"{db_path}: the store is in use; try again when it is free ({e})") from None
    except duckdb.Error as e:
        raise StoreError(f"{db_path}: cannot open the DuckDB store: {e}") from None
    try:
        con.execute(IMPORTS_DDL.replace("imports", "store.imports"))
        other = con.execute(
            "SELECT kind FROM store.imports WHERE dataset = ? AND kind <> ? LIMIT 1", [m.name, kind.name]
        )
        clash = other.fetchone()
        if clash:
            raise StoreError(f"dataset {m.name!r} is already in the store as {clash[0]}, not {kind.name}")
        if kind.extra_table:
            _ensure_table(con, f"store.{kind.extra_table}", extra_columns(kind))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        con.execute("SET preserve_insertion_order = false")  # the store's order is by query, never by row
        con.execute("BEGIN TRANSACTION")
        try:
            _upgrade_layout(con, kind)
            table = f"store.{member(kind, m.name)}"
            had = m.name in members(con, kind, "store")
            key = f'"{key_column(kind)}"'
            before = 0
            if not replace and had:
                con.execute(f"CREATE OR REPLACE TEMP TABLE old_keys AS SELECT {key} AS key FROM {table}")
                before = int(con.execute("SELECT count(*) FROM old_keys").fetchone()[0])  # type: ignore[index]
            if had:
                con.execute(f"DROP TABLE {table}")
            with stage(con, progress, "writing"):
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM records")
            stored = _view(con, kind)
            if before:
                removed = int(
                    con.execute(  # type: ignore[index]
                        f"SELECT count(*) FROM old_keys o WHERE NOT EXISTS (SELECT 1 FROM {table} t "
                        f"WHERE t.{key} IS NOT DISTINCT FROM o.key)"
                    ).fetchone()[0]
                )
                if removed > max_removed * before:
                    raise WouldRemove(
                        f"{imported.report['file']}: this import would remove {removed:,} of the {before:,} "
                        f"{kind.name} records of dataset {m.name!r} ({removed / before:.1%}; more than "
                        f"{max_removed:.0%} needs --replace); the store was left as it was",
                        removed,
                        before,
                    )
            if kind.rollup:
                with stage(con, progress, "counting"):
                    _rollup(con, kind, m.name, stored[m.name])
            if kind.extra_table:
                con.execute(f"DELETE FROM store.{kind.extra_table} WHERE dataset = ?", [m.name])
                con.execute(f"INSERT INTO store.{kind.extra_table} BY NAME SELECT * FROM extra")
            con.execute(
                "INSERT INTO store.imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    m.name,
                    kind.name,
                    m.title,
                    m.publisher,
                    m.notes,
                    now,
                    imported.report["sha256"],
                    orjson.dumps(imported.report).decode(),
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.execute("DETACH store")
    return {"dataset": m.name, "imported_at": now.isoformat() + "Z"}


def _rollup(con: duckdb.DuckDBPyConnection, kind: Kind, dataset: str, have: dict[str, str]) -> None:
    """Recount the dataset's combinations of the group columns (kinds.Kind.rollup) from its
    table (``have``: its columns, as ``members`` gives them); a store that has none yet, or
    one of an older layout, gets one counted for every dataset in it."""
    dims = ", ".join(f'"{c}"' for c in ("dataset", *kind.rollup_columns))
    aggs = ", ".join(f"{sql} AS n_{name}" for name, sql in kind.rollup)

    def counts(source: str) -> str:
        return f"SELECT {dims}, {aggs} FROM {source} GROUP BY ALL"

    if _has_table(con, kind.rollup_table):
        cols = {r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE store.{kind.rollup_table})").fetchall()}
        if {*kind.rollup_columns, *(f"n_{name}" for name, _ in kind.rollup)} <= cols:
            con.execute(f"DELETE FROM store.{kind.rollup_table} WHERE dataset = ?", [dataset])
            # the dataset's own table, read through the view's columns (those it lacks are NULL)
            part = _part(kind, dataset, have, "store.")
            con.execute(f"INSERT INTO store.{kind.rollup_table} BY NAME {counts(f'({part})')}")
            return
        con.execute(f"DROP TABLE store.{kind.rollup_table}")
    con.execute(f"CREATE TABLE store.{kind.rollup_table} AS {counts(f'store.{kind.table}')}")


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the attached store has a table of that name (not a view)."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'store' AND table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def _ensure_table(con: duckdb.DuckDBPyConnection, table: str, cols: list[tuple[str, str]]) -> None:
    """Create the kind's table if the store has none; a table of an older layout gains the
    columns it lacks (they stay empty for the datasets imported before)."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{chr(34)}{n}{chr(34)} {t}' for n, t in cols)})")
    have = {r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()}
    for n, t in cols:
        if n not in have:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{n}" {t}')


def datasets(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> list[dict[str, Any]]:
    """The datasets in the store, each with its latest import."""
    try:
        rows = con.execute(
            """SELECT dataset, kind, title, publisher, notes, imported_at, sha256, report FROM imports
               QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY imported_at DESC, rowid DESC) = 1
               ORDER BY kind, dataset"""
        ).fetchall()
    except duckdb.CatalogException:
        return []
    out = []
    for d, k, title, pub, notes, at, sha, report in rows:
        if kind is not None and k != kind:
            continue
        out.append(
            {
                "dataset": d,
                "kind": k,
                "title": title,
                "publisher": pub,
                "notes": notes,
                "imported_at": at.isoformat() + "Z",
                "sha256": sha,
                "report": orjson.loads(report),
            }
        )
    return out


def public_columns(kind: Kind) -> list[str]:
    """What a download carries: every stored column (private fields are never stored)."""
    return [name for name, _ in columns(kind)]


def export(
    con: duckdb.DuckDBPyConnection,
    kind_name: str,
    out: Path,
    fmt: str,
    dataset: str | None = None,
    where: tuple[list[str], list[Any]] | None = None,
    opp: bool = False,
) -> int:
    """Write the public columns of a kind (one dataset or all) to Parquet or CSV; returns rows.
    ``where`` is a selection as ``summary.parse_where`` makes it (SQL conditions and their
    parameters): the download is then exactly the records a summary of it counts."""
    if kind_name not in KINDS:
        raise StoreError(f"no kind {kind_name!r}; kinds: {', '.join(KINDS)}")
    if fmt not in ("parquet", "csv"):
        raise StoreError(f"--format: {fmt!r} is not parquet or csv")
    kind = KINDS[kind_name]
    cols = ", ".join(f'"{c}"' for c in public_columns(kind))
    if opp:
        if kind_name != "stops":
            raise StoreError("--schema opp: only stops have the Stanford Open Policing Project's schema")
        cols = ", ".join(_opp_name(c) for c in public_columns(kind))
    if dataset is not None and not NAME_RE.match(dataset):
        raise StoreError(f"--dataset: {dataset!r} is not a dataset name")
    conds, params = (list(where[0]), list(where[1])) if where else ([], [])
    if dataset and dataset != "all":
        conds.append("dataset = ?")
        params.append(dataset)
    where_sql = ("WHERE " + " AND ".join(conds)) if conds else ""
    try:
        n = con.execute(f"SELECT count(*) FROM {kind.table} {where_sql}", params).fetchone()
    except duckdb.CatalogException:
        raise StoreError(f"no {kind_name} imported yet") from None
    query = f"SELECT {cols} FROM {kind.table} {where_sql} ORDER BY dataset, source_line"
    if fmt == "csv":
        # Lists become JSON-like text in CSV; Parquet keeps them as lists.
        opts = "FORMAT CSV, HEADER"
    else:
        opts = "FORMAT PARQUET, COMPRESSION ZSTD"
    path = str(out).replace("'", "''")
    con.execute(f"COPY ({query}) TO '{path}' ({opts})", params)
    return int(n[0]) if n else 0


def _opp_name(col: str) -> str:
    """A stops column under the Stanford Open Policing Project's name, where it has another
    (``frisk`` as ``frisk_performed``; the officers' pseudonyms as ``officer_id_hash``)."""
    from oversight.publicdata.kinds import OPP_ALIASES

    names = {v: k for k, v in OPP_ALIASES.items()} | {"officers": "officer_id_hash"}
    base, raw = (col[:-4], "_raw") if col.endswith("_raw") else (col, "")
    if base in names and not (base == "officer" and raw):
        return f'"{col}" AS "{names[base]}{raw}"'
    return f'"{col}"'


def export_partitioned(con: duckdb.DuckDBPyConnection, kind_name: str, folder: Path) -> int:
    """Write a kind's public columns as Parquet partitioned by dataset and year, in the Hive
    layout (``folder/dataset=NAME/year=YYYY/data_0.parquet``) that DuckDB, Spark and Trino read
    as one table with ``dataset`` and ``year`` as columns; returns the rows written."""
    if kind_name not in KINDS:
        raise StoreError(f"no kind {kind_name!r}; kinds: {', '.join(KINDS)}")
    kind = KINDS[kind_name]
    names = public_columns(kind)
    if "year" not in names:
        raise StoreError(f"{kind_name} has no year to partition by")
    try:
        n = con.execute(f"SELECT count(*) FROM {kind.table}").fetchone()
    except duckdb.CatalogException:
        raise StoreError(f"no {kind_name} imported yet") from None
    cols = ", ".join(f'"{c}"' for c in names)
    path = str(folder).replace("'", "''")
    con.execute(
        f"COPY (SELECT {cols} FROM {kind.table} ORDER BY dataset, year, source_line) TO '{path}' "
        "(FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY (dataset, year), OVERWRITE_OR_IGNORE)"
    )
    return int(n[0]) if n else 0
