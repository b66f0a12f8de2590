"""A macro's mistake as one line naming page, line, call and fix, never a traceback.

mkdocs-macros turns an exception raised in a macro into a 40-line traceback and ends the dev
server (`on_error_fail`), or into "Macro Rendering Error" without page, id or fix. So apifit's
macros do not raise: `guarded` turns each mistake into a `MacroError`
(`docs/page.md:7: check("no-such-id"): unknown check id (known ids: ...; did you mean ...?)`),
hands it to a reporter and puts it on the page in place of the macro's output.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apifit.errors import ApifitError, InputError


@dataclass(frozen=True)
class MacroError:
    """One failed macro call on one page."""

    page: str  # as the maintainer finds it, e.g. docs/tiktok/terms.md
    line: int | None
    call: str  # e.g. check("no-such-id")
    problem: str  # e.g. unknown check id (known ids: ...)

    def __str__(self) -> str:
        where = self.page if self.line is None else f"{self.page}:{self.line}"
        return f"{where}: {self.call}: {self.problem}"

    @property
    def markdown(self) -> str:
        """What the page shows instead of the macro's output (inline, so it fits a table cell)."""
        text = str(self).replace("`", "'")
        return f"**Macro error:** `{text}`"


def call_text(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """The call as the page writes it: `check("no-such-id")`."""
    shown = [json.dumps(a) if isinstance(a, str) else repr(a) for a in args]
    shown += [f"{k}={json.dumps(v) if isinstance(v, str) else repr(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def line_of(source: str, name: str, args: tuple[Any, ...]) -> int | None:
    """The line of `source` (the page file, front matter included) that makes this call."""
    pattern = rf"\b{re.escape(name)}\(\s*"
    if args and isinstance(args[0], str):
        pattern += rf"(['\"]){re.escape(args[0])}\1"
    found = re.search(pattern, source)
    return None if found is None else source.count("\n", 0, found.start()) + 1


def _problem(exc: ApifitError) -> str:
    # The page and the call are said once, in front; an InputError's own path and field are them.
    if isinstance(exc, InputError):
        return f"{exc.problem} ({exc.fix})" if exc.fix else exc.problem
    return str(exc)


def guarded(
    macro: Callable[..., str],
    page_file: Callable[[], tuple[str, Path]],
    report: Callable[[MacroError], None],
) -> Callable[..., str]:
    """`macro`, reporting its mistakes instead of raising them.

    `page_file` gives the page being rendered: its name as shown and its file on disk.
    """
    signature = inspect.signature(macro)
    name = macro.__name__

    @functools.wraps(macro)
    def safe(*args: Any, **kwargs: Any) -> str:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            problem = f"{exc} (write it as {name}({', '.join(signature.parameters)}))"
            return _fail(name, args, kwargs, problem)
        try:
            return macro(*args, **kwargs)
        except ApifitError as exc:
            return _fail(name, args, kwargs, _problem(exc))

    def _fail(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], problem: str) -> str:
        shown, path = page_file()
        try:
            line = line_of(path.read_text(encoding="utf-8"), name, args)
        except OSError:
            line = None
        error = MacroError(shown, line, call_text(name, args, kwargs), problem)
        report(error)
        return error.markdown

    return safe
