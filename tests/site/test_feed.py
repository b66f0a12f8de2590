"""The Atom feed: parses as Atom, stable ids, each entry dated by its change, same bytes twice."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from checkserver import CANARY_KEY, check, write_checks
from history_support import PREMISE, RUNS, record_flips
from pytest_httpserver import HTTPServer

from apifit.checks.faults import Status
from apifit.checks.history import Line, append
from apifit.checks.scrub import Scrubber
from apifit.evidence.assessments import load_catalog
from apifit.evidence.changes import ChangeLog
from apifit.site import stages
from apifit.site.feed import atom, site_feed

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://fuzzy.example/decision/"


def _feed(root: Path) -> bytes:
    log = ChangeLog.load(root, ROOT / "docs", load_catalog(ROOT / "assessments"), None)
    return atom(log.changes, site_name="Fit", site_url=SITE, page_url="changes/")


@pytest.fixture
def project(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    record_flips(tmp_path, httpserver, monkeypatch)
    return tmp_path


def test_the_feed_parses_and_every_entry_has_id_updated_and_a_link_into_the_site(
    project: Path,
) -> None:
    parsed = feedparser.parse(_feed(project))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == 4  # three status changes and the ADR's re-review
    for entry in parsed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert entry.updated_parsed is not None
        assert entry.link.startswith(f"{SITE}changes/#change-")


def test_updated_is_each_changes_own_date_and_the_feeds_is_the_newest(project: Path) -> None:
    parsed = feedparser.parse(_feed(project))
    dates = [datetime(*e.updated_parsed[:6], tzinfo=UTC) for e in parsed.entries]
    assert dates[:3] == [when for when, _ in reversed(RUNS)]
    assert datetime(*parsed.feed.updated_parsed[:6], tzinfo=UTC) == RUNS[2][0]
    assert parsed.entries[0].title == f"Check {PREMISE}: failed → passed"


def test_a_rebuild_with_no_new_change_writes_the_same_bytes(project: Path) -> None:
    assert _feed(project) == _feed(project)


def test_a_change_keeps_its_id_on_another_machine_and_after_a_newer_change(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = {e.id: e.title for e in feedparser.parse(_feed(project)).entries}
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # another checkout: same files
    for name in ("checks", "cassettes"):
        shutil.copytree(project / name, elsewhere / name)
    when = RUNS[2][0] + timedelta(days=7)
    later = Line(check=PREMISE, status=Status.FAILED, recorded_at=when, provenance="ci")
    append(elsewhere / "cassettes", [later], Scrubber())
    entries = feedparser.parse(_feed(elsewhere)).entries
    after = {e.id: e.title for e in entries}
    assert len(after) == len(entries) == len(before) + 1
    assert {i: after.get(i) for i in before} == before


def test_a_credential_set_for_the_build_is_removed_from_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    uses_key = {**check("c", "https://example.test/"), "auth": "client_credentials"}
    write_checks(tmp_path, [uses_key], base="https://example.test")
    # Written before the value was known to be a credential, so the history still holds it.
    old = Line(check="c", status=Status.FAILED, reason=f"echoed {CANARY_KEY}",
               recorded_at=RUNS[0][0], provenance="ci")  # fmt: skip
    append(tmp_path / "cassettes", [old], Scrubber())
    monkeypatch.setenv("TIKTOK_CLIENT_KEY", CANARY_KEY)
    project = stages.Project(tmp_path / "mkdocs.yml", tmp_path / "docs", stages.ImageOptions())
    site = stages.derive(project, archive=None)
    feed = site_feed(site, site_name="Fit", site_url=SITE, page_url="c/")
    assert CANARY_KEY.encode() not in feed
    assert b"echoed REDACTED" in feed
