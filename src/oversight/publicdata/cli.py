"""Commands for public data, as Typer sub-apps of ``oversight``:

    oversight import stops --source seattle-terry FILE [--mapping FILE.toml] [--db PATH]
    oversight import force --source seattle-use-of-force FILE
    oversight import shootings --source seattle-ois FILE
    oversight import population FILE.csv --dataset NAME --citation TEXT
                                                 residents per group, for rates per 1,000 residents
    oversight import status                      the datasets in the store and their last import
    oversight stops summary --by COL[,COL] [--where COL=VALUE ...] [--dataset NAME] --format json|csv
    oversight stops export OUT.parquet|OUT.csv [--dataset NAME]
    oversight stops disparity [--reference White] [--within precinct] [--where ...]
    oversight force summary ... / oversight force export ...
    oversight shootings summary ... / oversight shootings export ...

Everything heavy is imported inside the commands, so ``oversight timeline`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

_common: dict[str, Any] = {"no_args_is_help": True, "add_completion": False, "rich_markup_mode": None}
import_app = typer.Typer(help="Import a city's public data export through a mapping.", **_common)
stops_app = typer.Typer(help="Stops (Terry stops): summaries and downloads.", **_common)
force_app = typer.Typer(help="Use of force: summaries and downloads.", **_common)
shootings_app = typer.Typer(help="Officer-involved shootings: summaries and downloads.", **_common)

DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB store (default: settings OVERSIGHT_PUBLICDATA_DB)")]


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"oversight: {message}\n")
    raise typer.Exit(2)


def _dumps(obj: Any) -> bytes:
    import orjson

    return orjson.dumps(obj, option=orjson.OPT_INDENT_2, default=str) + b"\n"


def run_import(
    kind: str,
    file: Path,
    source: str | None,
    mapping: Path | None,
    db: Path | None,
    rejects: Path | None,
    fmt: str,
    show_progress: bool | None = None,
    replace: bool = False,
    encoding: str | None = None,
    name: str | None = None,
) -> None:
    import dataclasses

    from oversight.publicdata import config, importer, store
    from oversight.publicdata import mapping as mapmod
    from oversight.publicdata.pseudonym import KeyError_

    if fmt not in ("json", "text"):
        _fail(f"--format: {fmt!r} is not json or text")
    if (source is None) == (mapping is None):
        _fail(f"give --source NAME (shipped: {', '.join(mapmod.shipped())}) or --mapping FILE.toml, one of them")
    try:
        m = mapmod.load_shipped(source) if source is not None else mapmod.load_file(mapping)  # type: ignore[arg-type]
        if m.kind.name != kind:
            _fail(f"mapping {m.origin} is for {m.kind.name}, not {kind}: use `oversight import {m.kind.name}`")
        if encoding is not None:
            try:
                "".encode(encoding)
            except LookupError:
                _fail(f"--encoding: {encoding!r} is not a known text encoding")
            m = dataclasses.replace(m, encoding=encoding)
        if name is not None:
            if not mapmod.NAME_RE.match(name) or name in mapmod.RESERVED_NAMES:
                _fail(f"--name: {name!r} is not a dataset name (lower-case letters, digits and dashes; not 'all')")
            m = dataclasses.replace(m, name=name, officer_namespace=f"{m.officer_namespace}:{name}")
        pseudo = config.pseudonymizer()
        bar = ProgressBar(show_progress)
        result = importer.read_export(file, m, pseudo, progress=bar)
    except (mapmod.MappingError, importer.ImportError_, KeyError_) as e:
        _fail(str(e))
    report = dict(result.report)
    rj = rejects if rejects is not None else config.rejects_dir() / f"{m.name}.rejects.csv"
    if result.rejects:
        importer.write_rejects(rj, result)
        report["rejects_file"] = str(rj)
        sys.stderr.write(f"oversight: {len(result.rejects)} row(s) set aside, each with its line and reason: {rj}\n")
        if report.get("encoding_suggestion"):
            sys.stderr.write(f"oversight: {report['encoding_suggestion']['message']}\n")
        if report.get("last_line_cut_short"):
            sys.stderr.write("oversight: the file's last line is cut short: was the download interrupted?\n")
    else:
        if rejects is None and rj.exists():
            rj.unlink()  # a rejects file of an earlier import of this dataset would mislead
        report["rejects_file"] = None
    target = config.db_path(db)
    try:
        store.write(target, result, progress=bar, replace=replace, max_removed=config.reimport_max_removed())
    except store.StoreError as e:
        _fail(str(e))
    finally:
        bar.finish()
        result.close()
    report["store"] = str(target)
    if fmt == "json":
        sys.stdout.buffer.write(_dumps(report))
    else:
        sys.stdout.write(format_report(report))


class ProgressBar:
    """A bar per stage of an import on standard error (reading, checking, folding, writing),
    drawn by Typer; shown only on a terminal unless asked for (--progress / --no-progress)."""

    def __init__(self, show: bool | None) -> None:
        self.show = sys.stderr.isatty() if show is None else show
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, fraction: float | None) -> None:
        if not self.show:
            return
        if stage != self.stage:
            self.finish()
            self.stage = stage
            self.bar = typer.progressbar(length=100, label=f"{stage:<8}", file=sys.stderr, width=30)
            self.bar.__enter__()
            self.done = 0
        step = int(100 * (fraction or 0)) - self.done
        if step > 0:
            self.bar.update(step)
            self.done += step

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.stage = None


def format_report(r: dict[str, Any]) -> str:
    lines = [
        f"{r['dataset']} ({r['kind']}) from {r['file']}",
        f"  rows read       {r['rows_read']}",
        f"  {r['kind']:<15} {r['loaded']}  (one per {r['unit']})",
        f"  duplicates      {r['duplicates']}  (rows folded into a {r['unit']} already counted)",
        f"  set aside       {r['set_aside']}" + (f"  -> {r['rejects_file']}" if r.get("rejects_file") else ""),
    ]
    for reason, n in r.get("set_aside_reasons", {}).items():
        lines.append(f"      {n:>6}  {reason}")
    if r.get("unknowns"):
        lines.append("  unknown values (rows):")
        for name, u in r["unknowns"].items():
            vals = ", ".join(f"{v!r}: {n}" for v, n in u["values"].items())
            lines.append(f"      {name:<20} {u['rows']:>6}  from {u['column']!r} ({vals})")
    if r.get("conflicts"):
        lines.append(
            "  conflicting values within one record (first kept): "
            + ", ".join(f"{k}: {v}" for k, v in r["conflicts"].items())
        )
    return "\n".join(lines) + "\n"


FileArg = Annotated[Path, typer.Argument(help="The export, a CSV file")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="A shipped mapping, e.g. seattle-terry")]
MappingOpt = Annotated[Path | None, typer.Option("--mapping", help="A mapping TOML file, for another city")]
RejectsOpt = Annotated[Path | None, typer.Option("--rejects", help="Where set-aside rows go (CSV)")]
FormatOpt = Annotated[str, typer.Option("--format", help="json or text")]
ProgressOpt = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bars on standard error (default: on a terminal)"),
]


ReplaceOpt = Annotated[
    bool,
    typer.Option(
        "--replace", help="Replace the dataset even when this import would remove many of its records (see the profile)"
    ),
]
NameOpt = Annotated[
    str | None, typer.Option("--name", help="The dataset's name in the store, instead of the mapping's")
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="The file's text encoding, instead of the mapping's")
]


def _import_command(kind: str, doc: str) -> None:
    """``oversight import KIND``: one command per kind, all alike."""

    def command(
        file: FileArg,
        source: SourceOpt = None,
        mapping: MappingOpt = None,
        db: DbOpt = None,
        rejects: RejectsOpt = None,
        format: FormatOpt = "json",
        progress: ProgressOpt = None,
        replace: ReplaceOpt = False,
        encoding: EncodingOpt = None,
        name: NameOpt = None,
    ) -> None:
        run_import(kind, file, source, mapping, db, rejects, format, progress, replace, encoding, name)

    command.__doc__ = doc
    import_app.command(kind)(command)


_import_command("stops", "Import stops (e.g. --source seattle-terry Terry_Stops.csv).")
_import_command("force", "Import use of force (e.g. --source seattle-use-of-force Use_Of_Force.csv).")
_import_command(
    "shootings", "Import officer-involved shootings (e.g. --source seattle-ois SPD_Officer_Involved_Shooting.csv)."
)


@import_app.command("population")
def import_population(
    file: Annotated[Path, typer.Argument(help="A CSV: group columns by their standard names, population, [year]")],
    dataset: Annotated[str, typer.Option("--dataset", help="The dataset (in the store) the counts are for")],
    citation: Annotated[str, typer.Option("--citation", help="Where the counts come from, as the pages cite it")],
    encoding: EncodingOpt = None,
    db: DbOpt = None,
) -> None:
    """Residents of each group (e.g. by precinct, by perceived race), for rates per 1,000 residents."""
    from oversight.publicdata import config, population, store
    from oversight.publicdata.kinds import KINDS

    target = config.db_path(db)
    try:
        con = store.connect(target)
    except store.StoreError as e:
        _fail(str(e))
    try:
        found = [d for d in store.datasets(con) if d["dataset"] == dataset]
        if not found:
            names = ", ".join(d["dataset"] for d in store.datasets(con)) or "none yet"
            _fail(f"--dataset: no dataset {dataset!r} in the store (it has: {names}); import its records first")
        kind = KINDS[found[0]["kind"]]
        den = population.read(file, kind.group_columns, encoding or "utf-8-sig")
        report = population.write(con, dataset, kind.name, den, citation)
        report["not_in_data"] = population.not_in_data(con, kind.table, dataset, den)
    except population.PopulationError as e:
        _fail(str(e))
    finally:
        con.close()
    if report["set_aside"]:
        sys.stderr.write(f"oversight: {report['set_aside']} row(s) set aside, each with its line and reason (below)\n")
    for col, values in report["not_in_data"].items():
        sys.stderr.write(
            f"oversight: {col}: {', '.join(map(repr, values))} never appear in {dataset}: check the spelling\n"
        )
    sys.stdout.buffer.write(_dumps(report))


@import_app.command("status")
def import_status(db: DbOpt = None) -> None:
    """The datasets in the store, each with its last import's report."""
    from oversight.publicdata import config, store

    try:
        con = store.connect(config.db_path(db), read_only=True)
    except store.StoreError as e:
        _fail(str(e))
    try:
        from oversight.publicdata import population

        out = store.datasets(con)
        for d in out:
            d["population"] = population.listed(con, d["dataset"])
        sys.stdout.buffer.write(_dumps(out))
    finally:
        con.close()


