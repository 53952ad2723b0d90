"""A bounded load test on loopback: the public pages, the deadline board and the complaint form,
served the production way (gunicorn, WhiteNoise) from the embedded SQLite database.

    .venv/bin/python benchmarks/load_bench.py [--clients 16] [--seconds 20] [--workers 3] [--port 8210]

Makes a throwaway data folder, migrates it and fills the demo's year of cases, starts
`gunicorn` on 127.0.0.1, then runs ``--clients`` threads (stdlib urllib) for ``--seconds``:
each picks, in a fixed mix, the public home, the complaint form, the published summaries, the
public data page, the board (signed in as the OPA Director) or a complaint filed on the form.
Every client comes from an address of its own (X-Forwarded-For, one trusted proxy), as members
of the public behind a city's proxy would, so the per-address rate limits measure what they
would in production. Writes throughput, median, p95 and error rate (a 5xx, a refused connection
or an unexpected status) overall and per page to benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# (name, weight, method, path, expected statuses)
MIX: list[tuple[str, int, str, str, tuple[int, ...]]] = [
    ("public home", 25, "GET", "/public/", (200,)),
    ("complaint form", 15, "GET", "/public/complaint/", (200,)),
    ("published summaries", 15, "GET", "/public/published/", (200,)),
    ("public data", 10, "GET", "/data/", (200,)),
    ("board", 20, "GET", "/board/", (200,)),
    ("complaint filed", 15, "POST", "/public/complaint/", (302,)),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Client:
    """One simulated person: a cookie jar, an address of their own."""

    def __init__(self, base: str, address: str) -> None:
        self.base = base
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "http"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=60) as r:
                return int(r.status), r.read()
        except urllib.error.HTTPError as e:
            return int(e.code), e.read()

    def csrf(self, path: str) -> str:
        _, body = self.request("GET", path)
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        return m.group(1).decode() if m else ""

    def sign_in(self, username: str, password: str) -> None:
        token = self.csrf("/accounts/login/")
        status, _ = self.request(
            "POST", "/accounts/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        if status != 302:
            raise SystemExit(f"load_bench: could not sign in as {username} (HTTP {status})")


def run_load(base: str, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    results: dict[str, list[tuple[float, bool]]] = {name: [] for name, *_ in MIX}
    lock = threading.Lock()
    stop_at = [0.0]  # set once every person has signed in
    names = [m[0] for m in MIX]
    weights = [m[1] for m in MIX]
    by_name = {m[0]: m for m in MIX}
    start = threading.Barrier(clients + 1)

    def person(i: int) -> None:
        rng = random.Random(seed + i)
        c = Client(base, f"198.18.{i // 250}.{i % 250 + 1}")
        c.sign_in("director", "oversight-demo")
        start.wait()
        while time.perf_counter() < stop_at[0]:
            name = rng.choices(names, weights)[0]
            _, _, method, path, expected = by_name[name]
            form = None
            if method == "POST":
                form = {
                    "csrfmiddlewaretoken": c.csrf(path),
                    "what_happened": f"Load test complaint {i}-{rng.randrange(10**9)}: an officer was rude.",
                    "in_person_interview": "undecided",
                    "anonymous": "on",
                }
            t0 = time.perf_counter()
            try:
                status, _ = c.request(method, path, form)
                ok = status in expected
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                results[name].append((elapsed, ok))

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + 3600  # until the barrier below
    start.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for t in threads:
        t.join()
    wall = time.perf_counter() - began

    def summary(rows: list[tuple[float, bool]]) -> dict[str, Any]:
        times = [t for t, _ in rows]
        errors = sum(1 for _, ok in rows if not ok)
        return {
            "requests": len(rows),
            "errors": errors,
            "error_rate": round(errors / len(rows), 4) if rows else 0.0,
            "median_ms": round(statistics.median(times), 1) if times else 0.0,
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1) if times else 0.0,
        }

    everything = [r for rows in results.values() for r in rows]
    overall = summary(everything)
    overall["throughput_rps"] = round(len(everything) / wall, 1)
    overall["seconds"] = round(wall, 1)
    return {"overall": overall, "pages": {name: summary(rows) for name, rows in results.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "load.json")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="oversight-load-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("OVERSIGHT_")}
    env |= {
        "OVERSIGHT_ENV": "demo",  # the demo's logins sign in with the password alone
        "OVERSIGHT_DEBUG": "0",
        "OVERSIGHT_DATA_DIR": str(data),
        "OVERSIGHT_TRUSTED_PROXIES": "1",
        "DJANGO_SETTINGS_MODULE": "oversight.settings",
    }
    manage = [sys.executable, "-m", "oversight.cli", "manage"]
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
        setup_s = time.perf_counter() - t0
        gunicorn = [sys.executable, "-m", "gunicorn", "oversight.wsgi:application"]
        gunicorn += ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers), "--log-level", "warning"]
        server = subprocess.Popen(gunicorn, env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/public/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("load_bench: the server did not start")
        load_before = os.getloadavg()[0]
        result = run_load(base, args.clients, args.seconds, args.seed)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    out = {
        "benchmark": "load: public pages, the board and the complaint form on loopback",
        "server": f"gunicorn, {args.workers} sync workers, WhiteNoise, SQLite (WAL, immediate transactions)",
        "clients": args.clients,
        **result,
        "setup_s": round(setup_s, 1),
        "mix": {name: weight for name, weight, *_ in MIX},
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_before": round(load_before, 2),  # other work on the machine at the start
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    o = result["overall"]
    print(
        f"{o['requests']} requests in {o['seconds']} s: {o['throughput_rps']} req/s, median {o['median_ms']} ms, "
        f"p95 {o['p95_ms']} ms, error rate {o['error_rate']:.2%} -> {args.out}"
    )
    return 0 if o["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
