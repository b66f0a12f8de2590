from __future__ import annotations

import json
from pathlib import Path

import pytest

from apifit.checks.statusdiff import Change, changes, load_statuses, main
from apifit.errors import InputError


def _report(path: Path, statuses: dict[str, str]) -> Path:
    checks = [{"id": i, "status": s, "claim": "..."} for i, s in statuses.items()]
    path.write_text(json.dumps({"summary": "", "checks": checks}))
    return path


def test_unchanged_statuses_give_no_change() -> None:
    assert changes({"a": "passed"}, {"a": "passed"}) == []


def test_a_changed_status_is_reported_with_both_sides() -> None:
    assert changes({"a": "passed", "b": "passed"}, {"a": "failed", "b": "passed"}) == [
        Change("a", "passed", "failed")
    ]


def test_a_new_check_counts_as_a_change() -> None:
    assert changes({}, {"a": "not recorded"}) == [Change("a", None, "not recorded")]


def test_outputs_say_changed_and_turned_failed(tmp_path: Path) -> None:
    before = _report(tmp_path / "before.json", {"a": "passed", "b": "inconclusive"})
    after = _report(tmp_path / "after.json", {"a": "failed", "b": "passed"})
    out, failed = tmp_path / "out", tmp_path / "failed.md"
    assert (
        main([str(before), str(after), "--github-output", str(out), "--turned-failed", str(failed)])
        == 0
    )
    assert out.read_text() == "changed=true\nturned_failed=true\n"
    assert "`a` | passed | failed" in failed.read_text()
    assert "`b`" not in failed.read_text()


def test_no_change_opens_nothing(tmp_path: Path) -> None:
    report = _report(tmp_path / "r.json", {"a": "passed"})
    out = tmp_path / "out"
    main([str(report), str(report), "--github-output", str(out)])
    assert out.read_text() == "changed=false\nturned_failed=false\n"


def test_a_report_that_is_not_json_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("apifit: error: boom")
    with pytest.raises(InputError, match=r"bad.json:1: \(json\): not JSON"):
        load_statuses(bad)


def test_a_report_without_checks_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    with pytest.raises(InputError, match=r"bad.json: checks: expected a list of checks"):
        load_statuses(bad)
