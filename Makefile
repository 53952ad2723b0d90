# Two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test lint fmt types test-sqlite test-pure test-postgres test-browser chromium bench bench-board bench-publicdata bench-load bench-reports bench-replay bench-history install

NATIVE_SOURCES := $(addprefix src/oversight/rules/,events.py timeline.py plan.py batch.py)

$(STAMP): pyproject.toml $(NATIVE_SOURCES) scripts/build-native
	@test -x $(VENV)/bin/python || $$(scripts/python) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[dev]"
	$(VENV)/bin/python scripts/build-native
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/oversight demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

types: $(STAMP)
	$(VENV)/bin/mypy --strict src/oversight/rules

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(VENV)/bin/pytest --ignore=tests/browser

# The clock's tests again on its pure-Python modules (test-sqlite runs them compiled, when
# scripts/build-native could compile them).
test-pure: $(STAMP)
	env -u DATABASE_URL OVERSIGHT_PURE=1 $(VENV)/bin/pytest tests/rules

# Debian's Chromium for the browser tests (Playwright never downloads a browser).
# Under CI=true a Chromium that cannot be had fails the run.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || true; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$${CI:-}" = "true" ]; then echo "FAIL: /usr/bin/chromium is missing and could not be installed" >&2; exit 1; \
	  else echo "WARNING: /usr/bin/chromium is missing; the browser tests will be skipped" >&2; fi; \
	fi

test-browser: $(STAMP) chromium
	env -u DATABASE_URL PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(VENV)/bin/pytest tests/browser

# axe-core for the accessibility checks of the public pages (tests/browser/test_public_*.py),
# from npm into node_modules/. Under CI=true an axe-core that cannot be had fails the run.
AXE_CORE_VERSION := 4.14.1
.PHONY: axe-core
axe-core: node_modules/axe-core/axe.min.js
test-browser: axe-core
node_modules/axe-core/axe.min.js:
	@if command -v npm >/dev/null; then \
	  npm install --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_CORE_VERSION); \
	elif [ "$${CI:-}" = "true" ]; then echo "FAIL: npm is needed to install axe-core" >&2; exit 1; \
	else echo "WARNING: npm is missing; the accessibility checks will be skipped" >&2; fi

# The database-backed tests again on PostgreSQL (all but the pure rules tests, the public-data
# store's tests, which read and write DuckDB only and touch no Django database, and the browser
# walks: those run once, on SQLite). Under CI=true a PostgreSQL that cannot be had fails the
# run; elsewhere it is reported and skipped.
test-postgres: $(STAMP)
	@if PG_URL=$(PG_URL) scripts/ensure-postgres; then \
	  DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest --ignore=tests/rules --ignore=tests/publicdata --ignore=tests/browser; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "FAIL: PostgreSQL is required under CI=true" >&2; exit 1; \
	else \
	  echo "SKIPPED: the PostgreSQL run (no PostgreSQL at $(PG_URL))" >&2; \
	fi

# Two lanes side by side (each its own database, checkpoints and server ports): the PostgreSQL
# run, the longest, in one; the SQLite run, then the pure-Python clock and the browser walks, in
# the other.
test: lint types
	$(MAKE) --no-print-directory -j2 --output-sync=target test-postgres test-sqlite-lane

.PHONY: test-sqlite-lane
test-sqlite-lane:
	$(MAKE) --no-print-directory -j1 test-sqlite test-pure test-browser

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/timeline_bench.py

# The deadline board for 10,000 open cases on PostgreSQL: median and p95 to
# benchmarks/results/board_bench.json (target p95 under 200 ms, the first request of a day included).
bench-board: $(STAMP)
	PG_URL=$(PG_URL) scripts/ensure-postgres && DATABASE_URL=$(PG_URL) $(VENV)/bin/python benchmarks/board_bench.py

# Public data at scale: import and faceted queries on DuckDB, pandas and PostgreSQL, side by
# side; 10,000,000 synthetic stops by default (ROWS=100000 for a quick run); results in
# benchmarks/results/publicdata.json (targets: query p95 under 100 ms, import 200,000 rows/s).
bench-publicdata: $(STAMP)
	PG_URL=$(PG_URL) scripts/ensure-postgres && PG_URL=$(PG_URL) $(VENV)/bin/python benchmarks/publicdata_bench.py $(if $(ROWS),--rows $(ROWS),)

# Complaint history: the NYC CCRB file (33,358 rows) through the shipped mapping into a throwaway
# PostgreSQL test database, beside reading the file with the csv module (the floor), and the
# unchanged re-import: rows a second and the ratio to benchmarks/results/history_import.json.
bench-history: $(STAMP)
	PG_URL=$(PG_URL) scripts/ensure-postgres && DATABASE_URL=$(PG_URL) $(VENV)/bin/python benchmarks/history_bench.py

# A bounded load test on loopback: the public pages, the board and the complaint form, served
# by gunicorn from SQLite; throughput, median, p95 and error rate to benchmarks/results/load.json.
bench-load: $(STAMP)
	env -u DATABASE_URL $(VENV)/bin/python benchmarks/load_bench.py $(if $(LOAD_SECONDS),--seconds $(LOAD_SECONDS),)

# The six reports over ten years of generated cases at Seattle's scale (1,500 complaints a year)
# and at ten times it, on PostgreSQL: build, HTML, CSV and PDF times to benchmarks/results/reports.json
# (target: the annual report under 2 s at Seattle's scale). SCALES=1 for a quick run.
bench-reports: $(STAMP)
	PG_URL=$(PG_URL) scripts/ensure-postgres && DATABASE_URL=$(PG_URL) $(VENV)/bin/python benchmarks/report_bench.py $(if $(SCALES),--scales $(SCALES),)

# Replay ten years of generated cases (1,500 a year, PG) under one agreement overlay, beside the
# baseline-only run as peer: benchmarks/results/replay.json (target: under 10 s).
bench-replay: $(STAMP)
	PG_URL=$(PG_URL) scripts/ensure-postgres && DATABASE_URL=$(PG_URL) $(VENV)/bin/python benchmarks/replay_bench.py