def _min_cell() -> int:
    """The profile's publication threshold; a profile that cannot be loaded is a clear error."""
    from oversight.publicdata import config
    from oversight.rules.profile import ProfileError

    try:
        return config.min_cell()
    except ProfileError as e:
        _fail(str(e).replace("\n", "; "))


def run_summary(
    kind: str, by: str | None, where: list[str] | None, dataset: str | None, fmt: str, db: Path | None
) -> None:
    import csv

    from oversight.publicdata import config, store, summary

    if fmt not in ("json", "csv"):
        _fail(f"--format: {fmt!r} is not json or csv")
    try:
        con = store.connect(config.db_path(db), read_only=True)
    except store.StoreError as e:
        _fail(str(e))
    try:
        result = summary.summarize(con, kind, by=by, where=where or [], dataset=dataset, min_cell=_min_cell())
    except (summary.QueryError, store.StoreError) as e:
        _fail(str(e))
    finally:
        con.close()
    if fmt == "json":
        # the contract: a list with one object per group (the API adds the query around it)
        sys.stdout.buffer.write(_dumps(result["groups"]))
    else:
        header, rows = summary.to_csv_rows(result)
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def run_export(
    kind: str,
    out: Path,
    dataset: str | None,
    fmt: str | None,
    db: Path | None,
    partitioned: bool = False,
    schema: str | None = None,
) -> None:
    from oversight.publicdata import config, store

    fmt = fmt or ("csv" if out.suffix.lower() == ".csv" else "parquet")
    if schema not in (None, "opp"):
        _fail(f"--schema: {schema!r} is not opp (the Stanford Open Policing Project's column names)")
    if partitioned and (fmt != "parquet" or dataset):
        _fail("--partitioned writes Parquet of every dataset, in folders by dataset and year: no --dataset or CSV")
    try:
        con = store.connect(config.db_path(db), read_only=True)
        try:
            if partitioned:
                n = store.export_partitioned(con, kind, out)
            else:
                n = store.export(con, kind, out, fmt, dataset, opp=schema == "opp")
        finally:
            con.close()
    except store.StoreError as e:
        _fail(str(e))
    sys.stderr.write(f"oversight: {n} {kind} records written to {out}\n")


