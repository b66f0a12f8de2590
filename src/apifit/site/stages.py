"""The build's stages as plain functions, run in this order by every engine's adapter.

validate every data file, obtain (screenshots and archived copies, each verified), derive
(check results and the data the macros render), then an engine renders the pages,
post_process puts the screenshot derivatives beside them, and scan proves nothing
secret-shaped is in the output. `apifit build` (apifit.site.pipeline) runs them around any engine;
the MkDocs plugin runs them from its events, so `mkdocs build` and `mkdocs serve` do the
same work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from apifit.checks import secretscan
from apifit.checks.results import max_age_from_env, now_utc
from apifit.checks.scrub import Scrubber
from apifit.errors import InputError, InputErrors
from apifit.evidence.archive import Archive, load_archive
from apifit.evidence.assessments import Catalog, load_catalog
from apifit.images import ImageSet, Settings, load_manifest, prepare, publish, rewrite
from apifit.images.obtain import CACHE_ENV, DEFAULT_CACHE, resolve_source
from apifit.site import unrendered
from apifit.site.check_views import Board
from apifit.site.validate import validate_project


@dataclass(frozen=True)
class ImageOptions:
    """The `apifit` plugin's options in mkdocs.yml; paths are relative to the project root.
    APIFIT_IMGS_SOURCE and APIFIT_CACHE_DIR override `source` and `cache_dir`."""

    manifest: str = "imgs/manifest.yml"
    source: str | None = None
    cache_dir: str = str(DEFAULT_CACHE)
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class Project:
    """A site to build: where it is, and what its config file asks of apifit."""

    config_file: Path
    docs_dir: Path
    images: ImageOptions

    @property
    def root(self) -> Path:
        return self.config_file.parent


@dataclass(frozen=True)
class SiteData:
    """What the macros render, derived once per build from the project's files alone."""

    root: Path
    docs_dir: Path
    archive: Archive | None
    catalog: Catalog
    board: Board
    # The credentials set for this build: removed from what the macros emit as well, in case
    # a recording made before they were known still holds one.
    boundary: Scrubber


@dataclass(frozen=True)
class Prepared:
    """The outcome of the stages before rendering, handed to the engine."""

    project: Project
    images: ImageSet
    site: SiteData


def image_options(raw: Mapping[str, Any]) -> ImageOptions:
    """The `apifit` plugin's options as mkdocs.yml gives them (defaults for those missing)."""
    defaults, settings = ImageOptions(), Settings()
    return ImageOptions(
        manifest=raw.get("manifest", defaults.manifest),
        source=raw.get("source"),
        cache_dir=raw.get("cache_dir", defaults.cache_dir),
        settings=Settings(
            tuple(raw.get("widths", settings.widths)),
            raw.get("quality", settings.quality),
            raw.get("dense_quality", settings.dense_quality),
            raw.get("zoom_quality", settings.zoom_quality),
        ),
    )


def _plugin_options(plugins: Any) -> Mapping[str, Any]:
    for entry in plugins or []:
        if isinstance(entry, Mapping) and "apifit" in entry:
            return entry["apifit"] or {}
    return {}


def load_project(config_file: Path) -> Project:
    """Read what the stages need from mkdocs.yml, whichever engine renders it."""
    config_file = config_file.resolve()
    try:
        # MkDocs' loader: mkdocs.yml uses its tags (!ENV); Zensical reads the same file.
        config = yaml_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError) as exc:
        raise InputError(config_file, "(file)", str(exc).splitlines()[0]) from None
    docs_dir = config_file.parent / config.get("docs_dir", "docs")
    return Project(config_file, docs_dir, image_options(_plugin_options(config.get("plugins"))))


def validate(project: Project) -> None:
    """Stage 1: every data file loads, or the first `file:line: field: problem (fix)` raises."""
    validate_project(project.root, project.root / project.images.manifest)


def obtain_images(project: Project, *, download: bool, strict: bool) -> ImageSet:
    """Stage 2a: every screenshot obtained, verified by sha256, redacted and derived. With
    `strict`, one that cannot be obtained raises; otherwise a preview shows a placeholder."""
    options = project.images
    return prepare(
        load_manifest(project.root / options.manifest),
        source=resolve_source(options.source, project.root),
        cache_dir=project.root / os.environ.get(CACHE_ENV, options.cache_dir),
        settings=options.settings,
        download=download,
        strict=strict,
        own=(project.root / options.manifest).parent,
    )


def obtain_archive(project: Project) -> Archive | None:
    """Stage 2b: the pinned archived copies, obtained and verified."""
    return load_archive(project.root)


def derive(project: Project, archive: Archive | None) -> SiteData:
    """Stage 3: check results from recordings, attempts and archived copies, and the data files
    the macros render (no network)."""
    root = project.root
    assessments = root / "assessments"
    return SiteData(
        root=root,
        docs_dir=project.docs_dir,
        archive=archive,
        # A project without assessments (a screenshots-only site) renders no assessment macro.
        catalog=(
            load_catalog(assessments, archive.pins if archive else None)
            if assessments.is_dir()
            else Catalog()
        ),
        board=Board.load(root, now_utc(), max_age_from_env(), archive),
        boundary=Scrubber(secretscan.credential_values(root / "checks", os.environ).values()),
    )


def prepare_build(project: Project, *, download: bool = True, strict: bool = True) -> Prepared:
    """Stages 1 to 3, in order: what an engine needs before it renders a page."""
    validate(project)
    images = obtain_images(project, download=download, strict=strict)
    site = derive(project, obtain_archive(project))
    return Prepared(project, images, site)


def body_line(source: str, body: str) -> int:
    """The line of a page's file its Markdown starts on, once an engine took the front matter
    off."""
    if not source.endswith(body):
        return 1
    return source[: len(source) - len(body)].count("\n") + 1


def page_markdown(
    prepared: Prepared,
    page: str,
    markdown: str,
    *,
    first_line: int,
    url: Callable[[str], str],
    strict: bool,
    note: Callable[[InputError], None],
) -> str:
    """Stage 4, for each page once its macros ran: refuse macro syntax left unrendered, and
    write its screenshots as responsive figures (`url` makes a site path relative to the
    page). Without `strict` (a preview) leftovers are only noted and a missing screenshot
    shows a placeholder."""
    found = unrendered.leftovers(page, markdown, first_line)
    if found and strict:
        raise found[0] if len(found) == 1 else InputErrors(found)
    for error in found:
        note(error)
    return rewrite(
        markdown,
        page=page,
        images=prepared.images.items,
        url=url,
        strict=strict,
        first_line=first_line,
    )


def post_process(prepared: Prepared, site_dir: Path) -> None:
    """Stage 5: the screenshot derivatives the pages refer to, placed in the built site."""
    publish(prepared.images, site_dir)


def scan(root: Path, site_dir: Path) -> None:
    """Stage 6, last: raise naming file, line and field if anything secret-shaped is in the
    project's cassettes or the built site."""
    secretscan.ensure_clean(root, site_dir)
