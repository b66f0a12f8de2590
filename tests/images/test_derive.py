from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from images_support import manifest_entry, prepare_local, write_manifest, write_png
from PIL import Image

from apifit.errors import IntegrityError
from apifit.images import Manifest, Settings, Unavailable, load_manifest
from apifit.images.derive import cache_key, derive


@pytest.fixture
def manifest(tmp_path: Path) -> Manifest:
    wide = write_png(tmp_path / "src" / "Wide.png", (1600, 400))
    small = write_png(tmp_path / "src" / "Small.png", (500, 300), seed=3)
    box = {"what": "id", "box": [100, 100, 300, 150]}
    entries = (manifest_entry(wide, redact=[box]), manifest_entry(small))
    return load_manifest(write_manifest(tmp_path / "m.yml", *entries))


def test_wide_screenshots_get_720_and_1440_plus_the_full_detail_copy(
    manifest: Manifest, tmp_path: Path
) -> None:
    wide = prepare_local(manifest, tmp_path).items["Wide.png"].derived
    assert [(v.width, v.height) for v in wide.variants] == [(720, 180), (1440, 360), (1600, 400)]
    for variant in wide.variants:
        with Image.open(variant.path) as image:
            assert (image.format, image.size) == ("WEBP", (variant.width, variant.height))


def test_a_screenshot_narrower_than_720_gets_only_its_full_size(
    manifest: Manifest, tmp_path: Path
) -> None:
    small = prepare_local(manifest, tmp_path).items["Small.png"].derived
    assert [v.width for v in small.variants] == [500]


def test_a_warm_run_converts_nothing_and_opens_no_image(
    manifest: Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = prepare_local(manifest, tmp_path)
    assert cold.converted == ["Wide.png", "Small.png"]

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a warm run opened an image")

    monkeypatch.setattr(Image, "open", refuse)
    warm = prepare_local(manifest, tmp_path)
    assert warm.converted == []
    assert warm.items["Wide.png"].derived == cold.items["Wide.png"].derived


def test_a_failure_while_encoding_leaves_no_cache_entry(
    manifest: Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = Image.Image.save
    calls = []

    def save_then_fail(self: Image.Image, *args: Any, **kwargs: Any) -> None:
        calls.append(args)
        if len(calls) > 1:
            raise OSError("disk full")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", save_then_fail)
    monkeypatch.setattr("apifit.images.pipeline.os.cpu_count", lambda: 1)
    with pytest.raises(OSError, match="disk full"):
        prepare_local(manifest, tmp_path)
    assert calls, "the failure happened while encoding"
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []


def test_changing_a_redaction_box_changes_the_cache_key(tmp_path: Path) -> None:
    png = write_png(tmp_path / "A.png", (100, 60))
    first, second = (
        load_manifest(
            write_manifest(
                tmp_path / f"m{n}.yml",
                manifest_entry(png, redact=[{"what": "id", "box": [0, 0, 10 + n, 10]}]),
            )
        ).screenshots[0]
        for n in (0, 1)
    )
    assert cache_key(first, Settings()) != cache_key(second, Settings())
    assert cache_key(first, Settings()) != cache_key(first, Settings(quality=60))
    assert cache_key(first, Settings()) != cache_key(first, Settings(dense_quality=60))


def test_a_size_that_disagrees_with_the_manifest_is_an_error(tmp_path: Path) -> None:
    png = write_png(tmp_path / "src" / "A.png", (100, 60))
    entry = manifest_entry(png).replace("width: 100", "width: 101")
    manifest = load_manifest(write_manifest(tmp_path / "m.yml", entry))
    with pytest.raises(IntegrityError, match=r"A\.png: image is 100 x 60, the manifest says 101"):
        prepare_local(manifest, tmp_path)


def test_outside_strict_mode_a_missing_screenshot_is_reported_not_raised(
    manifest: Manifest, tmp_path: Path
) -> None:
    (tmp_path / "src" / "Small.png").unlink()
    images = prepare_local(manifest, tmp_path, strict=False)
    missing = images.items["Small.png"]
    assert isinstance(missing, Unavailable)
    assert "Small.png: not in" in missing.problem
    assert images.converted == ["Wide.png"]


def test_an_entry_finished_first_by_another_build_is_used_not_an_error(
    manifest: Manifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shot = manifest.screenshots[1]
    first = derive(shot, tmp_path / "src" / shot.file, tmp_path / "cache", Settings())
    # The other build renames its entry into place after this one cleared the way.
    entry = first.variants[0].path.parent
    real_rmtree = shutil.rmtree

    def keep_entry(path: Path, **kwargs: Any) -> None:
        if Path(path) != entry:
            real_rmtree(path, **kwargs)

    monkeypatch.setattr("apifit.images.derive.shutil.rmtree", keep_entry)
    second = derive(shot, tmp_path / "src" / shot.file, tmp_path / "cache", Settings())
    assert second == first
    assert list((tmp_path / "cache" / "derived").iterdir()) == [entry]
