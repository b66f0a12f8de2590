"""Image bytes per page: what a reader's browser downloads while scrolling, per pixel ratio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from apifit.errors import InputError
from apifit.measure.pageweight import measure

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


def test_each_pixel_ratio_counts_the_image_it_is_served(tmp_path: Path, browser: Browser) -> None:
    assert measure(_site(tmp_path), browser)["pages"] == [
        {"page": "", "bytes_1x": 100, "bytes_2x": 400},
        {"page": "long/", "bytes_1x": 50, "bytes_2x": 50},
    ]


def test_python_m_writes_the_json_file_with_totals(tmp_path: Path) -> None:
    # A process of its own: one thread can run only one Playwright, and the session's is running.
    out = tmp_path / "results" / "image-bytes.json"
    command = [
        sys.executable,
        "-m",
        "apifit.measure.pageweight",
        str(_site(tmp_path)),
        "-o",
        str(out),
    ]
    subprocess.run(command, check=True, timeout=120)
    assert json.loads(out.read_text())["total"] == {"bytes_1x": 150, "bytes_2x": 450}


def test_a_site_without_a_sitemap_is_an_input_error(tmp_path: Path, browser: Browser) -> None:
    with pytest.raises(InputError, match=r"sitemap\.xml: \(file\): no readable sitemap"):
        measure(tmp_path, browser)
