"""Ctrl-C and SIGTERM during a live run: stop cleanly, never halfway through replacing files.

While `interruptible` is active, SIGINT and SIGTERM raise `Interrupted` in the main thread, as
Ctrl-C raises KeyboardInterrupt (it is one, so asyncio and httpx unwind for it as they do for
Ctrl-C). Inside `held`, both are blocked at the OS level and take effect when the block ends,
so a group of renames is either not started or finished. SIGKILL cannot be caught: what it
leaves is cleaned up by the next run (see `cassettes.staged`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
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
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    finished = False
    try:
        yield
        finished = True
    finally:
        try:
            # A held signal's handler runs as the mask is lifted.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        except Interrupted as stop:
            raise Interrupted(stop.signum, finished=finished) from None
