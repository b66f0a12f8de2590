"""The `apifit` MkDocs plugin: a thin adapter over the apifit package."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from apifit import secretscan, unrendered
from apifit.changes import CHANGES_PAGE
from apifit.errors import ApifitError, InputErrors
from apifit.feed import FEED_FILE, site_feed
from apifit.images import (
    ImageSet,
    Settings,
    Unavailable,
    load_manifest,
    prepare,
    publish,
    rewrite,
)
from apifit.images.obtain import CACHE_ENV, DEFAULT_CACHE, resolve_source
from apifit.validate import validate_project

if TYPE_CHECKING:
    # Only `mkdocs serve` has a server; importing its module loads watchdog into every build.
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.apifit")
# mkdocs-macros announces its modules, variables and macros at INFO on every (re)build: six
# lines that bury apifit's own. They stay available with `mkdocs --verbose`.
MACROS_LOG = logging.getLogger("mkdocs.plugins.mkdocs_macros")
WATCHED_DIRS = ("checks", "cassettes", "archive")


def _body_line(page: Page) -> int:
    """The file's line the page's Markdown starts on: MkDocs has taken the front matter off."""
    source, body = page.file.content_string, page.markdown or ""
    if not source.endswith(body):
        return 1
    return source[: len(source) - len(body)].count("\n") + 1


class ApifitConfig(base.Config):  # type: ignore[no-untyped-call]
    """Paths are relative to mkdocs.yml; APIFIT_IMGS_SOURCE and APIFIT_CACHE_DIR override
    `source` and `cache_dir` (CI and the benchmarks point them elsewhere)."""

    manifest = c.Type(str, default="imgs/manifest.yml")
    source = c.Optional(c.Type(str))
    cache_dir = c.Type(str, default=str(DEFAULT_CACHE))
    widths = c.ListOfItems(c.Type(int), default=list(Settings.widths))
    quality = c.Type(int, default=Settings.quality)
    dense_quality = c.Type(int, default=Settings.dense_quality)
    zoom_quality = c.Type(int, default=Settings.zoom_quality)


class ApifitPlugin(BasePlugin[ApifitConfig]):  # type: ignore[no-untyped-call]
    """Screenshots for apifit sites: obtained, redacted and derived once per build."""

    serving = False
    images: ImageSet | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        self.images = None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    # Before mkdocs-macros (default priority 0) loads anything: a broken data file must stop
    # the build with its `file:line: field: problem (fix)` line, not a macro rendering error.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG):
            MACROS_LOG.setLevel(logging.WARNING)
        root = self._root(config)
        try:
            validate_project(root, root / self.config.manifest)
        except ApifitError as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = self._root(config)
        settings = Settings(
            tuple(self.config.widths),
            self.config.quality,
            self.config.dense_quality,
            self.config.zoom_quality,
        )
        try:
            manifest = load_manifest(root / self.config.manifest)
            # In a preview only the first build may download: rebuilds must stay fast offline,
            # and `apifit images fetch` in another terminal fills the cache they read.
            offline = self.serving and self.images is not None
            self.images = prepare(
                manifest,
                source=resolve_source(self.config.source, root),
                cache_dir=root / os.environ.get(CACHE_ENV, self.config.cache_dir),
                settings=settings,
                download=not offline,
                strict=not self.serving,
            )
        except ApifitError as exc:
            raise PluginError(str(exc)) from None
        log.info(
            "apifit: %d screenshots ready, %d converted",
            len(self.images.items),
            len(self.images.converted),
        )
        for item in self.images.items.values():
            if isinstance(item, Unavailable):
                # Info, not a warning: a strict config would otherwise stop the preview.
                log.info("apifit: placeholder for %s", item.problem)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        # The feed is a file of the site like any page, so links to it are validated.
        changes = files.get_file_from_path(CHANGES_PAGE)
        if changes is None:
            return files
        try:
            content = site_feed(
                self._root(config),
                Path(config.docs_dir),
                site_name=config.site_name,
                site_url=config.site_url or "",
                page_url=changes.url,
            )
        except ApifitError as exc:
            raise PluginError(str(exc)) from None
        files.append(File.generated(config, FEED_FILE, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.images is not None, "on_pre_build runs before any page"
        name = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        self._refuse_unrendered(name, markdown, _body_line(page))
        try:
            return rewrite(
                markdown,
                page=name,
                images=self.images.items,
                url=lambda path: get_relative_url(path, page.url),
                strict=not self.serving,
                first_line=_body_line(page),
            )
        except ApifitError as exc:
            raise PluginError(str(exc)) from None

    def _refuse_unrendered(self, name: str, markdown: str, first_line: int) -> None:
        found = unrendered.leftovers(name, markdown, first_line)
        if found and not self.serving:
            error = found[0] if len(found) == 1 else InputErrors(found)
            raise PluginError(str(error))
        for error in found:
            log.info("apifit: %s", error)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            if self.images is not None:
                publish(self.images, Path(config.site_dir))
            # Last, so that nothing holding a secret-shaped value can be published.
            secretscan.ensure_clean(self._root(config), Path(config.site_dir))
        except ApifitError as exc:
            raise PluginError(str(exc)) from None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        # Besides docs and mkdocs.yml (watched by MkDocs): every file a page is made from, so a
        # fresh `apifit record` or a new pin shows up in the running preview.
        root = self._root(config)
        for path in (root / self.config.manifest, *(root / d for d in WATCHED_DIRS)):
            if path.exists():
                server.watch(str(path))
        return server
