from __future__ import annotations

import json
from pathlib import Path

import pytest
from images_support import REPORT_PAGES

from apifit.cli import main
from apifit.images import format_weights, load_manifest, page_weights
from apifit.images.obtain import SOURCE_ENV

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 0.08


def test_page_weight_picks_the_candidate_a_browser_fetches_at_1x_and_2x(tmp_path: Path) -> None:
    (tmp_path / "imgs").mkdir()
    for name, size in (("a1", 30), ("a2", 50), ("az", 900), ("b", 70)):
        (tmp_path / "imgs" / f"{name}.webp").write_bytes(b"x" * size)
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(
        '<img data-screenshot="A.png" src="../imgs/a1.webp" sizes="(min-width: 9em) 720px, 100vw"'
        ' srcset="../imgs/a1.webp 720w, ../imgs/a2.webp 1440w, ../imgs/az.webp 3000w">'
        '<img data-screenshot="B.png" src="../imgs/b.webp" srcset="../imgs/b.webp 500w"'
        ' sizes="(min-width: 9em) 500px, 100vw"><img src="../imgs/logo.png">'
    )
    (tmp_path / "index.html").write_text("<p>no screenshots</p>")
    [weight] = page_weights(tmp_path, {"A.png": 400, "B.png": 600})
    assert (weight.page, weight.screenshots) == ("page/index.html", ("A.png", "B.png"))
    assert (weight.bytes_1x, weight.bytes_2x, weight.raw_png_bytes) == (100, 120, 1000)
    assert weight.ratio_1x == 0.1


def _raw_sizes(shared_imgs: Path) -> dict[str, int]:
    manifest = load_manifest(ROOT / "imgs" / "manifest.yml")
    return {shot.file: (shared_imgs / shot.file).stat().st_size for shot in manifest.screenshots}


def test_each_page_of_the_real_site_fetches_at_most_8_percent_of_its_raw_pngs_at_1x(
    built_site: Path, shared_imgs: Path
) -> None:
    weights = page_weights(built_site, _raw_sizes(shared_imgs))
    print("\n" + format_weights(weights))
    assert sum(len(w.screenshots) for w in weights) >= 14
    over = [w for w in weights if w.ratio_1x > BUDGET]
    assert not over, format_weights(over)


def test_each_report_page_fetches_at_most_8_percent_of_its_raw_png_bytes_at_1x(
    report_site: Path, shared_imgs: Path
) -> None:
    weights = page_weights(report_site, _raw_sizes(shared_imgs))
    print("\n" + format_weights(weights))
    assert {w.page.split("/")[0] + ".md" for w in weights} == set(REPORT_PAGES)
    assert sum(len(w.screenshots) for w in weights) == 14
    over = [w for w in weights if w.ratio_1x > BUDGET]
    assert not over, format_weights(over)


def _weight(site: Path, imgs: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> None:
    """Run `apifit images weight` on a built site with the real screenshots as source."""
    monkeypatch.setenv(SOURCE_ENV, str(imgs))
    manifest = str(ROOT / "imgs" / "manifest.yml")
    argv = ["images", "weight", *flags, "--site-dir", str(site), "--manifest", manifest]
    assert main(argv) == 0


def test_images_weight_prints_a_line_per_page_with_screenshots(
    built_site: Path,
    shared_imgs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _weight(built_site, shared_imgs, monkeypatch)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        *("page", "1x", "bytes", "2x", "bytes", "raw", "PNG", "1x/raw", "screenshots")
    ]
    assert any(line.startswith("tiktok/prerequisites/index.html") for line in lines)


def test_images_weight_json_has_the_benchmark_fields(
    built_site: Path,
    shared_imgs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _weight(built_site, shared_imgs, monkeypatch, "--json")
    rows = json.loads(capsys.readouterr().out)
    assert {tuple(row) for row in rows} == {("page", "raw_png_bytes", "bytes_1x", "bytes_2x")}
    assert all(0 < row["bytes_1x"] < row["bytes_2x"] < row["raw_png_bytes"] for row in rows)