ByOpt = Annotated[str | None, typer.Option("--by", help="Group by these columns, comma-separated")]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option("--where", help="COLUMN=VALUE, COLUMN=V1|V2, COLUMN!=V, COLUMN>=N ...; repeat to combine (and)"),
]
DatasetOpt = Annotated[
    str | None, typer.Option("--dataset", help="One dataset, or 'all' to pool them (needed when there are several)")
]
SumFormatOpt = Annotated[str, typer.Option("--format", help="json or csv")]
OutArg = Annotated[Path, typer.Argument(help="Output file (.parquet or .csv)")]
SchemaOpt = Annotated[
    str | None,
    typer.Option("--schema", help="opp: the Stanford Open Policing Project's column names (stops)"),
]
PartitionedOpt = Annotated[
    bool,
    typer.Option(
        "--partitioned",
        help="Parquet in a folder, partitioned by dataset and year (Hive layout: dataset=NAME/year=YYYY/)",
    ),
]
ExpFormatOpt = Annotated[str | None, typer.Option("--format", help="parquet or csv (default: from the suffix)")]


def _summary_and_export(app: typer.Typer, kind: str, summary_doc: str, export_doc: str) -> None:
    """``oversight KIND summary`` and ``oversight KIND export``, alike for every kind."""

    def summary(
        by: ByOpt = None,
        where: WhereOpt = None,
        dataset: DatasetOpt = None,
        format: SumFormatOpt = "json",
        db: DbOpt = None,
    ) -> None:
        run_summary(kind, by, where, dataset, format, db)

    def export(
        out: OutArg,
        dataset: DatasetOpt = None,
        format: ExpFormatOpt = None,
        db: DbOpt = None,
        partitioned: PartitionedOpt = False,
        schema: SchemaOpt = None,
    ) -> None:
        run_export(kind, out, dataset, format, db, partitioned, schema)

    summary.__doc__, export.__doc__ = summary_doc, export_doc
    app.command("summary")(summary)
    app.command("export")(export)


