"""`apifit archive update` against a fake of the archive's GitHub history on 127.0.0.1."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from apifit.cli import main
from apifit.evidence.archive import PINS_FILE, load_pins

ROOT = Path(__file__).resolve().parents[2]
REPO = "OpenTermsArchive/vlopses-us-versions"
NEW = "1234567890abcdef1234567890abcdef12345678"
NEW_TEXT = b"Terms of Service\n\n**_Last updated: November 20, 2026_**\n\nNo scraping.\n"


@pytest.fixture
def pins(tmp_path: Path) -> Path:
    path = tmp_path / "pins.yml"
    shutil.copy(ROOT / PINS_FILE, path)
    return path


def _serve_history(server: HTTPServer, newest: dict[str, str]) -> None:
    """The archive's commits API: the newest commit touching each document's path."""
    for path, sha in newest.items():
        server.expect_request(
            f"/repos/{REPO}/commits", query_string={"path": path, "per_page": "1"}
        ).respond_with_json(
            [{"sha": sha, "commit": {"committer": {"date": "2026-11-20T09:00:00Z"}}}]
        )
    server.expect_request(f"/{REPO}/{NEW}/TikTok/Terms of Service.md").respond_with_data(NEW_TEXT)


def _update(pins: Path, server: HTTPServer, tmp_path: Path) -> int:
    base = f"http://127.0.0.1:{server.port}"
    return main(["archive", "update", "--pins", str(pins), "--api-url", base, "--raw-url", base,
                 "--summary", str(tmp_path / "archive.md"),
                 "--github-output", str(tmp_path / "out")])  # fmt: skip


def test_a_newer_archived_version_is_proposed_as_a_pin(
    pins: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    current = load_pins(pins).documents
    _serve_history(httpserver, {
        "TikTok/Terms of Service.md": NEW,
        "TikTok/Commercial Terms.md": current["commercial-terms"].newest.commit,
        "TikTok/Developer Terms.md": current["developer-terms"].newest.commit,
    })  # fmt: skip
    assert _update(pins, httpserver, tmp_path) == 0
    updated = load_pins(pins).documents
    newest = updated["tos-us"].newest
    assert (newest.commit, newest.stated, newest.recorded.isoformat()) == (
        NEW, "Last updated: November 20, 2026", "2026-11-20"
    )  # fmt: skip
    assert (newest.sha256, newest.bytes) == (hashlib.sha256(NEW_TEXT).hexdigest(), len(NEW_TEXT))
    assert (
        newest.url
        == f"https://raw.githubusercontent.com/{REPO}/{NEW}/TikTok/Terms%20of%20Service.md"
    )
    assert updated["developer-terms"] == current["developer-terms"]
    assert pins.read_text().startswith("# Archived versions of TikTok's terms")  # comments kept
    assert (tmp_path / "out").read_text() == "archive_changed=true\n"
    assert (
        '"Last updated: November 20, 2026", recorded 2026-11-20'
        in (tmp_path / "archive.md").read_text()
    )


def test_nothing_newer_leaves_the_pins_untouched(
    pins: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    before = pins.read_bytes()
    current = load_pins(pins).documents
    _serve_history(httpserver, {doc.path: doc.newest.commit for doc in current.values()})
    assert _update(pins, httpserver, tmp_path) == 0
    assert pins.read_bytes() == before
    assert (tmp_path / "out").read_text() == "archive_changed=false\n"


def test_an_unreadable_history_is_an_error_naming_the_url(
    pins: Path, tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = pins.read_bytes()
    assert _update(pins, httpserver, tmp_path) == 2
    assert f"/repos/{REPO}/commits?path=TikTok/Terms of Service.md" in capsys.readouterr().err
    assert pins.read_bytes() == before
