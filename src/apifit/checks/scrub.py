"""Remove secrets from everything apifit writes or prints, before it leaves the process.

One `Scrubber` per run. It redacts by field name and by value:

- a header, query or form field, or a JSON key at any depth, whose name looks like a
  credential's (token, secret, password, session, cookie, signature, api key, auth, in any
  case and with any separator: `X-Upstream-Token`, `session_id`, `apiKey`) has its value
  replaced; names are matched case-insensitively everywhere (a case-sensitive `set-cookie`
  lookup is how session cookies got committed elsewhere);
- in JSON, only string values are replaced, at any depth under such a name: keys, shape,
  numbers, booleans and nulls stay, so an answer keeps what a check may judge without reading
  a secret. A name that describes a credential rather than holding it (`token_type`,
  `expires_in`, `scope`: RFC 6749 section 5.1 says these are not secret; `signature_version`,
  `session.state`) is kept, and so is everything under it;
- every value redacted that way, and every credential the run was given, is remembered and
  replaced wherever else it appears: inside URLs (percent-encoded too), longer strings, HTML,
  JSON-escaped text, or a failure reason quoting part of an answer.

Recordings are learnt whole (`learn`) before anything is written, so a token that only a later
answer reveals is still removed from an earlier request. Derived text (reasons, progress lines,
reports, log records, exception messages) passes `message`, which also redacts any
`name: value` / `name=value` pair whose name looks like a credential's.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from vcr.request import Request as VcrRequest

REDACTED = "REDACTED"
# Parts of a field name that make it a credential's. Names are normalised first (camelCase
# split, every separator turned into `_`), so `apiKey`, `API-Key` and `api_key` all match; a
# `key` or `sid` must be a whole part (`client_key`, not `keyword`).
_WORDS = (
    r"token|secret|passw|pwd|sess(?:ion|id)|cookie|signature|api_?key|auth|credential|csrf|xsrf"
)
SECRET_NAME = re.compile(rf"{_WORDS}|(?:^|_)(?:key|sid)(?:$|_)")
# Names that say what a credential is (its kind, version, lifetime, reach, state), not what it
# holds: the last part of the normalised name decides, so `token_type` and `session.state`
# are kept while `state_token` is not.
DESCRIBES = re.compile(
    r"(?:^|_)(?:type|version|scope|state|status|method|algorithm|alg"
    r"|expires(?:_in|_at)?|expiry|expiration)$"
)
# Shell variables whose names hold a credential word but whose values are working directories
# (POSIX sh sets both): `pwd` names a password in MYSQL_PWD and a path in PWD.
_WORKING_DIRECTORIES = frozenset(("PWD", "OLDPWD"))
# Values this short are too likely to appear by chance to be replaced everywhere.
MIN_SECRET_LEN = 6
# Set-Cookie attributes: not secrets themselves, and common words.
_COOKIE_ATTRIBUTES = frozenset(
    ("path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "partitioned")
)
_NAME_CHARS = r"[A-Za-z0-9_.\-]*"
# `name: value`, `name=value`, `"name": "value"` in free text, for `message`; the name must
# hold a credential word, so that a plain `error: "..."` does not swallow the pair after it.
_PAIR = re.compile(
    rf"(?i)(?P<name>{_NAME_CHARS}(?:{_WORDS}|key|sid){_NAME_CHARS})"
    rf"(?P<sep>[\"']?\s*[:=]\s*[\"']?)(?P<value>[^\s\"'&;,}}\]\)]+)"
)


def _normalised(name: str) -> str:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower())


def is_secret_field(name: str) -> bool:
    """Does this header, query, form or JSON field name look like it carries a credential?"""
    normalised = _normalised(name)
    return SECRET_NAME.search(normalised) is not None and DESCRIBES.search(normalised) is None


def is_secret_variable(name: str) -> bool:
    """Does this environment variable's name look like it holds a credential?"""
    return name not in _WORKING_DIRECTORIES and is_secret_field(name)


def _within(name: str, within: bool) -> bool:
    """Are string values under `name` secret, given whether its parent's are?"""
    return DESCRIBES.search(_normalised(name)) is None and (within or is_secret_field(name))


def redacted_path(path: str) -> bool:
    """Does a recording redact the strings at this dotted JSON path (`session.id`, `a.0.token`)?

    The same rule as `Scrubber.data`: a list index neither starts nor ends a secret part."""
    within = False
    for part in path.split("."):
        if not part.isdigit():
            within = _within(part, within)
    return within


def _token_like(value: str) -> bool:
    """Worth replacing everywhere: a word such as `Bearer` (a `token_type`) is not a secret."""
    return len(value) >= MIN_SECRET_LEN and not value.isalpha()


def _parts(value: str) -> Iterator[str]:
    """The secret pieces of a redacted value: itself, a bearer token, each cookie's value."""
    yield value
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() in ("bearer", "basic", "token", "digest"):
        yield rest.strip()
    for segment in re.split(r"[;,]", value):
        name, eq, cookie = segment.partition("=")
        if eq and name.strip().lower() not in _COOKIE_ATTRIBUTES:
            yield cookie.strip().strip('"')


