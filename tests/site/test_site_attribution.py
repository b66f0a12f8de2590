"""Every statement on the TikTok pages carries its source on the same line, row or list item.

The rule, applied to the built HTML: inside a page's main content, every paragraph, list item
and table body row that has text is a claim, and must hold a link to a cited source (a source
of `assessments/`), a numbered reference to a footnote of the page's sources list that links
such a source, or a link to a check on the Checks page (whose entry names its source). Blocks whose
words are our own (navigation, what a table means, a record's consequences) say so with the class
`apifit-ours`, on themselves or on a wrapper. Not judged: headings, admonition titles and the
summaries of collapsed blocks (they name what follows), and a screenshot's caption (it describes
the screenshot, its own evidence).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from site_support import TIKTOK_PAGES

from apifit.evidence.archive import load_pins
from apifit.evidence.assessments import load_catalog

ROOT = Path(__file__).resolve().parents[2]
OURS = "apifit-ours"
BLOCKS = {"p", "li", "tr"}
# Void elements never get an end tag, so they must not be pushed on the open-element stack.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Start tags that end an open paragraph, and the elements that bound the search for one
# (a subset of the HTML standard's "close a p element" and "button scope").
CLOSES_P = {
    *("address", "article", "aside", "blockquote", "details", "div", "dl", "dd", "dt"),
    *("fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main"),
    *("nav", "ol", "p", "pre", "section", "table", "ul", "h1", "h2", "h3", "h4", "h5", "h6"),
}
# Python-Markdown's footnote ids with mkdocs.yml's separator: fn-<label>, fnref-<label>.
FOOTNOTE = "fn-"
P_SCOPE = {"td", "th", "table", "button", "html"}


@dataclass
class _Open:
    """An open element: its classes and those of its ancestors, and the block it starts."""

    tag: str
    classes: set[str]
    own_classes: set[str] = field(default_factory=set)
    in_article: bool = False
    in_thead: bool = False
    block: Block | None = None
    footnote: str | None = None  # the id of the footnote this element starts (`fn-...`)


@dataclass
class Block:
    """One paragraph, list item or table body row: its own text and links (not its children's)."""

    tag: str
    ours: bool
    text: str = ""
    hrefs: list[str] = field(default_factory=list)


class _Blocks(HTMLParser):
    """The blocks of a page's main content (Material's `article`), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self.footnotes: dict[str, list[str]] = {}  # footnote id -> every link inside it
        self._stack: list[_Open] = []

    def _open_block(self) -> Block | None:
        if any(
            e.tag in ("figure", "summary") or "admonition-title" in e.own_classes
            for e in self._stack
        ):
            return None  # not judged: their text belongs to no block
        return next((e.block for e in reversed(self._stack) if e.block is not None), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        href = values.get("href")
        if tag == "a" and href:
            for open_element in self._stack:
                if open_element.footnote is not None:
                    self.footnotes[open_element.footnote].append(href)
        if block := self._open_block():
            if tag == "a" and href:
                block.hrefs.append(href)
            if tag in ("td", "th", "br"):
                block.text += " "  # cells and lines are separate words
        if tag in VOID:
            return
        if tag in CLOSES_P:
            self._close_open_p()
        parent = self._stack[-1] if self._stack else _Open("", set())
        here = _Open(
            tag,
            classes | parent.classes,
            own_classes=classes,
            in_article=tag == "article" or parent.in_article,
            in_thead=tag == "thead" or parent.in_thead,
        )
        element_id = values.get("id") or ""
        if here.in_article and element_id.startswith(FOOTNOTE):
            here.footnote = element_id
            self.footnotes[element_id] = []
        if (
            here.in_article
            and tag in BLOCKS
            and not here.in_thead
            and "admonition-title" not in classes
        ):
            here.block = Block(tag, ours=OURS in here.classes)
            self.blocks.append(here.block)
        self._stack.append(here)

    def _close_open_p(self) -> None:
        """Close a `p` left open, as HTML parsers do when a block starts (`<p><figure>`)."""
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag in P_SCOPE:
                return
            if self._stack[index].tag == "p":
                del self._stack[index:]
                return

    def handle_endtag(self, tag: str) -> None:
        # Pop to the matching element; HTML lets a `p` or `li` end implicitly.
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if block := self._open_block():
            block.text += data


def _parse(html: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(html)
    return parser


def blocks_of(html: str) -> list[Block]:
    return [b for b in _parse(html).blocks if b.text.strip()]


def _source_targets(page: str) -> set[str]:
    """The hrefs that cite a source from built page `page` (a site-relative path)."""
    # An archived copy of a TikTok document, or its version history, is a source too.
    pins = load_pins(ROOT / "archive" / "pins.yml")
    targets = {pins.history_url(doc) for doc in pins.documents.values()}
    targets |= {pins.blob_url(doc, v) for doc in pins.documents.values() for v in doc.versions}
    for source in load_catalog(ROOT / "assessments").sources.values():
        if source.url is not None:
            targets.add(source.url)
        elif source.page is not None:
            built = source.page.removesuffix(".md") + "/"
            targets.add(posixpath.relpath(built, posixpath.dirname(page)) + "/")
    return targets


def _cites(href: str, page: str, targets: set[str]) -> bool:
    url, fragment = urldefrag(href)
    if href in targets or url in targets:
        return True
    # A check badge links to the check's entry on the Checks page, which names its source.
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), url))
    return resolved == "checks" and fragment.startswith("check-")


def _sourced_footnotes(footnotes: dict[str, list[str]], page: str, targets: set[str]) -> set[str]:
    """The links (`#fn-...`) to the page's footnotes that themselves link a source."""
    return {
        f"#{fn}" for fn, hrefs in footnotes.items() if any(_cites(h, page, targets) for h in hrefs)
    }


def unsourced(html: str, page: str) -> list[str]:
    """The text of every claim block on `page` that links to no source and no check, directly
    or through a footnote that links one."""
    targets = _source_targets(page)
    parsed = _parse(html)
    footnotes = _sourced_footnotes(parsed.footnotes, page, targets)
    return [
        " ".join(b.text.split())
        for b in parsed.blocks
        if b.text.strip()
        and not b.ours
        and not any(h in footnotes or _cites(h, page, targets) for h in b.hrefs)
    ]


@pytest.mark.parametrize("page", TIKTOK_PAGES)
def test_every_statement_on_a_tiktok_page_names_its_source(built_site: Path, page: str) -> None:
    html = (built_site / page).read_text()
    assert blocks_of(html), "the page has blocks to judge"
    assert unsourced(html, page) == []


PAGE = "tiktok/x/index.html"


def test_a_list_item_without_a_source_link_is_reported() -> None:
    html = (
        "<article><ul><li>Applicants need a proposal "
        '(<a href="https://developers.tiktok.com/products/research-api/">page</a>)</li>'
        "<li>Requests: 1,000 a day</li></ul></article>"
    )
    assert unsourced(html, PAGE) == ["Requests: 1,000 a day"]


def test_a_table_row_is_judged_but_its_header_is_not() -> None:
    html = (
        "<article><table><thead><tr><th>Limit</th></tr></thead>"
        "<tbody><tr><td>Records</td><td>100,000</td></tr></tbody></table></article>"
    )
    assert unsourced(html, PAGE) == ["Records 100,000"]


def test_a_nested_item_needs_its_own_source() -> None:
    html = (
        '<article><ul><li>Today <a href="https://www.tiktok.com/legal/page/us/terms-of-service/en">'
        "ToS</a><ul><li>Until 2026: scripts</li></ul></li></ul></article>"
    )
    assert unsourced(html, PAGE) == ["Until 2026: scripts"]


def test_a_check_badge_counts_as_evidence_and_a_link_elsewhere_does_not() -> None:
    html = (
        '<article><p>Refused <a href="../../checks/#check-research-query-without-token">'
        'passed</a></p><p>See <a href="../research-api/">Research</a></p></article>'
    )
    assert unsourced(html, PAGE) == ["See Research"]


def test_our_own_words_are_exempt_only_where_marked() -> None:
    html = (
        '<article><div class="apifit-ours"><ul><li>Read on</li></ul></div>'
        '<p class="apifit-ours">One row per API.</p><p>Unmarked.</p></article>'
    )
    assert unsourced(html, PAGE) == ["Unmarked."]


def test_a_paragraph_left_open_ends_where_a_block_starts() -> None:
    # Python-Markdown leaves `<p><figure>...</figure><p></p>` around a screenshot; a browser
    # closes the first `p` at `<figure>`, so text after it is not the screenshot paragraph's.
    html = (
        "<article><ul><li>Step "
        '<a href="https://github.com/Litusuwu/Web-Crawlers/blob/d3f0a9b3eb3f89a2139ab868a398d6f876b3726e/TikTokReport.md">r</a>'
        "<p><figure><img alt=a></figure><p></p><div><p>Unsourced note</p></div></li></ul></article>"
    )
    assert unsourced(html, PAGE) == ["Unsourced note"]


def test_titles_and_screenshot_captions_are_not_claims() -> None:
    html = (
        '<article><ul><li><p>Step <a href="../../checks/#check-a">a</a></p>'
        '<div class="admonition"><p class="admonition-title">Decision</p></div>'
        "<details><summary>Earlier wording: 2023</summary></details></li></ul>"
        '<p><figure><img alt="a"><figcaption>The menu</figcaption></figure></p></article>'
    )
    assert unsourced(html, PAGE) == []


REPORT = "https://github.com/Litusuwu/Web-Crawlers/blob/d3f0a9b3eb3f89a2139ab868a398d6f876b3726e/TikTokReport.md"


def _footnoted(note: str) -> str:
    return (
        '<article><p>Moderate.<sup><a class="footnote-ref" href="#fn-r">1</a></sup></p>'
        f'<div class="footnote"><ol><li id="fn-r"><p>{note} '
        '<a class="footnote-backref" href="#fnref-r">back</a></p></li></ol></div></article>'
    )


def test_a_numbered_reference_cites_the_source_its_footnote_links() -> None:
    assert unsourced(_footnoted(f'<a href="{REPORT}">The report</a>'), PAGE) == []


def test_a_numbered_reference_to_a_footnote_without_a_source_is_reported() -> None:
    assert unsourced(_footnoted('<a href="../research-api/">Research</a>'), PAGE) == [
        "Moderate.1",
        "Research back",
    ]


def test_a_numbered_reference_to_no_footnote_is_reported() -> None:
    html = '<article><p>Moderate.<sup><a href="#fn-missing">1</a></sup></p></article>'
    assert unsourced(html, PAGE) == ["Moderate.1"]


def test_text_outside_the_main_content_is_not_judged() -> None:
    assert unsourced("<nav><ul><li>Home</li></ul></nav><article></article>", PAGE) == []
