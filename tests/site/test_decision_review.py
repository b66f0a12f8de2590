"""End to end: when a check that ADR 0001 rests on turns failed, the site flags the decision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tiktok_replica import copy_project

from apifit.checks.cassettes import Attempt, Evidence, write_attempts
from apifit.checks.faults import Status
from apifit.site.pipeline import build

PREMISE = "research-query-without-token"
FLAG = "Needs re-review"


@pytest.fixture
def project(
    tmp_path: Path, shared_imgs: Path, image_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the real project, sharing the warm derivative cache."""
    monkeypatch.setenv("APIFIT_IMGS_SOURCE", str(shared_imgs))
    monkeypatch.setenv("APIFIT_CACHE_DIR", str(image_cache))
    return copy_project(tmp_path / "project")


def _pages(project: Path) -> tuple[str, str]:
    build(project / "mkdocs.yml", project / "site")
    site = project / "site"
    record = site / "decisions" / "0001-no-tiktok-api-for-scraping" / "index.html"
    return (site / "index.html").read_text(), record.read_text()


def test_a_failed_premise_check_flags_the_decision_on_home_and_record(project: Path) -> None:
    # A synthetic attempt in a temporary copy: the shipped project holds no recordings.
    failed = Attempt(
        at=datetime.now(UTC),
        status=Status.FAILED,
        reason="status 200, expected 401",
        provenance="local",
        evidence=Evidence(request_line="POST /v2/research/video/query/", status=200),
    )
    write_attempts(project / "cassettes", {PREMISE: failed})
    home, record = _pages(project)
    assert FLAG in home
    assert FLAG in record
    # Flagged, not changed: the record keeps its status until people review it.
    assert "Status: accepted" in record


def test_no_failed_premise_leaves_the_decision_unflagged(project: Path) -> None:
    home, record = _pages(project)
    assert FLAG not in home
    assert FLAG not in record
