from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vcr.request import Request

from apifit.checks.scrub import (
    REDACTED,
    Scrubber,
    is_secret_field,
    is_secret_variable,
    redacted_path,
    scrubbed_logs,
)


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


@pytest.mark.parametrize(
    "name",
    ["X-Something-Token", "x-session-id", "session_id", "api-key", "apiKey", "X-API-KEY",
     "set-cookie", "SET-COOKIE", "X-Amz-Signature", "Proxy-Authorization", "db_password",
     "client_key", "PHPSESSID", "csrftoken", "refreshToken"],
)  # fmt: skip
def test_credential_looking_names_are_secret_in_any_case_and_separator(name: str) -> None:
    assert is_secret_field(name)


@pytest.mark.parametrize(
    "name", ["content-type", "x-tt-logid", "log_id", "error", "keyword", "fields", "grant_type"]
)
def test_ordinary_names_are_kept(name: str) -> None:
    assert not is_secret_field(name)


def test_a_value_scrubbed_by_name_is_removed_wherever_else_it_appears() -> None:
    scrubber = Scrubber()
    headers = scrubber.headers({"X-Upstream-Token": ["tok/en+123"], "X-Note": ["got tok/en+123"]})
    assert headers == {"X-Upstream-Token": [REDACTED], "X-Note": [f"got {REDACTED}"]}
    # Later, percent-encoded inside a longer string.
    assert scrubber.text("/p?next=tok%2Fen%2B123&x=1") == f"/p?next={REDACTED}&x=1"


def test_each_cookie_value_is_learnt_not_only_the_whole_header() -> None:
    scrubber = Scrubber()
    scrubber.headers({"Set-Cookie": ["sid=abc123def; Path=/; HttpOnly"]})
    assert scrubber.text("echo abc123def, Path stays") == f"echo {REDACTED}, Path stays"


def test_a_location_header_has_its_credential_query_fields_scrubbed() -> None:
    scrubber = Scrubber()
    out = scrubber.headers({"Location": ["/landing?token=loc-123456&page=2"]})
    assert out == {"Location": [f"/landing?token={REDACTED}&page=2"]}
    assert scrubber.text("came with loc-123456") == f"came with {REDACTED}"


def test_credentials_in_a_url_before_the_host_are_scrubbed() -> None:
    assert Scrubber().url("https://me:pw12345@h/x") == f"https://{REDACTED}@h/x"


def test_a_message_loses_credential_named_pairs_but_keeps_words() -> None:
    scrubber = Scrubber()
    text = 'failed: "refresh_token": "r-12345678", api_key=k9k9k9k9; missing credentials: set X'
    assert scrubber.message(text) == (
        f'failed: "refresh_token": "{REDACTED}", api_key={REDACTED}; missing credentials: set X'
    )


def test_a_word_such_as_a_token_type_is_not_learnt_as_a_secret() -> None:
    scrubber = Scrubber()
    scrubber.body(b'{"token_type": "Bearer", "access_token": "t-123456"}', "application/json")
    assert scrubber.text("Bearer t-123456") == f"Bearer {REDACTED}"


def test_log_records_are_scrubbed_while_a_run_lasts(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("some.library")
    with caplog.at_level(logging.INFO):
        with scrubbed_logs(Scrubber(["cred-123456"])):
            log.info("GET %s", "https://h/x?client_key=cred-123456")
        log.info("after: cred-123456")
    assert [r.getMessage() for r in caplog.records] == [
        f"GET https://h/x?client_key={REDACTED}",
        "after: cred-123456",
    ]


def test_warnings_printed_without_a_configured_handler_are_scrubbed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as in the CLI: no logging set up
    with scrubbed_logs(Scrubber(["cred-123456"])):
        logging.getLogger("some.library").warning("retrying with cred-123456")
    assert capsys.readouterr().err == f"retrying with {REDACTED}\n"


def _json_answer(data: object) -> object:
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"content-type": ["application/json"]},
        "body": {"string": json.dumps(data).encode()},
    }
    return json.loads(Scrubber().response(response)["body"]["string"])


def test_a_credential_name_redacts_the_strings_under_it_and_keeps_keys_shape_and_scalars() -> None:
    session = {"id": "s-12345678", "state": "active", "ttl": 3600, "live": True, "end": None,
               "devices": [{"name": "phone"}, "d-98765432"]}  # fmt: skip
    assert _json_answer({"session": session}) == {
        "session": {"id": REDACTED, "state": "active", "ttl": 3600, "live": True, "end": None,
                    "devices": [{"name": REDACTED}, REDACTED]}
    }  # fmt: skip


def test_an_oauth_token_answer_keeps_the_fields_rfc_6749_calls_not_secret() -> None:
    answer = {"access_token": "act.1234567890", "token_type": "Bearer", "expires_in": 86400,
              "scope": "research.data.basic", "refresh_token": "rft.0987654321",
              "signature_version": "v4"}  # fmt: skip
    assert _json_answer(answer) == {**answer, "access_token": REDACTED, "refresh_token": REDACTED}


@pytest.mark.parametrize(
    ("path", "redacted"),
    [("access_token", True), ("data.session.id", True), ("session.0.id", True),
     ("session.state", False), ("token_type", False), ("token.expires_in", False),
     ("error.code", False), ("data.0.keyword", False), ("signature_version", False)],
)  # fmt: skip
def test_redacted_path_agrees_with_what_a_recording_redacts(path: str, redacted: bool) -> None:
    assert redacted_path(path) is redacted


@pytest.mark.parametrize("name", ["PWD", "OLDPWD", "HOME", "PATH", "TOKEN_TYPE"])
def test_working_directories_and_ordinary_variables_are_not_secret(name: str) -> None:
    assert not is_secret_variable(name)


@pytest.mark.parametrize(
    "name", ["MYSQL_PWD", "PGPASSWORD", "GITHUB_TOKEN", "TIKTOK_CLIENT_SECRET", "AWS_ACCESS_KEY_ID"]
)
def test_credential_variables_are_secret(name: str) -> None:
    assert is_secret_variable(name)


def test_overlapping_secrets_are_replaced_as_one_leaving_no_part_of_either() -> None:
    scrubber = Scrubber(["Zabcdef1", "def1ghij-2"])
    assert scrubber.text("x Zabcdef1ghij-2 y Zabcdef1") == f"x {REDACTED} y {REDACTED}"


@given(
    secrets=st.lists(st.text("ab-1", min_size=6, max_size=9), min_size=1, max_size=4),
    pieces=st.lists(st.text("ab-1 ", max_size=12), max_size=6),
)
def test_no_known_secret_survives_in_any_text(secrets: list[str], pieces: list[str]) -> None:
    scrubber = Scrubber(secrets)
    text = "".join(p + s for p, s in zip(pieces, secrets * 3, strict=False))
    assert [s for s in secrets if s in scrubber.text(text)] == []
