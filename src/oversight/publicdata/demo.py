"""The demo's public data: the City of Seattle's own exports, when they are beside the
checkout (``../shared/data``, or ``OVERSIGHT_SHARED_DATA``), imported through the shipped
mappings. Nothing is generated: the demo shows real published data or none."""

from __future__ import annotations

import os
from pathlib import Path

from oversight.publicdata import config, importer, store
from oversight.publicdata.mapping import load_shipped

FILES = {
    "seattle-terry": "seattle_terry_stops_2023/Terry_Stops.csv",
    "seattle-use-of-force": "seattle_use_of_force/Use_Of_Force.csv",
    "seattle-ois": "seattle_ois/SPD_Officer_Involved_Shooting__OIS__Data.csv",
}


def shared_data() -> Path | None:
    """Where the shared exports are: OVERSIGHT_SHARED_DATA, else ../shared/data from the
    working folder or from the checkout."""
    env = os.environ.get("OVERSIGHT_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates += [
        Path.cwd().parent / "shared" / "data",
        Path(__file__).resolve().parents[3].parent / "shared" / "data",
    ]
    return next((p for p in candidates if p.is_dir()), None)


def import_shared(db: Path | None = None) -> list[str]:
    """Import each shared export that is present and not already in the store as it is;
    returns one line per dataset saying what was done."""
    folder = shared_data()
    if folder is None:
        return ["public data: no ../shared/data here (set OVERSIGHT_SHARED_DATA); /data/ stays empty"]
    target = config.db_path(db)
    done = {}
    if target.exists():
        con = store.connect(target, read_only=True)
        try:
            done = {d["dataset"]: d["sha256"] for d in store.datasets(con)}
        finally:
            con.close()
    pseudo = config.pseudonymizer()
    lines = []
    for name, rel in FILES.items():
        path = folder / rel
        if not path.exists():
            lines.append(f"public data: {path} is missing; {name} not imported")
            continue
        imported = importer.read_export(path, load_shipped(name), pseudo)
        try:
            r = imported.report
            if done.get(name) == r["sha256"]:
                lines.append(f"public data: {name} already imported from this file")
                continue
            store.write(target, imported)
            counts = f"{r['loaded']} {r['unit']}s from {r['rows_read']} rows ({r['set_aside']} set aside)"
            lines.append(f"public data: {name}: {counts}")
        finally:
            imported.close()
    return lines
