"""Shared fixtures: data is built in tmp_path; nothing here reaches the network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from images_support import REPORT_PAGES, write_project

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project_root() -> Path:
    """The repository root, for tests that read the shipped data (never write to it)."""
    return ROOT


# Screenshots (apifit.images, the plugin, `apifit build`).
SHARED_IMGS = SHARED / "imgs"


@pytest.fixture(autouse=True)
def _no_image_paths_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Makefile and CI export APIFIT_IMGS_SOURCE / APIFIT_CACHE_DIR, which would outrank a
    test project's own `source` and `cache_dir` (and turn a cold test build into a warm one)."""
    monkeypatch.delenv("APIFIT_IMGS_SOURCE", raising=False)
    monkeypatch.delenv("APIFIT_CACHE_DIR", raising=False)


SHARED_TERMS = SHARED / "evidence" / "terms"


@pytest.fixture(autouse=True)
def _archived_terms_from_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copies of the project built in tmp_path read the archived terms from ../shared, as the
    project itself does, instead of downloading them: no test reaches the network."""
    monkeypatch.setenv("APIFIT_TERMS_SOURCE", str(SHARED_TERMS))


@pytest.fixture(scope="session")
def shared_imgs() -> Path:
    """The real screenshots; tests that need their pixels skip when ../shared is absent."""
    if not SHARED_IMGS.is_dir():
        pytest.skip(f"{SHARED_IMGS} is absent: the real screenshots are needed for this test")
    return SHARED_IMGS


@pytest.fixture(scope="session")
def image_cache() -> Path:
    """The project's own derivative cache, shared with `built_site` and `make build`.

    Entries are content-addressed and renamed into place whole, so sharing is safe, and the
    real screenshots are converted once per machine rather than once per session.
    """
    return ROOT / ".cache" / "apifit"


@pytest.fixture(scope="session")
def report_site(
    tmp_path_factory: pytest.TempPathFactory, shared_imgs: Path, image_cache: Path
) -> Path:
    """A site built once from the real manifest, with the report's screenshots on four pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("report-site")
    pages = {"index.md": "# Home\n"}
    for page, shots in REPORT_PAGES.items():
        figures = "".join(f"![{shot}](/imgs/{shot}.png)\n\n" for shot in shots)
        pages[page] = f"# {page}\n\n{figures}"
    plugin = {
        "manifest": str(ROOT / "imgs" / "manifest.yml"),
        "source": str(shared_imgs),
        "cache_dir": str(image_cache),
    }
    # A session fixture is set up before the autouse fixture above clears the Makefile's
    # variables, which would send this copy to a `../shared/imgs` beside its tmp folder.
    with pytest.MonkeyPatch.context() as env:
        env.delenv("APIFIT_IMGS_SOURCE", raising=False)
        env.delenv("APIFIT_CACHE_DIR", raising=False)
        build(load_config(str(write_project(root, pages, plugin))))
    return root / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session with --strict (building is the slow part)."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}")
    return out
