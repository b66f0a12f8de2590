"""The `check`, `record` and `scan` commands: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkserver import check, serve_tiktok, tiktok_checks, write_checks
from pytest_httpserver import HTTPServer

from apifit.cli import main


def _project(root: Path, server: HTTPServer) -> None:
    serve_tiktok(server)
    base = f"http://127.0.0.1:{server.port}"
    write_checks(root, tiktok_checks(base), base)


def test_check_on_the_shipped_project_lists_every_check_as_not_yet_recorded(
    project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(project_root)]) == 0
    out = capsys.readouterr().out
    # The terms checks are judged on their archived copies; the rest await a live recording.
    assert "6 not yet recorded · 4 passed (replayed offline)" in out
    assert "archived copy (Open Terms Archive, recorded 2026-07-15" in out
    assert "run `apifit record research-scope-not-authorized`" in out


def test_check_json_reports_an_archived_copy_as_such(project_root: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert main(["check", "--root", str(project_root), "--json", str(report)]) == 0
    data = {c["id"]: c for c in json.loads(report.read_text())["checks"]}
    tos = data["tos-us-scraping-clause"]
    assert (tos["status"], tos["from_archive"]) == ("passed", True)
    assert tos["archived"]["archive"] == "Open Terms Archive"
    assert tos["archived"]["stated"] == "Last updated: July 15, 2026"
    assert tos["archived"]["recorded_at"].startswith("2026-07-15")
    assert data["token-invalid-client"]["archived"] is None


def test_record_shows_progress_skips_without_credentials_and_summarises(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, httpserver)
    assert main(["record", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "skipped  research-scope-not-authorized: missing credentials: set TIKTOK_CLIENT_KEY" in out
    )
    assert "passed  token-invalid-client (saved)" in out
    assert out.rstrip().endswith("4 passed, 1 skipped; 4 cassettes saved")


def test_check_writes_a_json_report_and_fails_on_stale_evidence(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, httpserver)
    main(["record", "--root", str(tmp_path)])
    report = tmp_path / "r.json"
    assert main(["check", "--root", str(tmp_path), "--json", str(report)]) == 0
    data = json.loads(report.read_text())
    assert data["summary"] == "1 not yet recorded · 4 passed"
    assert {c["status"] for c in data["checks"]} == {"passed", "not recorded"}
    assert main(["check", "--root", str(tmp_path), "--max-age", "-1"]) == 1
    assert "stale" in capsys.readouterr().out


def test_record_exits_1_when_a_claim_is_contradicted(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_tiktok(httpserver)
    url = f"http://127.0.0.1:{httpserver.port}/v2/user/info/"
    write_checks(tmp_path, [check("c", url, expect={"status": [200]})])
    assert main(["record", "--root", str(tmp_path), "c"]) == 1


def test_scan_exits_1_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_checks(tmp_path, [check("c", "http://127.0.0.1:9/")])
    assert main(["scan", "--root", str(tmp_path)]) == 0
    (tmp_path / "cassettes" / "c.yaml").write_text('body: "access_token=abcdefgh12345"\n')
    assert main(["scan", "--root", str(tmp_path)]) == 1
    assert "cassettes/c.yaml:1: access_token: secret-shaped value" in capsys.readouterr().out


def test_scan_of_a_built_site_exits_1_naming_the_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_checks(tmp_path, [check("c", "http://127.0.0.1:9/")])
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>fine</p>\n")
    assert main(["scan", "--root", str(tmp_path), str(site)]) == 0
    (site / "index.html").write_text("<p>\nBearer abcdefgh12345</p>\n")
    assert main(["scan", "--root", str(tmp_path), str(site)]) == 1
    out = capsys.readouterr().out
    assert f"{site / 'index.html'}:2: bearer: secret-shaped value" in out


def test_bad_check_file_exits_2_with_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "x.yml").write_text("checks:\n  - id: Bad Id\n")
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "x.yml:2: checks[0].id:" in capsys.readouterr().err
