"""The MkDocs engine: renders a prepared build in this process, with the apifit plugin driven.

The plugin then runs none of the stages itself (apifit.site.pipeline runs them), it only rewrites
the screenshots in each page's Markdown. Messages MkDocs logs at WARNING or above are
collected: a strict build fails on any of them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException, PluginError

from apifit.errors import ApifitError
from apifit.site import stages
from apifit.site.engines import RenderFailed
from apifit.site.macro_errors import MacroError
from apifit.site.macros import MacroContext
from apifit.site.mkdocs_plugin import ApifitPlugin

log = logging.getLogger("mkdocs.plugins.apifit")


class _Collect(logging.Handler):
    """The problems of a build; with `echo`, every message as the mkdocs command prints it."""

    def __init__(self, echo: Callable[[str], None] | None) -> None:
        super().__init__(logging.INFO if echo else logging.WARNING)
        self.echo = echo
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if self.echo is not None:
            self.echo(f"{record.levelname:<8}-  {text}\n")
        # MkDocs logs "Error reading page 'x':" before the real message; only the message helps.
        if record.levelno >= logging.WARNING and not text.endswith(":"):
            self.problems.append(f"{record.levelname}: {text}")


@contextmanager
def _collected(echo: Callable[[str], None] | None) -> Iterator[_Collect]:
    handler = _Collect(echo)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    if echo is not None:
        logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def render(
    prepared: stages.Prepared, out_dir: Path, echo: Callable[[str], None] | None = None
) -> None:
    # Material 9.8 prints its end-of-life notice when imported; amid apifit's output it reads as
    # a build problem, and How this site works says what the project does about it.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(prepared.project.config_file), site_dir=str(out_dir), strict=True)
    # As the mkdocs CLI does; the plugin instance is kept across load_config calls.
    config.plugins.on_startup(command="build", dirty=False)
    plugin = config.plugins.get("apifit")
    if isinstance(plugin, ApifitPlugin):
        plugin.drive(prepared)
    try:
        with _collected(echo) as collected:
            try:
                build(config)
            except MkDocsException as exc:
                raise RenderFailed(collected.problems or [str(exc)]) from None
    finally:
        if isinstance(plugin, ApifitPlugin):
            plugin.drive(None)
        config.plugins.on_shutdown()


def _reporter(plugin: ApifitPlugin | None) -> Callable[[MacroError], None]:
    """A strict build fails on every macro error (each logged with its line); a preview only
    notes them, as the page shows each in place, so that it keeps serving."""

    def report(error: MacroError) -> None:
        if plugin is not None and plugin.serving:
            log.info("%s", error)
        else:
            log.error("%s", error)

    return report


def macro_context(env: Any) -> MacroContext:
    config = env.conf
    found = config.plugins.get("apifit")
    plugin = found if isinstance(found, ApifitPlugin) else None
    if plugin is not None and plugin.prepared is not None:
        site = plugin.prepared.site
    else:
        # A site that uses the macros without the plugin (no screenshots): derived here.
        project = stages.Project(
            Path(config.config_file_path).resolve(), Path(config.docs_dir), stages.ImageOptions()
        )
        try:
            site = stages.derive(project, stages.obtain_archive(project))
        except ApifitError as exc:
            # MkDocs prints a PluginError as one line instead of a traceback.
            raise PluginError(str(exc)) from exc
    return MacroContext(site, lambda: str(env.page.file.src_uri), _reporter(plugin))
