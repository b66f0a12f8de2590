"""End to end against the loopback replica of TikTok's 2026 answers: record, replay, build."""

from __future__ import annotations

from pathlib import Path

import pytest
from checkserver import CREDENTIALS_ENV
from pytest_httpserver import HTTPServer
from tiktok_replica import Replica, copy_project, serve_replica

from apifit.checks.cassettes import cassette_path, read_attempts, read_cassette
from apifit.checks.faults import Status
from apifit.checks.pagetext import read_html
from apifit.cli import main
from apifit.site.pipeline import build

TEN = 10


@pytest.fixture
def replica(httpserver: HTTPServer) -> Replica:
    served = Replica()
    serve_replica(httpserver, served)
    return served


@pytest.fixture
def project(
    tmp_path: Path,
    httpserver: HTTPServer,
    replica: Replica,
    shared_imgs: Path,
    image_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The real project with its checks pointed at the replica, and canary credentials set."""
    monkeypatch.setenv("APIFIT_IMGS_SOURCE", str(shared_imgs))
    monkeypatch.setenv("APIFIT_CACHE_DIR", str(image_cache))
    monkeypatch.delenv("CI", raising=False)
    for name, value in CREDENTIALS_ENV.items():
        monkeypatch.setenv(name, value)
    return copy_project(tmp_path / "project", f"http://127.0.0.1:{httpserver.port}")


def _record(project: Path, *ids: str) -> int:
    return main(["record", "--root", str(project), *ids])


def _page(project: Path, page: str) -> str:
    return read_html((project / "site" / page / "index.html").read_text()).text


def test_recording_the_replica_passes_every_check_and_the_site_shows_live_provenance(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _record(project) == 0
    assert f"{TEN} passed; {TEN} cassettes saved" in capsys.readouterr().out
    assert main(["check", "--root", str(project)]) == 0
    assert f"{TEN} passed (replayed offline)" in capsys.readouterr().out
    build(project / "mkdocs.yml", project / "site")
    checks = _page(project, "checks")
    assert f"{TEN} passed" in checks  # the summary line: no other status
    assert checks.count("provenance: replayed recording (live run on someone's machine") == TEN
    # The live recording is newer than the archived copy: shown first, the copy beside it.
    assert "archived copy: passed, archived copy (open terms archive, recorded 2026-07-15" in checks


def test_the_november_2023_terms_fail_the_us_terms_check_and_flag_the_decision(
    project: Path, replica: Replica
) -> None:
    assert _record(project) == 0
    replica.tos_file = "tos-us-2023-11.md"
    assert _record(project, "tos-us-scraping-clause") == 1
    attempt = read_attempts(project / "cassettes")["tos-us-scraping-clause"]
    assert attempt.status == Status.FAILED
    assert attempt.reason.startswith("text absent: 'scrape, crawl, export or otherwise extract")
    build(project / "mkdocs.yml", project / "site")
    record = _page(project, "decisions/0001-no-tiktok-api-for-scraping")
    assert "needs re-review" in record
    assert "a premise of this record no longer holds: tos-us-scraping-clause failed" in record
    # Live and archive disagree: both are shown.
    terms = _page(project, "tiktok/terms")
    html = (project / "site" / "tiktok/terms" / "index.html").read_text()
    assert "apifit-check--failed" in html
    assert "passed, archived copy (open terms archive, recorded 2026-07-15" in terms


def test_a_page_whose_text_only_scripts_render_is_inconclusive_with_that_reason(
    project: Path, replica: Replica, capsys: pytest.CaptureFixture[str]
) -> None:
    replica.faq_by_script = True
    assert _record(project, "research-faq-commercial-user") == 0
    attempt = read_attempts(project / "cassettes")["research-faq-commercial-user"]
    assert (attempt.status, attempt.reason) == (
        Status.INCONCLUSIVE,
        "page rendered by JavaScript: the text is not in the HTML; a browser would render it",
    )


def test_an_old_doc_url_is_followed_through_its_301_and_every_hop_is_recorded(
    project: Path,
) -> None:
    checks = project / "checks" / "tiktok.yml"
    text = checks.read_text()
    checks.write_text(text.replace("/docs/en/research-api-faq", "/doc/research-api-faq"))
    assert _record(project, "research-faq-commercial-user") == 0
    recording = read_cassette(cassette_path(project / "cassettes", "research-faq-commercial-user"))
    assert recording is not None
    assert [(e.status, e.url.split("/", 3)[3]) for e in recording.exchanges] == [
        (301, "developers.tiktok.com/doc/research-api-faq"),
        (200, "developers.tiktok.com/docs/en/research-api-faq"),
    ]
    attempt = read_attempts(project / "cassettes")["research-faq-commercial-user"]
    assert attempt.evidence is not None
    [hop] = attempt.evidence.redirected_from
    assert hop.endswith("/developers.tiktok.com/doc/research-api-faq (HTTP 301)")
    assert main(["check", "--root", str(project), "research-faq-commercial-user"]) == 0
