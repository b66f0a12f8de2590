"""Responsive WebP derivatives of a redacted original, cached by content hash.

A cache entry is a directory named by the hash of (pinned source hash, redaction boxes,
settings, format version). It is written into a temporary directory and renamed into place,
so an entry either exists complete or not at all, and a warm build opens no image.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apifit.errors import IntegrityError
from apifit.images.manifest import Screenshot
from apifit.images.redact import redact

# Bump when the output of derive() changes for the same inputs, to retire old entries.
FORMAT_VERSION = 4
INDEX = "index.json"


@dataclass(frozen=True)
class Settings:
    """How derivatives are made.

    720/1440 rather than 800/1600: Material's content column is 688 to 757 CSS px wide on
    desktop, so 720 w is what a 1x screen needs, and it keeps each page's 1x image bytes under
    8% of the raw PNGs (quality 45 stays legible for UI text; the zoom copy is sharper).
    The wider widths serve 2x screens, which spend four device pixels on each CSS pixel and so
    hide the artifacts of a lower quality: 30 keeps a page's 2x bytes under 16% of its PNGs.
    """

    widths: tuple[int, ...] = (720, 1440)
    quality: int = 45
    dense_quality: int = 30
    zoom_quality: int = 75


@dataclass(frozen=True)
class Variant:
    """One published WebP file."""

    path: Path
    width: int
    height: int


@dataclass(frozen=True)
class Derived:
    """All published files of one screenshot, narrowest first; the last is the full-detail copy."""

    variants: tuple[Variant, ...]

    @property
    def zoom(self) -> Variant:
        return self.variants[-1]


def cache_key(shot: Screenshot, settings: Settings) -> str:
    """Hash of everything that determines the derivatives' bytes."""
    material = {
        "version": FORMAT_VERSION,
        "sha256": shot.sha256,
        "redact": [item.box for item in shot.redact],
        "widths": settings.widths,
        "quality": settings.quality,
        "dense_quality": settings.dense_quality,
        "zoom_quality": settings.zoom_quality,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:16]


def _entry(shot: Screenshot, cache_dir: Path, settings: Settings) -> Path:
    return cache_dir / "derived" / f"{Path(shot.file).stem}.{cache_key(shot, settings)}"


def cached(shot: Screenshot, cache_dir: Path, settings: Settings) -> Derived | None:
    """The derivatives of `shot` if a complete cache entry exists, without opening any image."""
    entry = _entry(shot, cache_dir, settings)
    try:
        index = json.loads((entry / INDEX).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError):
        return None
    variants = tuple(Variant(entry / v["name"], v["width"], v["height"]) for v in index)
    if not all(variant.path.is_file() for variant in variants):
        return None
    return Derived(variants)


def _widths(shot: Screenshot, settings: Settings) -> list[int]:
    return [width for width in sorted(settings.widths) if width < shot.width] + [shot.width]


def _encoding(width: int, shot: Screenshot, settings: Settings) -> dict[str, int]:
    if width == shot.width:
        # The zoom copy loads only on click, so it is not in any page's weight: encode it
        # fast (method 2 is about 4x quicker than 6 for a few per cent more bytes).
        return {"quality": settings.zoom_quality, "method": 2}
    quality = settings.quality if width == min(settings.widths) else settings.dense_quality
    # What pages load: the slowest, tightest encoding pays off here (and a faster method's
    # ringing would blur the flat inside of a redaction box).
    return {"quality": quality, "method": 6}


def derive(shot: Screenshot, original: Path, cache_dir: Path, settings: Settings) -> Derived:
    """Redact the original, then write every width as WebP into a new cache entry."""
    # Imported here: only a conversion needs Pillow, and a warm build converts nothing.
    from PIL import Image

    with Image.open(original) as image:
        if image.size != (shot.width, shot.height):
            raise IntegrityError(
                f"{shot.file}: image is {image.width} x {image.height}, the manifest says "
                f"{shot.width} x {shot.height} (fix width/height in the manifest)"
            )
        # Redact before any resize, so no derivative can ever be made from unredacted pixels.
        clean = redact(image, shot.redact)
    entry = _entry(shot, cache_dir, settings)
    entry.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=".tmp-"))
    try:
        index: list[dict[str, Any]] = []
        copy = clean
        # Widest first, each width resized from the one before: shrinking a 1440 px copy to
        # 720 px costs a quarter of shrinking the full original, for the same sharpness.
        for width in reversed(_widths(shot, settings)):
            height = round(shot.height * width / shot.width)
            if width != copy.width:
                copy = copy.resize((width, height), Image.Resampling.LANCZOS)
            name = f"{Path(shot.file).stem}.{cache_key(shot, settings)}.{width}w.webp"
            copy.save(temp / name, "WEBP", **_encoding(width, shot, settings))
            index.insert(0, {"name": name, "width": width, "height": height})
        (temp / INDEX).write_text(json.dumps(index), encoding="utf-8")
        shutil.rmtree(entry, ignore_errors=True)
        try:
            os.replace(temp, entry)
        except OSError:
            # Another build sharing the cache finished this entry first; same inputs, same files.
            if cached(shot, cache_dir, settings) is None:
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    variants = (Variant(entry / v["name"], v["width"], v["height"]) for v in index)
    return Derived(tuple(variants))
