"""The public-data commands must not slow down the others: importing the command line loads
neither DuckDB, Arrow nor Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_cli_loads_no_heavy_module():
    code = "import sys, oversight.cli; print(sorted(m for m in ('duckdb', 'pyarrow', 'django') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
