"""The built site: What changed page, the feed linked from every page, each check's history."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urljoin

import feedparser
import pytest
from history_support import PREMISE, RUNS
from selectolax.lexbor import LexborHTMLParser
from tiktok_replica import copy_project

from apifit.checks.faults import Status
from apifit.checks.history import Line, append
from apifit.checks.scrub import Scrubber
from apifit.site.pipeline import build

ADR = "decisions/0001-no-tiktok-api-for-scraping/index.html"


def _html(site: Path, page: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / page).read_text(encoding="utf-8"))


def _text(site: Path, page: str) -> str:
    article = _html(site, page).css_first("article")
    assert article is not None
    return " ".join(article.text(separator=" ").split())


def test_every_page_names_the_feed_in_its_head(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        links = _html(built_site, str(page.relative_to(built_site))).css(
            'head link[rel="alternate"][type="application/atom+xml"]'
        )
        assert len(links) == 1, page
        href = links[0].attributes["href"]
        assert href is not None
        # As a browser resolves it (the 404 page links from the site's root).
        here = f"http://site/{page.relative_to(built_site).as_posix()}"
        assert urljoin(here, href) == "http://site/feed.xml", page


def test_the_feed_lists_the_pinned_terms_versions_and_the_re_review(built_site: Path) -> None:
    parsed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [e.title for e in parsed.entries]
    assert "ADR 0001 re-reviewed: decision stands" in titles
    assert sum("recorded by Open Terms Archive" in t for t in titles) == 6
    changes = _html(built_site, "changes/index.html")
    for entry in parsed.entries:
        url, anchor = urldefrag(entry.link)
        assert url == urljoin(parsed.feed.link, "")
        assert changes.css_first(f"#{anchor}") is not None, entry.link


def test_the_what_changed_page_links_its_feed_and_says_what_each_version_did(
    built_site: Path,
) -> None:
    text = _text(built_site, "changes/index.html")
    assert "Atom feed of these changes" in text
    assert "2026-01-23: TikTok Terms of Service (US): version of 2026-01-22" in text
    assert "Check tos-us-scraping-clause: passed on this version (was failed)." in text
    links = _html(built_site, "changes/index.html").css('article a[href="../feed.xml"]')
    assert len(links) == 1


def test_each_check_shows_its_history_or_that_none_is_recorded(built_site: Path) -> None:
    text = _text(built_site, "checks/index.html")
    assert text.count("Live history: no live recording yet") == 10
    assert "Archived history: holds since the version of 2026-01-22;" in text


def test_the_decision_record_says_how_many_premises_moved(built_site: Path) -> None:
    assert "last re-reviewed on 2026-11-27, 0 of its 10 premises changed" in _text(built_site, ADR)


@pytest.fixture
def recorded(
    tmp_path: Path, shared_imgs: Path, image_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the project whose history holds three runs of a premise: passed, failed, passed."""
    monkeypatch.setenv("APIFIT_IMGS_SOURCE", str(shared_imgs))
    monkeypatch.setenv("APIFIT_CACHE_DIR", str(image_cache))
    project = copy_project(tmp_path / "project")
    statuses = (Status.PASSED, Status.FAILED, Status.PASSED)
    lines = [
        Line(check=PREMISE, status=status, recorded_at=when, provenance="ci")
        for (when, _), status in zip(RUNS, statuses, strict=True)
    ]
    append(project / "cassettes", lines, Scrubber())
    return project


def test_a_recorded_history_reaches_checks_record_and_feed_and_rebuilds_alike(
    recorded: Path,
) -> None:
    build(recorded / "mkdocs.yml", recorded / "site")
    site = recorded / "site"
    feed = (site / "feed.xml").read_bytes()
    assert "Live history: passed since 2026-12-14 (live run in CI); last 3:" in _text(
        site, "checks/index.html"
    )
    assert "1 of its 10 premises changed" in _text(site, ADR)
    entries = feedparser.parse(feed).entries
    assert entries[0].title == f"Check {PREMISE}: failed → passed"
    build(recorded / "mkdocs.yml", recorded / "site")
    assert (site / "feed.xml").read_bytes() == feed
