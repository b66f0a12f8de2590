"""Every page of the built site, as a reader sees it in a real browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from playwright.sync_api import APIRequestContext
from site_support import Visit, nav_pages

from apifit.measure.browser import page_paths
from apifit.measure.pageweight import scroll_to_bottom

PAGES = nav_pages()

# Scroll each image into view and wait for it to decode, as a reader scrolling would.
_IMAGES = """async () => {
  const out = [];
  for (const img of document.images) {
    img.scrollIntoView();
    await img.decode().catch(() => null);
    const alt = img.getAttribute('alt');
    out.push({src: img.currentSrc || img.src, width: img.naturalWidth, alt});
  }
  return out;
}"""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name in ("id", "name") and value)


def _anchors(
    request: APIRequestContext, url: str, cache: dict[str, set[str] | None]
) -> set[str] | None:
    """The ids of the document at `url`, or None when it does not load."""
    if url not in cache:
        response = request.get(url)
        parser = _Ids()
        if response.ok and "html" in response.headers.get("content-type", ""):
            parser.feed(response.text())
        cache[url] = parser.ids if response.ok else None
    return cache[url]


def test_sitemap_lists_exactly_the_nav_pages(built_site: Path) -> None:
    assert sorted(page_paths(built_site)) == sorted(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors_or_third_party_requests(visit: Visit, path: str) -> None:
    visit.open(path)
    scroll_to_bottom(visit.page)
    assert visit.errors == []
    assert visit.external == []


@pytest.mark.parametrize("path", PAGES)
def test_every_image_is_decoded_and_has_alt_text(visit: Visit, path: str) -> None:
    visit.open(path)
    images = visit.page.evaluate(_IMAGES)
    assert [i["src"] for i in images if i["width"] == 0] == []
    assert [i["src"] for i in images if not (i["alt"] or "").strip()] == []


@pytest.mark.parametrize("path", PAGES)
def test_internal_links_and_anchors_resolve(visit: Visit, path: str) -> None:
    visit.open(path)
    hrefs = visit.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    cache: dict[str, set[str] | None] = {}
    broken = []
    for href in sorted(set(hrefs)):
        if not href.startswith(visit.base_url):
            continue
        url, fragment = urldefrag(href)
        ids = _anchors(visit.page.request, url, cache)
        if ids is None or (fragment and fragment not in ids):
            broken.append(href.removeprefix(visit.base_url))
    assert broken == []


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_screen_needs_no_horizontal_scroll(visit: Visit, path: str) -> None:
    visit.page.set_viewport_size({"width": 390, "height": 844})
    visit.open(path)
    widths = visit.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]


@pytest.mark.parametrize("path", PAGES)
def test_the_light_dark_toggle_switches_the_colours(visit: Visit, path: str) -> None:
    visit.open(path)
    scheme = (
        "() => [document.body.dataset.mdColorScheme,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    light = visit.page.evaluate(scheme)
    visit.page.locator("form[data-md-component=palette] label:visible").click()
    dark = visit.page.evaluate(scheme)
    visit.page.locator("form[data-md-component=palette] label:visible").click()
    assert (light[0], dark[0]) == ("default", "slate")
    assert light[1] != dark[1]
    assert visit.page.evaluate(scheme) == light
