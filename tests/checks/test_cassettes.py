"""A run's files on disk: moved into place together, or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from apifit.checks.cassettes import STAGING_PREFIX, staged
from apifit.checks.interrupts import Interrupted, interruptible


def _project(tmp_path: Path) -> Path:
    directory = tmp_path / "cassettes"
    directory.mkdir()
    (directory / "a.yaml").write_text("old a")
    (directory / "b.yaml").write_text("old b")
    return directory


def _contents(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in directory.iterdir()}


def test_staged_files_replace_theirs_together_and_leave_nothing_behind(tmp_path: Path) -> None:
    directory = _project(tmp_path)
    with staged(directory) as stage:
        stage.write(directory / "a.yaml", b"new a")
        stage.write(directory / "c.yaml", b"new c")
        assert (directory / "a.yaml").read_text() == "old a"
        assert not (directory / "c.yaml").exists()
    assert _contents(directory) == {"a.yaml": "new a", "b.yaml": "old b", "c.yaml": "new c"}


def test_an_error_while_staging_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    directory = _project(tmp_path)
    with pytest.raises(RuntimeError), staged(directory) as stage:
        stage.write(directory / "a.yaml", b"new a")
        raise RuntimeError("the run broke")
    assert _contents(directory) == {"a.yaml": "old a", "b.yaml": "old b"}


def test_sigterm_while_files_move_into_place_lets_all_of_them_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _project(tmp_path)
    replace = os.replace

    def replace_then_signal(source: Path, target: Path) -> None:
        replace(source, target)
        os.kill(os.getpid(), signal.SIGTERM)

    with interruptible(), pytest.raises(Interrupted) as stopped, staged(directory) as stage:
        stage.write(directory / "a.yaml", b"new a")
        stage.write(directory / "b.yaml", b"new b")
        stage.then(lambda: (directory / "history.jsonl").write_text("both written\n"))
        monkeypatch.setattr(os, "replace", replace_then_signal)
    assert stopped.value.finished
    assert _contents(directory) == {
        "a.yaml": "new a",
        "b.yaml": "new b",
        "history.jsonl": "both written\n",
    }


def test_what_a_killed_run_left_staged_is_removed_by_the_next_run(tmp_path: Path) -> None:
    directory = _project(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    abandoned = directory / f"{STAGING_PREFIX}{dead.stdout.strip()}"
    running = directory / f"{STAGING_PREFIX}{os.getppid()}"
    for root in (abandoned, running):
        root.mkdir()
        (root / "0.tmp").write_text("half a cassette")
    with staged(directory):
        pass
    assert not abandoned.exists()
    assert (running / "0.tmp").exists(), "another live run's staging is left alone"
