from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from images_support import manifest_entry, write_manifest, write_png, write_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils.yaml import yaml_load
from pytest_httpserver import HTTPServer
from serve_support import macro_project

ROOT = Path(__file__).resolve().parents[2]
PAGE = "# Steps\n\n1. Open the menu.\n\n    ![Menu](../imgs/A.png)\n\nThen ![b](/imgs/B.png)\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A two-page project whose screenshots are synthetic PNGs in a local source folder."""
    pngs = [write_png(tmp_path / "src" / name, (1000, 500)) for name in ("A.png", "B.png")]
    write_manifest(tmp_path / "imgs" / "manifest.yml", *map(manifest_entry, pngs))
    plugin = {"source": str(tmp_path / "src"), "cache_dir": str(tmp_path / "cache")}
    return write_project(tmp_path, {"index.md": "# Home\n", "sub/steps.md": PAGE}, plugin)


def _build(config_file: Path, *, serve: bool = False) -> str:
    config = load_config(str(config_file))
    # As the mkdocs CLI does; MkDocs also keeps plugins with on_startup across load_config calls.
    config.plugins.on_startup(command="serve" if serve else "build", dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/" if serve else None)
    return (config_file.parent / "site" / "sub" / "steps" / "index.html").read_text()


def test_a_page_image_is_published_as_a_zoomable_figure(project: Path) -> None:
    html = _build(project)
    assert html.count('<figure class="apifit-screenshot">') == 2
    # glightbox must not wrap our already linked <img> a second time.
    assert html.count('class="glightbox"') == 2
    for src in set(re.findall(r'(?:src|href)="(\.\./\.\./imgs/[^"]+)"', html)):
        assert (project.parent / "site" / "sub" / "steps" / src).resolve().is_file(), src


def test_a_warm_rebuild_converts_no_image(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.apifit"):
        _build(project)
        _build(project)
    ready = [r.getMessage() for r in caplog.records if "screenshots ready" in r.getMessage()]
    assert ready == [
        "apifit: 2 screenshots ready, 2 converted",
        "apifit: 2 screenshots ready, 0 converted",
    ]


def test_apifit_cache_dir_overrides_the_configured_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APIFIT_CACHE_DIR", str(tmp_path / "elsewhere"))
    _build(project)
    assert any((tmp_path / "elsewhere").rglob("*.webp"))
    assert not (tmp_path / "cache").exists()


def test_a_strict_build_fails_on_a_missing_screenshot_with_one_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project.parent / "src" / "B.png").unlink()
    with pytest.raises(Abort):
        _build(project)
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.startswith("B.png: not in ")
    assert "expected sha256" in error and "apifit images fetch" in error
    assert not (project.parent / "cache" / "derived").exists() or not list(
        (project.parent / "cache" / "derived").glob("B.*")
    )


def test_serve_shows_a_placeholder_naming_the_fix_for_a_missing_screenshot(
    project: Path,
) -> None:
    (project.parent / "src" / "B.png").unlink()
    html = _build(project, serve=True)
    assert "Screenshot B.png is not available" in html
    assert "apifit images fetch" in html
    assert html.count('<figure class="apifit-screenshot">') == 1


def test_a_screenshot_of_one_s_own_in_imgs_is_published_without_a_download(
    tmp_path: Path,
) -> None:
    own = write_png(tmp_path / "imgs" / "Mine.png", (800, 400))
    write_manifest(tmp_path / "imgs" / "manifest.yml", manifest_entry(own))
    plugin = {"source": str(tmp_path / "empty"), "cache_dir": str(tmp_path / "cache")}
    config = write_project(
        tmp_path, {"index.md": "# Home\n", "sub/steps.md": "![m](/imgs/Mine.png)\n"}, plugin
    )
    html = _build(config)
    assert html.count('<figure class="apifit-screenshot">') == 1
    assert 'data-screenshot="Mine.png"' in html


def test_a_page_naming_an_unknown_screenshot_fails_the_build_with_page_and_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project.parent / "docs" / "index.md").write_text("# Home\n\n![x](/imgs/Nope.png)\n")
    with pytest.raises(Abort):
        _build(project)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[-1] == (
        "docs/index.md:3: ![x](/imgs/Nope.png): unknown screenshot Nope.png "
        "(add it to imgs/manifest.yml or correct the file name)"
    )


