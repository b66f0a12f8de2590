"""Three live recordings of one premise check on a local fake API: passed, failed, passed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from checkserver import check, write_checks
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks

PREMISE = "research-query-without-token"  # a premise of ADR 0001
RUNS = (
    (datetime(2026, 11, 30, 5, 17, tzinfo=UTC), 401),  # as the claim says: passed
    (datetime(2026, 12, 7, 5, 17, tzinfo=UTC), 200),  # the API let the query through: failed
    (datetime(2026, 12, 14, 5, 17, tzinfo=UTC), 401),  # refused again: passed
)


def record_flips(root: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record `PREMISE` once per RUNS entry, each run on its own date and with its own answer."""
    current = {"status": 401}

    def answer(request: Request) -> Response:
        body = '{"error": {"code": "access_token_invalid", "log_id": "LOG1"}}'
        if current["status"] == 200:
            body = '{"data": {"videos": []}, "error": {"code": "ok"}}'
        return Response(body, status=current["status"], content_type="application/json")

    server.expect_request("/v2/research/video/query/").respond_with_handler(answer)
    url = f"http://127.0.0.1:{server.port}/v2/research/video/query/"
    expect = {"status": [401], "json": [{"path": "error.code", "equals": "access_token_invalid"}]}
    write_checks(root, [check(PREMISE, url, method="POST", expect=expect)])
    for when, status in RUNS:
        current["status"] = status
        monkeypatch.setattr("apifit.checks.runner.now_utc", lambda when=when: when)
        asyncio.run(record_async(load_checks(root / "checks"), root / "cassettes", {}))
