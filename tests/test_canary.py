"""Canary secrets in every place a secret can travel never reach a file, a report, the site or
a log: record live, replay with a JSON report, build the site, then look everywhere."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from checkserver import (
    CANARIES,
    CANARY_COOKIE,
    CANARY_TOKEN,
    CREDENTIALS_ENV,
    build_site,
    check,
    serve_tiktok,
    write_checks,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apifit.cli import main
from apifit.secretscan import scan_project


def _echo(request: Request) -> Response:
    """Answers with the canaries in a deep JSON field, an echo of the request and a cookie."""
    echo = {"query": request.query_string.decode(), "body": request.get_data(as_text=True)}
    body = {"data": {"deep": [{"access_token": CANARY_TOKEN, "refresh_token": CANARY_TOKEN}]},
            "echo": echo, "error": {"code": "ok", "log_id": "LOGECHO"}}  # fmt: skip
    response = Response(json.dumps(body), content_type="application/json")
    response.headers.add("Set-Cookie", f"sid={CANARY_COOKIE}; HttpOnly")
    return response


def _canary_checks(base: str) -> list[dict[str, object]]:
    key, secret = "${TIKTOK_CLIENT_KEY}", "${TIKTOK_CLIENT_SECRET}"
    ok = {"json": [{"path": "error.code", "equals": "ok"}]}
    return [
        {**check("everywhere", f"{base}/echo", method="POST", expect=ok,
                 query={"client_key": key, "access_token": secret, "plain": key},
                 headers={"Cookie": f"sid={secret}", "X-Custom": key, "refresh_token": secret},
                 json={"outer": {"list": [{"client_secret": secret, "note": key}]}}),
         "auth": "client_credentials"},
        check("form", f"{base}/echo", method="POST", expect=ok,
              form={"client_key": key, "client_secret": secret, "refresh_token": secret}),
        # Fails: its reason quotes the echoed query, so the attempts file gets the canary too.
        check("failing", f"{base}/echo", expect={"json": [{"path": "echo.query", "equals": "x"}]},
              query={"client_key": key}),
    ]  # fmt: skip


def test_canaries_appear_nowhere(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    serve_tiktok(httpserver)
    httpserver.expect_request("/echo").respond_with_handler(_echo)
    base = f"http://127.0.0.1:{httpserver.port}"
    write_checks(tmp_path, _canary_checks(base), base)
    for name, value in CREDENTIALS_ENV.items():
        monkeypatch.setenv(name, value)
    caplog.set_level(logging.DEBUG)

    assert main(["record", "--root", str(tmp_path)]) == 1  # "failing" fails, as designed
    report = tmp_path / "report.json"
    assert main(["check", "--root", str(tmp_path), "--json", str(report)]) == 1  # "failing"
    site = build_site(
        tmp_path, {"checks.md": '{{ checks_page() }}\n\n{{ checks_table("research") }}'}
    )

    out = capsys.readouterr()
    # The imitation server's own access log (werkzeug) is not apifit's output.
    logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    inputs = {tmp_path / "checks" / "local.yml", tmp_path / "mkdocs.yml"}
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p not in inputs]
    assert {p.name for p in (tmp_path / "cassettes").iterdir()} == {
        "everywhere.yaml", "form.yaml", "attempts.json"}  # fmt: skip
    assert report in written and site / "checks" / "index.html" in written
    places = {str(p): p.read_text(errors="replace") for p in written}
    places |= {"stdout": out.out, "stderr": out.err, "logs": logs}
    leaks = [(where, c) for where, text in places.items() for c in CANARIES if c in text]
    assert leaks == []
    assert "REDACTED" in (tmp_path / "cassettes" / "everywhere.yaml").read_text()
    assert scan_project(tmp_path, site) == []
