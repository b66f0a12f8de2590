from __future__ import annotations

import socket
import ssl

import httpx
import pytest
from checkserver import CAPTCHA_HTML, SPA_HTML, TERMS_HTML, truncating_server
from pytest_httpserver import HTTPServer

from apifit.checks.faults import Reason, from_answer, from_exception, text_absent
from apifit.checks.pagetext import read_html


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_timeout_is_inconclusive() -> None:
    fault = from_exception(httpx.ReadTimeout("slow"))
    assert fault is not None and fault.reason == Reason.TIMEOUT


def test_connection_refused_is_recognised() -> None:
    with pytest.raises(httpx.ConnectError) as info:
        httpx.get(f"http://127.0.0.1:{_closed_port()}/")
    fault = from_exception(info.value)
    assert fault is not None and fault.reason == Reason.CONNECTION_REFUSED


def test_dns_failure_is_recognised_from_the_cause_chain() -> None:
    exc = httpx.ConnectError("[Errno -2] Name or service not known")
    exc.__cause__ = socket.gaierror(-2, "Name or service not known")
    fault = from_exception(exc)
    assert fault is not None and fault.reason == Reason.DNS_FAILURE


def test_tls_error_is_recognised(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("plain http")
    with pytest.raises(httpx.ConnectError) as info:
        httpx.get(f"https://127.0.0.1:{httpserver.port}/", verify=ssl.create_default_context())
    fault = from_exception(info.value)
    assert fault is not None and fault.reason == Reason.TLS_ERROR


def test_body_cut_short_is_truncated() -> None:
    with truncating_server() as base, pytest.raises(httpx.RemoteProtocolError) as info:
        httpx.get(base)
    fault = from_exception(info.value)
    assert fault is not None and fault.reason == Reason.TRUNCATED


def test_an_error_that_is_not_a_transport_failure_is_not_mapped() -> None:
    assert from_exception(ValueError("bug")) is None


def _answer(status: int, body: str, wants_json: bool = True, **headers: str) -> Reason | None:
    fault = from_answer(status, httpx.Headers(headers), body, wants_json=wants_json)
    return fault.reason if fault else None


def test_rate_limit_reports_retry_after() -> None:
    fault = from_answer(429, httpx.Headers({"Retry-After": "30"}), "{}", wants_json=True)
    assert fault is not None and fault.reason == Reason.RATE_LIMITED
    assert "Retry-After: 30" in str(fault)


def test_server_error_is_inconclusive() -> None:
    assert _answer(503, "{}") == Reason.SERVER_ERROR


def test_html_where_json_was_expected_is_a_bot_wall() -> None:
    assert _answer(200, CAPTCHA_HTML, **{"content-type": "text/html"}) == Reason.BOT_WALL


def test_json_that_ends_early_is_truncated() -> None:
    assert _answer(200, '{"error": {"co') == Reason.TRUNCATED


def test_body_shorter_than_its_content_length_is_truncated() -> None:
    assert _answer(200, "{}", **{"content-length": "50"}) == Reason.TRUNCATED


def test_a_plain_401_json_answer_can_be_judged() -> None:
    assert _answer(401, '{"error": {"code": "x"}}') is None


def test_absent_text_on_a_script_page_is_script_rendered() -> None:
    fault = text_absent(read_html(SPA_HTML))
    assert fault is not None and fault.reason == Reason.SCRIPT_RENDERED


def test_absent_text_on_a_captcha_page_is_a_bot_wall() -> None:
    fault = text_absent(read_html(CAPTCHA_HTML))
    assert fault is not None and fault.reason == Reason.BOT_WALL


def test_absent_text_on_a_full_server_rendered_page_has_no_excuse() -> None:
    assert text_absent(read_html(TERMS_HTML)) is None


def test_captcha_named_only_inside_scripts_is_not_a_bot_wall() -> None:
    scripts = "<script>window.captcha={captchaUrl:'/captcha/verify'};loadCaptcha();</script>" * 25
    page = TERMS_HTML.replace("<body>", f"<body>{scripts}")
    assert text_absent(read_html(page)) is None


def test_a_challenge_frame_is_a_bot_wall_even_on_a_long_page() -> None:
    frame = '<iframe src="https://verify.example/captcha/challenge"></iframe>'
    fault = text_absent(read_html(TERMS_HTML.replace("<body>", f"<body>{frame}")))
    assert fault is not None and fault.reason == Reason.BOT_WALL


def test_a_challenge_named_in_the_title_is_a_bot_wall() -> None:
    page = TERMS_HTML.replace("<html>", "<html><head><title>Security Check</title></head>")
    fault = text_absent(read_html(page))
    assert fault is not None and fault.reason == Reason.BOT_WALL
