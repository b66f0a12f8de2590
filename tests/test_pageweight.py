"""Image bytes per page: what a reader's browser downloads while scrolling, per pixel ratio."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apifit.errors import InputError
from apifit.pageweight import main, measure

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.invalid/docs/</loc></url>
<url><loc>https://example.invalid/docs/long/</loc></url>
</urlset>"""


def _site(tmp_path: Path) -> Path:
    """A two-page site: a responsive image on top, and one far below the fold."""
    (tmp_path / "long").mkdir()
    (tmp_path / "sitemap.xml").write_text(SITEMAP)
    for name, size in (("small.png", 100), ("large.png", 400), ("below.png", 50)):
        (tmp_path / name).write_bytes(b"\x89PNG" + b"0" * (size - 4))
    (tmp_path / "index.html").write_text(
        '<img alt="a" width="200" height="100" src="small.png" srcset="small.png 1x, large.png 2x">'
    )
    (tmp_path / "long" / "index.html").write_text(
        '<div style="height:5000px"></div><img alt="b" loading="lazy" src="../below.png">'
    )
    return tmp_path


def test_each_pixel_ratio_counts_the_image_it_is_served(tmp_path: Path) -> None:
    assert measure(_site(tmp_path))["pages"] == [
        {"page": "", "bytes_1x": 100, "bytes_2x": 400},
        {"page": "long/", "bytes_1x": 50, "bytes_2x": 50},
    ]


def test_the_json_file_holds_the_totals(tmp_path: Path) -> None:
    out = tmp_path / "results" / "image-bytes.json"
    assert main([str(_site(tmp_path)), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["total"] == {"bytes_1x": 150, "bytes_2x": 450}


def test_a_site_without_a_sitemap_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"sitemap\.xml: \(file\): no readable sitemap"):
        measure(tmp_path)
