"""What can go wrong, one class per failure, grouped by family (after httpx's _exceptions).

ApifitError
├── InputError          a file the user wrote is wrong (file, line, field, fix)
└── IntegrityError      data we obtained is not what was pinned or promised
"""

from __future__ import annotations

from pathlib import Path


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


class IntegrityError(ApifitError):
    """Obtained data does not match what was pinned (hash, size, secrets scan)."""
