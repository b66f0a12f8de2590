"""Helpers for the screenshot tests: synthetic PNGs, manifests and tiny MkDocs projects."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from PIL import Image, ImageDraw

from apifit.images import ImageSet, Manifest, Settings, prepare

REPORT_PAGES = {
    # The report's screenshots grouped as its sections show them, for per-page byte budgets.
    "prerequisites.md": ("SS7", "SS8", "SS9", "SS10", "SS11", "SS12", "SS13", "SS14", "SS15"),
    "research-api.md": ("SS16", "SS6"),
    "display-api.md": ("SS17",),
    "terms.md": ("SS18", "SS19"),
}


def write_png(path: Path, size: tuple[int, int], seed: int = 0) -> Path:
    """A PNG with busy pixels (so a redacted box differs from what was there)."""
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for col in range(seed % 5, size[0], 5):
        draw.line((col, 0, col + size[1] // 3, size[1]), fill=((col * 7 + seed) % 200, 90, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def manifest_entry(path: Path, url: str = "", **extra: Any) -> str:
    """One manifest entry (YAML text) describing the PNG at `path`.

    The default URL is a closed local port: a test that ends up downloading fails fast and
    never leaves the machine.
    """
    with Image.open(path) as image:
        width, height = image.size
    fields = {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "url": url or f"http://127.0.0.1:9/{path.name}",
        "width": width,
        "height": height,
        "caption": f"Caption of {path.name}",
        "alt": f"Alt text of {path.name}",
        **extra,
    }
    body = yaml.safe_dump([fields], sort_keys=False, width=1000)
    return "\n".join("  " + line for line in body.splitlines()) + "\n"


def write_manifest(path: Path, *entries: str) -> Path:
    """A manifest file made of `manifest_entry` texts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("screenshots:\n" + "".join(entries), encoding="utf-8")
    return path


def write_project(root: Path, pages: dict[str, str], plugin: dict[str, Any]) -> Path:
    """A tiny MkDocs project in `root` using the site's plugins; returns its mkdocs.yml."""
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config = {
        "site_name": "test",
        "strict": True,
        "theme": {"name": "material"},
        "markdown_extensions": ["attr_list", "md_in_html", "admonition"],
        "plugins": [{"apifit": plugin}, {"glightbox": {"skip_classes": ["no-zoom"]}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "mkdocs.yml"


def prepare_local(manifest: Manifest, root: Path, *, strict: bool = True) -> ImageSet:
    """Prepare `manifest` from `root/src` into `root/cache`, never downloading."""
    return prepare(
        manifest,
        source=root / "src",
        cache_dir=root / "cache",
        settings=Settings(),
        download=False,
        strict=strict,
    )
