"""The ``oversight`` command.

    oversight timeline CASE.json [--profile seattle] [--today YYYY-MM-DD] [--format json|text]
    oversight timeline --batch CASES.jsonl [--profile ...] [--today ...]
    oversight demo [--port 8000]       migrate, fill demo data, serve the web app
    oversight serve [--bind ADDR] [--workers N]   production: check, then gunicorn and the tasks worker
    oversight manage ARGS...           any Django management command
    oversight profile check FILE       is a profile sound? every problem named
    oversight profile show [NAME] [--at DATE]   what was in force on a day
    oversight import stops|force|shootings --source NAME FILE   public data (see publicdata/cli.py)
    oversight import complaints --mapping M.toml FILE           complaint history (see history/cli.py)
    oversight discipline summary --by COL --format json|csv     the public discipline database
    oversight stops summary --by COL ... / oversight force summary ...

The timeline command imports no Django, so it starts fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Oversight: civilian oversight of police, after SMC Chapter 3.29.",
)


def _fail(message: str) -> NoReturn:
    """Bad input: one line on standard error, nothing on standard output, exit 2."""
    sys.stderr.write(f"oversight: {message}\n")
    raise typer.Exit(2)


def _today(value: str | None) -> int:
    from oversight.rules.events import CaseError, parse_date

    if value is None:
        return dt.date.today().toordinal()
    try:
        return parse_date(value, "--today")
    except CaseError as e:
        _fail(str(e))


def _profile(name: str) -> Any:
    from oversight.rules.profile import ProfileError, get_profile

    try:
        return get_profile(name)
    except ProfileError as e:
        _fail(str(e).replace("\n", "; "))


def format_text(result: dict[str, Any]) -> str:
    """One line a deadline, its explanation steps indented, then the flags."""
    lines = [f"{result['case_id'] or '(no case id)'}  profile {result['profile']}  today {result['today']}"]
    for d in result["deadlines"]:
        status = d["status"]
        if d["days_remaining"] is not None:
            status += f", {d['days_remaining']} days remaining"
        if d["completed_on"]:
            status += f", completed {d['completed_on']}"
        due = f"due {d['due']}" if d["due"] is not None else "no due date"
        lines.append(f"{d['id']}: {due} ({status.replace('_', ' ')}; from {d['start']})")
        for step in d["explanation"]:
            lines.append(f"    {step['days']:+d} days  {step['text']}  [{step['cite']}]")
    if result["flags"]:
        lines.append("flags:")
        for f in result["flags"]:
            lines.append(f"    {f['id']}  [{f['cite']}]")
    else:
        lines.append("flags: none")
    return "\n".join(lines) + "\n"


@app.command()
def timeline(
    case: Annotated[str | None, typer.Argument(help="Case JSON file, or - for standard input")] = None,
    profile: Annotated[str, typer.Option(help="Rule profile: a shipped name or a .toml file")] = "seattle",
    today: Annotated[str | None, typer.Option(help="The day to judge open/overdue by (YYYY-MM-DD)")] = None,
    format: Annotated[str, typer.Option("--format", help="json or text")] = "json",
    batch: Annotated[Path | None, typer.Option(help="JSONL file: one case a line, one result a line")] = None,
) -> None:
    """Compute a case's deadlines, adjustments and flags (shared/spec/timeline.md)."""
    import orjson

    from oversight.rules.events import CaseError, parse_case
    from oversight.rules.timeline import compute

    if format not in ("json", "text"):
        _fail(f"--format: {format!r} is not json or text")
    today_ord = _today(today)
    prof = _profile(profile)

    if batch is not None:
        if case is not None:
            _fail("give either a CASE file or --batch, not both")
        raise typer.Exit(_run_batch(batch, prof, today_ord))

    if case is None:
        _fail("CASE: missing (a case JSON file, or - for standard input)")
    try:
        raw = sys.stdin.buffer.read() if case == "-" else Path(case).read_bytes()
    except OSError as e:
        _fail(f"{case}: cannot read: {e.strerror}")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        _fail(f"{case}: not JSON: {e}")
    try:
        result = compute(parse_case(obj), prof, today_ord)
    except CaseError as e:
        _fail(str(e))
    if format == "text":
        sys.stdout.write(format_text(dict(result)))
    else:
        sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")


def _run_batch(path: Path, prof: Any, today_ord: int) -> int:
    """One result line per input line; a bad line gets an error object and exit 2."""
    from oversight.rules.batch import run_batch

    try:
        fh = sys.stdin.buffer if str(path) == "-" else path.open("rb")
    except OSError as e:
        _fail(f"{path}: cannot read: {e.strerror}")
    out = sys.stdout.buffer

    def report(lineno: int, msg: str) -> None:
        sys.stderr.write(f"oversight: line {lineno}: {msg}\n")

    with fh:
        bad = run_batch(fh, out.write, prof, today_ord, report)
    out.flush()
    return 2 if bad else 0


