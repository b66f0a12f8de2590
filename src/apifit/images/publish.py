"""Where derivatives live in the built site, and copying them there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from apifit.images.derive import Variant
from apifit.images.pipeline import ImageSet, Ready

SITE_DIR = "imgs"


def site_path(variant: Variant) -> str:
    """The variant's path in the site; its name carries the cache key, so it never goes stale."""
    return f"{SITE_DIR}/{variant.path.name}"


def publish(images: ImageSet, site_dir: Path) -> int:
    """Put every ready variant into `site_dir/imgs/`; return how many files were placed."""
    target = site_dir / SITE_DIR
    target.mkdir(parents=True, exist_ok=True)
    placed = 0
    for item in images.items.values():
        if not isinstance(item, Ready):
            continue
        for variant in item.derived.variants:
            destination = target / variant.path.name
            if destination.exists():
                continue
            try:
                # A hard link costs nothing; fall back to a copy across file systems.
                os.link(variant.path, destination)
            except OSError:
                shutil.copyfile(variant.path, destination)
            placed += 1
    return placed