def test_an_unknown_screenshot_s_line_counts_the_page_s_front_matter(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = "---\ntitle: Home\nrender_macros: true\n---\n\n# Home\n\n![x](/imgs/Nope.png)\n"
    (project.parent / "docs" / "index.md").write_text(page)
    with pytest.raises(Abort):
        _build(project)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[-1].startswith("docs/index.md:8: ![x](/imgs/Nope.png): unknown screenshot")


def test_macro_syntax_on_a_page_that_is_not_rendered_fails_the_build_with_page_and_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = '# Home\n\nSee {{ check("c") }}.\n\n`{{ shown }}`\n\n```\n{{ shown }}\n```\n'
    (project.parent / "docs" / "index.md").write_text(page)
    with pytest.raises(Abort):
        _build(project)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors[-1] == (
        'docs/index.md:3: {{ check("c") }}: macro syntax on a page that is not rendered '
        '(add "render_macros: true" to the page\'s front matter, or write it in backticks to '
        "show it as code)"
    )


def test_a_malformed_manifest_fails_the_build_naming_file_and_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project.parent / "imgs" / "manifest.yml").write_text("screenshots:\n  - file: [A\n")
    with pytest.raises(Abort):
        _build(project)
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "manifest.yml:" in error and "malformed YAML" in error


def test_the_site_runs_macros_before_apifit_and_glightbox_after_it() -> None:
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert names.index("macros") < names.index("apifit") < names.index("glightbox")


def test_serve_rebuilds_do_not_retry_a_failed_download(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    png = write_png(tmp_path / "upstream" / "A.png", (1000, 500))
    entry = manifest_entry(png, url=httpserver.url_for("/A.png"))
    write_manifest(tmp_path / "imgs" / "manifest.yml", entry)
    plugin = {"source": str(tmp_path / "empty"), "cache_dir": str(tmp_path / "cache")}
    config_file = write_project(tmp_path, {"index.md": "![a](/imgs/A.png)\n"}, plugin)
    httpserver.expect_request("/A.png").respond_with_data("gone", status=404)
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    for _ in range(2):
        build(config, serve_url="http://127.0.0.1:8000/")
    assert len(httpserver.log) == 1
    assert "Screenshot A.png is not available" in (tmp_path / "site" / "index.html").read_text()


class _Server:
    """Stands in for MkDocs' LiveReloadServer: notes what the plugin asks it to watch."""

    def __init__(self) -> None:
        self.watched: list[str] = []
        self.builder = lambda: None

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_checks_cassettes_and_pins(project: Path) -> None:
    root = project.parent
    dirs = [root / name for name in ("checks", "cassettes", "archive")]
    for directory in dirs:
        directory.mkdir()
    config = load_config(str(project))
    server = _Server()
    config.plugins["apifit"].on_serve(server, config=config, builder=None)
    assert server.watched == [str(p) for p in (root / "imgs" / "manifest.yml", *dirs)]


def test_a_build_prints_none_of_the_macros_plugin_s_info_lines(tmp_path: Path) -> None:
    config = macro_project(tmp_path, {"index.md": "# Home"})
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "INFO    -  apifit: 0 screenshots ready, 0 converted",
        "INFO    -  Cleaning site directory",
        f"INFO    -  Building documentation to directory: {tmp_path / 'site'}",
        done.stderr.splitlines()[-1],
    ]
    assert done.stderr.splitlines()[-1].startswith("INFO    -  Documentation built in ")
