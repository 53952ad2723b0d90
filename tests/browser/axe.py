"""axe-core in the page: no serious or critical accessibility violation (WCAG 2.1 A and AA,
best practices). axe-core comes from npm (`make axe-core`); under CI a missing copy fails."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe(page: Any) -> None:
    """No serious or critical accessibility violation on the page as it is now."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: `make node_modules` installs axe-core")
        pytest.skip(f"{AXE} is missing: `make node_modules` installs axe-core")
    # evaluated by the browser's tooling, not as a script of the page: the page's Content
    # Security Policy (no inline script without its nonce) stays on for the test
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']})"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)
