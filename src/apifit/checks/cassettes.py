"""Where evidence lives on disk: one vcrpy cassette per check, plus `attempts.json`.

Cassettes use vcrpy's own YAML format (pytest-recording replays them); apifit's facts about a
recording (when, how long, where it ran) sit under a top-level `apifit` key that vcrpy ignores,
so they are replaced together with it. (vcrpy 9.4's own `metadata` key would be tidier, but
pytest-recording 0.14 fails to load a cassette that has it.) Files are written to a temporary
name and moved into place, so a reader never sees half a file and a failed run never damages
the last good one; a run's files are moved together (`staged`), so an interrupted run leaves
every one of them as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter

from apifit.checks.faults import Status
from apifit.checks.interrupts import held
from apifit.checks.scrub import Scrubber
from apifit.errors import InputError

# vcrpy is imported where a cassette is read or written, not here: importing it costs about a
# tenth of a warm site build, and a site whose checks are not recorded yet reads no cassette.
if TYPE_CHECKING:
    from vcr.cassette import Cassette
    from vcr.request import Request as VcrRequest

ATTEMPTS_FILE = "attempts.json"
# A run's files wait in `<cassettes>/.staging-<pid>/` until all are written.
STAGING_PREFIX = ".staging-"
Write = Callable[[Path, bytes], None]
META_KEY = "apifit"
Provenance = Literal["ci", "local"]


@dataclass(frozen=True)
class Exchange:
    """One request and the answer to it, as sent and received (or as recorded)."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int
    reason_phrase: str
    headers: httpx.Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.url}"


class Evidence(BaseModel):
    """What a page shows about one exchange: enough to judge, nothing secret."""

    model_config = ConfigDict(frozen=True)

    request_line: str
    status: int | None = None
    fields: dict[str, str] = {}
    duration_ms: int | None = None
    # Redirects followed on the way to this answer, first hop first.
    redirected_from: tuple[str, ...] = ()


class Meta(BaseModel):
    """apifit's facts about a recording, kept in the cassette's metadata."""

    recorded_at: datetime
    duration_ms: int
    provenance: Provenance
    # Results of the check's `matches` rules on the live answer (`results.matched`).
    matched: dict[str, bool] = {}


class Attempt(BaseModel):
    """The latest live attempt of a check, whatever its outcome."""

    at: datetime
    status: Status
    reason: str = ""
    provenance: Provenance
    evidence: Evidence | None = None


_ATTEMPTS = TypeAdapter(dict[str, Attempt])


@dataclass(frozen=True)
class Recording:
    exchanges: list[Exchange]
    meta: Meta


def cassette_path(directory: Path, check_id: str) -> Path:
    return directory / f"{check_id}.yaml"


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Staging:
    """The files of one run, written in full under a private directory beside their
    destinations, to be moved into place together."""

    def __init__(self, directory: Path) -> None:
        self.root = directory / f"{STAGING_PREFIX}{os.getpid()}"
        self.moves: list[tuple[Path, Path]] = []
        self.afterwards: list[Callable[[], None]] = []

    def then(self, action: Callable[[], None]) -> None:
        """Run `action` once the files are in place, before a held signal takes effect (an
        append to a file that records what was written, such as the history)."""
        self.afterwards.append(action)

    def write(self, path: Path, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        staged = self.root / f"{len(self.moves)}.tmp"
        with staged.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self.moves.append((staged, path))

    def commit(self) -> None:
        with held():
            for staged, path in self.moves:
                os.replace(staged, path)
            shutil.rmtree(self.root, ignore_errors=True)
            for action in self.afterwards:
                action()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_abandoned(directory: Path) -> None:
    """Remove what a run killed while staging left (SIGKILL cannot be caught)."""
    for root in directory.glob(f"{STAGING_PREFIX}*"):
        pid = root.name.removeprefix(STAGING_PREFIX)
        if not pid.isdigit() or int(pid) == os.getpid() or not _alive(int(pid)):
            shutil.rmtree(root, ignore_errors=True)


@contextmanager
def staged(directory: Path) -> Iterator[Staging]:
    """Files written through the Staging replace their destinations together when the block
    ends, or none do (an error, Ctrl-C or SIGTERM inside it)."""
    _remove_abandoned(directory)
    staging = Staging(directory)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging.root, ignore_errors=True)
        raise
    staging.commit()


def recorded_at(exchanges: list[Exchange], fallback: datetime) -> datetime:
    """When the server says it answered (its Date header), else when we recorded it."""
    date = exchanges[-1].headers.get("date") if exchanges else None
    if date:
        try:
            return parsedate_to_datetime(date)
        except (TypeError, ValueError):
            pass
    return fallback


