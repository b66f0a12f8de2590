"""Benchmarks of the checks machinery (run: `.venv/bin/python bench/checks_bench.py`).

- replay: N synthetic checks (one cassette each, recorded from a local imitation, never from
  TikTok) replayed offline through `apifit check`'s path (pytest + pytest-recording). Targets:
  1000 checks under 10 s; t(1000) / t(100) <= 11 (linear growth).
- live: 20 checks recorded concurrently against a 127.0.0.1 server that answers after 300 ms,
  against one check alone. Target: t(20) <= 1.5 x t(1).
- fault mix: `apifit record` of 100 and of 1000 checks against the tests' local API having a
  bad day (half good token answers; contradictions, timeouts, 429, 503, truncated bodies,
  captchas): peak resident memory of the process. Memory stays flat: target peak(1000) <= 1.5 x
  peak(100).

Functions return seconds; `metrics` returns the figures as `apifit.site.performance.Metric`s
(median, min, max over the runs) for `bench/results/bench.json`; run as a script, it prints them.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import yaml

from apifit.checks.results import derive_all
from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks
from apifit.measure import localserver
from apifit.measure.localserver import QuietHandlerMixin
from apifit.pytest_plugin import replay_checks
from apifit.site.performance import Metric

# The fault-mix imitation is the tests' own (tests/checkserver.py), so both exercise one API.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from checkserver import fault_mix, fault_mix_server, mix_checks, write_checks


class _Slow(QuietHandlerMixin, BaseHTTPRequestHandler):
    latency = 0.3

    def do_GET(self) -> None:
        time.sleep(self.latency)
        body = b'{"error": {"code": "access_token_invalid", "log_id": "BENCH"}}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def slow_server(latency: float) -> Iterator[str]:
    handler = type("Handler", (_Slow,), {"latency": latency})
    with localserver.serve(handler) as base:
        yield base.rstrip("/")


def _project(root: Path, base: str, n: int) -> Path:
    checks = [
        {"id": f"bench-{i:04d}", "api": "research", "claim": f"Synthetic check {i}.",
         "request": {"url": f"{base}/v2/user/info/{i}/"},
         "expect": {"status": [401], "json": [{"path": "error.code",
                                               "equals": "access_token_invalid"}]}}
        for i in range(n)
    ]  # fmt: skip
    (root / "checks").mkdir(parents=True)
    (root / "cassettes").mkdir()
    (root / "checks" / "bench.yml").write_text(yaml.safe_dump({"checks": checks}))
    return root


def live_seconds(n: int, latency: float = 0.3) -> float:
    """Record n checks live, concurrently, against a server answering after `latency` s."""
    with tempfile.TemporaryDirectory() as tmp, slow_server(latency) as base:
        root = _project(Path(tmp), base, n)
        checks = load_checks(root / "checks")
        start = time.perf_counter()
        asyncio.run(record_async(checks, root / "cassettes", {}, concurrency=max(n, 1)))
        return time.perf_counter() - start


@contextmanager
def recorded_project(n: int) -> Iterator[Path]:
    """A project with n synthetic checks, each recorded from a local server (no latency)."""
    with tempfile.TemporaryDirectory() as tmp, slow_server(0.0) as base:
        root = _project(Path(tmp), base, n)
        asyncio.run(record_async(load_checks(root / "checks"), root / "cassettes", {}))
        yield root


def replay_seconds(root: Path) -> float:
    """`apifit check`'s replay path: pytest + pytest-recording, network blocked."""
    start = time.perf_counter()
    results = replay_checks(root / "checks", root / "cassettes")
    elapsed = time.perf_counter() - start
    assert all(r.status == "passed" for r in results), "synthetic replay must pass"
    return elapsed


def derive_seconds(root: Path) -> float:
    """The site build's path: results from files alone, no HTTP."""
    start = time.perf_counter()
    derive_all(root / "checks", root / "cassettes", datetime.now(UTC), 30)
    return time.perf_counter() - start


def fault_mix_peak_mib(n: int) -> float:
    """Peak resident memory (MiB) of `apifit record` of n checks against the fault mix."""
    with tempfile.TemporaryDirectory() as tmp, fault_mix_server() as base:
        root = Path(tmp)
        write_checks(root, mix_checks(base, fault_mix(n)))
        command = [sys.executable, "-m", "apifit.cli", "record", "--root", str(root),
                   "--concurrency", "100", "--timeout", "5"]  # fmt: skip
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    # Exit 1: the mix holds contradicted checks, as designed.
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"bench: the fault-mix run of {n} checks failed")
    return usage.ru_maxrss / 1024


def _metric(
    id_: str, label: str, unit: str, runs: list[float], target: float | None = None
) -> Metric:
    return Metric(id=id_, label=label, unit=unit, median=statistics.median(runs), min=min(runs),
                  max=max(runs), runs=len(runs), target=target)  # fmt: skip


def metrics(runs: int = 3) -> list[Metric]:
    """The checks' figures, in the Performance page's shape (`apifit.site.performance.Metric`)."""
    replay: dict[int, list[float]] = {}
    derive: list[float] = []
    for n in (100, 1000):
        with recorded_project(n) as root:
            replay[n] = [replay_seconds(root) for _ in range(runs)]
            if n == 1000:
                derive = [derive_seconds(root) for _ in range(runs)]
    live = {n: [live_seconds(n) for _ in range(runs)] for n in (1, 20)}
    growth = [big / small for big, small in zip(replay[1000], replay[100], strict=True)]
    peak = {n: [fault_mix_peak_mib(n) for _ in range(runs)] for n in (100, 1000)}
    flat = [big / small for big, small in zip(peak[1000], peak[100], strict=True)]
    spread = [many / one for many, one in zip(live[20], live[1], strict=True)]
    return [
        _metric("checks-replay-100", "Replay 100 checks offline", "s", replay[100]),
        _metric("checks-replay-1000", "Replay 1000 checks offline", "s", replay[1000], 10),
        _metric("checks-replay-growth", "Replay time, 1000 vs 100 checks", "x", growth, 11),
        _metric("checks-derive-1000", "Derive 1000 check results for the site", "s", derive),
        _metric("checks-live-1", "Record 1 check live (server answers in 300 ms)", "s", live[1]),
        _metric("checks-live-20", "Record 20 checks live, concurrently", "s", live[20]),
        _metric("checks-live-concurrency", "Live time, 20 checks vs 1", "x", spread, 1.5),
        _metric("checks-fault-mix-peak-100", "Peak memory, recording 100 checks in a fault mix",
                "MiB", peak[100]),
        _metric("checks-fault-mix-peak-1000",
                "Peak memory, recording 1000 checks in a fault mix", "MiB", peak[1000]),
        _metric("checks-fault-mix-memory-growth", "Peak memory, 1000 vs 100 checks", "x", flat,
                1.5),
    ]  # fmt: skip


if __name__ == "__main__":
    figures = metrics(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(json.dumps([m.model_dump() for m in figures], indent=2))
