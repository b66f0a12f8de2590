"""Every citation proves itself, in the data and on the built pages.

An exact quote (in quotation marks or a block quote) must occur in what the source it cites
holds: the pinned copy, a check's recording or an evidence file of ../shared. On a page the
source is resolved from the block's links through the data (a source's URL, a pinned version's
address, a check's entry), whether a citation is inline or a footnote the block links to. A
quote that is a fragment of a clause of TikTok's terms must link to the clause quoted whole.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode
from site_support import TIKTOK_PAGES

from apifit.checks.schema import load_checks
from apifit.evidence.archive import load_archive
from apifit.evidence.assessments import load_catalog
from apifit.evidence.quotes import (
    Library,
    Witness,
    clause_anchor,
    data_problems,
    fragment_of,
    holds,
    quotes_in,
    shared_dir,
    source_ids_by_url,
    verify_any,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*TIKTOK_PAGES, "checks/index.html", "how-it-works/index.html"]
BLOCKS = "p, li, tr, blockquote"
# Not quotes of a source: code shows syntax and answers, captions are judged in the manifest.
NOT_QUOTED = "code, pre, figure, .admonition-title, script, style"
TERMS_PAGE = "tiktok/terms/"


@pytest.fixture(scope="module")
def library() -> Library:
    """The shipped data, its archived copies and the evidence files of ../shared."""
    shared = shared_dir(ROOT)
    if not (shared / "evidence").is_dir():
        pytest.fail(f"{shared}/evidence is absent: the citations are checked against it")
    archive = load_archive(ROOT, download=False)
    pins = archive.pins if archive else None
    catalog = load_catalog(ROOT / "assessments", pins)
    checks = {c.id: c for c in load_checks(ROOT / "checks")}
    return Library(catalog, archive, shared, ROOT / "cassettes", checks)


def test_every_quote_and_earlier_wording_in_the_data_proves_itself(library: Library) -> None:
    assert [str(p) for p in data_problems(library)] == []


@dataclass
class Cited:
    """One block of a page: its quotes, and what its links cite."""

    text: str
    quotes: list[str]
    source_ids: list[str] = field(default_factory=list)
    witnesses: list[Witness] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # fragments of links to the Terms page


def _without(node: LexborNode) -> LexborNode:
    """A copy of a block without what is not quoted text and without nested blocks."""
    fragment = LexborHTMLParser(f"<div>{node.html}</div>")
    root = fragment.css_first("div")
    assert root is not None
    for sub in root.css(NOT_QUOTED):
        sub.decompose()
    for sub in root.css("li ul, li ol, blockquote blockquote"):
        sub.decompose()
    return root


def _resolve(
    href: str, page: str, library: Library, cited: Cited, by_url: dict[str, list[str]]
) -> None:
    """Add what one link cites: sources by URL, a pinned version, a check, a clause anchor."""
    url, fragment = urldefrag(href)
    if url in by_url:
        cited.source_ids.extend(by_url[url])
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), url)) if url else ""
    on_checks = resolved.rstrip("/") == "checks" or (not url and page.startswith("checks/"))
    if on_checks and fragment.startswith("check-"):
        cited.witnesses.extend(library.check_witnesses(fragment.removeprefix("check-")))
    if resolved.rstrip("/") + "/" == TERMS_PAGE or (not url and page.startswith(TERMS_PAGE)):
        cited.anchors.add(fragment)
    archive = library.archive
    if archive is None:
        return
    for doc_id, doc in archive.pins.documents.items():
        for version in doc.versions:
            if url == archive.pins.blob_url(doc, version):
                text = library.version_text(doc_id, version)
                cited.witnesses.append(Witness(f"{doc_id} {version.stated!r}", text))


def _blocks(html: str, page: str, library: Library) -> list[Cited]:
    tree = LexborHTMLParser(html)
    article = tree.css_first("article") or tree.body
    assert article is not None
    by_url = source_ids_by_url(library.catalog.sources)
    found = []
    # On the Checks page, what a check's entry says (its claim, its provenance) stands for that
    # check: the entry is its heading and the blocks up to the next heading.
    entry: str | None = None
    for node in article.css(f"h2, h3, {BLOCKS}"):
        if node.tag in ("h2", "h3"):
            anchor = node.attributes.get("id") or ""
            entry = anchor.removeprefix("check-") if anchor.startswith("check-") else None
            continue
        block = _without(node)
        text = " ".join(block.text(separator=" ").split())
        # A block quote is a quote whole, up to its attribution line.
        quotes = [text.split(" — ")[0]] if node.tag == "blockquote" else quotes_in(text)
        if not quotes:
            continue
        cited = Cited(text, quotes)
        if entry is not None:
            cited.witnesses.extend(library.check_witnesses(entry))
        hrefs = [a.attributes.get("href") or "" for a in block.css("a[href]")]
        # A note links back to its reference, so each link is followed once.
        seen: set[str] = set()
        for href in hrefs:
            if href in seen:
                continue
            seen.add(href)
            # A footnote reference: its note (anywhere on the page) holds the citation.
            # (A link to a quoted clause is not a note: it is checked as such below.)
            target = href[1:] if href.startswith("#") and "clause-" not in href else ""
            note = tree.css_first(f'[id="{target}"]') if target else None
            if note is not None:
                hrefs.extend(a.attributes.get("href") or "" for a in note.css("a[href]"))
            _resolve(href, page, library, cited, by_url)
        found.append(cited)
    return found


def problems_on(html: str, page: str, library: Library) -> list[str]:
    """Every quote on a built page that its cited sources do not hold, and every fragment of a
    pinned clause quoted without a link to the whole."""
    clauses = list(library.catalog.terms.values())
    found = []
    for cited in _blocks(html, page, library):
        for quote in cited.quotes:
            part = fragment_of(quote, clauses)
            if part is not None and clause_anchor(part) not in cited.anchors:
                found.append(
                    f"{page}: {quote!r} is a fragment of {part.name} {part.section}, quoted "
                    f"without a link to the whole (link it: {TERMS_PAGE}#{clause_anchor(part)})"
                )
            if any(holds(w.text, quote) for w in cited.witnesses):
                continue
            problem = verify_any(quote, cited.source_ids, library, page)
            if problem is not None:
                found.append(f"{problem} in: {cited.text[:120]}")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_every_quote_on_a_page_is_held_by_what_it_cites(
    built_site: Path, library: Library, page: str
) -> None:
    assert problems_on((built_site / page).read_text(), page, library) == []
