"""Whether a change to the public-data importer keeps its output: the same generated export
imported by this tree and by another (e.g. ``git worktree add /tmp/before HEAD~3`` or
``git archive HEAD~3 src | tar -x -C /tmp/before``), each into a store of its own, and compared:
every table of the store row for row (EXCEPT ALL both ways, so repeated rows count), the
column names and types, the report (but the file's path) and the rows set aside with their
lines and reasons. Exits 1 when anything differs.

    .venv/bin/python benchmarks/publicdata_equivalence.py --before /tmp/before/src --rows 100000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

# Run in a child process with the tree to use first on the path: import, write, dump.
CHILD = """
import json, sys
from pathlib import Path
from oversight.publicdata import importer, store
from oversight.publicdata.mapping import load_shipped
from oversight.publicdata.pseudonym import Pseudonymizer
csv, db, name, out = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
imp = importer.read_export(csv, load_shipped(name), Pseudonymizer("equivalence-check-key-0123456789abcdef"))
report, rejects = dict(imp.report), [list(r) for r in imp.rejects]
store.write(db, imp)
out.write_text(json.dumps({"importer": importer.__file__, "report": report, "rejects": rejects}, default=str))
"""


def run(src: Path, csv: Path, db: Path, mapping: str) -> dict[str, Any]:
    out = db.with_suffix(".json")
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", CHILD, str(csv), str(db), mapping, str(out)], env=env, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    result["report"].pop("file", None)
    return result


def compare_stores(a: Path, b: Path) -> dict[str, Any]:
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    tables: dict[str, Any] = {}
    q = "SELECT table_name FROM duckdb_tables() WHERE database_name = ?"
    names = {db: [r[0] for r in con.execute(q, [db]).fetchall()] for db in ("a", "b")}
    for t in sorted(set(names["a"]) | set(names["b"])):
        if t not in names["a"] or t not in names["b"]:
            tables[t] = {"in_both": False}
            continue
        schema = [con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {db}.{t})").fetchall() for db in "ab"]
        # an import's time is its own; everything else of the imports table must agree
        cols = "* EXCLUDE (imported_at)" if t == "imports" else "*"
        q = "SELECT count(*) FROM (SELECT {c} FROM {x}.{t} EXCEPT ALL SELECT {c} FROM {y}.{t})"
        tables[t] = {
            "rows": con.execute(f"SELECT count(*) FROM a.{t}").fetchone()[0],  # type: ignore[index]
            "only_before": con.execute(q.format(c=cols, x="a", y="b", t=t)).fetchone()[0],  # type: ignore[index]
            "only_after": con.execute(q.format(c=cols, x="b", y="a", t=t)).fetchone()[0],  # type: ignore[index]
            "same_columns": schema[0] == schema[1],
        }
    con.close()
    return tables


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True, help="the src folder of the tree to compare with")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--csv", type=Path, default=None, help="an export to use instead of a generated one")
    ap.add_argument("--mapping", default="seattle-terry")
    ap.add_argument("--out", type=Path, default=None, help="write the comparison as JSON here")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import publicdata_bench as bench

    from oversight.publicdata.mapping import load_shipped

    with tempfile.TemporaryDirectory(prefix="publicdata_equivalence_") as tmp:
        work = Path(tmp)
        csv = args.csv
        generated = None
        if csv is None:
            csv = work / "terry.csv"
            source = bench.REAL_TERRY if bench.REAL_TERRY.exists() else None
            generated = bench.generate(csv, args.rows, args.seed, source, load_shipped(args.mapping))
        before = run(args.before, csv, work / "before.duckdb", args.mapping)
        after = run(SRC, csv, work / "after.duckdb", args.mapping)
        tables = compare_stores(work / "before.duckdb", work / "after.duckdb")
    same_tables = all(
        t.get("in_both", True) and t["only_before"] == 0 and t["only_after"] == 0 and t["same_columns"]
        for t in tables.values()
    )
    result = {
        "csv": str(args.csv) if args.csv else f"generated: {args.rows:,} rows, seed {args.seed}",
        "expected_report": generated["expected_report"] if generated else None,
        "importers": {"before": before["importer"], "after": after["importer"]},
        "tables": tables,
        "same_tables": same_tables,
        "same_report": before["report"] == after["report"],
        "same_rejects": before["rejects"] == after["rejects"],
        "report": {k: after["report"].get(k) for k in ("rows_read", "loaded", "duplicates", "set_aside")},
        "set_aside_reasons": after["report"].get("set_aside_reasons"),
    }
    result["identical"] = bool(same_tables and result["same_report"] and result["same_rejects"])
    if not result["same_report"]:
        result["report_keys_differing"] = sorted(
            k for k in set(before["report"]) | set(after["report"]) if before["report"].get(k) != after["report"].get(k)
        )
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
