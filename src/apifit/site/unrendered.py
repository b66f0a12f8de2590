"""Macro syntax left in a page after the macros ran: the page was not rendered, so a reader
would see `{{ check("id") }}` as text (pages render only with `render_macros: true`).

Code (fenced blocks and backtick spans) is skipped, so pages can show the syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from apifit.errors import InputError
from apifit.images.markdown import CODE_SPAN, outside_fences

# `{{ ... }}` and `{% ... %}`; `{#` is left out, as attr_list writes ids as `{#id}`.
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
FIX = (
    'add "render_macros: true" to the page\'s front matter, or write it in backticks to show it '
    "as code"
)


def _outside_code(markdown: str) -> Iterator[tuple[int, str]]:
    for index, line in outside_fences(markdown.splitlines()):
        yield index, CODE_SPAN.sub("", line)


def leftovers(page: str, markdown: str, first_line: int = 1) -> list[InputError]:
    """One error per piece of macro syntax in `markdown` (the page's Markdown after the macros
    ran; `first_line` is the file's line it starts on)."""
    return [
        InputError(page, found.group(0), "macro syntax on a page that is not rendered", fix=FIX,
                   line=first_line + index)
        for index, text in _outside_code(markdown)
        for found in MACRO.finditer(text)
    ]  # fmt: skip
