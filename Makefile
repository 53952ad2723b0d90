# Two commands matter: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test lint fmt types test-sqlite test-postgres bench install

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $$(scripts/python) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e ".[dev]"
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
	env -u DATABASE_URL $(VENV)/bin/pytest

# The database-backed tests again on PostgreSQL. Under CI=true a PostgreSQL that
# cannot be had fails the run; elsewhere it is reported and skipped.
test-postgres: $(STAMP)
	@if PG_URL=$(PG_URL) scripts/ensure-postgres; then \
	  DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest tests/web; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "FAIL: PostgreSQL is required under CI=true" >&2; exit 1; \
	else \
	  echo "SKIPPED: the PostgreSQL run (no PostgreSQL at $(PG_URL))" >&2; \
	fi

test: lint types test-sqlite test-postgres

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/timeline_bench.py
