"""Hide sensitive pixels by filling them solid: blur can be undone on short text, a fill cannot."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from apifit.images.manifest import Redaction

if TYPE_CHECKING:
    from PIL import Image

FILL = (0, 0, 0)


def redact(image: Image.Image, boxes: Iterable[Redaction]) -> Image.Image:
    """A copy of `image` (RGB) with every box filled solid; the input is left untouched."""
    out = image.convert("RGB")
    for item in boxes:
        # paste() treats the box as (left, top, right, bottom) with right/bottom exclusive,
        # the same convention as the manifest and Image.crop.
        out.paste(FILL, item.box)
    return out