_summary_and_export(
    stops_app,
    "stops",
    "Stops, frisks, arrests, weapons found and their rates (Wilson 95% intervals) by group.",
    "Download the stops (public columns only) as Parquet or CSV.",
)
_summary_and_export(
    force_app,
    "force",
    "Uses of force (one per subject per incident) by level, by group, with Wilson 95% intervals.",
    "Download the use-of-force incidents (public columns only) as Parquet or CSV.",
)
_summary_and_export(
    shootings_app,
    "shootings",
    "Shootings, fatal, subject armed, officers involved; fatal and armed rates (Wilson 95% intervals) by group.",
    "Download the officer-involved shootings (public columns only) as Parquet or CSV.",
)


@stops_app.command("disparity")
def stops_disparity(
    reference: Annotated[
        str | None, typer.Option("--reference", help="The group others are compared with (default: White, if any)")
    ] = None,
    within: Annotated[str | None, typer.Option("--within", help="Compare within each value of this column")] = None,
    where: WhereOpt = None,
    dataset: DatasetOpt = None,
    db: DbOpt = None,
) -> None:
    """Frisk and arrest rate ratios by perceived race, and the outcome (hit-rate) test by precinct."""
    from oversight.publicdata import config, disparity, store, summary

    try:
        con = store.connect(config.db_path(db), read_only=True)
    except store.StoreError as e:
        _fail(str(e))
    try:
        mc = _min_cell()
        if reference is None:
            reference = disparity.default_reference(disparity.references(con, dataset))
        r = disparity.ratios(con, reference=reference, within=within, where=where or [], dataset=dataset, min_cell=mc)
        o = disparity.outcome_test(con, reference=reference, where=where or [], dataset=dataset, min_cell=mc)
        s = disparity.outcome_test(
            con, reference=reference, where=where or [], dataset=dataset, min_cell=mc, of="search"
        )
    except (summary.QueryError, store.StoreError) as e:
        _fail(str(e))
    finally:
        con.close()
    sys.stdout.buffer.write(_dumps({"ratios": r, "outcome_test": o, "outcome_test_searches": s}))


@stops_app.command("veil")
def stops_veil(
    group: Annotated[str, typer.Option("--group", help="The perceived race tested, e.g. black")],
    reference: Annotated[str, typer.Option("--reference", help="The group it is compared with, e.g. white")],
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="The stops' local time zone (default: the mapping's)")
    ] = None,
    dataset: DatasetOpt = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude (default: the stops' median)")] = None,
    lng: Annotated[float | None, typer.Option("--lng", help="Longitude (default: the stops' median)")] = None,
    db: DbOpt = None,
) -> None:
    """The veil-of-darkness test: the group's odds among stops after dark against in daylight."""
    from oversight.publicdata import config, store, summary, veil

    try:
        con = store.connect(config.db_path(db), read_only=True)
    except store.StoreError as e:
        _fail(str(e))
    try:
        r = veil.veil_of_darkness(con, group, reference, dataset=dataset, lat=lat, lng=lng, tz=timezone)
    except (summary.QueryError, store.StoreError) as e:
        _fail(str(e))
    finally:
        con.close()
    sys.stdout.buffer.write(_dumps(r))
