"""The built site carries every section of the original report, facts and verdicts kept."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from apifit.evidence.assessments import load_catalog


def _article(site: Path, page: str) -> str:
    text = (site / page / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert match, f"{page}: no article"
    return match.group(1)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_prerequisites_walk_through_nine_steps_with_their_screenshots(built_site: Path) -> None:
    article = _article(built_site, "tiktok/prerequisites")
    steps = re.findall(r"<li>(.*?)</li>", re.search(r"<ol>(.*?)</ol>", article, re.S)[1], re.S)
    shots = [re.findall(r"<img[^>]*SS(\d+)(?!\d)", step) for step in steps]
    assert [sorted(set(s), key=int) for s in shots] == [
        [],
        ["7"],
        ["8"],
        ["9"],
        ["10"],
        ["11"],
        ["12"],
        ["13"],
        ["14", "15"],
    ]
    assert "Sign up" in _text(steps[0])
    assert "Describe the product and give a demo" in _text(steps[6])


@pytest.mark.parametrize(
    ("page", "phrases"),
    [
        (
            "",
            [
                "approves none of its APIs, the Research API included, for scraping",
                "surveillance or for commercial use",
                "not yet recorded",
            ],
        ),
        (
            "tiktok/research-api",
            [
                "academic community",
                "rigorous selection",
                "submitting a ticket",
                "about 4 weeks, or one calendar month",
                "within 4 weeks of submission",
                "typically within 3-4 weeks",
                "U.S., EEA, UK, Canada or Switzerland",
                "I am a creator, advertiser, or commercial user",
                "in the U.S. or Europe",
                "20,000 calls and 2,000,000 records a day",
                "1,000 a day",
                "up to 100,000 a day",
                "100 (video and comment queries)",
                "00:00 UTC",
                "client access token",
                "non-commercial use only",
                "Fuzzy would collect data by web scraping and make a profit",
                "Getting started with the Research API",
            ],
        ),
        ("tiktok/display-api", ["OAuth on the user's own profile", "landing page", "Login Kit"]),
        ("tiktok/data-portability-api", ["names and usernames", "EEA and the UK", "out of scope"]),
        ("tiktok/commercial-content-api", ["ad library data", "evaluating the ads that exist"]),
        (
            "tiktok/terms",
            [
                # Quoted whole now, inside the clause's lead: the words, not a quote mark, count.
                "scrape, crawl, export or otherwise extract any data or content",
                "use automated scripts to collect information from or otherwise interact",
                "Removed 2026-01-22",
                "Developer Terms of Service",
                "passed on archived copy",
            ],
        ),
        (
            "decisions/0001-no-tiktok-api-for-scraping",
            [
                "Status: accepted",
                "Context",
                "Options considered",
                "Scraping TikTok's website",
                "Decision",
                "Consequences",
                "Premises",
                "Supersedes: none",
                "Developer Terms of Service",
                "Re-reviews",
                "2026-11-27: decision stands",
                "Why a re-review here, not an ADR 0002",
            ],
        ),
    ],
)
def test_each_report_section_is_on_its_page(
    built_site: Path, page: str, phrases: list[str]
) -> None:
    text = _text(_article(built_site, page))
    missing = [phrase for phrase in phrases if phrase not in text]
    assert not missing, f"{page or 'home'} lacks {missing}"


@pytest.mark.parametrize(
    ("page", "screenshots"),
    [
        ("tiktok/research-api", ["SS6", "SS16"]),
        ("tiktok/display-api", ["SS17"]),
        ("tiktok/terms", ["SS18", "SS19"]),
    ],
)
def test_api_and_terms_pages_show_the_report_screenshots(
    built_site: Path, page: str, screenshots: list[str]
) -> None:
    article = _article(built_site, page)
    assert [s for s in screenshots if not re.search(rf"<img[^>]*{s}(?!\d)", article)] == []


def test_home_matrix_has_a_row_per_api(built_site: Path) -> None:
    rows = re.findall(r"<tr>(.*?)</tr>", _article(built_site, ""), re.S)[1:]
    assert [_text(row).split(" No:")[0] for row in rows] == [
        "Research API (now Research Tools)",
        "Display API",
        "Data Portability API",
        "Commercial Content API",
    ]


def test_terms_page_links_the_three_terms_documents(built_site: Path) -> None:
    article = _article(built_site, "tiktok/terms")
    for url in (
        "https://www.tiktok.com/legal/page/us/terms-of-service/en",
        "https://ads.tiktok.com/i18n/official/policy/commercial-terms-of-service",
        "https://www.tiktok.com/legal/page/global/tik-tok-developer-terms-of-service/en",
    ):
        assert f'href="{url}"' in article


def test_every_premise_of_the_decision_has_a_check_badge_beside_its_claim(
    built_site: Path, project_root: Path
) -> None:
    claim_pages = built_site.glob("tiktok/**/index.html")
    marked = {
        m
        for page in claim_pages
        for m in re.findall(
            r'<a class="apifit-check[^"]*" href="[^"]*#check-([\w-]+)"', page.read_text()
        )
    }
    record = load_catalog(project_root / "assessments").decisions["0001"]
    assert marked == set(record.premises)


def test_the_terms_page_lists_the_archived_versions_of_the_terms_it_cites(built_site: Path) -> None:
    article = _article(built_site, "tiktok/terms")
    sources = article.split('<div class="footnote">', 1)[1]
    archived = "https://github.com/OpenTermsArchive/vlopses-us-versions/commits/main/TikTok/"
    assert f'<a href="{archived}Terms%20of%20Service.md">archived versions</a>' in sources
