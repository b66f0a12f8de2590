"""What can go wrong, one class per failure, grouped by family (after httpx's _exceptions).

ApifitError
├── InputError          a file the user wrote is wrong (file, line, field, fix)
│   ├── InputErrors     several of them in one file, each on its own line
│   └── UnknownIdError  it names an id nothing defines (the fix lists the known ones)
└── IntegrityError      data we obtained is not what was pinned or promised
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from apifit.suggest import known_ids


class ApifitError(Exception):
    """Base class: every error apifit raises on purpose is one of these."""


class InputError(ApifitError):
    """A file the user wrote is wrong: the message names file, line, field and the fix."""

    def __init__(
        self,
        path: str | Path,
        field: str,
        problem: str,
        *,
        fix: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = str(path)
        self.field = field
        self.problem = problem
        self.fix = fix
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        text = f"{where}: {self.field}: {self.problem}"
        return f"{text} ({self.fix})" if self.fix else text


class InputErrors(InputError):
    """Several mistakes in one file, all reported at once (one line each); the first one's
    fields stand for the whole."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.field, first.problem, fix=first.fix, line=first.line)

    def __str__(self) -> str:
        return "\n".join(InputError.__str__(error) for error in self.errors)


class UnknownIdError(InputError):
    """A page or file names an id that nothing defines: the fix lists the ids that exist and
    the one it most likely misspells."""

    def __init__(
        self,
        path: str | Path,
        field: str,
        kind: str,
        key: str,
        known: Iterable[str],
        *,
        line: int | None = None,
    ) -> None:
        self.kind = kind
        self.key = key
        super().__init__(path, field, f"unknown {kind} id", fix=known_ids(key, known), line=line)


class IntegrityError(ApifitError):
    """Obtained data does not match what was pinned (hash, size, secrets scan)."""
