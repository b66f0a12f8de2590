from __future__ import annotations

import json
from pathlib import Path

import pytest

from apifit.errors import InputError
from apifit.site.performance import load_report, render_report

MACHINE = {"cpu": "Test CPU", "cores": 2, "memory_gib": 24, "python": "3.11", "platform": "linux"}


def _metric(**overrides: object) -> dict[str, object]:
    metric: dict[str, object] = {
        "id": "warm",
        "label": "Warm rebuild vs plain",
        "unit": "x",
        "median": 1.1,
        "min": 1.0,
        "max": 1.3,
        "runs": 5,
        "target": 1.25,
    }
    return metric | overrides


def _write(tmp_path: Path, **report: object) -> Path:
    path = tmp_path / "bench.json"
    data = {"measured_at": "2026-11-25T12:00:00", "machine": MACHINE, "metrics": [_metric()]}
    path.write_text(json.dumps(data | report))
    return path


def test_missing_results_file_renders_not_measured(tmp_path: Path) -> None:
    assert "Not measured yet" in render_report(load_report(tmp_path / "absent.json"))


def test_metric_within_target_is_shown_as_holding(tmp_path: Path) -> None:
    text = render_report(load_report(_write(tmp_path)))
    assert "| Warm rebuild vs plain | 1.10x | 1.00x | 1.30x | 5 | holds (target ≤ 1.25x) |" in text


def test_metric_over_target_is_shown_as_missing(tmp_path: Path) -> None:
    text = render_report(load_report(_write(tmp_path, metrics=[_metric(median=1.5)])))
    assert "**misses** (target ≤ 1.25x)" in text


def test_page_bytes_are_rendered_as_ratios(tmp_path: Path) -> None:
    pages = [{"page": "index.md", "raw_png_bytes": 1000, "bytes_1x": 50, "bytes_2x": 120}]
    text = render_report(load_report(_write(tmp_path, pages=pages)))
    assert "| 5.0% |" in text and "| 12.0% |" in text


def test_malformed_results_name_the_field(tmp_path: Path) -> None:
    path = _write(tmp_path, metrics=[_metric(median="fast")])
    with pytest.raises(InputError, match=r"bench.json:1: metrics\[warm\]\.median: "):
        load_report(path)