profile_app = typer.Typer(help="Rule profiles: check a file, show what was in force on a day.", no_args_is_help=True)
app.add_typer(profile_app, name="profile")


@profile_app.command("check")
def profile_check(path: Annotated[str, typer.Argument(help="A profile name or .toml file")]) -> None:
    """Load a profile with its bases; name every problem (file, key, what is wrong) or say it is sound."""
    from oversight.rules.profile import ProfileError, load_profile

    try:
        prof = load_profile(path)
    except ProfileError as e:
        sys.stderr.write(f"{e}\n")
        raise typer.Exit(2) from None
    typer.echo(f"{prof.name}: sound ({' over '.join(reversed(prof.sources))})")


@profile_app.command("show")
def profile_show(
    name: Annotated[str, typer.Argument(help="A profile name or .toml file")] = "seattle",
    at: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD); default today")] = None,
) -> None:
    """The deadlines, adjustments and flags in force on a day, each with its citation."""
    prof = _profile(name)
    rules = prof.at(_today(at))
    typer.echo(f"{prof.name} on {at or dt.date.today().isoformat()}")
    if rules.before_chapter:
        first = min(k for d in prof.spec.deadlines.model_dump().values() for k in d["days"])
        typer.echo(f"  before the chapter took effect ({first}): no deadline applies  [{rules.not_retroactive.cite}]")
        return
    for d in rules.deadlines.values():
        if d.not_in_force is not None:
            typer.echo(f"  {d.id}: not in force: {d.not_in_force[0]}  [{d.not_in_force[1]}]")
            continue
        typer.echo(f"  {d.id}: {d.days} days from {' / '.join(d.trigger)}  [{d.cite}]")
        for a in d.adjustments:
            extra = {
                "fixed": f"+{a.days} days",
                "event_days": "+ the event's days",
                "pause": "+ the days paused" + (f" (resumed by {', '.join(a.resumed_by)})" if a.resumed_by else ""),
                "toll": f"tolls {a.days} days (tolled days count once)",
                "later_of": f"{a.days} days after the later of its date and its other date, instead",
            }[a.kind]
            typer.echo(f"      {a.event}: {extra} ({a.when.replace('_', ' ')})  [{a.cite}]")
    for r in rules.referrals:
        typer.echo(f"  {r.event}: {r.starts} {r.days} days later  [{r.cite}]")
    lim = rules.limitation
    typer.echo(f"  limitation: {lim.years} years, except {', '.join(lim.exceptions)}  [{lim.cite}]")
    for flag_id, f in rules.flags.items():
        typer.echo(f"  flag {flag_id}  [{f.cite}]")
    for p in rules.pending:
        status = (
            "pending bargaining: not in force"
            if p.bargaining == "pending"
            else f"bargained, in force from {p.bargaining}: not yet in force"
        )
        typer.echo(f"  {p.key} = {p.value!r} [{p.cite}]: {status}  [{rules.bargaining.cite}]")


def _settings_or_fail() -> None:
    """Load the settings; a deployment that may not start (a missing or weak key, a demo
    setting in production) exits 2 with the setting named."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
    except ImproperlyConfigured as e:
        _fail(str(e))


def _django(argv: list[str]) -> None:
    _settings_or_fail()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["oversight manage", *argv])


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, ...)."""
    _django(list(ctx.args))


@app.command("backup")
def backup_cmd(out: Annotated[str, typer.Argument(help="The archive to write (.tar.gz)")]) -> None:
    """Back up the database, the media files and the chain's checkpoints (`manage backup`)."""
    _django(["backup", out])