class Scrubber:
    """Scrubs requests, responses and text; knows every secret value of the current run."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self.values: set[str] = set()
        # Every form of every value (as written, URL-encoded, JSON-escaped) by its first
        # MIN_SECRET_LEN characters, longest first: `text` then reads each text once, whatever
        # the number of secrets (a run of 1,000 checks learns 1,000 tokens).
        self._forms: dict[str, list[str]] = {}
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        """Treat a value as a secret from now on (a credential, a token an answer carried)."""
        for part in _parts(value):
            if len(part) >= MIN_SECRET_LEN and part != REDACTED and part not in self.values:
                self.values.add(part)
                for form in {part, quote(part, safe=""), quote_plus(part), json.dumps(part)[1:-1]}:
                    forms = self._forms.setdefault(form[:MIN_SECRET_LEN], [])
                    forms.append(form)
                    forms.sort(key=len, reverse=True)

    def _redact(self, value: str) -> str:
        """REDACTED, remembering `value` when it may appear elsewhere."""
        if _token_like(value):
            self.add(value)
        return REDACTED

    def _walk(self, value: Any, within: bool, plain: Callable[[str], str]) -> Any:
        """JSON-like `value` with the strings under credential names redacted (see the module
        docstring) and every other string passed through `plain`."""
        if isinstance(value, dict):
            return {k: self._walk(v, _within(str(k), within), plain) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, within, plain) for v in value]
        if isinstance(value, str):
            return self._redact(value) if within else plain(value)
        return value

    def text(self, text: str) -> str:
        """Replace every known secret value, as written and as URLs and JSON would encode it.

        Overlapping occurrences become one REDACTED, so no part of either secret is left."""
        if not self._forms:
            return text
        pieces: list[str] = []
        kept, start, end = 0, 0, -1  # text[start:end] is the secret span being gathered
        for i in range(len(text) - MIN_SECRET_LEN + 1):
            for form in self._forms.get(text[i : i + MIN_SECRET_LEN], ()):
                if text.startswith(form, i):  # the longest form here reaches furthest
                    if i >= end:
                        if end >= 0:
                            pieces += [text[kept:start], REDACTED]
                            kept = end
                        start = i
                    end = max(end, i + len(form))
                    break
        if end >= 0:
            pieces += [text[kept:start], REDACTED]
            kept = end
        return "".join(pieces) + text[kept:]

    def message(self, text: str) -> str:
        """Scrub derived text: known values, then any credential-named `name: value` pair."""

        def pair(match: re.Match[str]) -> str:
            if not (is_secret_field(match["name"]) and _token_like(match["value"])):
                return match[0]
            return f"{match['name']}{match['sep']}{REDACTED}"

        return _PAIR.sub(pair, self.text(text))

    def data(self, value: Any, *, secret: bool = False) -> Any:
        """Scrub JSON-like data: credential-named keys at any depth, then strings by value;
        `secret`: `value` sits under a credential name (see `redacted_path`)."""
        return self._walk(value, secret, self.message)

    def _pairs(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, self._redact(v) if is_secret_field(k) else v) for k, v in pairs]

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.query:
            query = urlencode(self._pairs(parse_qsl(parts.query, keep_blank_values=True)), safe=",")
            parts = parts._replace(query=query)
        if "@" in parts.netloc:  # user:password@host
            userinfo, _, host = parts.netloc.rpartition("@")
            self.add(userinfo)
            parts = parts._replace(netloc=f"{REDACTED}@{host}")
        return self.text(urlunsplit(parts))

    def body(self, body: bytes, content_type: str) -> bytes:
        """Scrub a JSON or form body by field, then any body by known value."""
        text = body.decode("utf-8", errors="surrogateescape")
        if "json" in content_type or text.lstrip().startswith(("{", "[")):
            try:
                data = json.loads(text)
            except ValueError:
                data = None  # Not JSON after all (or truncated): the value pass still applies.
            clean = self._walk(data, False, str)
            if clean != data:  # Re-serialise only when needed, so untouched bodies stay as sent.
                text = json.dumps(clean, ensure_ascii=False)
        elif "x-www-form-urlencoded" in content_type:
            text = urlencode(self._pairs(parse_qsl(text, keep_blank_values=True)))
        return self.text(text).encode("utf-8", errors="surrogateescape")

    def _header(self, value: str) -> str:
        # A URL in a header (Location, Link, Content-Location) has its query scrubbed by field.
        return self.url(value) if "://" in value or value.startswith("/") else self.text(value)

    def headers(self, headers: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in headers.items():
            if is_secret_field(name):
                values = value if isinstance(value, list) else [value]
                for item in values:
                    self._redact(str(item))
                out[name] = [REDACTED] * len(values) if isinstance(value, list) else REDACTED
            elif isinstance(value, list):
                out[name] = [self._header(str(v)) for v in value]
            else:
                out[name] = self._header(str(value))
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


class _LogScrub(logging.Filter):
    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__()
        self.scrubber = scrubber

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.scrubber.message(record.getMessage())
        record.args = None
        return True


@contextmanager
def scrubbed_logs(scrubber: Scrubber) -> Iterator[None]:
    """Scrub every log record that reaches a root handler (the console, a file, pytest's
    capture) while the block runs: libraries log URLs and headers of a live run."""
    # Python's last-resort handler prints warnings when no handler is configured (the CLI).
    last = [logging.lastResort] if logging.lastResort is not None else []
    handlers = [*logging.getLogger().handlers, *last]
    log_filter = _LogScrub(scrubber)
    for handler in handlers:
        handler.addFilter(log_filter)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(log_filter)
