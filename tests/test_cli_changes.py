"""`apifit changes`: the What changed list in a terminal, newest first, and as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from checkserver import check, write_checks

from apifit.checks.history import HISTORY_FILE
from apifit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_json_lists_the_re_review_and_every_pinned_terms_version_newest_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["changes", "--json", "--root", str(ROOT)]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    dates = [c["date"] for c in changes]
    assert dates == sorted(dates, reverse=True)
    assert changes[0]["id"] == "review/0001/2026-11-27"
    assert sum(c["kind"] == "terms version" for c in changes) == 6


def test_the_text_list_starts_with_the_newest_change(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--root", str(ROOT)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "2026-11-27  re-review  ADR 0001 re-reviewed: decision stands"


def test_a_truncated_history_line_is_named_on_stderr_with_its_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    write_checks(tmp_path, [check("c", "https://example.test/")])
    history = tmp_path / "cassettes" / HISTORY_FILE
    good = '{"check": "c", "status": "passed", "recorded_at": "2026-11-02T05:17:00Z", '
    history.write_text(good + '"provenance": "ci"}\n{"check": "c", "sta')
    assert main(["changes", "--root", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert f"apifit: warning: {history}:2: (history line): " in captured.err
    assert "Check c: first live result, passed" in captured.out
