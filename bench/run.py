"""`make bench`: every performance claim measured on this machine in one run.

Each figure is the median of at least five runs (BENCH_RUNS), with min and max. The results go
to bench/results/bench.json, which the Performance page renders; nothing is typed by hand.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import checks_bench
import yaml
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import sync_playwright

from apifit.images import load_manifest, page_weights
from apifit.measure.browser import launch
from apifit.measure.pageweight import measure
from apifit.site.performance import BenchReport

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "bench.json"
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
ENV = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
SHOTS = Path(ENV.get("APIFIT_IMGS_SOURCE", ROOT.parent / "shared" / "imgs")).resolve()


def _machine() -> dict[str, Any]:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 1,
        "memory_gib": kib / 1024 / 1024,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `cmd` to completion; its wall time in seconds and peak resident memory in MiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: `{' '.join(cmd)}` failed")
    return elapsed, usage.ru_maxrss / 1024


def _metric(id_: str, label: str, unit: str, samples: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "label": label,
        "unit": unit,
        "runs": len(samples),
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        **extra,
    }


def _seconds(samples: list[float]) -> str:
    return f"median {statistics.median(samples):.2f} s"


def _plain_config(work: Path) -> Path:
    """The same pages and theme built by plain Material: no macros, no image pipeline, and the
    PNGs copied as they are."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text())
    config["plugins"] = ["search"]
    config.pop("watch", None)  # the data folders are not copied: nothing reads them
    config["strict"] = False
    shutil.copytree(ROOT / "docs", work / "docs")
    shutil.copytree(SHOTS, work / "docs" / "imgs")
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def bench_builds(work: Path) -> tuple[list[dict[str, Any]], Path]:
    """Plain, warm and cold builds, interleaved run by run so drift hits all three alike."""
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    plain = [*mkdocs, "-f", str(_plain_config(work / "plain"))]
    ours = [*mkdocs, "--strict", "-f", str(ROOT / "mkdocs.yml")]
    warm_env = ENV | {"APIFIT_CACHE_DIR": str(work / "warm-cache")}
    site = work / "site"
    _run([*ours, "-d", str(site)], warm_env)  # fills the warm cache
    plain_s, warm_s, cold_s, cold_mib = [], [], [], []
    for run in range(RUNS):
        plain_s.append(_run([*plain, "-d", str(work / f"plain-{run}")], ENV)[0])
        warm_s.append(_run([*ours, "-d", str(work / f"warm-{run}")], warm_env)[0])
        cold_env = ENV | {"APIFIT_CACHE_DIR": str(work / f"cold-cache-{run}")}
        seconds, mib = _run([*ours, "-d", str(work / f"cold-{run}")], cold_env)
        cold_s.append(seconds)
        cold_mib.append(mib)

    def ratio(ours: list[float]) -> list[float]:
        return [a / b for a, b in zip(ours, plain_s, strict=True)]

    metrics = [
        _metric("warm-vs-plain", "Warm rebuild vs plain build", "x", ratio(warm_s),
                target=1.25, detail=f"warm {_seconds(warm_s)}, plain {_seconds(plain_s)}"),
        _metric("cold-vs-plain", "Cold build vs plain build", "x", ratio(cold_s),
                target=4.0, detail=f"cold {_seconds(cold_s)}, plain {_seconds(plain_s)}"),
        _metric("cold-peak-memory", "Peak memory of a cold build", "MiB", cold_mib),
    ]  # fmt: skip
    return metrics, site


def _raw_png_bytes(site: Path) -> dict[str, int]:
    """Bytes of the raw PNGs each page shows, keyed as apifit.measure.browser.page_paths names
    pages."""
    files = {entry.file for entry in load_manifest(ROOT / "imgs" / "manifest.yml").screenshots}
    sizes = {name: (SHOTS / name).stat().st_size for name in files}
    return {w.page.removesuffix("index.html"): w.raw_png_bytes for w in page_weights(site, sizes)}


def bench_image_bytes(site: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What a browser fetches scrolling each page, at pixel ratio 1 and 2, vs the raw PNGs."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            fetched: list[dict[str, Any]] = measure(site, browser)["pages"]  # type: ignore[assignment]
        finally:
            browser.close()
    raw = _raw_png_bytes(site)
    pages = [page | {"raw_png_bytes": raw.get(str(page["page"]), 0)} for page in fetched]
    shown = [p for p in pages if p["raw_png_bytes"]]
    metrics = [
        _metric(f"image-bytes-{r}x", f"Image bytes at {r}x vs raw PNGs (worst page)", "%",
                [max(100 * p[f"bytes_{r}x"] / p["raw_png_bytes"] for p in shown)],
                target=target, detail="per page below; one browser pass, so one run")
        for r, target in ((1, 8.0), (2, 16.0))
    ]  # fmt: skip
    return metrics, shown


def bench_checks() -> list[dict[str, Any]]:
    figures = {m.id: m.model_dump() for m in checks_bench.metrics(RUNS)}
    one, twenty = figures["checks-live-1"]["median"], figures["checks-live-20"]["median"]
    figures["checks-live-concurrency"]["detail"] = (
        f"20 concurrent: {twenty:.2f} s; one: {one:.2f} s; "
        f"one after another they would take about {20 * one:.1f} s"
    )
    return list(figures.values())


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="apifit-bench-") as tmp:
        work = Path(tmp)
        print(f"bench: builds ({RUNS} runs each of plain, warm, cold)", flush=True)
        metrics, site = bench_builds(work)
        print("bench: image bytes per page in chromium", flush=True)
        image_metrics, pages = bench_image_bytes(site)
        print("bench: checks replay and live runs", flush=True)
        metrics += image_metrics + bench_checks()
    report = BenchReport.model_validate(
        {"measured_at": datetime.now(UTC), "machine": _machine(), "metrics": metrics,
         "pages": pages}
    )  # fmt: skip
    temp = RESULTS.with_suffix(".tmp")
    temp.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    os.replace(temp, RESULTS)
    for metric in report.metrics:
        verdict = {None: "", True: "holds", False: "MISSES"}[metric.holds]
        print(f"{metric.label:60} {metric.median:10.3f} {metric.unit:4} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
