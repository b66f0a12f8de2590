from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from images_support import manifest_entry, write_manifest, write_png
from pytest_httpserver import HTTPServer

from apifit.cli import EXIT_INPUT, EXIT_OK, main
from apifit.images import HashMismatch, PinnedFileMissing, Screenshot, load_manifest, obtain
from apifit.images.obtain import SOURCE_ENV, cached_original, resolve_source


def _shot(tmp_path: Path, url: str = "https://example.invalid/A.png") -> tuple[Screenshot, bytes]:
    png = write_png(tmp_path / "upstream" / "A.png", (120, 80))
    manifest = load_manifest(write_manifest(tmp_path / "m.yml", manifest_entry(png, url=url)))
    return manifest.screenshots[0], png.read_bytes()


def _leftovers(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []


def test_a_file_in_the_source_folder_is_verified_and_used_in_place(tmp_path: Path) -> None:
    shot, _ = _shot(tmp_path)
    path = obtain(shot, source=tmp_path / "upstream", cache_dir=tmp_path / "c", client=None)
    assert path == tmp_path / "upstream" / "A.png"


def test_an_altered_file_gives_one_line_with_both_hashes_and_the_fix(tmp_path: Path) -> None:
    shot, data = _shot(tmp_path)
    altered = data + b"x"
    (tmp_path / "upstream" / "A.png").write_bytes(altered)
    with pytest.raises(HashMismatch) as info:
        obtain(shot, source=tmp_path / "upstream", cache_dir=tmp_path / "c", client=None)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("A.png: ")
    assert shot.sha256 in message
    assert hashlib.sha256(altered).hexdigest() in message
    assert "restore the original" in message


def test_a_missing_file_gives_one_line_with_the_expected_hash_and_the_fix(
    tmp_path: Path,
) -> None:
    shot, _ = _shot(tmp_path)
    with pytest.raises(PinnedFileMissing) as info:
        obtain(shot, source=tmp_path / "empty", cache_dir=tmp_path / "c", client=None)
    message = str(info.value)
    assert "\n" not in message
    assert f"expected sha256 {shot.sha256}, actual none" in message
    assert "apifit images fetch" in message
    assert SOURCE_ENV in message


def test_download_from_the_pinned_url_is_verified_and_cached(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    shot, data = _shot(tmp_path, httpserver.url_for("/imgs/A.png"))
    httpserver.expect_oneshot_request("/imgs/A.png").respond_with_data(data)
    with httpx.Client() as client:
        first = obtain(shot, source=None, cache_dir=tmp_path / "c", client=client)
        # The one-shot expectation is spent: a second download would fail the test.
        second = obtain(shot, source=None, cache_dir=tmp_path / "c", client=client)
    assert first == second == cached_original(shot, tmp_path / "c")
    assert first.read_bytes() == data
    httpserver.check_assertions()


def test_downloaded_bytes_with_the_wrong_hash_leave_nothing_in_the_cache(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    shot, data = _shot(tmp_path, httpserver.url_for("/imgs/A.png"))
    httpserver.expect_request("/imgs/A.png").respond_with_data(data[:-10])
    with httpx.Client() as client, pytest.raises(HashMismatch, match="serves other bytes"):
        obtain(shot, source=None, cache_dir=tmp_path / "c", client=client)
    assert _leftovers(tmp_path / "c") == []


def test_a_failed_download_names_the_url_and_leaves_nothing_in_the_cache(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    shot, _ = _shot(tmp_path, httpserver.url_for("/imgs/A.png"))
    httpserver.expect_request("/imgs/A.png").respond_with_data("gone", status=404)
    with httpx.Client() as client, pytest.raises(PinnedFileMissing) as info:
        obtain(shot, source=None, cache_dir=tmp_path / "c", client=client)
    assert f"download from {shot.url} failed (HTTPStatusError" in str(info.value)
    assert _leftovers(tmp_path / "c") == []


def test_the_environment_overrides_the_configured_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path / "from-env"))
    assert resolve_source("configured", tmp_path) == tmp_path / "from-env"


def test_the_configured_source_is_relative_to_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SOURCE_ENV, raising=False)
    assert resolve_source("pics", tmp_path) == (tmp_path / "pics").resolve()


def test_the_default_source_is_shared_imgs_only_when_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SOURCE_ENV, raising=False)
    project = tmp_path / "project"
    project.mkdir()
    assert resolve_source(None, project) is None
    (tmp_path / "shared" / "imgs").mkdir(parents=True)
    assert resolve_source(None, project) == (tmp_path / "shared" / "imgs").resolve()


def test_images_fetch_verifies_every_screenshot_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _shot(tmp_path)
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path / "upstream"))
    argv = ["images", "fetch", "--manifest", str(tmp_path / "m.yml")]
    assert main([*argv, "--cache-dir", str(tmp_path / "c")]) == EXIT_OK
    assert capsys.readouterr().out == "apifit: 1 screenshot verified by sha256\n"


def test_images_fetch_exits_non_zero_with_one_line_on_an_altered_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _shot(tmp_path)
    (tmp_path / "upstream" / "A.png").write_bytes(b"altered")
    monkeypatch.setenv(SOURCE_ENV, str(tmp_path / "upstream"))
    argv = ["images", "fetch", "--manifest", str(tmp_path / "m.yml")]
    assert main([*argv, "--cache-dir", str(tmp_path / "c")]) == EXIT_INPUT
    error = capsys.readouterr().err
    assert error.startswith("apifit: error: A.png: ") and error.count("\n") == 1


def test_images_fetch_that_cannot_download_does_not_tell_to_run_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    png = write_png(tmp_path / "upstream" / "A.png", (120, 80))
    manifest = write_manifest(tmp_path / "m.yml", manifest_entry(png))
    monkeypatch.chdir(tmp_path)
    command = ["images", "fetch", "--manifest", str(manifest), "--cache-dir", "c"]
    assert main(command) == EXIT_INPUT
    error = capsys.readouterr().err
    assert error.startswith("apifit: error: A.png: no source folder and download from ")
    assert error.endswith(
        "(point APIFIT_IMGS_SOURCE at a folder with the originals, or retry when the URL is "
        "reachable)\n"
    )
    assert "apifit images fetch" not in error
