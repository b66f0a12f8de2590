"""Offline replay under pytest + pytest-recording, through `replay_checks` and plain pytest."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from checkserver import CREDENTIALS_ENV, check, serve_tiktok, tiktok_checks, write_checks
from pytest_httpserver import HTTPServer

from apifit.checks.cassettes import read_cassette
from apifit.checks.faults import Status
from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks
from apifit.pytest_plugin import replay_checks

pytest_plugins = ("pytester",)


def _recorded_project(root: Path, server: HTTPServer) -> str:
    serve_tiktok(server)
    base = f"http://127.0.0.1:{server.port}"
    write_checks(root, tiktok_checks(base), base)
    asyncio.run(record_async(load_checks(root / "checks"), root / "cassettes", CREDENTIALS_ENV))
    return base


def _statuses(root: Path, **kwargs: object) -> dict[str, Status]:
    results = replay_checks(root / "checks", root / "cassettes", **kwargs)  # type: ignore[arg-type]
    return {r.check.id: r.status for r in results}


def test_replay_passes_without_asking_the_server(tmp_path: Path, httpserver: HTTPServer) -> None:
    _recorded_project(tmp_path, httpserver)
    httpserver.clear()  # forget the handlers and the request log: any request now shows
    statuses = _statuses(tmp_path)
    assert len(statuses) == 5
    assert set(statuses.values()) == {Status.PASSED}
    assert httpserver.log == []


def test_missing_cassette_is_not_recorded_and_never_reaches_the_network(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/never").respond_with_data("should not be asked")
    write_checks(tmp_path, [check("never", f"http://127.0.0.1:{httpserver.port}/never")])
    assert _statuses(tmp_path) == {"never": Status.NOT_RECORDED}
    assert httpserver.log == []


def test_recording_that_no_longer_supports_the_edited_claim_fails(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    _recorded_project(tmp_path, httpserver)
    path = tmp_path / "checks" / "local.yml"
    data = yaml.safe_load(path.read_text())
    data["checks"][3]["expect"] = {"status": [200]}
    path.write_text(yaml.safe_dump(data))
    assert _statuses(tmp_path)["display-user-info-without-token"] == Status.FAILED


def test_recording_older_than_max_age_is_stale(tmp_path: Path, httpserver: HTTPServer) -> None:
    _recorded_project(tmp_path, httpserver)
    statuses = _statuses(tmp_path, max_age_days=-1)
    assert set(statuses.values()) == {Status.STALE}


def test_selection_by_id_and_api(tmp_path: Path, httpserver: HTTPServer) -> None:
    _recorded_project(tmp_path, httpserver)
    assert list(_statuses(tmp_path, api="display")) == ["display-user-info-without-token"]
    assert list(_statuses(tmp_path, ids=["token-invalid-client"])) == ["token-invalid-client"]


def test_plain_pytest_collects_one_item_per_check(
    pytester: pytest.Pytester, httpserver: HTTPServer
) -> None:
    base = _recorded_project(pytester.path, httpserver)
    shipped = yaml.safe_load((pytester.path / "checks" / "local.yml").read_text())["checks"]
    write_checks(pytester.path, [*shipped, check("absent", "http://127.0.0.1:9/x")], base)
    result = pytester.runpytest_inprocess("-p", "apifit.pytest_plugin", "checks", "-v")
    result.assert_outcomes(passed=5, skipped=1)
    result.stdout.fnmatch_lines(["*local.yml::test_check?token-invalid-client? PASSED*"])


def test_check_whose_request_moved_fails_asking_for_a_new_recording(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    _recorded_project(tmp_path, httpserver)
    path = tmp_path / "checks" / "local.yml"
    path.write_text(path.read_text().replace("/v2/user/info/", "/v2/user/moved/"))
    results = replay_checks(tmp_path / "checks", tmp_path / "cassettes", api="display")
    assert [(r.status, r.reason) for r in results] == [
        (Status.FAILED, "the recording does not match the check's request: "
                        "display-user-info-without-token needs re-recording")
    ]  # fmt: skip


def test_redirected_page_is_recorded_hop_by_hop_and_replays(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_tiktok(httpserver)
    httpserver.expect_request("/legal/old").respond_with_data(
        "", status=301, headers={"Location": "/legal/tos"}
    )
    url = f"http://127.0.0.1:{httpserver.port}/legal/old"
    write_checks(tmp_path, [check("moved", url, expect={"text": ["automated scripts"]})])
    asyncio.run(record_async(load_checks(tmp_path / "checks"), tmp_path / "cassettes", {}))
    recording = read_cassette(tmp_path / "cassettes" / "moved.yaml")
    assert recording is not None and [e.status for e in recording.exchanges] == [301, 200]
    httpserver.clear()
    assert _statuses(tmp_path) == {"moved": Status.PASSED}
    assert httpserver.log == []
