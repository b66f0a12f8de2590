"""Remove secrets from what is recorded, before it touches the disk.

Used as vcrpy's `before_record_request` / `before_record_response`. Field names are matched
case-insensitively everywhere (a case-sensitive `set-cookie` lookup is how session cookies
got committed elsewhere), and known secret values (credential variables, tokens obtained by
an auth step) are replaced wherever they appear, whatever field carries them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from vcr.request import Request as VcrRequest

REDACTED = "REDACTED"
# Fields whose value is a secret wherever they appear: headers, query, form, JSON at any depth.
SECRET_FIELDS = frozenset(
    ("authorization", "cookie", "set-cookie", "client_key", "client_secret", "access_token",
     "refresh_token", "proxy-authorization")
)  # fmt: skip
# Values this short are too likely to appear by chance to be replaced everywhere.
MIN_SECRET_LEN = 6


def is_secret_field(name: str) -> bool:
    return name.lower() in SECRET_FIELDS


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if is_secret_field(k) else _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, REDACTED if is_secret_field(k) else v) for k, v in pairs]


class Scrubber:
    """Scrubs requests and responses; knows the secret values of the current run."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values = {v for v in values if len(v) >= MIN_SECRET_LEN}

    def add(self, value: str) -> None:
        """Treat a value learnt during the run (an access token) as a secret from now on."""
        if len(value) >= MIN_SECRET_LEN:
            self.values.add(value)

    def text(self, text: str) -> str:
        # Longest first, so that a secret containing another is replaced whole.
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        query = urlencode(_pairs(parse_qsl(parts.query, keep_blank_values=True)), safe=",")
        return self.text(urlunsplit(parts._replace(query=query)))

    def body(self, body: bytes, content_type: str) -> bytes:
        """Scrub a JSON or form body by field, then any body by known value."""
        text = body.decode("utf-8", errors="surrogateescape")
        if "json" in content_type or text.lstrip().startswith(("{", "[")):
            try:
                data = json.loads(text)
            except ValueError:
                data = None  # Not JSON after all (or truncated): the value pass still applies.
            clean = _json(data)
            if clean != data:  # Re-serialise only when needed, so untouched bodies stay as sent.
                text = json.dumps(clean, ensure_ascii=False)
        elif "x-www-form-urlencoded" in content_type:
            text = urlencode(_pairs(parse_qsl(text, keep_blank_values=True)))
        return self.text(text).encode("utf-8", errors="surrogateescape")

    def headers(self, headers: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in headers.items():
            if is_secret_field(name):
                out[name] = [REDACTED] * len(value) if isinstance(value, list) else REDACTED
            elif isinstance(value, list):
                out[name] = [self.text(str(v)) for v in value]
            else:
                out[name] = self.text(str(value))
        return out

    def request(self, request: VcrRequest) -> VcrRequest:
        """vcrpy `before_record_request` hook."""
        content_type = str(request.headers.get("content-type", ""))
        body = request.body_bytes
        if body:
            request.body = self.body(body, content_type)
            if "content-length" in request.headers:
                request.headers["content-length"] = str(len(request.body_bytes))
        request.headers = self.headers(dict(request.headers))
        request.uri = self.url(request.uri)
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """vcrpy `before_record_response` hook."""
        headers = self.headers(response["headers"])
        content_type = next(
            (str(v[0]) for k, v in headers.items() if k.lower() == "content-type" and v), ""
        )
        body = response["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        scrubbed = self.body(body, content_type)
        # Keep Content-Length true to the stored body, or replay would look truncated.
        for name in headers:
            if name.lower() == "content-length":
                headers[name] = [str(len(scrubbed))]
        return {**response, "headers": headers, "body": {"string": scrubbed}}
