"""Run checks over HTTP: the auth step, the request, and live recording of many checks at once.

vcrpy patches httpx globally, so concurrent live recording cannot use one cassette context per
check. Each check instead gets a client whose transport notes every exchange it carries; the
check's exchanges become its cassette. Replay uses the same `perform` under pytest-recording,
whose patch sits below that transport, so live and replayed runs travel the same code path.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from apifit.checks import faults, history
from apifit.checks.cassettes import (
    Attempt,
    Evidence,
    Exchange,
    Meta,
    Provenance,
    Write,
    cassette_path,
    learn,
    recorded_at,
    scrubbed,
    staged,
    write_attempts,
    write_cassette,
)
from apifit.checks.faults import Reason, Status
from apifit.checks.interrupts import Interrupted, interruptible
from apifit.checks.results import Outcome, current_provenance, evidence, judge, matched, now_utc
from apifit.checks.schema import Check, substitute
from apifit.checks.scrub import Scrubber, scrubbed_logs
from apifit.errors import ApifitError

DEFAULT_TIMEOUT = 30.0
# httpx logs URLs (query strings included) and httpcore logs raw response headers (Set-Cookie)
# at INFO/DEBUG; during a live run those may hold secrets, so they are held at WARNING.
NOISY_LOGGERS = ("httpx", "httpcore")
DEFAULT_CONCURRENCY = 20
USER_AGENT = "apifit-checks (+https://github.com/fuzzy/apifit)"


class AuthStepFailed(Exception):
    """The token endpoint did not hand out an access token."""


class _Recorder(httpx.AsyncBaseTransport):
    """Passes requests on and keeps each exchange, with the body decoded as the client sees it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = await request.aread()
        response = await self.inner.handle_async_request(request)
        try:
            body = await httpx.Response(
                response.status_code, headers=response.headers, stream=response.stream
            ).aread()
        finally:
            await response.aclose()
        # The body is stored decoded, so the encoding and length headers must describe that.
        headers = httpx.Headers(
            [(k, v) for k, v in response.headers.multi_items()
             if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
            + [("content-length", str(len(body)))]
        )  # fmt: skip
        reason = response.extensions.get("reason_phrase", b"")
        self.exchanges.append(
            Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=dict(request.headers),
                request_body=sent,
                status=response.status_code,
                reason_phrase=reason.decode("ascii", "replace")
                if isinstance(reason, bytes)
                else "",
                headers=headers,
                body=body,
            )
        )
        return httpx.Response(response.status_code, headers=headers, content=body)


async def _token(check: Check, client: httpx.AsyncClient, env: Mapping[str, str]) -> str:
    creds = check.client_credentials
    assert creds is not None  # the loader attaches it to every check with `auth`
    response = await client.post(
        substitute(creds.token_url, dict(env)),
        data={
            "client_key": substitute(creds.client_key, dict(env)),
            "client_secret": substitute(creds.client_secret, dict(env)),
            "grant_type": "client_credentials",
        },
    )
    try:
        data = response.json()
    except ValueError:
        data = None
    token = data.get("access_token") if isinstance(data, dict) else None
    if response.status_code != 200 or not isinstance(token, str):
        error = data.get("error", "") if isinstance(data, dict) else ""
        raise AuthStepFailed(f"HTTP {response.status_code} {error}".strip())
    return token


