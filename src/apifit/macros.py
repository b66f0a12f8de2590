"""The module mkdocs-macros loads: a thin adapter that only registers apifit functions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apifit import performance

BENCH_RESULTS = Path("bench/results/bench.json")


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros)."""
    root = Path(env.project_dir)

    def performance_report() -> str:
        """The benchmark figures, read from the results file at build time."""
        return performance.render_report(performance.load_report(root / BENCH_RESULTS))

    env.macro(performance_report)
