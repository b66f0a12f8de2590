"""1,000 checks recorded against a local API having a bad day: every check ends with a verdict
or its reason, only complete passing answers are saved, and the site and the replay show what
the live run observed. (Peak memory of this run is reported by the benchmark.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from checkserver import MIX_TOKEN, fault_mix, fault_mix_server, mix_checks, write_checks

from apifit.checks.faults import Status
from apifit.checks.results import derive_all, now_utc
from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks
from apifit.pytest_plugin import replay_checks

# What each kind of answer must come to: the status and the reason's first words.
EXPECTED = {
    "ok": (Status.PASSED, ""),
    "wrong": (Status.FAILED, 'error.code is "scope_not_authorized", expected "ok"'),
    "timeout": (Status.INCONCLUSIVE, "timeout"),
    "rate": (Status.INCONCLUSIVE, "rate limited"),
    "server": (Status.INCONCLUSIVE, "server error"),
    "truncated": (Status.INCONCLUSIVE, "truncated body"),
    "captcha": (Status.INCONCLUSIVE, "bot wall or captcha"),
}
N = 1000


@pytest.mark.slow
def test_a_thousand_checks_in_a_fault_mix_end_as_observed_and_replay_the_same(
    tmp_path: Path,
) -> None:
    kinds = fault_mix(N)
    cassettes = tmp_path / "cassettes"
    with fault_mix_server() as base:
        write_checks(tmp_path, mix_checks(base, kinds))
        checks = load_checks(tmp_path / "checks")
        # The timeout is generous: an answer is never late on a busy machine, only on purpose.
        runs = asyncio.run(record_async(checks, cassettes, {}, concurrency=100, timeout=5))
    expected = {f"mix-{i:04d}": EXPECTED[kind] for i, kind in enumerate(kinds)}
    observed = {r.check.id: (r.status, r.reason.split(":")[0].split(";")[0]) for r in runs}
    assert observed == expected
    passed = {i for i, (status, _) in expected.items() if status == Status.PASSED}
    assert {p.stem for p in cassettes.glob("*.yaml")} == passed
    assert {r.check.id for r in runs if r.saved} == passed
    live = {i: status for i, (status, _) in expected.items()}
    assert {r.check.id: r.status for r in derive_all(tmp_path / "checks", cassettes, now_utc(), 30)
            } == live  # fmt: skip
    assert {r.check.id: r.status for r in replay_checks(tmp_path / "checks", cassettes)} == live
    assert not any(MIX_TOKEN in p.read_text() for p in cassettes.iterdir())
