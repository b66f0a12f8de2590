from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from apifit.measure.localserver import QuietHandlerMixin, serve


class _Hello(QuietHandlerMixin, BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")


def test_serves_the_handler_on_loopback_with_a_trailing_slash() -> None:
    with serve(_Hello) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        assert httpx.get(base).text == "hello"


def test_stops_listening_when_the_block_ends() -> None:
    with serve(_Hello) as base:
        pass
    with pytest.raises(httpx.ConnectError):
        httpx.get(base)