@app.command("restore")
def restore_cmd(
    archive: Annotated[str, typer.Argument(help="A backup archive written by `oversight backup`")],
    force: Annotated[bool, typer.Option(help="Replace a database that already holds cases")] = False,
) -> None:
    """Restore a backup, then verify the chain (`manage restore`)."""
    _django(["restore", archive, *(["--force"] if force else [])])


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve on")] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve after filling the demo data")] = True,
) -> None:
    """Create the SQLite database, fill it with a demo year of cases, serve http://127.0.0.1:PORT."""
    # The demo's own settings: DEBUG, keys of its own in the data folder, the demo's logins
    # signing in with the password alone (oversight.settings); never production's.
    os.environ["OVERSIGHT_ENV"] = "demo"
    _django(["migrate", "--no-input", "-v", "0"])
    # a year of cases at every stage, and the three full years before this one at Seattle's scale
    _django(["seed_demo", "--history-years", "3"])
    _django(["seed_oig_demo"])
    _django(["seed_discipline_demo"])
    _django(["seed_public_demo"])
    _django(["seed_recommendations_demo"])
    _django(["seed_institutions_demo"])
    _django(["seed_contracts_demo"])
    # The public data pages (/data/): Seattle's own exports, when they are beside the checkout.
    from oversight.publicdata.demo import import_shared

    for line in import_shared():
        typer.echo(line)
    # Deadline reminders: schedule the daily task, send today's now (to var/mail/), and
    # keep a tasks worker running beside the server for the days after.
    _django(["schedule_reminders"])
    _django(["db_worker", "--batch", "--no-startup-delay"])
    if serve:
        import subprocess

        worker = subprocess.Popen([sys.executable, "-m", "oversight.cli", "manage", "db_worker"])
        typer.echo(f"Oversight demo: open http://127.0.0.1:{port}/ (logins: see `oversight manage seed_demo`)")
        try:
            _django(["runserver", f"127.0.0.1:{port}", "--noreload"])
        finally:
            worker.terminate()
            worker.wait(timeout=10)


@app.command()
def serve(
    bind: Annotated[str, typer.Option(help="Address to listen on, behind the TLS proxy")] = "127.0.0.1:8000",
    workers: Annotated[int, typer.Option(help="gunicorn worker processes")] = 3,
    worker: Annotated[bool, typer.Option(help="Run the tasks worker (reminders, mail) beside the server")] = True,
    migrate: Annotated[bool, typer.Option(help="Apply database migrations first")] = False,
) -> None:
    """Production: refuse to start on a setting that is missing or unsafe, check the deployment,
    collect the static files (served by WhiteNoise), then run gunicorn and the tasks worker."""
    import signal
    import subprocess

    _settings_or_fail()
    if migrate:
        _django(["migrate", "--no-input"])
    try:
        _django(["check", "--deploy", "--fail-level", "WARNING"])
    except SystemExit as e:
        if e.code:
            _fail("the deployment check failed (above): fix the settings it names, then start again")
    _django(["collectstatic", "--no-input", "-v", "0"])
    procs: list[subprocess.Popen[bytes]] = []
    if worker:
        procs.append(subprocess.Popen([sys.executable, "-m", "oversight.cli", "manage", "db_worker"]))
    gunicorn = [sys.executable, "-m", "gunicorn", "oversight.wsgi:application", "--bind", bind]
    gunicorn += ["--workers", str(workers), "--access-logfile", "-", "--timeout", "60"]
    server = subprocess.Popen(gunicorn)
    procs.append(server)

    def stop(signum: int, frame: Any) -> None:
        for p in procs:
            p.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = server.wait()
    for p in procs:
        if p.poll() is None:
            p.terminate()
            p.wait(timeout=30)
    raise typer.Exit(code)


