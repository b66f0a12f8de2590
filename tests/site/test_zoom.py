"""Zooming a screenshot opens its full-detail copy, with the secrets in it filled solid."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect
from site_support import Visit

from apifit.images import load_manifest

ROOT = Path(__file__).resolve().parents[2]
# Lossy WebP blurs a filled box's edge by a few pixels; inside it must be flat.
INSET, MAX_SPREAD = 3, 4


def test_zoom_opens_the_full_detail_copy_with_the_credentials_filled(visit: Visit) -> None:
    shot = next(
        s for s in load_manifest(ROOT / "imgs" / "manifest.yml").screenshots if s.file == "SS10.png"
    )
    visit.open("tiktok/prerequisites/")
    inline = visit.page.locator('img[data-screenshot="SS10.png"]')
    inline.scroll_into_view_if_needed()
    inline_width = inline.evaluate("img => img.decode().then(() => img.naturalWidth)")
    visit.page.locator("a.glightbox", has=inline).click()

    zoomed = visit.page.locator(".glightbox-container .gslide.current img")
    expect(zoomed).to_be_visible()
    zoom_width = zoomed.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert zoom_width > inline_width
    assert zoom_width == shot.width

    body = visit.page.request.get(zoomed.evaluate("img => img.currentSrc || img.src")).body()
    with Image.open(io.BytesIO(body)) as image:
        for item in shot.redact:
            left, top, right, bottom = item.box
            region = image.convert("RGB").crop(
                (left + INSET, top + INSET, right - INSET, bottom - INSET)
            )
            spread = max(high - low for low, high in region.getextrema())
            assert spread <= MAX_SPREAD, f"{item.what} is not filled solid in the zoom copy"
    assert visit.errors == []
