from __future__ import annotations

import re
from pathlib import Path

import pytest
from images_support import manifest_entry, write_manifest, write_png, write_project

from apifit.cli import EXIT_INPUT, main
from apifit.images import load_manifest
from apifit.site.engines import ENGINES
from apifit.site.pipeline import BuildFailed, build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    png = write_png(tmp_path / "src" / "A.png", (900, 300))
    write_manifest(tmp_path / "imgs" / "manifest.yml", manifest_entry(png))
    plugin = {"source": str(tmp_path / "src"), "cache_dir": str(tmp_path / "cache")}
    return write_project(tmp_path, {"index.md": "# Home\n\n![a](/imgs/A.png)\n"}, plugin)


def _temporaries(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("site.tmp"))


def test_a_successful_build_replaces_the_site(project: Path) -> None:
    site = project.parent / "site"
    (site / "stale").mkdir(parents=True)
    build(project, site)
    assert "apifit-screenshot" in (site / "index.html").read_text()
    assert not (site / "stale").exists()
    assert _temporaries(project.parent) == []
    assert site.stat().st_mode & 0o755 == 0o755, "readable by a web server like any mkdocs site"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failed_build_leaves_the_previous_site_untouched(project: Path, engine: str) -> None:
    site = project.parent / "site"
    build(project, site, engine)
    before = (site / "index.html").read_text()
    (project.parent / "docs" / "index.md").write_text("# Home\n\n![a](/imgs/Missing.png)\n")
    with pytest.raises(BuildFailed, match=r"docs/index\.md:3: .*unknown screenshot Missing\.png"):
        build(project, site, engine)
    assert (site / "index.html").read_text() == before
    assert _temporaries(project.parent) == []


def test_a_failed_build_s_message_holds_no_credential_set_in_the_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIKTOK_CLIENT_SECRET", "zq-canary-9731")
    # The error names the screenshot a page asks for, so the value reaches mkdocs' output.
    (project.parent / "docs" / "index.md").write_text("# Home\n\n![a](/imgs/zq-canary-9731.png)\n")
    with pytest.raises(BuildFailed, match=r"unknown screenshot REDACTED\.png") as failed:
        build(project, project.parent / "site")
    assert "zq-canary-9731" not in str(failed.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_warning_fails_the_build_and_leaves_no_site(project: Path, engine: str) -> None:
    (project.parent / "docs" / "index.md").write_text("# Home\n\n[broken](nowhere.md)\n")
    with pytest.raises(BuildFailed, match=r"WARNING: .*index\.md"):
        build(project, project.parent / "site", engine)
    assert not (project.parent / "site").exists()
    assert _temporaries(project.parent) == []


def test_the_cli_reports_a_failed_build_in_one_line_and_exits_non_zero(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.parent / "src" / "A.png").write_bytes(b"not the pinned bytes")
    site = project.parent / "site"
    assert main(["build", "-f", str(project), "-d", str(site)]) == EXIT_INPUT
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "A.png:" in error and "expected" in error
    assert not site.exists()


def test_the_real_site_shows_all_14_screenshots_with_published_files(built_site: Path) -> None:
    manifest = load_manifest(ROOT / "imgs" / "manifest.yml")
    html = "".join(p.read_text() for p in built_site.rglob("*.html"))
    shown = set(re.findall(r'data-screenshot="([^"]+)"', html))
    assert shown == {shot.file for shot in manifest.screenshots}
    for src in re.findall(r'(?:src|href)="(?:\.\./)*(imgs/[^"]+\.webp)"', html):
        assert (built_site / src).is_file(), src
    # Only redacted derivatives are published, never an original.
    assert not list(built_site.rglob("SS*.png"))


def test_a_failed_build_s_message_shows_paths_under_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # POSIX sh keeps these set to working directories; their names merely hold `pwd`.
    monkeypatch.setenv("PWD", str(project.parent))
    monkeypatch.setenv("OLDPWD", str(project.parent / "docs"))
    monkeypatch.setenv("DB_PWD", "zq-canary-4417")
    checks = project.parent / "checks" / "x.yml"
    checks.parent.mkdir()
    checks.write_text("checks:\n- id: zq-canary-4417\n")
    with pytest.raises(BuildFailed) as failed:
        build(project, project.parent / "site")
    assert f"unchanged: ERROR: {checks}:" in str(failed.value)
    assert "zq-canary-4417" not in str(failed.value)
