"""Measure the image bytes a reader downloads when scrolling through each page of a built site.

Run as `python -m apifit.pageweight SITE_DIR -o bench/results/image-bytes.json`; the benchmarks
read that file. Each page is loaded in a fresh browser context (nothing cached) at 1280x800
and scrolled to the bottom, once per device pixel ratio, so that lazy and responsive images
load as they would for a reader on that screen.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Browser, Page, Response, ViewportSize, sync_playwright

from apifit.browser import launch, page_paths, serve

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
PIXEL_RATIOS = (1, 2)


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


def measure(site_dir: Path, browser: Browser) -> dict[str, object]:
    """Image bytes per page and pixel ratio, with totals, ready to write as JSON.

    Pages are listed as `{"page", "bytes_1x", "bytes_2x"}`, the shape the benchmarks report uses.
    """
    paths = page_paths(site_dir)
    pages: list[dict[str, object]] = []
    totals = {f"bytes_{ratio}x": 0 for ratio in PIXEL_RATIOS}
    with serve(site_dir) as base:
        for path in paths:
            sizes = {f"bytes_{r}x": image_bytes(browser, base + path, r) for r in PIXEL_RATIOS}
            pages.append({"page": path, **sizes})
            totals = {key: total + sizes[key] for key, total in totals.items()}
    return {"viewport": VIEWPORT, "pages": pages, "total": totals}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m apifit.pageweight", description=__doc__)
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
