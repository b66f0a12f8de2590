"""Ctrl-C and SIGTERM during a live run: stop cleanly, never halfway through replacing files.

While `interruptible` is active, SIGINT and SIGTERM raise `Interrupted` in the main thread, as
Ctrl-C raises KeyboardInterrupt (it is one, so asyncio and httpx unwind for it as they do for
Ctrl-C). Inside `held`, both are blocked at the OS level and take effect when the block ends,
so a group of renames is either not started or finished. SIGKILL cannot be caught: what it
leaves is cleaned up by the next run (see `cassettes.staged`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

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


def _raise(signum: int, _: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted while the block runs (main thread only)."""
    previous = {signum: signal.signal(signum, _raise) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block has run; one that arrived meanwhile is raised
    as Interrupted(finished=True) when it ends without an error of its own."""
    arrived: list[int] = []
    # Handlers that only note the signal, not a signal mask: a mask holds signals for the
    # calling thread alone, the kernel gives a process's signal to any thread that does not
    # mask it (asyncio's resolver threads, a server's), and Python then runs the handler in
    # the main thread at once, in the middle of the block.
    previous = {
        signum: signal.signal(signum, lambda signum, _frame: arrived.append(signum))
        for signum in SIGNALS
    }
    try:
        yield
    except BaseException:
        _restore(previous)
        if arrived:
            raise Interrupted(arrived[0]) from None
        raise
    _restore(previous)
    if arrived:
        raise Interrupted(arrived[0], finished=True)


def _restore(handlers: Mapping[signal.Signals, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
