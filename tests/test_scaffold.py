"""`apifit new api NAME` scaffolds a platform that builds strictly in a copy of this project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from apifit.checks.schema import load_checks
from apifit.cli import main
from apifit.errors import InputError
from apifit.evidence.assessments import load_catalog
from apifit.scaffold import new_api
from apifit.site import pipeline as build

ROOT = Path(__file__).resolve().parents[1]
SHARED_IMGS = ROOT.parent / "shared" / "imgs"
DOCS_URL = "https://www.reddit.com/dev/api/"
# Local state, not project files: the venv, builds, and caches (the image cache is linked).
NOT_PROJECT = shutil.ignore_patterns(
    ".git", ".venv", "site", "site.tmp*", ".cache", "*_cache", "__pycache__", "*.egg-info"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this project sharing its image cache, so the build converts nothing again."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_PROJECT)
    (ROOT / ".cache").mkdir(exist_ok=True)
    (copy / ".cache").symlink_to(ROOT / ".cache")
    # A relative screenshots folder would be looked up beside the copy: name it absolutely.
    if SHARED_IMGS.is_dir():
        monkeypatch.setenv("APIFIT_IMGS_SOURCE", str(SHARED_IMGS))
    else:
        monkeypatch.delenv("APIFIT_IMGS_SOURCE", raising=False)
    return copy


def test_a_scaffolded_platform_builds_strictly_with_its_page_in_the_nav(project: Path) -> None:
    assert main(["new", "api", "reddit", "--docs-url", DOCS_URL, "--root", str(project)]) == 0
    build.build(project / "mkdocs.yml", project / "site")
    page = (project / "site" / "reddit" / "index.html").read_text()
    assert "Reddit API" in page
    # Its placeholders decide nothing: the page must not publish a verdict.
    assert "Reddit API: not assessed yet" in page and "Not assessed yet" in page
    assert "does not fit" not in page
    assert "reddit-docs-reachable" in page
    nav = yaml.safe_dump(yaml_load((project / "mkdocs.yml").read_text())["nav"])
    assert "reddit/index.md" in nav


def test_the_scaffold_passes_the_schemas(project: Path) -> None:
    new_api(project, "instagram", DOCS_URL)
    assert load_catalog(project / "assessments").platforms["instagram"].name == "Instagram"
    assert [c.api for c in load_checks(project / "checks") if c.id.startswith("instagram")] == [
        "instagram"
    ]


def test_the_nav_entry_follows_the_last_platform_section_and_keeps_comments(
    project: Path,
) -> None:
    new_api(project, "reddit", DOCS_URL)
    text = (project / "mkdocs.yml").read_text()
    assert "# Macros first" in text
    nav = yaml_load(text)["nav"]
    titles = [next(iter(item)) if isinstance(item, dict) else item for item in nav]
    assert titles.index("Reddit") == titles.index("TikTok") + 1


def test_an_existing_platform_is_never_overwritten(project: Path) -> None:
    before = (project / "assessments" / "tiktok.yml").read_text()
    with pytest.raises(InputError, match=r"tiktok\.yml: \(file\): already exists"):
        new_api(project, "tiktok", DOCS_URL)
    assert (project / "assessments" / "tiktok.yml").read_text() == before


def test_a_name_that_is_not_a_slug_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="NAME: 'Red Dit' is not a slug"):
        new_api(tmp_path, "Red Dit", DOCS_URL)
