"""Both engines behind `apifit build`: the same pages, and the same stages refusing bad output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import zensical
from images_support import manifest_entry, write_manifest, write_png, write_project
from selectolax.lexbor import LexborHTMLParser

from apifit.checks.pagetext import read_html
from apifit.site import stages
from apifit.site.engines import ENGINES
from apifit.site.macro_errors import MacroError
from apifit.site.macros import MacroContext, register
from apifit.site.pipeline import BuildFailed, build

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Content:
    """What a reader gets from a page's article, whatever theme surrounds it."""

    text: str
    links: tuple[str, ...]  # resolved against the page, so `./` and `../page/` are one link
    screenshots: tuple[str, ...]


def _contents(site: Path) -> dict[str, Content]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        article = LexborHTMLParser(path.read_text(encoding="utf-8")).css_first("article")
        if article is None:
            continue
        url = "http://site/" + str(path.relative_to(site))
        hrefs = (a.attributes.get("href") or "" for a in article.css("a[href]"))
        figures = article.css("img[data-screenshot]")
        shots = (n.attributes.get("data-screenshot") or "" for n in figures)
        pages[str(path.relative_to(site))] = Content(
            read_html(article.html or "").text,
            tuple(sorted(urljoin(url, href) for href in hrefs)),
            tuple(sorted(shots)),
        )
    return pages


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, shared_imgs: Path) -> Path:
    """The real site as `apifit build --engine zensical` builds it (screenshots from ../shared)."""
    site = tmp_path_factory.mktemp("zensical") / "site"
    build(ROOT / "mkdocs.yml", site, "zensical")
    return site


def test_zensical_renders_every_page_of_the_mkdocs_build_with_the_same_content(
    built_site: Path, zensical_site: Path
) -> None:
    mkdocs, other = _contents(built_site), _contents(zensical_site)
    assert len(mkdocs) >= 10, "every page of the nav, and the 404 page"
    assert sorted(other) == sorted(mkdocs)
    assert [page for page in mkdocs if other[page] != mkdocs[page]] == []


def test_zensical_publishes_every_screenshot_its_pages_show(zensical_site: Path) -> None:
    html = "".join(p.read_text() for p in zensical_site.rglob("*.html"))
    tree = LexborHTMLParser(html)
    sources = {n.attributes.get("src") or "" for n in tree.css("img[data-screenshot]")}
    assert sources
    assert [s for s in sources if not list(zensical_site.rglob(Path(s).name))] == []
    # One link to the zoom copy per figure: Zensical's glightbox must not add a second.
    assert html.count('<a class="glightbox"') == html.count('<figure class="apifit-screenshot">')


@pytest.fixture
def project(tmp_path: Path) -> Path:
    png = write_png(tmp_path / "src" / "A.png", (900, 300))
    write_manifest(tmp_path / "imgs" / "manifest.yml", manifest_entry(png))
    plugin = {"source": str(tmp_path / "src"), "cache_dir": str(tmp_path / "cache")}
    return write_project(tmp_path, {"index.md": "# Home\n\n![a](/imgs/A.png)\n"}, plugin)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_credential_in_a_cassette_fails_the_build_and_publishes_nothing(
    project: Path, engine: str
) -> None:
    cassette = project.parent / "cassettes" / "leak.yaml"
    cassette.parent.mkdir()
    cassette.write_text('body: {"client_secret": "cs9f8e7d6c5b4a"}\n')
    site = project.parent / "site"
    found = r"secret scan found:\n.*cassettes/leak\.yaml:1: client_secret"
    with pytest.raises(BuildFailed, match=found):
        build(project, site, engine)
    assert not site.exists()
    assert not list(project.parent.glob("site.tmp*"))


@pytest.mark.parametrize("engine", ENGINES)
def test_either_engine_builds_the_screenshot_figure(project: Path, engine: str) -> None:
    site = project.parent / "site"
    build(project, site, engine)
    html = (site / "index.html").read_text()
    img = LexborHTMLParser(html).css_first("img[data-screenshot]")
    assert img is not None
    assert (site / (img.attributes.get("src") or "")).is_file()


def test_zensical_run_directly_refuses_to_render_the_macros(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text('---\nrender_macros: true\n---\n{{ cite("x") }}\n')
    macros = {"modules": ["apifit.site.macros"], "on_error_fail": True, "render_by_default": False}
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: t\nplugins:\n  - macros: {macros}\n")
    with pytest.raises(RuntimeError, match=r"build with `apifit build --engine zensical`"):
        zensical.build(str(config), {"strict": True, "clean": True})


@dataclass
class _Host:
    """All an engine's macros environment must offer: `macro()`."""

    macros: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def macro(self, fn: Callable[..., Any], name: str = "", /) -> None:
        self.macros[name or fn.__name__] = fn


def test_the_macros_learn_the_page_being_rendered_only_from_the_engine_s_context() -> None:
    project = stages.load_project(ROOT / "mkdocs.yml")
    site = stages.derive(project, stages.obtain_archive(project))
    rendering = ["index.md"]
    reported: list[MacroError] = []
    host = _Host()
    register(host, MacroContext(site, lambda: rendering[0], reported.append))
    for page in ("index.md", "tiktok/terms.md"):
        rendering[0] = page
        shown = host.macros["check"]("nope")
        assert reported[-1].page == f"docs/{page}"
        assert reported[-1].call == 'check("nope")'
        assert str(reported[-1]) in shown.replace("'", '"'), "the page shows it in place"
