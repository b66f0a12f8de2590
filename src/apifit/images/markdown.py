"""Turn `![alt](/imgs/SS7.png)` in a page's Markdown into a responsive, zoomable figure.

Alt text and caption come from the manifest, so each screenshot is described once, whatever
the page's `![...]` says. The figure is one line of HTML so that it survives inside list
items and other indented blocks. Code (fenced blocks and backtick spans) is left alone, so
pages can show the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from html import escape

from apifit.errors import InputError
from apifit.images.derive import Derived
from apifit.images.manifest import Screenshot
from apifit.images.pipeline import Ready, Unavailable
from apifit.images.publish import site_path

IMAGE = re.compile(r'!\[[^\]]*\]\((?:/|\./|(?:\.\./)+)?imgs/([^)\s"]+)(?:\s+"[^"]*")?\)')
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).+?\1")
MANIFEST_FIX = "add it to imgs/manifest.yml or correct the file name"

UrlFor = Callable[[str], str]


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each line (with its index) that is not inside a fenced code block, nor a fence itself."""
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1).startswith(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        yield index, line


def figure_html(shot: Screenshot, derived: Derived, url: UrlFor, *, eager: bool) -> str:
    """The figure: srcset, explicit size, lazy loading, caption, and a link to the zoom copy."""
    first = derived.variants[0]
    srcset = ", ".join(f"{url(site_path(v))} {v.width}w" for v in derived.variants)
    caption = escape(shot.caption)
    loading = "" if eager else ' loading="lazy"'
    # off-glb: the image is linked to its zoom copy here; glightbox (mkdocs-glightbox skips a
    # linked image by itself, Zensical's only by this class) must not wrap it a second time.
    img = (
        f'<img class="off-glb" src="{url(site_path(first))}" srcset="{srcset}" '
        f'sizes="(min-width: 76.25em) {first.width}px, 100vw" '
        f'width="{first.width}" height="{first.height}" alt="{escape(shot.alt)}"'
        f'{loading} decoding="async" data-screenshot="{escape(shot.file)}">'
    )
    link = (
        f'<a class="glightbox" href="{url(site_path(derived.zoom))}" data-type="image" '
        f'data-width="auto" data-height="auto" data-title="{caption}" '
        f'data-desc-position="bottom">{img}</a>'
    )
    return (
        f'<figure class="apifit-screenshot">{link}'
        f"<figcaption>{caption}{_provenance(shot)}</figcaption></figure>"
    )


def _provenance(shot: Screenshot) -> str:
    """Where the caption's statement comes from: the report, and the page the picture shows."""
    parts = []
    if shot.source is not None:
        parts.append(f'from <a href="{escape(shot.source.url)}">{escape(shot.source.title)}</a>')
    if shot.pictures is not None:
        parts.append(f'of <a href="{escape(shot.pictures.url)}">{escape(shot.pictures.title)}</a>')
    return f" Screenshot {', '.join(parts)}." if parts else ""


def placeholder_html(file: str, problem: str) -> str:
    """What a preview shows instead of a screenshot it cannot publish: the error and its fix."""
    return (
        '<div class="admonition failure apifit-missing">'
        f'<p class="admonition-title">Screenshot {escape(file)} is not available</p>'
        f"<p>{escape(problem)}</p></div>"
    )


def _outside_code(line: str, replace: Callable[[re.Match[str]], str]) -> str:
    out, last = [], 0
    for span in CODE_SPAN.finditer(line):
        out.append(IMAGE.sub(replace, line[last : span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(IMAGE.sub(replace, line[last:]))
    return "".join(out)


def rewrite(
    markdown: str,
    *,
    page: str,
    images: Mapping[str, Ready | Unavailable],
    url: UrlFor,
    strict: bool,
    first_line: int = 1,
) -> str:
    """Replace every screenshot reference; an unknown one fails when `strict`, else shows why.

    `first_line` is the file's line the Markdown starts on (after the page's front matter)."""
    seen = 0
    lines = markdown.splitlines(keepends=True)
    for index, line in outside_fences(lines):
        number = first_line + index

        def replace(match: re.Match[str], number: int = number) -> str:
            nonlocal seen
            file = match.group(1)
            item = images.get(file)
            if item is None:
                problem = f"unknown screenshot {file}"
                if strict:
                    raise InputError(page, match.group(0), problem, fix=MANIFEST_FIX, line=number)
                return placeholder_html(file, f"{page}:{number}: {problem} ({MANIFEST_FIX})")
            if isinstance(item, Unavailable):
                return placeholder_html(file, item.problem)
            seen += 1
            return figure_html(item.shot, item.derived, url, eager=seen == 1)

        lines[index] = _outside_code(line, replace)
    return "".join(lines)
