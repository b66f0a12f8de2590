"""Benchmarks of the checks machinery (run: `.venv/bin/python bench/checks_bench.py`).

- replay: N synthetic checks (one cassette each, recorded from a local imitation, never from
  TikTok) replayed offline through `apifit check`'s path (pytest + pytest-recording). Targets:
  1000 checks under 10 s; t(1000) / t(100) <= 11 (linear growth).
- live: 20 checks recorded concurrently against a 127.0.0.1 server that answers after 300 ms,
  against one check alone. Target: t(20) <= 1.5 x t(1).

Functions return seconds; `main` prints a JSON summary (median, min, max over the runs) that
the lead's Performance page can take in.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from apifit.checks import load_checks
from apifit.pytest_plugin import replay_checks
from apifit.results import derive_all
from apifit.runner import record_async


class _Slow(BaseHTTPRequestHandler):
    latency = 0.3

    def do_GET(self) -> None:
        time.sleep(self.latency)
        body = b'{"error": {"code": "access_token_invalid", "log_id": "BENCH"}}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def slow_server(latency: float) -> Iterator[str]:
    handler = type("Handler", (_Slow,), {"latency": latency})
    # The default listen backlog (5) drops simultaneous connects into a 1 s SYN retry.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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


def _stats(label: str, runs: list[float]) -> dict[str, object]:
    return {"id": label, "unit": "s", "median": statistics.median(runs), "min": min(runs),
            "max": max(runs), "runs": len(runs)}  # fmt: skip


def _repeat(fn: Callable[[], float], runs: int) -> list[float]:
    return [fn() for _ in range(runs)]


def main(runs: int = 3) -> dict[str, object]:
    figures: dict[str, object] = {}
    for n in (100, 1000):
        with recorded_project(n) as root:
            figures[f"replay_{n}"] = _stats(
                f"replay-{n}", _repeat(lambda: replay_seconds(root), runs)
            )
            figures[f"derive_{n}"] = _stats(
                f"derive-{n}", _repeat(lambda: derive_seconds(root), runs)
            )
    one = _stats("live-1", _repeat(lambda: live_seconds(1), runs))
    twenty = _stats("live-20", _repeat(lambda: live_seconds(20), runs))
    figures |= {"live_1": one, "live_20": twenty}
    median = lambda key: float(figures[key]["median"])  # type: ignore[index]  # noqa: E731
    figures["replay_growth_1000_over_100"] = median("replay_1000") / median("replay_100")
    figures["live_20_over_1"] = median("live_20") / median("live_1")
    return figures


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3), indent=2))
