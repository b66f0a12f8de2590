"""The `check`, `record` and `scan` commands: output and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import socket
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


def _shipped_checks_pointing_at_nothing(root: Path, project_root: Path) -> None:
    """The shipped checks and pins, every URL aimed at a local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    shutil.copytree(project_root / "archive", root / "archive")
    (root / "checks").mkdir()
    (root / "cassettes").mkdir()
    text = (project_root / "checks" / "tiktok.yml").read_text()
    local = re.sub(r"https://[^/\s]+", f"http://127.0.0.1:{closed}", text)
    (root / "checks" / "tiktok.yml").write_text(local)


def test_record_that_reaches_no_server_leaves_what_the_site_shows_unchanged(
    tmp_path: Path, project_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _shipped_checks_pointing_at_nothing(tmp_path, project_root)
    assert main(["check", "--root", str(tmp_path)]) == 0
    before = capsys.readouterr().out
    assert main(["record", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "no connection  tos-us-scraping-clause: connection refused: " in out
    assert out.rstrip().endswith(
        "9 reached no server from this machine (check its network): not noted in "
        "cassettes/attempts.json, so the site shows what it showed before"
    )
    assert sorted(p.name for p in (tmp_path / "cassettes").iterdir()) == []
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out == before
    assert "4 passed (replayed offline)" in before


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


def test_bad_check_file_exits_2_with_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "x.yml").write_text("checks:\n  - id: Bad Id\n")
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "x.yml:2: checks[0].id:" in capsys.readouterr().err


def _token_project(root: Path, server: HTTPServer, rules: list[dict[str, object]]) -> None:
    answer = {"access_token": "act.4f1c2b9e7d3a", "token_type": "Bearer", "expires_in": 86400,
              "note": "issued act.4f1c2b9e7d3a"}  # fmt: skip
    server.expect_request("/token").respond_with_json(answer)
    url = f"http://127.0.0.1:{server.port}/token"
    write_checks(root, [check("token-type", url, expect={"json": rules})])


def test_a_token_type_that_passes_live_passes_on_replay(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _token_project(tmp_path, httpserver, [{"path": "token_type", "equals": "Bearer"}])
    assert main(["record", "--root", str(tmp_path)]) == 0
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert "1 passed (replayed offline)" in capsys.readouterr().out


def test_record_names_a_pass_it_would_not_replay_counts_it_and_exits_2(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _token_project(tmp_path, httpserver, [{"path": "note", "contains": "issued act."}])
    assert main(["record", "--root", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert out.err == (
        "apifit: token-type: not saved: passed live, but its recording would replay as failed "
        "(note is \"issued REDACTED\", expected it to contain 'issued act.') because secrets are "
        "scrubbed from it (assert exists: true, or check a non-secret field)\n"
    )
    assert "passed  token-type (not saved)" in out.out
    assert out.out.rstrip().endswith(
        "1 passed; 0 cassettes saved, 1 passing check not saved "
        "(scrubbing would change the verdict)"
    )


def test_check_and_record_refuse_an_expectation_on_a_secret_field(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _token_project(tmp_path, httpserver, [{"path": "access_token", "contains": "act."}])
    for command in ("check", "record"):
        assert main([command, "--root", str(tmp_path)]) == 2
        assert capsys.readouterr().err.endswith(
            ": checks[token-type].expect.json[0].path: this field is redacted in recordings "
            "(assert exists: true, or check a non-secret field)\n"
        )


def test_record_of_a_named_check_skipped_for_missing_credentials_exits_1(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, httpserver)
    assert main(["record", "--root", str(tmp_path), "research-scope-not-authorized"]) == 1
    captured = capsys.readouterr()
    assert (
        "      skipped  research-scope-not-authorized: missing credentials: set "
        "TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET\n"
    ) in captured.out
    assert captured.err == (
        "apifit: not recorded although asked for: research-scope-not-authorized\n"
    )


def test_check_says_which_variables_a_not_yet_recorded_check_needs(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, httpserver)
    assert main(["check", "--root", str(tmp_path), "research-scope-not-authorized"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert row.endswith(
        "run `apifit record research-scope-not-authorized` with TIKTOK_CLIENT_KEY, "
        "TIKTOK_CLIENT_SECRET set"
    )


def test_check_from_a_subdirectory_finds_the_project_above(
    project_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project_root / "docs" / "tiktok")
    assert main(["check"]) == 0
    assert "6 not yet recorded · 4 passed (replayed offline)" in capsys.readouterr().out


def test_check_outside_any_project_says_to_give_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"apifit: error: {tmp_path.resolve()}: (project): no mkdocs.yml here or in any parent "
        "directory (run apifit inside the project, or give --root)\n"
    )
