"""Every published copy of a screenshot with secrets is filled solid inside each box."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from images_support import manifest_entry, write_manifest, write_png
from PIL import Image, ImageStat

from apifit.images import Redaction, load_manifest
from apifit.images.redact import FILL, redact

ROOT = Path(__file__).resolve().parents[2]
BOXES = [
    (shot.file, item)
    for shot in load_manifest(ROOT / "imgs" / "manifest.yml").screenshots
    for item in shot.redact
]
# Resampling and lossy WebP blur a box's edge by a few pixels; the inside must be flat. At the
# 2x copies' quality, WebP leaves corner ringing of up to 6 levels (of 255) just inside a box;
# any text left inside would spread over a hundred.
INSET = 3
MAX_SPREAD = 8


def _inside(image: Image.Image, box: tuple[int, int, int, int], scale: float) -> Image.Image:
    left, top, right, bottom = (value * scale for value in box)
    return image.crop(
        (
            math.ceil(left) + INSET,
            math.ceil(top) + INSET,
            math.floor(right) - INSET,
            math.floor(bottom) - INSET,
        )
    )


def _spread(region: Image.Image) -> int:
    return max(high - low for low, high in region.convert("RGB").getextrema())


@pytest.mark.parametrize(("file", "item"), BOXES, ids=[f"{f}-{i.what}" for f, i in BOXES])
def test_published_pixels_inside_each_box_are_uniform_at_every_size(
    report_site: Path, shared_imgs: Path, file: str, item: Redaction
) -> None:
    with Image.open(shared_imgs / file) as original:
        full_width = original.width
    published = sorted((report_site / "imgs").glob(f"{Path(file).stem}.*.webp"))
    assert len(published) == 3, "720 w, 1440 w and the full-detail zoom copy"
    for path in published:
        with Image.open(path) as image:
            region = _inside(image, item.box, image.width / full_width)
            assert _spread(region) <= MAX_SPREAD, f"{path.name}: {item.what} is not uniform"
            assert max(ImageStat.Stat(region).mean) <= MAX_SPREAD, f"{path.name}: not solid"


@pytest.mark.parametrize(("file", "item"), BOXES, ids=[f"{f}-{i.what}" for f, i in BOXES])
def test_each_box_covers_visible_detail_in_the_original(
    shared_imgs: Path, file: str, item: Redaction
) -> None:
    # The uniformity check above means something only if the unredacted box is not flat.
    with Image.open(shared_imgs / file) as original:
        assert _spread(_inside(original, item.box, 1.0)) > 100


def test_redact_fills_the_box_and_leaves_the_rest_untouched(tmp_path: Path) -> None:
    png = write_png(tmp_path / "A.png", (100, 60))
    box = {"what": "id", "box": [10, 10, 40, 30]}
    shot = load_manifest(write_manifest(tmp_path / "m.yml", manifest_entry(png, redact=[box])))
    with Image.open(png) as image:
        before = image.convert("RGB")
        after = redact(image, shot.screenshots[0].redact)
    assert after.crop((10, 10, 40, 30)).getcolors() == [(30 * 20, FILL)]
    assert after.crop((40, 0, 100, 60)).tobytes() == before.crop((40, 0, 100, 60)).tobytes()
    assert after.getpixel((9, 9)) == before.getpixel((9, 9))
