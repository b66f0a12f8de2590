"""Scan recordings and the built site for secret-shaped values before anything is published.

Scrubbing is the first line; this scan is the one that actually proves nothing leaked. It
looks for the scrubbed field names carrying a real value, bearer tokens, and the values of
the credential variables the checks use (when they are set). A hit names file, line and field,
never the value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from apifit.checks.schema import load_checks
from apifit.checks.scrub import MIN_SECRET_LEN, REDACTED, is_secret_field
from apifit.errors import IntegrityError

_QUOTE = r"(?:[\"'`]|&quot;|&#34;|&#39;|\\\")?"
# Token-shaped: long enough and holding a digit, so prose ("Bearer authentication") is not one.
_VALUE = r"((?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,})"
_FIELDS = ("client_key", "client_secret", "access_token", "refresh_token")
# Words every credential-looking header name holds one of (see scrub.is_secret_field).
_HEADER_WORDS = ("token", "secret", "pass", "pwd", "sess", "cookie", "signature", "key", "auth",
                 "credential", "csrf", "xsrf", "sid")  # fmt: skip
# Each pattern with the words it cannot match without: most of a built site is the theme's
# minified JavaScript, and skipping a pattern whose words are absent keeps the scan cheap.
PATTERNS = (
    # JSON, form, query or YAML: `client_secret": "value`, `access_token=value`, ...
    (
        re.compile(rf"(?i)\b({'|'.join(_FIELDS)}){_QUOTE}\s*[:=]\s*{_QUOTE}{_VALUE}"),
        _FIELDS,
    ),
    # A header recorded as a YAML list: `authorization:\n- value`.
    # Any header whose name looks like a credential's: the scrubber redacts every one of them.
    (re.compile(r"(?im)^\s*([a-z0-9_-]+):\s*\n\s*-\s*'?([^'\n]+)"), _HEADER_WORDS),
    (re.compile(r"(?i)\b(bearer)\s+" + _VALUE), ("bearer",)),
)
# Files worth reading; images, fonts and the like cannot hold what we scrub.
TEXT_SUFFIXES = frozenset(
    (".yaml", ".yml", ".json", ".jsonl", ".html", ".xml", ".txt", ".js", ".md", ".log")
)


@dataclass(frozen=True)
class Hit:
    path: Path
    line: int
    field: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: secret-shaped value (scrub it and rebuild)"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def scan_text(path: Path, text: str, values: Mapping[str, str]) -> Iterator[Hit]:
    lowered = text.lower()
    for pattern, words in PATTERNS:
        if not any(word in lowered for word in words):
            continue
        for match in pattern.finditer(text):
            name = match.group(1)
            if match.group(2).strip() != REDACTED and (
                name.lower() == "bearer" or is_secret_field(name)
            ):
                yield Hit(path, _line(text, match.start(2)), name.lower())
    for name, value in values.items():
        start = text.find(value)
        while start != -1:
            yield Hit(path, _line(text, start), f"value of ${name}")
            start = text.find(value, start + 1)


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in TEXT_SUFFIXES)
        elif path.is_file():
            yield path


def credential_values(checks_dir: Path, env: Mapping[str, str]) -> dict[str, str]:
    """The values of the credential variables the checks use, for those that are set."""
    names = {name for check in load_checks(checks_dir) for name in check.env_vars}
    return {n: env[n] for n in sorted(names) if len(env.get(n, "")) >= MIN_SECRET_LEN}


def scan(paths: Iterable[Path], values: Mapping[str, str]) -> list[Hit]:
    hits: list[Hit] = []
    for path in _files(paths):
        hits += scan_text(path, path.read_text(encoding="utf-8", errors="replace"), values)
    return hits


def scan_project(root: Path, site_dir: Path | None = None) -> list[Hit]:
    """Scan the project's cassettes (and the built site, when given)."""
    values = credential_values(root / "checks", os.environ)
    return scan([root / "cassettes", *([site_dir] if site_dir else [])], values)


def ensure_clean(root: Path, site_dir: Path | None = None) -> None:
    """Raise IntegrityError naming every hit; the build calls this after writing the site."""
    hits = scan_project(root, site_dir)
    if hits:
        raise IntegrityError("secret scan found:\n" + "\n".join(f"  {h}" for h in hits))
