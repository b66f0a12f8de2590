"""Helpers for the browser tests: the pages to visit and a tab that remembers what went wrong."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Page

# The built pages that make statements about TikTok, each citing its sources.
TIKTOK_PAGES = [
    "index.html",
    "tiktok/prerequisites/index.html",
    "tiktok/research-api/index.html",
    "tiktok/display-api/index.html",
    "tiktok/data-portability-api/index.html",
    "tiktok/commercial-content-api/index.html",
    "tiktok/terms/index.html",
    "decisions/0001-no-tiktok-api-for-scraping/index.html",
]

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
    # MkDocs's loader: mkdocs.yml uses its tags (!ENV).
    nav = yaml_load((ROOT / "mkdocs.yml").read_text())["nav"]
    paths = [file.removesuffix(".md") + "/" for file in _nav_files(nav)]
    return [path.removesuffix("index/") for path in paths]


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
