"""The real site, built once per session, served on 127.0.0.1 and opened in Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route, sync_playwright
from site_support import Visit

from apifit.measure.browser import launch, serve


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1, as a reader's browser would get it."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium per module.

    Not per session: while Playwright's sync API runs, its event loop counts as running in this
    thread, and the tests of other modules that call asyncio.run() would fail.
    """
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    """A fresh profile per test: console errors collected, requests off 127.0.0.1 refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = Visit(context.new_page(), base_url)

    def refuse(route: Route) -> None:
        tab.external.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(base_url), refuse)
    tab.page.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()
