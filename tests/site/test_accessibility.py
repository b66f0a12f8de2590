"""axe-core on every page: no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from site_support import Visit, nav_pages

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe() -> Axe:
    """axe-core as bundled by axe-playwright-python (no npm, no network)."""
    return Axe()


@pytest.mark.parametrize("path", nav_pages())
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violation(
    visit: Visit, axe: Axe, path: str, scheme: str
) -> None:
    visit.page.emulate_media(color_scheme=scheme)
    visit.open(path)
    violations = axe.run(visit.page).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert found == []