@app.command()
def report(
    kind: Annotated[
        str, typer.Argument(help="opa-annual, opa-quarterly, oig-quarterly, oig-annual, oig-semiannual, cpc-annual")
    ],
    start: Annotated[str, typer.Option("--from", help="The period's first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="The period's last day, YYYY-MM-DD")],
    format: Annotated[str, typer.Option("--format", help="html, pdf or csv (one CSV per table)")] = "html",
    out: Annotated[Path, typer.Option("--out", help="The directory to write into")] = Path("."),
) -> None:
    """Write a report of Chapter 3.29 for a period, from the records: the same numbers the pages show."""
    if format not in ("html", "pdf", "csv"):
        _fail(f"--format: {format!r} is not one of html, pdf, csv")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
    import django

    django.setup()
    from oversight.reports import render
    from oversight.reports.kinds import PeriodError, build, parse_period

    try:
        k, a, b = parse_period(kind, start, end)
    except PeriodError as e:
        _fail(str(e))
    if out.exists() and not out.is_dir():
        _fail(f"--out: {out} is not a directory")
    rep = build(k.id, a, b)
    out.mkdir(parents=True, exist_ok=True)
    name = render.base_name(rep)
    if format == "html":
        paths = [out / f"{name}.html"]
        paths[0].write_text(render.html(rep), encoding="utf-8")
    elif format == "pdf":
        paths = [out / f"{name}.pdf"]
        paths[0].write_bytes(render.pdf(rep))
    else:
        folder = out / name
        folder.mkdir(exist_ok=True)
        paths = []
        for i, s in enumerate(rep.sections, 1):
            for t in s.tables:
                p = folder / f"{i:02d}-{t.id}.csv"
                p.write_text(render.table_csv(t), encoding="utf-8")
                paths.append(p)
    for p in paths:
        typer.echo(str(p))


contract_app = typer.Typer(help="Bargaining agreements as overlays on the chapter.", no_args_is_help=True)
app.add_typer(contract_app, name="contract")
_FORMATS = ("text", "json", "csv", "html", "pdf")


def _write_out(format: str, text: str | None, data: bytes | None, out: Path | None) -> None:
    if out is not None:
        if data is not None:
            out.write_bytes(data)
        else:
            out.write_text(text or "", encoding="utf-8")
        typer.echo(str(out))
    elif data is not None:
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(text or "")


@contract_app.command("compare")
def contract_compare(
    overlay: Annotated[str, typer.Argument(help="An agreement overlay (.toml), or a shipped one's name")],
    format: Annotated[str, typer.Option("--format", help="text, json, csv, html or pdf")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (a PDF needs it or a pipe)")] = None,
) -> None:
    """The agreement against the chapter, key by key: values, citations, category, conformance (3.29.400.A)."""
    if format not in _FORMATS:
        _fail(f"--format: {format!r} is not one of {', '.join(_FORMATS)}")
    from oversight.contracts import service
    from oversight.rules.profile import ProfileError

    try:
        c = service.compare(overlay)
    except ProfileError as e:
        _fail(str(e).replace("\n", "; "))
    if format == "json":
        import orjson

        _write_out(format, orjson.dumps(c.rows, option=orjson.OPT_INDENT_2).decode() + "\n", None, out)
    elif format == "csv":
        _write_out(format, service.compare_csv(c), None, out)
    elif format == "text":
        _write_out(format, service.compare_text(c), None, out)
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.settings")
        import django

        django.setup()
        ctx = {"c": c, "public": True}
        if format == "html":
            _write_out(format, service.html("contracts/compare_print.html", ctx), None, out)
        else:
            _write_out(format, None, service.pdf("contracts/compare_print.html", ctx), out)


@app.command("replay")
def replay_cmd(
    overlay: Annotated[str, typer.Option("--overlay", help="An agreement overlay (.toml), or a shipped one's name")],
    start: Annotated[str | None, typer.Option("--from", help="Cases begun on or after, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Cases begun on or before, YYYY-MM-DD")] = None,
    today: Annotated[str | None, typer.Option("--today", help="The day the clocks are read, YYYY-MM-DD")] = None,
    format: Annotated[str, typer.Option("--format", help="text, json, csv, html or pdf")] = "text",
    every: Annotated[bool, typer.Option("--all", help="JSON: every case, not only those that differ")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file")] = None,
) -> None:
    """Every case in the records through the chapter and through the agreement: what would have differed."""
    if format not in _FORMATS:
        _fail(f"--format: {format!r} is not one of {', '.join(_FORMATS)}")
    a = dt.date.fromordinal(_today(start)) if start else None
    b = dt.date.fromordinal(_today(end)) if end else None
    if a and b and b < a:
        _fail(f"--to: {b} is before --from ({a})")
    day = dt.date.fromordinal(_today(today))
    _settings_or_fail()
    import django

    django.setup()
    from oversight.contracts import service
    from oversight.rules.profile import ProfileError

    try:
        r = service.run_replay(overlay, a, b, day)
    except ProfileError as e:
        _fail(str(e).replace("\n", "; "))
    if format == "json":
        import orjson

        _write_out(format, orjson.dumps(r.to_json(every), option=orjson.OPT_INDENT_2).decode() + "\n", None, out)
    elif format == "csv":
        _write_out(format, service.replay_csv(r), None, out)
    elif format == "text":
        _write_out(format, service.replay_text(r), None, out)
    elif format == "html":
        _write_out(format, service.html("contracts/replay_print.html", {"r": r, "public": True}), None, out)
    else:
        _write_out(format, None, service.pdf("contracts/replay_print.html", {"r": r, "public": True}), out)


def _add_publicdata() -> None:
    # Only Typer apps are defined there; the importers and DuckDB load inside the commands.
    from oversight.publicdata.cli import force_app, import_app, shootings_app, stops_app

    app.add_typer(import_app, name="import")
    app.add_typer(stops_app, name="stops")
    app.add_typer(force_app, name="force")
    app.add_typer(shootings_app, name="shootings")
    # complaint history registers `import complaints` on the same import app
    from oversight.history.cli import discipline_app

    app.add_typer(discipline_app, name="discipline")


_add_publicdata()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
