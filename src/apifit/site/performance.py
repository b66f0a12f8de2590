"""Benchmark results: the schema of `bench/results/bench.json` and its Markdown rendering.

The Performance page shows only what this file holds, so no figure is ever typed by hand.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from apifit.data.yamlio import load_model

# Where `make bench` writes its results, relative to the project.
BENCH_RESULTS = Path("bench/results/bench.json")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Machine(_Strict):
    cpu: str
    cores: int
    memory_gib: float
    python: str
    platform: str


class Metric(_Strict):
    id: str
    label: str
    unit: str
    median: float
    min: float
    max: float
    runs: int
    target: float | None = None
    # Whether smaller is better decides how `holds` reads the target.
    lower_is_better: bool = True
    detail: str = ""

    @property
    def holds(self) -> bool | None:
        if self.target is None:
            return None
        return self.median <= self.target if self.lower_is_better else self.median >= self.target


class PageBytes(_Strict):
    page: str
    raw_png_bytes: int
    bytes_1x: int
    bytes_2x: int

    @property
    def ratio_1x(self) -> float:
        return self.bytes_1x / self.raw_png_bytes if self.raw_png_bytes else 0.0

    @property
    def ratio_2x(self) -> float:
        return self.bytes_2x / self.raw_png_bytes if self.raw_png_bytes else 0.0


class BenchReport(_Strict):
    measured_at: datetime
    machine: Machine
    metrics: list[Metric]
    pages: list[PageBytes] = []


def load_report(path: Path) -> BenchReport | None:
    """The report at `path`, or None when no benchmark has been run yet.

    JSON is YAML, so the one loader of user-edited data reads it: a hand-edited figure that is
    wrong is reported with its line, like a check file's.
    """
    if not path.exists():
        return None
    return load_model(path, BenchReport)


def _number(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:g} {unit}"


def _verdict(metric: Metric) -> str:
    if metric.holds is None:
        return "measured"
    sign = "≤" if metric.lower_is_better else "≥"
    mark = "holds" if metric.holds else "**misses**"
    return f"{mark} (target {sign} {_number(metric.target or 0.0, metric.unit)})"


def render_report(report: BenchReport | None) -> str:
    """Markdown for the Performance page."""
    if report is None:
        return (
            '!!! note "Not measured yet"\n\n'
            "    No benchmark results are in `bench/results/bench.json`. Run `make bench`.\n"
        )
    m = report.machine
    lines = [
        f"Measured {report.measured_at:%Y-%m-%d %H:%M} UTC on {m.cpu}, {m.cores} cores, "
        f"{m.memory_gib:.0f} GiB memory, Python {m.python}, {m.platform}. "
        "Each figure is the median of the runs shown, with the minimum and maximum.",
        "",
        "| measure | median | min | max | runs | target |",
        "|---|---|---|---|---|---|",
    ]
    for metric in report.metrics:
        lines.append(
            f"| {metric.label} | {_number(metric.median, metric.unit)} "
            f"| {_number(metric.min, metric.unit)} | {_number(metric.max, metric.unit)} "
            f"| {metric.runs} | {_verdict(metric)} |"
        )
    details = [f"- **{x.label}**: {x.detail}" for x in report.metrics if x.detail]
    if details:
        lines += ["", *details]
    if report.pages:
        lines += [
            "",
            "## Image bytes per page",
            "",
            "What a browser fetches while scrolling each page at 1280x800, compared with the "
            "raw PNG screenshots the page shows.",
            "",
            "| page | raw PNGs | fetched at 1x | ratio 1x | fetched at 2x | ratio 2x |",
            "|---|---|---|---|---|---|",
        ]
        for page in report.pages:
            lines.append(
                f"| `{page.page}` | {page.raw_png_bytes / 1024:,.0f} KiB "
                f"| {page.bytes_1x / 1024:,.0f} KiB | {page.ratio_1x:.1%} "
                f"| {page.bytes_2x / 1024:,.0f} KiB | {page.ratio_2x:.1%} |"
            )
    return "\n".join(lines) + "\n"
