"""A built site served on 127.0.0.1 and Debian's chromium to look at it, as a reader would.

Shared by the browser tests and the page-weight measurement. The browser is the system's
chromium (`APIFIT_CHROMIUM` to use another): Playwright never downloads one here.
"""

from __future__ import annotations

import functools
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Playwright

from apifit.errors import InputError
from apifit.measure import localserver
from apifit.measure.localserver import QuietHandlerMixin

CHROMIUM = os.environ.get("APIFIT_CHROMIUM", "/usr/bin/chromium")
# No sandbox: CI and developers run as root. The rest stops chromium calling home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _QuietHandler(QuietHandlerMixin, SimpleHTTPRequestHandler):
    pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on a free port of 127.0.0.1; yield its base URL (ending in /)."""
    with localserver.serve(functools.partial(_QuietHandler, directory=str(site_dir))) as base:
        yield base


def launch(playwright: Playwright) -> Browser:
    """Start the system chromium headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


def page_paths(site_dir: Path) -> list[str]:
    """Every page of a built site, from its sitemap, as paths relative to the site root."""
    sitemap = site_dir / "sitemap.xml"
    try:
        root = ET.parse(sitemap).getroot()
    except (FileNotFoundError, ET.ParseError) as exc:
        raise InputError(
            sitemap, "(file)", f"no readable sitemap: {exc}", fix="build the site"
        ) from None
    paths = [urlparse(loc.text or "").path for loc in root.iter(f"{_SITEMAP_NS}loc")]
    # The home page is the shortest path: every other page lives below it.
    home = min(paths, key=len)
    return [path[len(home) :] for path in paths]
