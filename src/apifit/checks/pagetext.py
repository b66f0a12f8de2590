"""A page as a reader sees it: visible text, title, and whether it shows a challenge.

HTML is parsed by lexbor (through selectolax), the way a browser's parser reads it, so entities
are decoded and script, style and template contents never count as text. Markdown (archived
terms) is rendered to HTML first, so emphasis and escapes cannot split a phrase. Both the page
and the expected phrases go through `normalise`, so typographic quotes, dashes and odd spaces
do not decide a verdict.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import markdown
from selectolax.lexbor import LexborHTMLParser

# Never shown to a reader as text.
_HIDDEN = "script, style, noscript, template, head"
# Elements a browser lays out as their own block: their text never runs into a neighbour's.
_BLOCKS = (
    "address, article, aside, blockquote, br, dd, div, dl, dt, fieldset, figcaption, figure, "
    "footer, form, h1, h2, h3, h4, h5, h6, header, hr, li, main, nav, ol, p, pre, section, "
    "table, td, th, tr, ul"
)
_CHALLENGE = re.compile(r"captcha|challenge|verify|human", re.IGNORECASE)
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00ad": None, "\u200b": None,
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """Text for comparison: compatibility forms, plain quotes and dashes, one space, casefolded."""
    plain = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(plain.split()).casefold()


@dataclass(frozen=True)
class Page:
    """What a reader of a page sees; `text` and `title` are normalised."""

    text: str
    title: str
    challenge: bool  # a form or frame that asks the reader to prove they are human
    scripts: bool  # the page ships scripts, so a browser may render more than the HTML holds

    def contains(self, phrase: str) -> bool:
        return normalise(phrase) in self.text


def _challenge(tree: LexborHTMLParser) -> bool:
    for node in tree.css("form, iframe"):
        attributes = " ".join(str(v) for v in node.attributes.values() if v)
        if _CHALLENGE.search(attributes):
            return True
    return False


def read_html(html: str) -> Page:
    """The visible text, title and challenge of an HTML page."""
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text() if title_node is not None else ""
    scripts = tree.css_first("script") is not None
    challenge = _challenge(tree)
    for node in tree.css(_HIDDEN):
        node.decompose()
    for node in tree.css(_BLOCKS):
        node.insert_before(" ")
        node.insert_after(" ")
    root = tree.body or tree.root
    text = root.text(separator="") if root is not None else ""
    return Page(normalise(text), normalise(title), challenge, scripts)


# A build judges an archived copy once per check and once per clause history: rendering 100 KB
# of Markdown dominates a warm build, and a Page is immutable.
@functools.lru_cache(maxsize=32)
def read_markdown(text: str) -> Page:
    """An archived Markdown copy, read as its rendered page."""
    return read_html(markdown.markdown(text))


def read(body: str, content_type: str) -> Page:
    """A page by its declared type: Markdown, else HTML (plain text parses as HTML text)."""
    if "markdown" in content_type.lower():
        return read_markdown(body)
    return read_html(body)
