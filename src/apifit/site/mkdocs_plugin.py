"""The `apifit` MkDocs plugin: a thin adapter that runs apifit's stages from MkDocs' events."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
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

from apifit.errors import ApifitError
from apifit.evidence.changes import CHANGES_PAGE
from apifit.images import Settings, Unavailable
from apifit.site import stages
from apifit.site.feed import FEED_FILE, site_feed

if TYPE_CHECKING:
    # Only `mkdocs serve` has a server; importing its module loads watchdog into every build.
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.apifit")
# mkdocs-macros announces its modules, variables and macros at INFO on every (re)build: six
# lines that bury apifit's own. They stay available with `mkdocs --verbose`.
MACROS_LOG = logging.getLogger("mkdocs.plugins.mkdocs_macros")
WATCHED_DIRS = ("checks", "cassettes", "archive")
_DEFAULTS = stages.ImageOptions()


def _body_line(page: Page) -> int:
    # MkDocs has taken the front matter off the page's Markdown.
    return stages.body_line(page.file.content_string, page.markdown or "")


class ApifitConfig(base.Config):  # type: ignore[no-untyped-call]
    """Paths are relative to mkdocs.yml; APIFIT_IMGS_SOURCE and APIFIT_CACHE_DIR override
    `source` and `cache_dir` (CI and the benchmarks point them elsewhere)."""

    manifest = c.Type(str, default=_DEFAULTS.manifest)
    source = c.Optional(c.Type(str))
    cache_dir = c.Type(str, default=_DEFAULTS.cache_dir)
    widths = c.ListOfItems(c.Type(int), default=list(Settings.widths))
    quality = c.Type(int, default=Settings.quality)
    dense_quality = c.Type(int, default=Settings.dense_quality)
    zoom_quality = c.Type(int, default=Settings.zoom_quality)


class ApifitPlugin(BasePlugin[ApifitConfig]):  # type: ignore[no-untyped-call]
    """The apifit stages (apifit.site.stages) run from MkDocs' events; `apifit build` runs them
    itself and hands the plugin what they prepared (`drive`)."""

    serving = False
    prepared: stages.Prepared | None = None
    driven = False

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        self.prepared = None
        self.driven = False

    def drive(self, prepared: stages.Prepared | None) -> None:
        """Render with what `apifit build` prepared (None ends that): the plugin then runs no
        stage itself, since the pipeline post-processes and scans after the engine."""
        self.prepared = prepared
        self.driven = prepared is not None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def _project(self, config: MkDocsConfig) -> stages.Project:
        images = stages.image_options(self.config)
        return stages.Project(
            Path(config.config_file_path).resolve(), Path(config.docs_dir), images
        )

    # Before mkdocs-macros (default priority 0) loads anything: a broken data file must stop
    # the build with its `file:line: field: problem (fix)` line, not a macro rendering error,
    # and the macros render the data derived here.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not logging.getLogger("mkdocs").isEnabledFor(logging.DEBUG):
            MACROS_LOG.setLevel(logging.WARNING)
        if self.driven:
            return config
        project = self._project(config)
        # In a preview only the first build may download: rebuilds must stay fast offline,
        # and `apifit images fetch` in another terminal fills the cache they read.
        offline = self.serving and self.prepared is not None
        try:
            self.prepared = stages.prepare_build(
                project, download=not offline, strict=not self.serving
            )
        except ApifitError as exc:
            raise PluginError(str(exc)) from None
        images = self.prepared.images
        ready, converted = len(images.items), len(images.converted)
        log.info("apifit: %d screenshots ready, %d converted", ready, converted)
        for item in images.items.values():
            if isinstance(item, Unavailable):
                # Info, not a warning: a strict config would otherwise stop the preview.
                log.info("apifit: placeholder for %s", item.problem)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        # The feed is a file of the site like any page, so links to it are validated.
        changes = files.get_file_from_path(CHANGES_PAGE)
        if changes is None:
            return files
        assert self.prepared is not None, "on_config runs before on_files"
        content = site_feed(
            self.prepared.site,
            site_name=config.site_name,
            site_url=config.site_url or "",
            page_url=changes.url,
        )
        files.append(File.generated(config, FEED_FILE, content=content))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.prepared is not None, "on_config runs before any page"
        try:
            return stages.page_markdown(
                self.prepared,
                f"{Path(config.docs_dir).name}/{page.file.src_uri}",
                markdown,
                first_line=_body_line(page),
                url=lambda path: get_relative_url(path, page.url),
                strict=not self.serving,
                note=lambda error: log.info("apifit: %s", error),
            )
        except ApifitError as exc:
            raise PluginError(str(exc)) from None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Driven, the pipeline post-processes and scans the output after the engine.
        if self.driven:
            return
        site_dir = Path(config.site_dir)
        try:
            if self.prepared is not None:
                stages.post_process(self.prepared, site_dir)
            # Last, so that nothing holding a secret-shaped value can be published.
            stages.scan(self._root(config), site_dir)
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
        server.builder = _keeps_serving(server.builder)
        return server


def _keeps_serving(builder: Callable[[], None]) -> Callable[[], None]:
    """A rebuild that cannot fail the preview: MkDocs' live-reload server holds every request
    until a rebuild succeeds, so after a failed one a request waited until the mistake was
    fixed. The site of the last build that got so far is served meanwhile."""

    @functools.wraps(builder)
    def rebuild() -> None:
        try:
            builder()
        except (Exception, SystemExit):
            # MkDocs has logged the mistake itself; its exception only says "Aborted".
            log.error(
                "apifit: the rebuild failed (see above); serving the last built site until it "
                "is fixed"
            )

    return rebuild
