"""The Zensical engine (experimental): `zensical.build()` renders a prepared build.

Zensical reads mkdocs.yml and runs mkdocs-macros' modules and glightbox itself, but no
other plugin: it never runs the apifit plugin. So apifit.site.pipeline runs every stage around it,
and this adapter gives Zensical a copy of mkdocs.yml that adds this module as a Markdown
extension, which rewrites the screenshots after the macros as the plugin does under MkDocs. A plain
`zensical build` stops at the first macro, saying so.

Zensical treats its config file's folder as the project and `.cache/` there as its own: it
reuses pages rendered earlier (ours depend on recordings and on today's date, which it cannot
see) and its clean build empties all of `.cache/`, apifit's screenshot cache included. So it
renders in a scratch folder holding a copy of the pages, with a fresh cache every time.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import yaml
import zensical
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import yaml_load
from zensical.extensions.context import ContextPreprocessor

from apifit.errors import ApifitError, InputError
from apifit.evidence.changes import CHANGES_PAGE
from apifit.site import stages
from apifit.site.engines import RenderFailed
from apifit.site.feed import FEED_FILE, site_feed
from apifit.site.macro_errors import MacroError
from apifit.site.macros import MacroContext, finish_page
from apifit.site.stages import Prepared

# The build being rendered: Zensical calls back into this process for each page, and neither
# its macros environment nor a Markdown extension's options can carry Python objects.
_rendering: Prepared | None = None
# The macros' mistakes: each page shows its own in place, and the build fails on any.
_mistakes: list[MacroError | InputError] = []
# Each rendered page's macros environment, by source path, for the page's end (finish_page).
_environments: dict[str, Any] = {}
# After mkdocs-macros' preprocessor (35): a macro may emit screenshot Markdown.
_PRIORITY = 30
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_HEADING = re.compile(r"^(?P<level>Warning|Error): (?P<text>.+)$")
_WHERE = re.compile(r"\[ (?P<file>[^\s:]+):(?P<line>\d+):\d+ \]")
_RAISED = re.compile(r"^Python error: \w+: (?P<text>.*)$")


class NotDriven(ApifitError):
    """Zensical was run directly, so no apifit stage ran: refuse rather than publish that."""


def _config(prepared: Prepared) -> dict[str, Any]:
    project = prepared.project
    config = dict(yaml_load(project.config_file.read_text(encoding="utf-8")))
    config.update(docs_dir="docs", site_dir="site")
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(project.root / theme["custom_dir"])
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), __name__]
    return config


def _problems(exc: Exception, output: str, docs: str) -> list[str]:
    """One line per problem, as the MkDocs engine reports them."""
    problems = []
    # Zensical prints each warning or error to stderr, drawn for a terminal: a heading, then
    # the source location in brackets.
    lines = [_ANSI.sub("", line) for line in output.splitlines()]
    for number, line in enumerate(lines):
        if heading := _HEADING.match(line):
            where = next((m for m in map(_WHERE.search, lines[number + 1 :]) if m), None)
            place = f"{docs}/{where['file']}:{where['line']}: " if where else ""
            problems.append(f"{heading['level'].upper()}: {place}{heading['text']}")
    # A Python error raised while rendering comes back as "Python error: Type: message".
    first = str(exc).splitlines()[0] if str(exc) else repr(exc)
    raised = _RAISED.match(first)
    if raised or not problems:
        problems.append(f"ERROR: {raised['text'] if raised else first}")
    return problems


@contextmanager
def _terminal_captured() -> Iterator[IO[bytes]]:
    """What Zensical (Rust, writing to the file descriptors) prints, kept for the message."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as out:
        try:
            for fd in (1, 2):
                os.dup2(out.fileno(), fd)
            yield out
        finally:
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)


def _feed(prepared: Prepared, config: dict[str, Any], docs: Path) -> None:
    # As the plugin does under MkDocs: the feed is a file of the site, so links to it resolve.
    if not (docs / CHANGES_PAGE).is_file():
        return
    content = site_feed(
        prepared.site,
        site_name=str(config["site_name"]),
        site_url=str(config.get("site_url") or ""),
        page_url=CHANGES_PAGE.removesuffix(".md") + "/",
    )
    (docs / FEED_FILE).write_bytes(content)


def render(prepared: Prepared, out_dir: Path, echo: Callable[[str], None] | None = None) -> None:
    global _rendering
    scratch = Path(tempfile.mkdtemp(prefix="apifit-zensical-"))
    try:
        shutil.copytree(prepared.project.docs_dir, scratch / "docs")
        config = _config(prepared)
        _feed(prepared, config, scratch / "docs")
        config_file = scratch / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        _rendering = prepared
        _mistakes.clear()
        _environments.clear()
        with _terminal_captured() as output:
            try:
                zensical.build(str(config_file), {"strict": True, "clean": True})
                failed: Exception | None = None
            except Exception as exc:  # Zensical raises RuntimeError, whatever went wrong.
                failed = exc
            output.seek(0)
            printed = output.read().decode("utf-8", errors="replace")
        if echo is not None:
            echo(printed)
        docs = prepared.project.docs_dir.name
        problems = _problems(failed, printed, docs) if failed is not None else []
        problems += [f"ERROR: {mistake}" for mistake in _mistakes]
        if problems:
            raise RenderFailed(problems)
        for entry in (scratch / "site").iterdir():
            shutil.move(entry, out_dir / entry.name)
    finally:
        _rendering = None
        _mistakes.clear()
        _environments.clear()
        shutil.rmtree(scratch, ignore_errors=True)


def _current() -> Prepared:
    if _rendering is None:
        raise NotDriven(
            "zensical build runs none of apifit's stages (validation, screenshots, archived "
            "copies, secret scan): build with `apifit build --engine zensical`"
        )
    return _rendering


def macro_context(env: Any) -> MacroContext:
    # Zensical builds a fresh environment for each page, with that page as `env.page`.
    page = env.page
    _environments[page.path] = env
    return MacroContext(_current().site, lambda: str(page.path), _mistakes.append)


class _Screenshots(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context = ContextPreprocessor.from_markdown(self.md)
        if context is None:
            return lines
        prepared = _current()
        page = context.page
        source = (prepared.project.docs_dir / page.path).read_text(encoding="utf-8")
        text = "\n".join(lines)
        # As mkdocs-macros' page hook does: a page whose macros ran ends with its sources.
        env = _environments.pop(page.path, None)
        if env is not None:
            text = finish_page(env.apifit_citations, page.path, text)
        text = stages.page_markdown(
            prepared,
            f"{prepared.project.docs_dir.name}/{page.path}",
            text,
            # Zensical has taken the front matter off, as MkDocs does.
            first_line=stages.body_line(source, get_data(source)[0]),
            # Relative to the Markdown file: Zensical rewrites the URLs in a page's HTML as it
            # does a Markdown link's (MkDocs leaves raw HTML alone, so the plugin gives page URLs).
            url=lambda path: get_relative_url(path, page.path),
            strict=True,
            note=_mistakes.append,
        )
        return text.split("\n")


class _Extension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Screenshots(md), "apifit_screenshots", _PRIORITY)


def makeExtension(**kwargs: Any) -> Extension:
    return _Extension(**kwargs)
