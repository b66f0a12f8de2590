"""Ctrl-C and SIGTERM during a live run: stop cleanly, never halfway through replacing files.

While `interruptible` is active, SIGINT and SIGTERM raise `Interrupted` in the main thread, as
Ctrl-C raises KeyboardInterrupt (it is one, so asyncio and httpx unwind for it as they do for
Ctrl-C). Inside `held`, a signal is noted and raised when the block ends, so a group of renames
is either not started or finished. (Blocking the signals at the OS level would not do: the
kernel hands a process's signal to any thread that does not block it, such as asyncio's DNS
workers, and Python then runs the handler in the main thread at once.) SIGKILL cannot be
caught: what it leaves is cleaned up by the next run (see `cassettes.staged`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; `finished`: the run's files had all been written by then."""

    def __init__(self, signum: int, *, finished: bool = False) -> None:
        self.signum = signum
        self.finished = finished
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """As a shell reports a process ended by the signal: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


@dataclass
class _State:
    holding: bool = False
    held: int | None = None
    finished: bool = False


# Python runs signal handlers in the main thread only, between two bytecodes of it.
_state = _State()


def _raise(signum: int, _: FrameType | None) -> None:
    if _state.holding:
        _state.held = _state.held or signum
        return
    raise Interrupted(signum, finished=_state.finished)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted while the block runs (main thread only)."""
    global _state
    _state = _State()
    previous = {signum: signal.signal(signum, _raise) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block has run; one that arrived meanwhile is raised
    then. A block that ran to its end marks the run's files as all written (`finished`)."""
    _state.holding = True
    try:
        yield
        _state.finished = True
    finally:
        _state.holding = False
        signum, _state.held = _state.held, None
        if signum is not None:
            raise Interrupted(signum, finished=_state.finished)
