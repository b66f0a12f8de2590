"""A local imitation of TikTok's endpoints (documented answers and every fault) and check files
pointing at it. Used by the runner, replay, view and canary tests; nothing leaves 127.0.0.1."""

from __future__ import annotations

import json
import random
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from apifit.measure import localserver
from apifit.measure.localserver import QuietHandlerMixin

ROOT = Path(__file__).resolve().parents[1]

# Canary secrets: must never appear in anything written.
CANARY_KEY = "canary-client-key-5f1e"
CANARY_SECRET = "canary-client-secret-9a7c"
CANARY_TOKEN = "canary-access-token-3b2d"
CANARY_REFRESH = "canary-refresh-token-8e4f"
CANARY_COOKIE = "canary-session-cookie-1c6a"
CANARIES = (CANARY_KEY, CANARY_SECRET, CANARY_TOKEN, CANARY_REFRESH, CANARY_COOKIE)
CREDENTIALS_ENV = {"TIKTOK_CLIENT_KEY": CANARY_KEY, "TIKTOK_CLIENT_SECRET": CANARY_SECRET}

TERMS_HTML = (
    "<!doctype html><html><body><h1>Terms of Service</h1>"
    + "<p>Lorem ipsum dolor sit amet. </p>" * 40
    + "<p>You may not use <em>automated scripts</em> to collect information from or otherwise"
    " interact with the Services.</p></body></html>"
)
SPA_HTML = (
    "<!doctype html><html><head><script src='/app.js'></script></head>"
    "<body><div id='root'></div><script>window.__DATA__={}</script></body></html>"
)
CAPTCHA_HTML = "<!doctype html><html><body><h1>Please complete the captcha</h1></body></html>"


def _json(data: Any, status: int = 200, **headers: str) -> Response:
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def _token(request: Request) -> Response:
    form = request.form
    if form.get("client_key") == CANARY_KEY and form.get("client_secret") == CANARY_SECRET:
        response = _json(
            {"access_token": CANARY_TOKEN, "refresh_token": CANARY_REFRESH, "expires_in": 7200,
             "token_type": "Bearer", "nested": {"deeper": [{"client_secret": CANARY_SECRET}]}},
        )  # fmt: skip
        response.headers.add("Set-Cookie", f"sessionid={CANARY_COOKIE}; Path=/")
        return response
    # TikTok answers a wrong client with HTTP 200 and no log_id (../shared/evidence/api-answers.md).
    return _json(
        {"error": "invalid_client", "error_description": "Client key or secret is incorrect."},
    )  # fmt: skip


def _research(request: Request) -> Response:
    auth = request.headers.get("Authorization", "")
    if auth.lower() == f"bearer {CANARY_TOKEN}":
        code, message = "scope_not_authorized", "The app is not authorized for this scope."
    else:
        code, message = "access_token_invalid", "The access token is invalid or not found."
    return _json({"error": {"code": code, "message": message, "log_id": f"LOG{code.upper()}"}}, 401)


def serve_tiktok(server: HTTPServer) -> None:
    """Documented answers of the endpoints the TikTok checks use."""
    server.expect_request("/v2/oauth/token/", method="POST").respond_with_handler(_token)
    server.expect_request("/v2/research/video/query/", method="POST").respond_with_handler(
        _research
    )
    server.expect_request("/v2/user/info/").respond_with_json(
        {"error": {"code": "access_token_invalid", "message": "", "log_id": "LOGUSER"}}, status=401
    )
    server.expect_request("/legal/tos").respond_with_data(TERMS_HTML, content_type="text/html")


def serve_faults(server: HTTPServer) -> None:
    """Answers that carry no verdict."""
    server.expect_request("/fault/rate").respond_with_response(
        _json({"error": {"code": "rate_limited"}}, 429, **{"Retry-After": "30"})
    )
    server.expect_request("/fault/server").respond_with_data("oops", status=503)
    server.expect_request("/fault/captcha").respond_with_data(
        CAPTCHA_HTML, content_type="text/html"
    )
    server.expect_request("/fault/spa").respond_with_data(SPA_HTML, content_type="text/html")


@contextmanager
def truncating_server() -> Iterator[str]:
    """A raw server that promises 100 bytes of JSON and hangs up after 12: a truncated body."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 100\r\n\r\n{"error": {"'
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        listener.close()


def check(
    check_id: str,
    url: str,
    *,
    method: str = "GET",
    api: str = "research",
    expect: dict[str, Any] | None = None,
    **request: Any,
) -> dict[str, Any]:
    """One check definition, as a check file holds it."""
    return {
        "id": check_id,
        "api": api,
        "claim": f"Claim backed by {check_id}.",
        "request": {"method": method, "url": url, **request},
        "expect": expect or {"status": [200]},
    }


def tiktok_checks(base: str) -> list[dict[str, Any]]:
    """The shipped TikTok checks' shapes, pointed at the local imitation."""
    query = {"method": "POST", "url": f"{base}/v2/research/video/query/",
             "query": {"fields": "id,like_count"}, "json": {"query": {"and": []}}}  # fmt: skip
    return [
        check(
            "token-invalid-client",
            f"{base}/v2/oauth/token/",
            method="POST",
            form={"client_key": "bogus-key", "client_secret": "bogus", "grant_type": "x"},
            expect={"json": [{"path": "error", "equals": "invalid_client"}]},
        ),
        {
            **check("research-query-without-token", query["url"]),
            "request": query,
            "expect": {
                "status": [401],
                "json": [{"path": "error.code", "equals": "access_token_invalid"}],
            },
        },
        {
            **check("research-scope-not-authorized", query["url"]),
            "request": query,
            "auth": "client_credentials",
            "expect": {
                "status": [401],
                "json": [{"path": "error.code", "equals": "scope_not_authorized"}],
            },
        },
        check(
            "display-user-info-without-token",
            f"{base}/v2/user/info/",
            api="display",
            expect={"status": [401]},
        ),
        check(
            "tos-automated-scripts-clause",
            f"{base}/legal/tos",
            api="tos",
            expect={"status": [200], "text": ["automated scripts to collect information"]},
        ),
    ]


