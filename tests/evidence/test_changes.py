"""What changed: check status changes from the history, re-reviews and pinned terms versions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from history_support import PREMISE, RUNS, record_flips
from pytest_httpserver import HTTPServer

from apifit.checks.faults import Status
from apifit.checks.history import History
from apifit.evidence.archive import load_archive
from apifit.evidence.assessments import load_catalog
from apifit.evidence.changes import ChangeLog, ClauseState, Kind, clause_state, moved, text, to_json
from apifit.site.changes_views import moves, page_body

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> ChangeLog:
    """Three recordings of a premise check (passed, failed, passed), no archive."""
    record_flips(tmp_path, httpserver, monkeypatch)
    return ChangeLog.load(tmp_path, ROOT / "docs", load_catalog(ROOT / "assessments"), None)


def test_the_timeline_says_passing_since_the_flip_back(log: ChangeLog) -> None:
    timeline = log.timelines.live[PREMISE]
    assert [p.status for p in timeline.points] == [Status.PASSED, Status.FAILED, Status.PASSED]
    assert timeline.since is not None
    assert timeline.since.at == RUNS[2][0]


def test_each_status_change_is_an_entry_newest_first(log: ChangeLog) -> None:
    checks = [c for c in log.changes if c.kind == Kind.CHECK]
    assert [(c.title, c.at) for c in checks] == [
        (f"Check {PREMISE}: failed → passed", RUNS[2][0]),
        (f"Check {PREMISE}: passed → failed", RUNS[1][0]),
        (f"Check {PREMISE}: first live result, passed", RUNS[0][0]),
    ]
    assert all(c.decisions == ("0001",) and c.checks == (PREMISE,) for c in checks)
    assert "Reason: HTTP 200, expected 401" in checks[1].details[1]


def test_the_page_has_an_anchored_entry_per_change_linking_the_decision(log: ChangeLog) -> None:
    body = page_body(log, "changes.md")
    for change in log.changes:
        assert f"{{ #{change.anchor} }}" in body
    assert "[ADR 0001](decisions/0001-no-tiktok-api-for-scraping.md)" in body
    assert f"[{PREMISE}](checks.md#check-{PREMISE})" in body
    assert "3 check status changes" in body


def test_the_re_review_is_an_entry_linking_its_section(log: ChangeLog) -> None:
    [review] = [c for c in log.changes if c.kind == Kind.REVIEW]
    assert review.title == "ADR 0001 re-reviewed: decision stands"
    assert review.page == "decisions/0001-no-tiktok-api-for-scraping.md#review-2026-11-27"


def test_changes_after_the_last_re_review_count_as_moved_premises(log: ChangeLog) -> None:
    record = load_catalog(ROOT / "assessments").decisions["0001"]
    assert len(moved(record, log.changes)) == 3
    shown = moves(record, log.changes, "decisions/0001-no-tiktok-api-for-scraping.md")
    assert "last re-reviewed on 2026-11-27, 1 of its 10 premises changed" in shown
    assert "(../changes.md#change-check-research-query-without-token-2026-12-14" in shown


def test_the_json_and_text_lists_are_newest_first(log: ChangeLog) -> None:
    assert text(log.changes).startswith(f"2026-12-14  check status change  Check {PREMISE}")
    assert '"id": "check/research-query-without-token/2026-12-14T05:17:00+00:00"' in to_json(
        log.changes
    )


@pytest.mark.parametrize(
    ("before", "now", "state"),
    [
        (None, True, ClauseState.FIRST_HELD),
        (None, False, ClauseState.FIRST_ABSENT),
        (False, True, ClauseState.APPEARED),
        (True, True, ClauseState.UNCHANGED),
        (True, False, ClauseState.REMOVED),
        (False, False, ClauseState.ABSENT),
    ],
)
def test_a_clause_state_compares_a_version_with_the_one_before(
    before: bool | None, now: bool, state: ClauseState
) -> None:
    assert clause_state(before, now) == state


def test_the_pinned_us_terms_version_of_2026_says_which_quoted_clause_went() -> None:
    catalog = load_catalog(ROOT / "assessments")
    log = ChangeLog.load(ROOT, ROOT / "docs", catalog, load_archive(ROOT, download=False))
    [january] = [c for c in log.changes if c.key.startswith("terms/tos-us/16d56ff")]
    assert january.at.date().isoformat() == "2026-01-23"
    assert any(
        d.startswith("TikTok Terms of Service (US), section 3.4") and d.endswith(": appeared.")
        for d in january.details
    )
    assert any("November 2023 version" in d and d.endswith(": removed.") for d in january.details)
    assert "Check tos-us-scraping-clause: passed on this version (was failed)." in january.details
    assert january.checks == ("tos-us-scraping-clause",)


def test_unreadable_history_lines_are_named_on_the_page(log: ChangeLog) -> None:
    broken = dataclasses.replace(
        log, history=History(log.history.lines, ("cassettes/history.jsonl:4: (history line): x",))
    )
    body = page_body(broken, "changes.md")
    assert body.startswith('!!! warning "Unreadable history lines, ignored"')
    assert "`cassettes/history.jsonl:4: (history line): x`" in body
