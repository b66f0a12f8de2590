"""What a reader sees before opening anything, measured in the browser (tests/site budgets).

Visible text leaves out what a reader has not opened (the body of a closed `details` block, its
summary kept) and the sources list at a page's end (Python-Markdown's `div.footnote`), which a
reader consults rather than reads.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from playwright.sync_api import Page
from pypdf import PdfReader

# A word holds a letter or digit: the permalink's pilcrow and a lone dash are not words.
_MEASURE = r"""() => {
  const WORD = /[\p{L}\p{N}]+(?:['\u2019.,:\/-][\p{L}\p{N}]+)*/gu;
  const BLOCKS = "p, li, td, th";
  const article = document.querySelector("article");
  const hidden = (node) => {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (el.closest(".footnote")) return true;
    const details = el.closest("details:not([open])");
    if (details && !el.closest("summary")) return true;
    return !el.checkVisibility();
  };
  const counts = new Map();
  let words = 0;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (hidden(node)) continue;
    const n = (node.data.match(WORD) || []).length;
    words += n;
    const block = node.parentElement.closest(BLOCKS);
    if (block && article.contains(block)) counts.set(block, (counts.get(block) || 0) + n);
  }
  const longest = (cells) => {
    let best = {words: 0, text: ""};
    for (const [el, n] of counts) {
      if (el.matches("td, th") === cells && n > best.words) {
        best = {words: n, text: el.textContent.replace(/\s+/g, " ").trim().slice(0, 120)};
      }
    }
    return best;
  };
  return {words, cell: longest(true), block: longest(false)};
}"""


@dataclass(frozen=True)
class Longest:
    words: int
    text: str  # its start, to name it in a failure


@dataclass(frozen=True)
class Visible:
    """A page's visible words, and its longest table cell and paragraph or list item."""

    words: int
    cell: Longest
    block: Longest


def visible(page: Page) -> Visible:
    found = page.evaluate(_MEASURE)
    return Visible(found["words"], Longest(**found["cell"]), Longest(**found["block"]))


def height(page: Page, selector: str) -> float:
    """The rendered height in CSS pixels of the first element matching `selector`."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return float(box["height"])


def a4_pages(page: Page) -> int:
    """How many A4 pages chromium prints the page on, margins as the stylesheet sets them."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(PdfReader(io.BytesIO(pdf)).pages)
