"""The real site, built once per session, served on 127.0.0.1 and opened in Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Page, Route, sync_playwright

from apifit.browser import launch, serve

ROOT = Path(__file__).resolve().parents[2]


def _nav_files(items: list[Any]) -> Iterator[str]:
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_files(value)
        else:
            yield value


def nav_pages() -> list[str]:
    """Every page in mkdocs.yml's nav, as the URL path MkDocs gives it."""
    # Plain YAML is enough for the nav; mkdocs.yml uses no custom tags.
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]
    paths = [file.removesuffix(".md") + "/" for file in _nav_files(nav)]
    return [path.removesuffix("index/") for path in paths]


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


@dataclass
class Visit:
    """A browser tab on the served site, with what went wrong while it was open."""

    page: Page
    base_url: str
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        """Load a page of the site (its images may still be on their way)."""
        self.page.goto(self.base_url + path, wait_until="load")


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