def _to_vcr(ex: Exchange, scrubber: Scrubber) -> tuple[VcrRequest, dict[str, Any]]:
    from vcr.request import Request as VcrRequest

    # vcrpy logs the URI it is given at DEBUG, so it only ever gets a scrubbed one.
    request = VcrRequest(ex.method, scrubber.url(ex.url), ex.request_body, dict(ex.request_headers))
    headers: dict[str, list[str]] = {}
    for name, value in ex.headers.multi_items():
        headers.setdefault(name, []).append(value)
    response = {
        "status": {"code": ex.status, "message": ex.reason_phrase},
        "headers": headers,
        "body": {"string": ex.body},
    }
    return scrubber.request(request), scrubber.response(response)


def _exchange(request: VcrRequest, response: dict[str, Any]) -> Exchange:
    body = response["body"]["string"]
    return Exchange(
        method=request.method,
        url=request.uri,
        request_headers={k: str(v) for k, v in request.headers.items()},
        request_body=request.body_bytes or b"",
        status=int(response["status"]["code"]),
        reason_phrase=str(response["status"].get("message") or ""),
        headers=httpx.Headers([(k, v) for k, vs in response["headers"].items() for v in vs]),
        body=body if isinstance(body, bytes) else str(body).encode("utf-8"),
    )


def learn(exchanges: list[Exchange], scrubber: Scrubber) -> None:
    """Let `scrubber` see every field of a recording before any of it is written or shown, so
    that a token only a later answer reveals is also removed from earlier requests."""
    for exchange in exchanges:
        _to_vcr(exchange, scrubber)


def scrubbed(exchange: Exchange, scrubber: Scrubber) -> Exchange:
    """The exchange exactly as it would be stored: safe to show or log."""
    return _exchange(*_to_vcr(exchange, scrubber))


def write_cassette(
    path: Path,
    exchanges: list[Exchange],
    meta: Meta,
    scrubber: Scrubber,
    write: Write = atomic_write,
) -> None:
    """Scrub and store a complete recording, replacing any previous one atomically."""
    from vcr.serialize import serialize
    from vcr.serializers import yamlserializer

    learn(exchanges, scrubber)
    pairs = [_to_vcr(ex, scrubber) for ex in exchanges]
    data = {"requests": [q for q, _ in pairs], "responses": [r for _, r in pairs]}
    text = serialize(data, yamlserializer)
    text += yamlserializer.serialize({META_KEY: meta.model_dump(mode="json")})
    write(path, text.encode("utf-8"))


def _bad(path: Path, exc: Exception) -> InputError:
    return InputError(path, "(cassette)", f"not an apifit recording: {exc}", fix="re-record it")


def read_cassette(path: Path) -> Recording | None:
    """The recording at `path`, or None when the check has never been recorded."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    from vcr.request import Request as VcrRequest
    from vcr.serializers import yamlserializer
    from vcr.serializers.compat import convert_to_bytes

    try:
        data = yamlserializer.deserialize(text)
        meta = Meta.model_validate(data[META_KEY])
        exchanges = [
            _exchange(VcrRequest._from_dict(i["request"]), convert_to_bytes(i["response"]))
            for i in data["interactions"]
        ]
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise _bad(path, exc) from None
    return Recording(exchanges, meta)


def loaded_recording(path: Path, cassette: Cassette) -> Recording:
    """The recording of a cassette vcrpy has already loaded: only apifit's block is parsed.

    `write_cassette` puts that block last, so replay does not parse each cassette twice.
    """
    text = path.read_text(encoding="utf-8")
    block = text[text.rfind(f"\n{META_KEY}:") + 1 :]
    try:
        meta = Meta.model_validate(yaml.safe_load(block)[META_KEY])
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise _bad(path, exc) from None
    return Recording([_exchange(q, r) for q, r in cassette.data], meta)


def read_attempts(directory: Path) -> dict[str, Attempt]:
    path = directory / ATTEMPTS_FILE
    try:
        return _ATTEMPTS.validate_json(path.read_bytes())
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise InputError(path, "(json)", str(exc).splitlines()[0], fix="delete it") from None


def write_attempts(
    directory: Path, updates: dict[str, Attempt], write: Write = atomic_write
) -> None:
    """Merge the latest attempts into the attempts file (other checks' entries are kept)."""
    if not updates:
        return
    merged = {**read_attempts(directory), **updates}
    data = _ATTEMPTS.dump_json(dict(sorted(merged.items())), indent=2) + b"\n"
    write(directory / ATTEMPTS_FILE, data)
