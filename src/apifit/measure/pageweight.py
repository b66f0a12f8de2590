"""Measure the image bytes a reader downloads when scrolling through each page of a built site.

Run as `python -m apifit.measure.pageweight SITE_DIR -o bench/results/image-bytes.json` (what
`make image-bytes` does); the benchmarks (`bench/run.py`) call `measure` itself. Each page is
loaded in a fresh browser context (nothing cached) at 1280x800 and scrolled to the bottom, once
per device pixel ratio, so that lazy and responsive images load as they would for a reader on
that screen.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict

from playwright.sync_api import Browser, Page, Response, ViewportSize, sync_playwright

from apifit.measure.browser import launch, page_paths, serve

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


# One screen at a time: wait for the images on screen to decode (which starts lazy ones),
# then scroll on. A load-state wait would not do: "networkidle" stays reached once reached.
_SCROLL = """async () => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const onScreen = img => {
    const box = img.getBoundingClientRect();
    return box.bottom >= 0 && box.top <= innerHeight;
  };
  const settle = async () => {
    await frames();
    const visible = [...document.images].filter(onScreen);
    await Promise.all(visible.map(img => img.decode().catch(() => null)));
  };
  await settle();
  while (scrollY + innerHeight < document.documentElement.scrollHeight) {
    scrollBy(0, innerHeight);
    await settle();
  }
}"""


def scroll_to_bottom(page: Page) -> None:
    """Scroll through the page as a reader would, letting each screen's images arrive."""
    page.evaluate(_SCROLL)


def image_bytes(browser: Browser, url: str, pixel_ratio: int) -> int:
    """Bytes of every image response while `url` is loaded and scrolled through."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=pixel_ratio)
    responses: list[Response] = []
    try:
        page = context.new_page()
        page.on(
            "response",
            lambda r: responses.append(r) if r.request.resource_type == "image" else None,
        )
        page.goto(url, wait_until="load")
        scroll_to_bottom(page)
        return sum(len(r.body()) for r in responses if r.ok)
    finally:
        context.close()


class PageImageBytes(TypedDict):
    """One page's image bytes at each pixel ratio (the benchmarks' PageBytes shape)."""

    page: str
    bytes_1x: int
    bytes_2x: int


class ImageBytes(TypedDict):
    """The JSON file: every page, and the totals over all pages."""

    viewport: ViewportSize
    pages: list[PageImageBytes]
    total: dict[str, int]


def measure(site_dir: Path, browser: Browser) -> ImageBytes:
    """Image bytes per page at pixel ratio 1 and 2, with totals, ready to write as JSON."""
    paths = page_paths(site_dir)
    with serve(site_dir) as base:
        pages = [
            PageImageBytes(
                page=path,
                bytes_1x=image_bytes(browser, base + path, 1),
                bytes_2x=image_bytes(browser, base + path, 2),
            )
            for path in paths
        ]
    total = {
        "bytes_1x": sum(page["bytes_1x"] for page in pages),
        "bytes_2x": sum(page["bytes_2x"] for page in pages),
    }
    return ImageBytes(viewport=VIEWPORT, pages=pages, total=total)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m apifit.measure.pageweight", description=__doc__
    )
    parser.add_argument("site_dir", type=Path, help="a built site (apifit build)")
    parser.add_argument("-o", "--output", type=Path, help="write the JSON here (default: stdout)")
    args = parser.parse_args(argv)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            text = json.dumps(measure(args.site_dir, browser), indent=2) + "\n"
        finally:
            browser.close()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
