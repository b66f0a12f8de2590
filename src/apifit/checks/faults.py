"""Why a check could not decide: every inconclusive reason, derived in this one place.

Like httpx's `_exceptions.py`, this is a map of what can go wrong. Transport failures come
from httpx's exception families (walking the cause chain down to the OS error); answers that
carry no verdict (rate limiting, server errors, bot walls, truncated or script-rendered pages)
are recognised from the recorded HTTP answer, so replay and live runs agree.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum

import httpx

from apifit.checks.pagetext import Page


class Status(StrEnum):
    """A check's status, most actionable first."""

    FAILED = "failed"  # the claim is contradicted
    INCONCLUSIVE = "inconclusive"  # no verdict: see the reason
    STALE = "stale"  # the recording is older than the allowed age
    NOT_RECORDED = "not recorded"
    PASSED = "passed"


class Reason(StrEnum):
    """Why a check is inconclusive."""

    # transport
    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection refused"
    DNS_FAILURE = "DNS failure"
    TLS_ERROR = "TLS error"
    TRUNCATED = "truncated body"
    NETWORK = "network error"
    # answers without a verdict
    RATE_LIMITED = "rate limited"
    SERVER_ERROR = "server error"
    BOT_WALL = "bot wall or captcha"
    NOT_JSON = "answer is not JSON"
    SCRIPT_RENDERED = "page rendered by JavaScript"
    AUTH_FAILED = "auth step failed"
    MISSING_CREDENTIALS = "missing credentials"


@dataclass(frozen=True)
class Inconclusive:
    reason: Reason
    detail: str = ""
    # False when no server answered at all (the name did not resolve, nothing listened, the
    # connection never opened): that says something about this machine's network, not the API.
    reached: bool = True

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else str(self.reason)


_DNS_TEXT = ("name or service not known", "nodename nor servname", "name resolution", "getaddrinfo")


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def from_exception(exc: Exception, timeout: float | None = None) -> Inconclusive | None:
    """The reason for a transport failure, or None when `exc` is not one (a bug: re-raise).

    `timeout` is how long the client waited, for a timeout's reason to say."""
    if isinstance(exc, httpx.TimeoutException):
        connected = not isinstance(exc, httpx.ConnectTimeout)
        kind = type(exc).__name__
        detail = kind if timeout is None else f"no answer within {timeout:g} s ({kind})"
        return Inconclusive(Reason.TIMEOUT, detail, reached=connected)
    if not isinstance(exc, httpx.TransportError):
        return None
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)
    lowered = text.lower()
    if (
        any(isinstance(e, ssl.SSLError) for e in chain)
        or "ssl" in lowered
        or "certificate" in lowered
    ):
        return Inconclusive(Reason.TLS_ERROR, str(exc))
    if any(isinstance(e, socket.gaierror) for e in chain) or any(t in lowered for t in _DNS_TEXT):
        return Inconclusive(Reason.DNS_FAILURE, str(exc), reached=False)
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in lowered:
        return Inconclusive(Reason.CONNECTION_REFUSED, str(exc), reached=False)
    if isinstance(exc, httpx.RemoteProtocolError) and "message body" in lowered:
        return Inconclusive(Reason.TRUNCATED, str(exc))
    return Inconclusive(Reason.NETWORK, f"{type(exc).__name__}: {exc}")


# Words a reader is shown when a page is withheld until they prove they are human.
_BOT_WALL = re.compile(
    r"captcha|verify you are (a )?human|are you a robot|access denied|unusual traffic"
    r"|security check|please enable cookies",
    re.IGNORECASE,
)
# Below this much visible text, a page that ships scripts is taken as rendered in the browser,
# and a page whose text speaks of a captcha is taken as the challenge itself.
MIN_SERVER_RENDERED_TEXT = 1000


def looks_like_html(body: str, content_type: str) -> bool:
    return "html" in content_type or body.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def from_answer(
    status: int, headers: httpx.Headers, body: str, *, wants_json: bool
) -> Inconclusive | None:
    """The reason an HTTP answer holds no verdict, or None when it can be judged."""
    if status == 429:
        retry = headers.get("retry-after")
        return Inconclusive(Reason.RATE_LIMITED, f"HTTP 429, Retry-After: {retry or 'not given'}")
    if status >= 500:
        return Inconclusive(Reason.SERVER_ERROR, f"HTTP {status}")
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > len(body.encode()):
        return Inconclusive(Reason.TRUNCATED, f"{len(body.encode())} of {declared} bytes received")
    content_type = headers.get("content-type", "")
    if wants_json:
        try:
            json.loads(body)
        except ValueError:
            if looks_like_html(body, content_type):
                return Inconclusive(Reason.BOT_WALL, "HTML page where JSON was expected")
            if body.lstrip().startswith(("{", "[")):
                return Inconclusive(Reason.TRUNCATED, "JSON answer ends early")
            return Inconclusive(Reason.NOT_JSON, content_type or "no content type")
    return None


def text_absent(page: Page) -> Inconclusive | None:
    """For an expected text that is absent: was the page withheld, or never in the HTML?

    Judged on what a reader sees (title, visible text, a challenge form or frame), never on
    script contents: tiktok.com's scripts name "captcha" on pages that show no challenge.
    """
    short = len(page.text) < MIN_SERVER_RENDERED_TEXT
    if page.challenge or _BOT_WALL.search(page.title) or (short and _BOT_WALL.search(page.text)):
        return Inconclusive(Reason.BOT_WALL, "the page asks to prove a human is reading")
    if page.scripts and short:
        return Inconclusive(
            Reason.SCRIPT_RENDERED, "the text is not in the HTML; a browser would render it"
        )
    return None
