"""`cassettes/history.jsonl`: one line per check per live run, appended, never rewritten.

Cassettes and `attempts.json` keep only the latest evidence; this file keeps every result,
so a page can say since when a check passes. Each run's lines go to the file in one `write`
on a descriptor opened with O_APPEND, so concurrent runs never interleave and a crash leaves
at worst one half-written last line. Such a line (or any other that is not a history line) is
reported with its file and line number and skipped; the lines around it still count.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from apifit.checks.cassettes import Attempt, Provenance, cassette_path
from apifit.checks.faults import Status
from apifit.checks.schema import CHECK_ID
from apifit.checks.scrub import Scrubber
from apifit.errors import InputError

HISTORY_FILE = "history.jsonl"


class Line(BaseModel):
    """One live result of one check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str = Field(pattern=CHECK_ID)
    status: Status
    reason: str = ""
    recorded_at: AwareDatetime  # a time without its zone could not be ordered with the others
    provenance: Provenance
    # sha256 of the cassette this run saved; None when the run saved none (it did not pass).
    cassette: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class History:
    """Every readable line, in file order, and a `file:line: problem` for each unreadable one."""

    lines: tuple[Line, ...] = ()
    problems: tuple[str, ...] = ()

    def of(self, check_id: str) -> list[Line]:
        """One check's results, oldest first."""
        return sorted((x for x in self.lines if x.check == check_id), key=lambda x: x.recorded_at)


def history_path(directory: Path) -> Path:
    return directory / HISTORY_FILE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lines_for(directory: Path, attempts: Mapping[str, Attempt]) -> list[Line]:
    """The history lines of a run's attempts; a passing one names the cassette it saved."""
    return [
        Line(
            check=check_id,
            status=attempt.status,
            reason=attempt.reason,
            recorded_at=attempt.at,
            provenance=attempt.provenance,
            cassette=_digest(cassette_path(directory, check_id))
            if attempt.status == Status.PASSED
            else None,
        )
        for check_id, attempt in sorted(attempts.items())
    ]


def append(directory: Path, lines: list[Line], scrubber: Scrubber) -> None:
    """Append `lines`, scrubbed, in one write; a torn last line is closed first, so it stays
    one reported line instead of swallowing the first new one."""
    if not lines:
        return
    # The reason is free text (it may quote an answer); the rest are values the scrubber
    # replaces whole, so the line stays valid JSON.
    text = "".join(
        scrubber.text(
            line.model_copy(update={"reason": scrubber.message(line.reason)}).model_dump_json()
        )
        + "\n"
        for line in lines
    )
    path = history_path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and not _ends_with_newline(path, size):
            text = "\n" + text
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def append_attempts(directory: Path, attempts: Mapping[str, Attempt], scrubber: Scrubber) -> None:
    """The runner's hook: note every attempt of a live run (after its cassettes are written)."""
    append(directory, lines_for(directory, attempts), scrubber)


def _ends_with_newline(path: Path, size: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(size - 1)
        return handle.read(1) == b"\n"


def read_history(directory: Path) -> History:
    """The history next to the cassettes; an absent file is an empty history."""
    path = history_path(directory)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return History()
    lines: list[Line] = []
    problems: list[str] = []
    for number, data in enumerate(raw.split(b"\n"), 1):
        if not data.strip():
            continue
        try:
            lines.append(Line.model_validate_json(data))
        except ValidationError as exc:
            problem = _first_error(exc)
            error = InputError(path, "(history line)", f"{problem}; ignored", line=number)
            problems.append(str(error))
    return History(tuple(lines), tuple(problems))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
