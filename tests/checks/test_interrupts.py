"""Ctrl-C, SIGTERM and SIGKILL during `apifit record`: the files are as before the run, or all
replaced by the finished run, and nothing is left that a later run or build trips over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from checkserver import Gate, check, gated_server, write_checks

from apifit.checks.interrupts import Interrupted, held, interruptible
from apifit.cli import main


def test_a_signal_inside_held_takes_effect_once_the_block_has_run() -> None:
    ran = []
    # Another thread, as asyncio's DNS workers are during a run: the kernel may hand it the
    # signal, so holding must not rely on the main thread's signal mask.
    done = threading.Event()
    threading.Thread(target=done.wait, daemon=True).start()
    with interruptible(), pytest.raises(Interrupted) as stopped, held():
        os.kill(os.getpid(), signal.SIGTERM)
        ran.append("after the signal")
    done.set()
    assert ran == ["after the signal"]
    assert (stopped.value.finished, stopped.value.exit_code) == (True, 143)


def test_sigint_interrupts_at_once_with_exit_code_130_and_handlers_are_restored() -> None:
    with pytest.raises(Interrupted) as stopped, interruptible():
        os.kill(os.getpid(), signal.SIGINT)
    assert (stopped.value.finished, stopped.value.exit_code) == (False, 130)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _recorded_project(root: Path, gate: Gate) -> dict[str, bytes]:
    """A project whose checks were recorded once; its cassettes' bytes."""
    checks = [check("fast", f"{gate.base}/fast"), check("slow", f"{gate.base}/slow/1")]
    write_checks(root, checks)
    gate.opened.set()
    assert main(["record", "--root", str(root)]) == 0
    gate.opened.clear()
    gate.arrived.clear()
    return _files(root / "cassettes")


def _files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*")
            if p.is_file()}  # fmt: skip


def _record_until(root: Path, gate: Gate, signum: int) -> subprocess.CompletedProcess[str]:
    """Run `apifit record` in a process of its own; send `signum` while it waits for `slow`."""
    command = [sys.executable, "-m", "apifit.cli", "record", "--root", str(root)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as p:
        assert gate.arrived.wait(60), "the run never reached the slow check"
        p.send_signal(signum)
        out, err = p.communicate(timeout=60)
    return subprocess.CompletedProcess(command, p.returncode, out, err)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_mid_run_keeps_every_file_and_says_so(
    tmp_path: Path, signum: int, code: int
) -> None:
    with gated_server() as gate:
        before = _recorded_project(tmp_path, gate)
        done = _record_until(tmp_path, gate, signum)
    assert done.returncode == code, done.stderr
    assert done.stderr == (
        f"apifit: interrupted ({signal.Signals(signum).name}): nothing was saved; "
        "cassettes, attempts and history are as they were\n"
    )
    assert _files(tmp_path / "cassettes") == before


def test_sigkill_mid_run_leaves_the_files_as_they_were_and_nothing_else(tmp_path: Path) -> None:
    with gated_server() as gate:
        before = _recorded_project(tmp_path, gate)
        done = _record_until(tmp_path, gate, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    assert _files(tmp_path / "cassettes") == before
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert main(["scan", "--root", str(tmp_path)]) == 0
