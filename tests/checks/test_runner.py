"""Live recording against the local imitation: outcomes, faults, atomic replacement."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from checkserver import (
    CREDENTIALS_ENV,
    check,
    serve_faults,
    serve_tiktok,
    tiktok_checks,
    truncating_server,
    write_checks,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apifit.checks.cassettes import cassette_path, read_attempts, read_cassette
from apifit.checks.faults import Status
from apifit.checks.results import Outcome, judge
from apifit.checks.runner import LiveResult, record_async
from apifit.checks.schema import load_checks


def _record(
    root: Path, env: dict[str, str] | None = None, timeout: float = 5
) -> dict[str, LiveResult]:
    checks = load_checks(root / "checks")
    runs = asyncio.run(record_async(checks, root / "cassettes", env or {}, timeout=timeout))
    return {r.check.id: r for r in runs}


def _base(server: HTTPServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def test_documented_answers_pass_and_are_saved(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve_tiktok(httpserver)
    write_checks(tmp_path, tiktok_checks(_base(httpserver)), _base(httpserver))
    runs = _record(tmp_path, CREDENTIALS_ENV)
    assert {i: r.status for i, r in runs.items()} == dict.fromkeys(runs, Status.PASSED)
    recording = read_cassette(
        cassette_path(tmp_path / "cassettes", "research-scope-not-authorized")
    )
    assert recording is not None
    assert [e.request_line.split("?")[0] for e in recording.exchanges] == [
        f"POST {_base(httpserver)}/v2/oauth/token/",
        f"POST {_base(httpserver)}/v2/research/video/query/",
    ]


def test_missing_credentials_skip_with_reason_and_others_run(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_tiktok(httpserver)
    write_checks(tmp_path, tiktok_checks(_base(httpserver)), _base(httpserver))
    runs = _record(tmp_path, {})
    skipped = runs.pop("research-scope-not-authorized")
    assert skipped.status is None
    assert skipped.reason == "missing credentials: set TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET"
    assert all(r.status == Status.PASSED for r in runs.values())
    assert "research-scope-not-authorized" not in read_attempts(tmp_path / "cassettes")


def test_contradicted_claim_fails_with_what_differs(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve_tiktok(httpserver)
    base = _base(httpserver)
    write_checks(tmp_path, [check("c", f"{base}/v2/user/info/", expect={"status": [200]})])
    run = _record(tmp_path)["c"]
    assert (run.status, run.reason, run.saved) == (Status.FAILED, "HTTP 401, expected 200", False)


def _fault_reasons(
    tmp_path: Path, checks: list[dict[str, object]], timeout: float = 5
) -> dict[str, str]:
    write_checks(tmp_path, checks)
    runs = _record(tmp_path, timeout=timeout)
    assert all(r.status == Status.INCONCLUSIVE and not r.saved for r in runs.values()), runs
    return {i: r.reason.split(":")[0] for i, r in runs.items()}


def test_every_fault_is_inconclusive_with_its_reason(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_faults(httpserver)
    httpserver.expect_request("/fault/slow").respond_with_handler(
        lambda _: (time.sleep(1.5), Response("late"))[1]
    )
    base = _base(httpserver)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    json_expect = {"json": [{"path": "error.code", "equals": "x"}]}
    with truncating_server() as cut:
        reasons = _fault_reasons(
            tmp_path,
            [
                check("rate", f"{base}/fault/rate", expect=json_expect),
                check("server", f"{base}/fault/server", expect=json_expect),
                check("wall", f"{base}/fault/captcha", expect=json_expect),
                check("spa", f"{base}/fault/spa", expect={"text": ["the clause"]}),
                check("slow", f"{base}/fault/slow"),
                check("refused", f"http://127.0.0.1:{closed}/"),
                check("tls", cut.replace("http://", "https://")),
                check("cut", cut, expect=json_expect),
            ],
            timeout=0.5,
        )
    assert reasons == {
        "rate": "rate limited",
        "server": "server error",
        "wall": "bot wall or captcha",
        "spa": "page rendered by JavaScript",
        "slow": "timeout",
        "refused": "connection refused",
        "tls": "TLS error",
        "cut": "truncated body",
    }


def test_failed_or_inconclusive_attempt_keeps_the_last_good_cassette_byte_identical(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    answers = iter([(401, '{"error": {"code": "access_token_invalid"}}'),
                    (503, "down"),
                    (200, '{"error": {"code": "ok"}}')])  # fmt: skip

    def handler(_: Request) -> Response:
        status, body = next(answers)
        return Response(body, status=status, content_type="application/json")

    httpserver.expect_request("/v2/user/info/").respond_with_handler(handler)
    expect = {"status": [401], "json": [{"path": "error.code", "equals": "access_token_invalid"}]}
    write_checks(tmp_path, [check("c", f"{_base(httpserver)}/v2/user/info/", expect=expect)])
    path = cassette_path(tmp_path / "cassettes", "c")
    assert _record(tmp_path)["c"].saved
    good = path.read_bytes()
    assert _record(tmp_path)["c"].status == Status.INCONCLUSIVE
    assert path.read_bytes() == good
    assert read_attempts(tmp_path / "cassettes")["c"].reason == "server error: HTTP 503"
    assert _record(tmp_path)["c"].status == Status.FAILED
    assert path.read_bytes() == good
    assert read_attempts(tmp_path / "cassettes")["c"].status == Status.FAILED
    names = sorted(p.name for p in (tmp_path / "cassettes").iterdir())
    assert names == ["attempts.json", "c.yaml", "history.jsonl"]


TOKEN_ANSWER = {"access_token": "act.4f1c2b9e7d3a", "token_type": "Bearer", "expires_in": 86400,
                "scope": "research.data.basic", "session": {"id": "s-77aa91", "state": "active"},
                "note": "issued s-77aa91 for research"}  # fmt: skip


def _judged_again(tmp_path: Path, server: HTTPServer, rules: list[dict[str, object]]) -> LiveResult:
    server.expect_request("/token").respond_with_json(TOKEN_ANSWER)
    write_checks(tmp_path, [check("t", f"{_base(server)}/token", expect={"json": rules})])
    return _record(tmp_path)["t"]


def test_a_token_answer_s_non_secrets_are_saved_and_replay_as_observed(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    rules = [{"path": "token_type", "equals": "Bearer"}, {"path": "expires_in", "equals": 86400},
             {"path": "session.state", "equals": "active"}, {"path": "session.id", "exists": True},
             {"path": "access_token", "matches": "^act\\."}]  # fmt: skip
    run = _judged_again(tmp_path, httpserver, rules)
    assert (run.status, run.saved, run.not_saved) == (Status.PASSED, True, "")
    path = cassette_path(tmp_path / "cassettes", "t")
    recording = read_cassette(path)
    assert recording is not None
    assert judge(run.check, recording.exchanges[-1], recording.meta.matched) == Outcome(
        Status.PASSED
    )
    assert recording.meta.matched == {"access_token matches ^act\\.": True}
    assert "act.4f1c2b9e7d3a" not in path.read_text()


def test_a_pattern_the_token_does_not_match_fails_live(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    run = _judged_again(tmp_path, httpserver, [{"path": "access_token", "matches": "^rft\\."}])
    assert (run.status, run.reason) == (
        Status.FAILED,
        "access_token is \"REDACTED\", expected it to match '^rft\\\\.'",
    )


def test_a_pass_that_its_scrubbed_recording_would_not_repeat_is_not_saved(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    # `note` quotes the session id, which the scrubber then removes by value.
    run = _judged_again(tmp_path, httpserver, [{"path": "note", "contains": "s-77aa91 for"}])
    assert (run.status, run.saved) == (Status.PASSED, False)
    assert run.not_saved == (
        "t: not saved: passed live, but its recording would replay as failed (note is "
        "\"issued REDACTED for research\", expected it to contain 'REDACTED for') because "
        "secrets are scrubbed from it (assert exists: true, or check a non-secret field)"
    )
    assert not cassette_path(tmp_path / "cassettes", "t").exists()
    assert read_attempts(tmp_path / "cassettes") == {}