async def perform(
    check: Check, client: httpx.AsyncClient, env: Mapping[str, str], scrubber: Scrubber
) -> None:
    """Send the check's request, after its auth step; the transport keeps the exchanges."""
    spec = check.request
    headers = dict(substitute(spec.headers, dict(env)))
    if check.auth == "client_credentials":
        token = await _token(check, client, env)
        scrubber.add(token)
        headers["authorization"] = f"bearer {token}"
    await client.request(
        spec.method,
        substitute(spec.url, dict(env)),
        params=substitute(spec.query, dict(env)),
        headers=headers,
        data=substitute(spec.form, dict(env)),
        json=substitute(spec.json_body, dict(env)),
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs ~40 ms, far more than a replay."""
    return ssl.create_default_context()


def _transport(**kwargs: Any) -> httpx.AsyncHTTPTransport:
    return httpx.AsyncHTTPTransport(verify=_tls(), **kwargs)


def _client(
    transport: httpx.AsyncBaseTransport, timeout: float
) -> tuple[httpx.AsyncClient, _Recorder]:
    recorder = _Recorder(transport)
    # Documentation pages move (trailing slashes, locales); every hop is recorded and replayed.
    client = httpx.AsyncClient(
        transport=recorder,
        timeout=timeout,
        headers={"user-agent": USER_AGENT},
        follow_redirects=True,
    )
    return client, recorder


async def run_check(
    check: Check,
    transport: httpx.AsyncBaseTransport,
    env: Mapping[str, str],
    timeout: float,
    scrubber: Scrubber,
) -> tuple[Outcome, list[Exchange], int]:
    """Run one check; transport failures become inconclusive outcomes, never exceptions.

    The outcome's reason is raw (it may quote the answer): callers scrub it before showing it.
    """
    started = time.perf_counter()
    client, recorder = _client(transport, timeout)
    async with client:
        try:
            await perform(check, client, env, scrubber)
        except AuthStepFailed as exc:
            outcome = Outcome(Status.INCONCLUSIVE, f"{Reason.AUTH_FAILED}: {exc}")
        except httpx.HTTPError as exc:
            fault = faults.from_exception(exc, timeout)
            if fault is None:
                raise
            outcome = Outcome(Status.INCONCLUSIVE, str(fault), reached=fault.reached)
        else:
            outcome = judge(check, recorder.exchanges[-1])
    duration_ms = round((time.perf_counter() - started) * 1000)
    return outcome, recorder.exchanges, duration_ms


@dataclass(frozen=True)
class LiveResult:
    """What one live run of a check did; `reason` and `not_saved` are scrubbed."""

    check: Check
    status: Status | None  # None: skipped
    reason: str
    duration_ms: int = 0
    saved: bool = False
    # Why a passing run was not saved: its scrubbed recording would replay to another verdict.
    not_saved: str = ""
    # False: no server answered, so the attempt was not noted in attempts.json.
    reached: bool = True


class LiveRunFailed(ApifitError):
    """A live run broke in a way no outcome describes; the message is scrubbed."""


@dataclass(frozen=True)
class _Run:
    """One check's live run, kept raw until the whole run's secrets are known."""

    check: Check
    outcome: Outcome
    exchanges: list[Exchange]
    started_at: datetime
    duration_ms: int
    provenance: Provenance


def missing_env(check: Check, env: Mapping[str, str]) -> list[str]:
    return [name for name in check.env_vars if not env.get(name)]


async def _run_one(
    check: Check,
    transport: httpx.AsyncBaseTransport,
    env: Mapping[str, str],
    timeout: float,
    scrubber: Scrubber,
) -> _Run:
    started_at = now_utc()
    try:
        outcome, exchanges, duration_ms = await run_check(check, transport, env, timeout, scrubber)
    except Exception as exc:
        # Unexpected, so its message is unknown: it may quote a URL or a header.
        raise LiveRunFailed(scrubber.message(f"{check.id}: {type(exc).__name__}: {exc}")) from None
    learn(exchanges, scrubber)
    return _Run(check, outcome, exchanges, started_at, duration_ms, current_provenance())


def rejudged(run: _Run, scrubber: Scrubber) -> Outcome:
    """The verdict a replay of this run's recording would reach: its exchanges as stored, with
    the `matches` results the live answer gave."""
    stored = scrubbed(run.exchanges[-1], scrubber)
    return judge(run.check, stored, matched(run.check, run.exchanges[-1]))


def _not_saved(run: _Run, scrubber: Scrubber) -> str:
    """Why a passing run must not be saved ("" when its replay agrees): one line naming the
    check, what the scrubber changed (the replay's reason names the field) and the fix."""
    if run.outcome.status != Status.PASSED:
        return ""
    replayed = rejudged(run, scrubber)
    if replayed.status == run.outcome.status:
        return ""
    return scrubber.message(
        f"{run.check.id}: not saved: passed live, but its recording would replay as "
        f"{replayed.status} ({replayed.reason}) because secrets are scrubbed from it "
        f"(assert exists: true, or check a non-secret field)"
    )


def _result(run: _Run, scrubber: Scrubber) -> LiveResult:
    reason = scrubber.message(run.outcome.reason)
    not_saved = _not_saved(run, scrubber)
    saved = run.outcome.status == Status.PASSED and not not_saved
    return LiveResult(
        run.check,
        run.outcome.status,
        reason,
        run.duration_ms,
        saved,
        not_saved,
        run.outcome.reached,
    )


def _save(run: _Run, cassettes_dir: Path, scrubber: Scrubber, write: Write) -> Attempt:
    """Write a passing run's cassette; return the attempt to note, everything scrubbed."""
    if run.outcome.status == Status.PASSED:
        meta = Meta(
            recorded_at=recorded_at(run.exchanges, run.started_at),
            duration_ms=run.duration_ms,
            provenance=run.provenance,
            matched=matched(run.check, run.exchanges[-1]),
        )
        path = cassette_path(cassettes_dir, run.check.id)
        write_cassette(path, run.exchanges, meta, scrubber, write)
    if run.exchanges:
        shown = evidence([scrubbed(e, scrubber) for e in run.exchanges], run.duration_ms)
    else:
        shown = Evidence(
            request_line=f"{run.check.request.method} {scrubber.url(run.check.request.url)}"
        )
    return Attempt(
        at=run.started_at,
        status=run.outcome.status,
        reason=scrubber.message(run.outcome.reason),
        provenance=run.provenance,
        evidence=shown,
    )


async def record_async(
    checks: list[Check],
    cassettes_dir: Path,
    env: Mapping[str, str],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[LiveResult], None] = lambda _: None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[LiveResult]:
    """Record checks live, concurrently; save a cassette only for a passing run.

    One scrubber serves the whole run: it starts with every credential the checks use and
    learns each token the answers carry. Cassettes and attempts are written once every check
    has finished, so each is scrubbed of every secret the run met.
    """
    scrubber = Scrubber(env[n] for check in checks for n in check.env_vars if env.get(n))
    with quiet_http_logs(), scrubbed_logs(scrubber):
        return await _record_all(
            checks, cassettes_dir, env, concurrency, timeout, progress, transport, scrubber
        )


async def _record_all(
    checks: list[Check],
    cassettes_dir: Path,
    env: Mapping[str, str],
    concurrency: int,
    timeout: float,
    progress: Callable[[LiveResult], None],
    transport: httpx.AsyncBaseTransport | None,
    scrubber: Scrubber,
) -> list[LiveResult]:
    limit = asyncio.Semaphore(concurrency)
    shared = transport or _transport(limits=httpx.Limits(max_connections=concurrency))

    async def one(check: Check) -> _Run | LiveResult:
        missing = missing_env(check, env)
        if missing:
            skipped = LiveResult(
                check, None, f"{Reason.MISSING_CREDENTIALS}: set {', '.join(missing)}"
            )
            progress(skipped)
            return skipped
        async with limit:
            run = await _run_one(check, shared, env, timeout, scrubber)
        progress(_result(run, scrubber))
        return run

    try:
        runs = await asyncio.gather(*(one(check) for check in checks))
    finally:
        await shared.aclose()
    done = [r for r in runs if isinstance(r, _Run)]
    # Judged again now that the whole run's secrets are known: those scrub these recordings.
    results = {r.check.id: _result(r, scrubber) for r in done}
    # An attempt that reached no server says nothing about the API: noting it would replace
    # what the site shows (and what gets committed) with this machine's network trouble.
    kept = [r for r in done if r.outcome.reached and not results[r.check.id].not_saved]
    with staged(cassettes_dir) as stage:
        attempts = {r.check.id: _save(r, cassettes_dir, scrubber, stage.write) for r in kept}
        write_attempts(cassettes_dir, attempts, stage.write)
        stage.then(lambda: history.append_attempts(cassettes_dir, attempts, scrubber))
    return [results[r.check.id] if isinstance(r, _Run) else r for r in runs]


@contextlib.contextmanager
def quiet_http_logs() -> Iterator[None]:
    """Keep secrets out of logs during a live run (see NOISY_LOGGERS)."""
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def record(
    checks: list[Check],
    cassettes_dir: Path,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[LiveResult], None] = lambda _: None,
) -> list[LiveResult]:
    """Synchronous entry point for the CLI and benchmarks: credentials come from os.environ.

    SIGINT and SIGTERM raise `Interrupted`; files are then as before the run, or all written
    (`Interrupted.finished`) when the signal came while they were being moved into place."""
    with interruptible(), asyncio.Runner() as loop_runner:
        loop_runner.get_loop().set_exception_handler(_quiet_about_interrupts)
        return loop_runner.run(
            record_async(
                checks,
                cassettes_dir,
                dict(os.environ),
                concurrency=concurrency,
                timeout=timeout,
                progress=progress,
            )
        )


def _quiet_about_interrupts(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # The task a signal stopped keeps the Interrupted that the CLI reports in one line; asyncio
    # would print it again as "Task exception was never retrieved", with a traceback.
    if not isinstance(context.get("exception"), Interrupted):
        loop.default_exception_handler(context)


def replay(check: Check) -> list[Exchange]:
    """Run a check with no credentials, for pytest-recording to answer from its cassette."""

    async def run() -> list[Exchange]:
        client, recorder = _client(_transport(), DEFAULT_TIMEOUT)
        async with client:
            await perform(check, client, {}, Scrubber())
        return recorder.exchanges

    return asyncio.run(run())
