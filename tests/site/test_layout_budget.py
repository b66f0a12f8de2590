"""Layout budgets of the content, measured in chromium: what a reader sees before opening anything.

Budgets of words, pixels and pages, not of time: they fail when the content grows past what a
reader takes in at a glance (issue 14), whatever the machine.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from layout import a4_pages, height, visible
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pypdf import PdfReader
from site_support import Visit, nav_pages

PAGES = nav_pages()
HOME_WORDS = 450
MATRIX_PX = 700  # at 1280x800: the matrix fits one laptop screen
CELL_WORDS = 45
BLOCK_WORDS = 90  # a paragraph or list item
HOME_A4_PAGES = 2
MATRIX = ".apifit-matrix table"


def test_home_page_shows_at_most_450_words(visit: Visit) -> None:
    visit.open("")
    assert visible(visit.page).words <= HOME_WORDS


def test_matrix_fits_in_700_px_at_1280x800(visit: Visit) -> None:
    visit.open("")
    assert height(visit.page, MATRIX) <= MATRIX_PX


@pytest.mark.parametrize("path", PAGES)
def test_no_visible_table_cell_is_over_45_words(visit: Visit, path: str) -> None:
    visit.open(path)
    longest = visible(visit.page).cell
    assert longest.words <= CELL_WORDS, longest.text


@pytest.mark.parametrize("path", PAGES)
def test_no_visible_paragraph_or_list_item_is_over_90_words(visit: Visit, path: str) -> None:
    visit.open(path)
    longest = visible(visit.page).block
    assert longest.words <= BLOCK_WORDS, longest.text


def _printed_text(visit: Visit) -> str:
    pdf = visit.page.pdf(format="A4", prefer_css_page_size=True)
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_home_prints_on_at_most_two_a4_pages_with_the_decision_and_the_matrix(
    visit: Visit,
) -> None:
    visit.open("")
    assert a4_pages(visit.page) <= HOME_A4_PAGES
    printed = _printed_text(visit)
    assert "uses no TikTok API for keyword discovery" in printed
    assert "Commercial Content API" in printed.split("Verdict matrix", 1)[1]


_FIRST_SOURCE_AND_CLOSED_TEXT = """() => {
  const source = document.querySelector(".footnote li a");
  const closed = document.querySelector("article details:not([open]) > :not(summary)");
  const words = (el) => el ? el.textContent.split(/\\s+/).filter(Boolean).slice(0, 6) : [];
  return {source: words(source), closed: words(closed)};
}"""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_prints_its_sources_and_its_closed_blocks_open(visit: Visit, path: str) -> None:
    visit.open(path)
    first = visit.page.evaluate(_FIRST_SOURCE_AND_CLOSED_TEXT)
    printed = _printed_text(visit)
    for words in (first["source"], first["closed"]):
        assert " ".join(words) in printed


def test_a_numbered_reference_shows_its_source_on_keyboard_focus(visit: Visit) -> None:
    visit.open("")
    for _ in range(60):
        visit.page.keyboard.press("Tab")
        if visit.page.evaluate("document.activeElement.matches('a.footnote-ref')"):
            break
    else:
        pytest.fail("no numbered reference is reachable with Tab")
    target = visit.page.evaluate("document.activeElement.getAttribute('href')")
    source = visit.page.locator(f"[id='{target[1:]}'] a").first.inner_text()
    tooltip = visit.page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert source in tooltip.inner_text()


_UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll(".md-content *")].filter((el) => {
  const style = getComputedStyle(el);
  const x = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
  const y = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
  return (x || y) && el.tabIndex < 0;
}).map((el) => el.className || el.tagName)"""


@pytest.mark.parametrize("path", ["", "checks/", "how-it-works/"])
def test_a_region_that_starts_scrolling_when_the_window_narrows_is_reachable_by_keyboard(
    visit: Visit, path: str
) -> None:
    visit.open(path)
    for width in (768, 500, 390, 320):
        visit.page.set_viewport_size({"width": width, "height": 800})
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says what is left
            visit.page.wait_for_function(f"({_UNREACHABLE_SCROLLERS})().length === 0", timeout=5000)
        assert (width, visit.page.evaluate(_UNREACHABLE_SCROLLERS)) == (width, [])
