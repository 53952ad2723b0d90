"""Commands for complaint history and the discipline database, as Typer commands of ``oversight``:

    oversight import complaints --mapping FILE.toml EXPORT [--replace] [--rejects FILE] [--format json|text]
    oversight import complaints --source nyc-ccrb EXPORT          (shipped: nyc-ccrb, seattle-opa)
    oversight discipline summary --by COL[,COL] [--where COL=V ...] --format json|csv

Django and the importer load inside the commands, so ``oversight timeline`` stays fast.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from oversight.publicdata.cli import ProgressBar, import_app

discipline_app = typer.Typer(
    help="The public discipline database: summaries.", no_args_is_help=True, add_completion=False
)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"oversight: {message}\n")
    raise typer.Exit(2)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()


def format_report(r: dict[str, Any]) -> str:
    lines = [
        f"{r['dataset']} (complaints) from {r['file']}",
        f"  rows read         {r['rows_read']}",
        f"  complaints        {r['complaints']}  (added {r['cases_added']}, unchanged {r['cases_unchanged']}, "
        f"rewritten {r['cases_changed']}, withdrawn {r['cases_withdrawn']})",
        f"  allegations       {r['allegations']}",
        f"  named employees   {r['named_employees']}  (officers: {r['officers']})",
        f"  duplicates        {r['duplicates']}  (rows repeating an allegation already counted)",
        f"  set aside         {r['set_aside']}" + (f"  -> {r['rejects_file']}" if r.get("rejects_file") else ""),
    ]
    for reason, n in r.get("set_aside_reasons", {}).items():
        lines.append(f"      {n:>6}  {reason}")
    for title, key in (("unknown values (rows)", "unknowns"), ("words the mapping does not map (rows)", "unmapped")):
        if r.get(key):
            lines.append(f"  {title}:")
            for name, u in r[key].items():
                vals = ", ".join(f"{v!r}: {n}" for v, n in list(u["values"].items())[:8])
                lines.append(f"      {name:<22} {u['rows']:>6}  from {u['column']!r} ({vals})")
    if r.get("conflicts"):
        lines.append(
            "  conflicting values within one record (first kept): "
            + ", ".join(f"{k}: {v}" for k, v in r["conflicts"].items())
        )
    lines.append(f"  names stored      {'yes (names_public)' if r['names_stored'] else 'no'}")
    lines.append(f"  rate              {r['rows_per_second']:,} rows a second ({r['seconds']} s)")
    return "\n".join(lines) + "\n"


@import_app.command("complaints")
def import_complaints(
    file: Annotated[Path, typer.Argument(help="The export, CSV (or JSON where the mapping says so)")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="A complaints mapping TOML file")] = None,
    source: Annotated[str | None, typer.Option("--source", help="A shipped mapping: nyc-ccrb, seattle-opa")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Let a re-import withdraw what is no longer there")
    ] = False,
    rejects: Annotated[Path | None, typer.Option("--rejects", help="Where set-aside rows go (CSV)")] = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "text",
    user: Annotated[
        str | None, typer.Option("--user", help="The administrator importing (default: a system account)")
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bars on standard error")
    ] = None,
) -> None:
    """Import complaint history as closed cases marked imported (e.g. --source nyc-ccrb allegations.csv)."""
    if format not in ("json", "text"):
        _fail(f"--format: {format!r} is not json or text")
    _django()
    from oversight.cases.actions.base import ActionError, Refused
    from oversight.history import actions, reader
    from oversight.history import mapping as mapmod
    from oversight.history.database import vocabularies
    from oversight.publicdata import config
    from oversight.publicdata.pseudonym import KeyError_

    if (source is None) == (mapping is None):
        _fail(f"give --source NAME (shipped: {', '.join(mapmod.shipped())}) or --mapping FILE.toml, one of them")
    began = time.perf_counter()
    bar = ProgressBar(progress)
    try:
        vocab = vocabularies()
        if source is not None:
            m = mapmod.load_shipped(source)
        else:
            assert mapping is not None
            try:
                text = mapping.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise mapmod.MappingError(f"{mapping}: cannot read the mapping: {e}") from None
            m = mapmod.parse(text, str(mapping), vocab)
        result = reader.read(file, m, config.pseudonymizer(), vocab, progress=bar)
    except (mapmod.MappingError, reader.ReadError, KeyError_) as e:
        bar.finish()
        _fail(str(e))
    except OSError as e:
        _fail(f"{file}: {e.strerror}")
    report = dict(result.report)
    rj = rejects if rejects is not None else config.rejects_dir() / f"{m.name}.rejects.csv"
    if result.rejects:
        reader.write_rejects(rj, result)
        report["rejects_file"] = str(rj)
        sys.stderr.write(f"oversight: {len(result.rejects)} row(s) set aside, each with its line and reason: {rj}\n")
    else:
        if rejects is None and rj.exists():
            rj.unlink()
        report["rejects_file"] = None
    from django.contrib.auth import get_user_model

    who = actions.system_user() if user is None else get_user_model().objects.filter(username=user).first()
    if who is None:
        _fail(f"--user: no account {user!r}")
    try:
        out = actions.import_complaints(who, m, result, replace=replace, progress=bar)
    except (ActionError, Refused) as e:
        bar.finish()
        _fail(str(e))
    bar.finish()
    seconds = time.perf_counter() - began
    from oversight.history import database as db
    from oversight.publicdata.store import StoreError

    try:  # the public discipline rows, in the store beside the stops and force data
        report["discipline_rows"] = db.refresh()
    except StoreError as e:
        sys.stderr.write(f"oversight: the discipline rows were not refreshed ({e}); the pages will refresh them\n")
    report.update({f"cases_{k}": v for k, v in out.__dict__.items()})
    report["seconds"] = round(seconds, 2)
    report["rows_per_second"] = int(report["rows_read"] / seconds) if seconds > 0 else 0
    if format == "json":
        import orjson

        sys.stdout.buffer.write(orjson.dumps(report, option=orjson.OPT_INDENT_2, default=str) + b"\n")
    else:
        sys.stdout.write(format_report(report))


@discipline_app.command("summary")
def discipline_summary(
    by: Annotated[str | None, typer.Option("--by", help="Columns to group by, comma-separated")] = None,
    where: Annotated[list[str] | None, typer.Option("--where", help="COL=V, COL=V1|V2, COL!=V, COL>=N; repeat")] = None,
    format: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
) -> None:
    """Per group: allegations, complaints, named employees, sustained, the sustained rate with its interval."""
    if format not in ("json", "csv"):
        _fail(f"--format: {format!r} is not json or csv")
    _django()
    from oversight.history import database as db

    try:
        result = db.summary(by, where or [])
    except db.QueryError as e:
        _fail(str(e))
    if format == "json":
        import orjson

        # exactly the grouping columns and the measures; a withheld group's measures are null
        keys = [*result["by"], *db.JSON_KEYS]
        groups = [{k: g[k] for k in keys} for g in result["groups"]]
        sys.stdout.buffer.write(orjson.dumps(groups, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        header, rows = db.to_csv_rows(result)
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
