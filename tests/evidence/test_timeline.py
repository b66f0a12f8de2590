"""A check's timeline: since when, from live history or from every pinned archived version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from apifit.checks.faults import Status
from apifit.checks.history import History, Line
from apifit.checks.schema import load_checks
from apifit.evidence.archive import Archive, load_archive
from apifit.evidence.timeline import Timelines
from apifit.site.timeline_views import NO_LIVE, archived_text, live_text

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 2, 5, 17, tzinfo=UTC)


@pytest.fixture(scope="module")
def archive() -> Archive:
    found = load_archive(ROOT, download=False)
    assert found is not None
    return found


def _timelines(archive: Archive, *statuses: Status) -> Timelines:
    lines = tuple(
        Line(
            check="token-invalid-client",
            status=s,
            recorded_at=T0 + timedelta(days=7 * i),
            provenance="ci",
        )
        for i, s in enumerate(statuses)
    )
    return Timelines.load(load_checks(ROOT / "checks"), History(lines), archive)


def test_a_check_never_recorded_live_says_so(archive: Archive) -> None:
    timeline = _timelines(archive).live["token-invalid-client"]
    assert timeline.since is None
    assert live_text(timeline).startswith(NO_LIVE)


def test_since_is_the_start_of_the_latest_unbroken_run(archive: Archive) -> None:
    timeline = _timelines(archive, Status.PASSED, Status.FAILED, Status.PASSED, Status.PASSED).live[
        "token-invalid-client"
    ]
    shown = live_text(timeline)
    assert shown.startswith("passed since 2026-11-16 (live run in CI); last 4: ")
    assert shown.endswith("first recorded 2026-11-02, last 2026-11-23")


def test_only_the_last_ten_results_are_drawn(archive: Archive) -> None:
    timeline = _timelines(archive, *[Status.PASSED] * 12).live["token-invalid-client"]
    shown = live_text(timeline)
    assert "last 10: " in shown and shown.count('role="img"') == 10
    assert shown.startswith("passed since 2026-11-02")


def test_the_us_terms_clause_holds_since_the_version_of_2026_01_22(archive: Archive) -> None:
    timeline = _timelines(archive).archived["tos-us-scraping-clause"]
    assert [p.status for p in timeline.points] == [Status.FAILED, Status.PASSED, Status.PASSED]
    assert archived_text(timeline).startswith("holds since the version of 2026-01-22; ")


def test_a_clause_in_every_pinned_version_says_so(archive: Archive) -> None:
    timeline = _timelines(archive).archived["developer-terms-automated-means"]
    assert archived_text(timeline).startswith(
        "holds in every pinned version, from the version of 2024-03-21; "
    )


def test_checks_without_an_archived_document_have_no_archived_timeline(archive: Archive) -> None:
    assert "token-invalid-client" not in _timelines(archive).archived
