"""Canary secrets in every place a secret can travel never reach a file, a report, the site or
a log: record live, replay with and without a JSON report, build the site, then look everywhere.

They go out in every request position (headers, cookies, query, form, JSON, the auth step's
credentials from the environment) and come back in every answer position (headers of any name,
Set-Cookie in any case, nested JSON, HTML, a redirect's Location, a failure reason)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from checkserver import (
    CANARIES,
    CANARY_COOKIE,
    CANARY_KEY,
    CANARY_TOKEN,
    CREDENTIALS_ENV,
    build_site,
    check,
    serve_tiktok,
    write_checks,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apifit.checks.secretscan import scan_project
from apifit.cli import main

# Secrets the server hands out that apifit is never told about: each must be recognised by
# where it arrives (a credential-looking name) and then removed wherever else it shows up.
ISSUED = {
    "header": "canary-upstream-token-7d3a",
    "session": "canary-session-id-2b9e",
    "signature": "canary-signature-4f1c",
    "cookie-lower": "canary-cookie-lower-6a2d",
    "cookie-upper": "canary-cookie-upper-0e7b",
    "refresh": "canary-nested-refresh-5c8f",
    "api-key": "canary-api-key-3e1a",
    "csrf": "canary-csrf-html-9d4b",
    "location": "canary-location-token-1f6e",
}
EVERY_CANARY = (*CANARIES, *ISSUED.values())


def _echo(request: Request) -> Response:
    """Answers with the canaries in a deep JSON field, an echo of the request and a cookie."""
    echo = {
        "query": request.query_string.decode(),
        "body": request.get_data(as_text=True),
        "headers": dict(request.headers),
    }
    body = {"data": {"deep": [{"access_token": CANARY_TOKEN, "refresh_token": CANARY_TOKEN}]},
            "echo": echo, "error": {"code": "ok", "log_id": "LOGECHO"}}  # fmt: skip
    response = Response(json.dumps(body), content_type="application/json")
    response.headers.add("Set-Cookie", f"sid={CANARY_COOKIE}; HttpOnly")
    return response


def _answers(request: Request) -> Response:
    """Server-issued secrets in headers of their own names, cookies in any case, nested JSON,
    and one of them again inside a plain sentence."""
    body = {"data": {"refresh_token": ISSUED["refresh"], "user": {"apiKey": ISSUED["api-key"]},
                     "note": f"your session is {ISSUED['session']}"},
            "error": {"code": "ok"}}  # fmt: skip
    response = Response(json.dumps(body), content_type="application/json")
    response.headers.add("X-Upstream-Token", ISSUED["header"])
    response.headers.add("x-session-id", ISSUED["session"])
    response.headers.add("X-Amz-Signature", ISSUED["signature"])
    response.headers.add("set-cookie", f"sid={ISSUED['cookie-lower']}; Path=/")
    response.headers.add("SET-COOKIE", f"Token={ISSUED['cookie-upper']}; Secure")
    response.headers.add("X-Echo", request.headers.get("X-Api-Key", ""))
    return response


def _page(request: Request) -> Response:
    """An HTML page quoting a token issued in its own header, and the client key."""
    html = (f"<!doctype html><html><head><meta name='csrf-token' content='{ISSUED['csrf']}'>"
            f"</head><body><h1>Welcome</h1><p>Signed in as {CANARY_KEY}, csrf {ISSUED['csrf']}"
            "</p></body></html>")  # fmt: skip
    response = Response(html, content_type="text/html")
    response.headers.add("X-CSRF-Token", ISSUED["csrf"])
    return response


def _redirect(request: Request) -> Response:
    location = f"/landing?token={ISSUED['location']}&user={CANARY_KEY}"
    return Response("", status=302, headers={"Location": location})


def _landing(request: Request) -> Response:
    body = {"error": {"code": "ok"}, "came_with": request.query_string.decode()}
    return Response(json.dumps(body), content_type="application/json")


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
        check("answers", f"{base}/answers", expect=ok,
              headers={"X-Api-Key": key, "COOKIE": f"session={secret}"},
              query={"apiKey": key}),
        # Fails quoting `data`, which holds a nested refresh token and an api key.
        check("answers-failing", f"{base}/answers",
              expect={"json": [{"path": "data", "equals": "x"}]}),
        check("page", f"{base}/page", expect={"text": ["Welcome"]}, headers={"X-Api-Key": key}),
        check("redirect", f"{base}/redirect", expect=ok),
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
    for path, handler in (("/answers", _answers), ("/page", _page), ("/redirect", _redirect),
                          ("/landing", _landing)):  # fmt: skip
        httpserver.expect_request(path).respond_with_handler(handler)
    base = f"http://127.0.0.1:{httpserver.port}"
    write_checks(tmp_path, _canary_checks(base), base)
    for name, value in CREDENTIALS_ENV.items():
        monkeypatch.setenv(name, value)
    caplog.set_level(logging.DEBUG)

    assert main(["record", "--root", str(tmp_path)]) == 1  # the failing ones fail, as designed
    report = tmp_path / "report.json"
    assert main(["check", "--root", str(tmp_path)]) == 1
    assert main(["check", "--root", str(tmp_path), "--json", str(report)]) == 1
    site = build_site(
        tmp_path, {"checks.md": '{{ checks_page() }}\n\n{{ checks_table("research") }}'}
    )

    out = capsys.readouterr()
    # The imitation server's own access log (werkzeug) is not apifit's output.
    logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    inputs = {tmp_path / "checks" / "local.yml", tmp_path / "mkdocs.yml"}
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p not in inputs]
    assert {p.name for p in (tmp_path / "cassettes").iterdir()} == {
        "everywhere.yaml", "form.yaml", "answers.yaml", "page.yaml", "redirect.yaml",
        "attempts.json", "history.jsonl"}  # fmt: skip
    assert report in written and site / "checks" / "index.html" in written
    places = {str(p): p.read_text(errors="replace") for p in written}
    places |= {"stdout": out.out, "stderr": out.err, "logs": logs}
    # The canaries did travel: the failing check's reason quotes the answer that held them.
    assert "answers-failing: data is {" in out.out
    leaks = [(where, c) for where, text in places.items() for c in EVERY_CANARY if c in text]
    assert leaks == []
    assert "REDACTED" in (tmp_path / "cassettes" / "everywhere.yaml").read_text()
    assert "REDACTED" in (tmp_path / "cassettes" / "redirect.yaml").read_text()
    assert scan_project(tmp_path, site) == []
