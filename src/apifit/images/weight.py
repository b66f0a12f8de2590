"""How many image bytes each built page fetches at 1x, against the raw PNGs it shows.

A page at 1x fetches each screenshot's `src` (the narrowest variant); the zoom copy only
loads on click. Used by `apifit images weight` and by the benchmark.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class PageWeight:
    """One page's screenshots: bytes fetched at 1x and bytes of the raw PNGs shown."""

    page: str
    screenshots: tuple[str, ...]
    image_bytes: int
    raw_bytes: int

    @property
    def ratio(self) -> float:
        return self.image_bytes / self.raw_bytes if self.raw_bytes else 0.0


class _Screenshots(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        file, src = values.get("data-screenshot"), values.get("src")
        if tag == "img" and file and src:
            self.found.append((file, src))


def page_weights(site_dir: Path, raw_sizes: dict[str, int]) -> list[PageWeight]:
    """Every built page that shows a screenshot, with its 1x bytes and the raw PNG bytes."""
    weights = []
    for html in sorted(site_dir.rglob("*.html")):
        parser = _Screenshots()
        parser.feed(html.read_text(encoding="utf-8"))
        if not parser.found:
            continue
        page = html.relative_to(site_dir).as_posix()
        base = posixpath.dirname(page)
        fetched = sum(
            (site_dir / posixpath.normpath(posixpath.join(base, src))).stat().st_size
            for _, src in parser.found
        )
        files = tuple(file for file, _ in parser.found)
        raw = sum(raw_sizes[file] for file in files)
        weights.append(PageWeight(page, files, fetched, raw))
    return weights


def format_weights(weights: list[PageWeight]) -> str:
    """A plain table, one page a line, for the terminal and the benchmark notes."""
    lines = [f"{'page':<45} {'1x bytes':>10} {'raw PNG':>10} {'ratio':>7}  screenshots"]
    for item in weights:
        lines.append(
            f"{item.page:<45} {item.image_bytes:>10} {item.raw_bytes:>10} "
            f"{item.ratio:>7.1%}  {' '.join(item.screenshots)}"
        )
    return "\n".join(lines)
