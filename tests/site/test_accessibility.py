"""axe-core on every page, at five widths from a small phone's to a laptop's, light and dark: no
violation of any of its default rules, whatever the impact.

Material's own findings are fixed from our side in docs/assets/a11y.{css,js}.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ViewportSize
from site_support import Visit, nav_pages

VIEWPORTS = {
    "320x640": ViewportSize(width=320, height=640),
    "390x844": ViewportSize(width=390, height=844),
    "500x800": ViewportSize(width=500, height=800),
    "768x1024": ViewportSize(width=768, height=1024),
    "1280x800": ViewportSize(width=1280, height=800),
}


@pytest.fixture(scope="module")
def axe() -> Axe:
    """axe-core as bundled by axe-playwright-python (no npm, no network)."""
    return Axe()


@pytest.mark.parametrize("path", nav_pages())
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_page_has_no_accessibility_violation(
    visit: Visit, axe: Axe, path: str, scheme: str, viewport: str
) -> None:
    visit.page.set_viewport_size(VIEWPORTS[viewport])
    visit.page.emulate_media(color_scheme=scheme)
    visit.open(path)
    violations = axe.run(visit.page).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
    ]
    assert found == []


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


@pytest.mark.parametrize("path", nav_pages())
def test_headings_start_at_h1_and_never_skip_a_level(built_site: Path, path: str) -> None:
    parser = _Headings()
    parser.feed((built_site / path / "index.html").read_text(encoding="utf-8"))
    skips = [
        f"h{before} -> h{after}"
        for before, after in zip([0, *parser.levels], parser.levels, strict=False)
        if after > before + 1
    ]
    assert parser.levels[:1] == [1]
    assert skips == []
