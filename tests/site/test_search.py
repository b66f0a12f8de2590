"""Material's search, in the browser, over the built site's index."""

from __future__ import annotations

from playwright.sync_api import expect
from site_support import Visit


def test_searching_an_error_code_finds_the_research_api_page(visit: Visit) -> None:
    visit.open("")
    box = visit.page.locator("input.md-search__input")
    box.click()
    # Typed key by key: Material searches on keyboard events, which fill() does not send.
    box.press_sequentially("scope_not_authorized")
    hit = visit.page.locator(".md-search-result__item a[href*='tiktok/research-api/']")
    expect(hit.first).to_be_visible()
