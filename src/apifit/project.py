"""Where the project is: the nearest directory, upward from here, holding `mkdocs.yml`.

As git finds its repository from any subdirectory, so does apifit: `apifit check` run in
`docs/` must not look for `docs/checks/` (pytest then said only "exit code 4").
"""

from __future__ import annotations

from pathlib import Path

from apifit.errors import InputError

MARKER = "mkdocs.yml"


def find_root(start: Path) -> Path:
    """The nearest of `start` and its parents that holds mkdocs.yml."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / MARKER).is_file():
            return directory
    raise InputError(
        start,
        "(project)",
        f"no {MARKER} here or in any parent directory",
        fix="run apifit inside the project, or give --root",
    )
