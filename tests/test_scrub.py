from __future__ import annotations

import json

from vcr.request import Request

from apifit.scrub import REDACTED, Scrubber


def test_secret_headers_are_redacted_whatever_their_case() -> None:
    request = Request(
        "GET", "http://h/x", b"", {"AUTHORIZATION": "bearer abc", "Cookie": "s=1", "X-Ok": "1"}
    )
    headers = dict(Scrubber().request(request).headers)
    assert headers["AUTHORIZATION"] == REDACTED
    assert headers["Cookie"] == REDACTED
    assert headers["X-Ok"] == "1"


def test_response_set_cookie_is_redacted_with_any_case() -> None:
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"SET-COOKIE": ["a=1", "b=2"], "Content-Type": ["text/plain"]},
        "body": {"string": b"hi"},
    }
    assert Scrubber().response(response)["headers"]["SET-COOKIE"] == [REDACTED, REDACTED]


def test_query_string_fields_are_redacted() -> None:
    request = Request("GET", "http://h/x?client_key=k1&fields=id,name", b"", {})
    assert Scrubber().request(request).uri == f"http://h/x?client_key={REDACTED}&fields=id,name"


def test_form_body_fields_are_redacted_and_length_follows() -> None:
    body = b"client_key=k1&client_secret=s1&grant_type=client_credentials"
    headers = {"content-type": "application/x-www-form-urlencoded", "content-length": "60"}
    request = Scrubber().request(Request("POST", "http://h/t", body, headers))
    assert request.body == (
        f"client_key={REDACTED}&client_secret={REDACTED}&grant_type=client_credentials".encode()
    )
    assert request.headers["content-length"] == str(len(request.body))


def test_json_fields_are_redacted_at_any_depth() -> None:
    body = json.dumps({"a": [{"b": {"Refresh_Token": "r1", "keep": "k"}}], "access_token": "t"})
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"content-type": ["application/json"], "Content-Length": ["999"]},
        "body": {"string": body.encode()},
    }
    out = Scrubber().response(response)
    data = json.loads(out["body"]["string"])
    assert data == {
        "a": [{"b": {"Refresh_Token": REDACTED, "keep": "k"}}],
        "access_token": REDACTED,
    }
    assert out["headers"]["Content-Length"] == [str(len(out["body"]["string"]))]


def test_known_secret_values_are_replaced_anywhere() -> None:
    scrubber = Scrubber(["supersecret-1"])
    scrubber.add("token-learnt-later")
    text = "echo supersecret-1 and token-learnt-later in a message"
    assert scrubber.text(text) == f"echo {REDACTED} and {REDACTED} in a message"


def test_untouched_json_keeps_its_bytes() -> None:
    body = b'{"error":{"code":"ok"}}'
    response = {"status": {"code": 200}, "headers": {}, "body": {"string": body}}
    assert Scrubber().response(response)["body"]["string"] == body
