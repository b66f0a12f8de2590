"""How many image bytes each built page fetches, against the raw PNGs it shows.

A desktop browser picks from `srcset` the narrowest candidate at least as wide as the
`sizes` slot times the screen's pixel density; the zoom copy loads only on click. The same
rule is applied here at 1x and 2x. Used by `apifit images weight` and by the benchmark.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SLOT = re.compile(r"(\d+)px")


@dataclass(frozen=True)
class PageWeight:
    """One page's screenshots: bytes fetched at 1x and 2x, and bytes of the raw PNGs shown."""

    page: str
    screenshots: tuple[str, ...]
    bytes_1x: int
    bytes_2x: int
    raw_png_bytes: int

    @property
    def ratio_1x(self) -> float:
        return self.bytes_1x / self.raw_png_bytes if self.raw_png_bytes else 0.0


@dataclass(frozen=True)
class _Image:
    file: str
    candidates: tuple[tuple[str, int], ...]
    slot: int

    def pick(self, density: int) -> str:
        wide_enough = [c for c in self.candidates if c[1] >= self.slot * density]
        return min(wide_enough, key=lambda c: c[1])[0] if wide_enough else self.candidates[-1][0]


class _Screenshots(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[_Image] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag != "img" or not values.get("data-screenshot"):
            return
        candidates = tuple(
            (url, int(width.rstrip("w")))
            for url, width in (item.split() for item in values.get("srcset", "").split(","))
        )
        slot = SLOT.search(values.get("sizes", ""))
        self.found.append(
            _Image(
                values["data-screenshot"],
                tuple(sorted(candidates, key=lambda c: c[1])),
                int(slot.group(1)) if slot else candidates[0][1],
            )
        )


def _fetched(site_dir: Path, page: str, images: list[_Image], density: int) -> int:
    base = posixpath.dirname(page)
    paths = (posixpath.normpath(posixpath.join(base, image.pick(density))) for image in images)
    return sum((site_dir / path).stat().st_size for path in paths)


def page_weights(site_dir: Path, raw_sizes: dict[str, int]) -> list[PageWeight]:
    """Every built page that shows a screenshot, with its 1x and 2x bytes and raw PNG bytes."""
    weights = []
    for html in sorted(site_dir.rglob("*.html")):
        parser = _Screenshots()
        parser.feed(html.read_text(encoding="utf-8"))
        if not parser.found:
            continue
        page = html.relative_to(site_dir).as_posix()
        files = tuple(image.file for image in parser.found)
        weights.append(
            PageWeight(
                page,
                files,
                _fetched(site_dir, page, parser.found, 1),
                _fetched(site_dir, page, parser.found, 2),
                sum(raw_sizes[file] for file in files),
            )
        )
    return weights


def format_weights(weights: list[PageWeight]) -> str:
    """A plain table, one page a line, for the terminal and the benchmark notes."""
    lines = [
        f"{'page':<40} {'1x bytes':>9} {'2x bytes':>9} {'raw PNG':>9} {'1x/raw':>7}  screenshots"
    ]
    for item in weights:
        lines.append(
            f"{item.page:<40} {item.bytes_1x:>9} {item.bytes_2x:>9} {item.raw_png_bytes:>9} "
            f"{item.ratio_1x:>7.1%}  {' '.join(item.screenshots)}"
        )
    return "\n".join(lines)