def write_checks(root: Path, checks: list[dict[str, Any]], base: str = "") -> Path:
    """A project with `checks/local.yml` (auth against `base`) and an empty `cassettes/`."""
    (root / "checks").mkdir(parents=True, exist_ok=True)
    (root / "cassettes").mkdir(exist_ok=True)
    data: dict[str, Any] = {"checks": checks}
    if base:
        data["auth"] = {"token_url": f"{base}/v2/oauth/token/",
                        "client_key": "${TIKTOK_CLIENT_KEY}",
                        "client_secret": "${TIKTOK_CLIENT_SECRET}"}  # fmt: skip
    path = root / "checks" / "local.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def build_site(root: Path, pages: dict[str, str]) -> Path:
    """Build a tiny strict MkDocs project in `root` whose pages use the apifit macros."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = {
        "site_name": "t",
        "strict": True,
        "plugins": [{"macros": {"modules": ["apifit.site.macros"], "on_error_fail": True,
                                "on_undefined": "strict", "render_by_default": False}}],
        "markdown_extensions": ["attr_list", "admonition", "tables", "toc"],
    }  # fmt: skip
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    # The macros load the project's assessments at startup; these pages use none of them.
    shutil.copytree(ROOT / "assessments", root / "assessments", dirs_exist_ok=True)
    for name, body in pages.items():
        page = root / "docs" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\nrender_macros: true\n---\n\n{body}\n")
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


@dataclass
class Gate:
    """A local API whose `/slow/...` answers wait until the gate opens: a run can be caught in
    flight without timing anything."""

    base: str
    arrived: threading.Event
    opened: threading.Event


@contextmanager
def gated_server() -> Iterator[Gate]:
    arrived, opened = threading.Event(), threading.Event()

    class Handler(QuietHandlerMixin, BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/slow/"):
                arrived.set()
                opened.wait(60)
            body = b'{"error": {"code": "ok"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with localserver.serve(Handler) as base:
        try:
            yield Gate(base.rstrip("/"), arrived, opened)
        finally:
            opened.set()


# What the fault-mix imitation answers, and how often (of 100): a realistic bad day.
FAULT_MIX = {"ok": 50, "wrong": 10, "timeout": 6, "rate": 8, "server": 8, "truncated": 9,
             "captcha": 9}  # fmt: skip
MIX_TOKEN = "mix-token-7c41e0"


def fault_mix(n: int, seed: int = 16) -> list[str]:
    """The answer kind of each of n checks, drawn once per seed."""
    return random.Random(seed).choices(list(FAULT_MIX), weights=list(FAULT_MIX.values()), k=n)


def mix_checks(base: str, kinds: list[str]) -> list[dict[str, Any]]:
    # A new expectation each, or YAML would write one and alias it a thousand times.
    def expect() -> dict[str, Any]:
        return {"json": [{"path": "error.code", "equals": "ok"},
                         {"path": "token_type", "equals": "Bearer"},
                         {"path": "access_token", "exists": True}]}  # fmt: skip

    return [check(f"mix-{i:04d}", f"{base}/mix/{kind}/{i}", expect=expect())
            for i, kind in enumerate(kinds)]  # fmt: skip


@contextmanager
def fault_mix_server() -> Iterator[str]:
    """A local API answering `/mix/<kind>/<i>` as the kind says: a complete token answer, a
    contradicting one, no answer until the run is over, 429, 503, a body cut short, a captcha."""
    over = threading.Event()

    class Handler(QuietHandlerMixin, BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", headers.pop("length", str(len(body))))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            kind, index = self.path.split("/")[2:4]
            token = json.dumps({"error": {"code": "ok"}, "token_type": "Bearer",
                                "expires_in": 86400, "access_token": f"{MIX_TOKEN}-{index}"}
                               ).encode()  # fmt: skip
            if kind == "ok":
                self._send(200, token, "application/json")
            elif kind == "wrong":
                self._send(200, b'{"error": {"code": "scope_not_authorized"}}', "application/json")
            elif kind == "timeout":
                over.wait(60)
            elif kind == "rate":
                self._send(429, b'{"error": {"code": "rate_limit_exceeded"}}', "application/json",
                           **{"Retry-After": "30"})  # fmt: skip
            elif kind == "server":
                self._send(503, b"Service Unavailable", "text/plain")
            elif kind == "truncated":
                self._send(200, token[:12], "application/json", length=str(len(token)))
            else:
                self._send(200, CAPTCHA_HTML.encode(), "text/html")

    with localserver.serve(Handler) as base:
        try:
            yield base.rstrip("/")
        finally:
            over.set()
