"""pytest plugin: collect every check in `checks/*.yml` as a test, replayed from its cassette.

Use it with `pytest -p apifit.pytest_plugin checks/` (or `apifit check`, which does that and
prints a table). One item per check; replay only, with the network blocked.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

# Before anything imports vcr: pytest-recording asks pytest to rewrite vcr.matchers' asserts,
# which only works if it comes first (`-p apifit.pytest_plugin` loads us before it).
import pytest_recording  # noqa: F401  # isort: skip
from apifit import replay_suite
from apifit.checks.results import Result, max_age_from_env
from apifit.checks.schema import load_checks, select
from apifit.errors import ApifitError
from apifit.evidence.archive import pinned_documents
from apifit.replay_suite import RESULT_PROPERTY


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("apifit")
    group.addoption(
        "--apifit-cassettes",
        dest="apifit_cassettes",
        default="cassettes",
        help="Directory of the recordings, one <check-id>.yaml each. Default: cassettes",
    )
    group.addoption(
        "--apifit-max-age",
        dest="apifit_max_age",
        type=float,
        default=None,
        help="Days after which a recording is stale and fails. Default: $APIFIT_MAX_AGE_DAYS or 30",
    )
    group.addoption("--apifit-api", dest="apifit_api", default=None, help="Only this API's checks.")
    group.addoption(
        "--apifit-id", dest="apifit_ids", action="append", default=[], help="Only this check."
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("apifit_max_age") is None:
        config.option.apifit_max_age = max_age_from_env()


class CheckFile(pytest.Module):
    """A check file, collected as if it were the replay test module, parametrized by its checks."""

    def _getobj(self) -> ModuleType:
        return replay_suite


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".yml" and file_path.parent.name == "checks":
        return CheckFile.from_parent(parent, path=file_path)
    return None


class _Results:
    """Gathers each replayed check's Result from its test report."""

    def __init__(self) -> None:
        self.results: list[Result] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            self.results += [
                v
                for k, v in report.user_properties
                if k == RESULT_PROPERTY and isinstance(v, Result)
            ]


def replay_checks(
    checks_dir: Path,
    cassettes_dir: Path,
    *,
    ids: Sequence[str] = (),
    api: str | None = None,
    max_age_days: float | None = None,
) -> list[Result]:
    """Replay checks under pytest in this process (network blocked) and return their results."""
    # Bad input fails here, with file and line.
    select(load_checks(checks_dir, pinned_documents(checks_dir.parent)), list(ids), api)
    args = [
        str(checks_dir),
        "-p", "apifit.pytest_plugin",
        "-p", "no:cacheprovider",
        "-qq", "--no-header", "--disable-warnings",
        "--rootdir", str(checks_dir.parent),
        "--apifit-cassettes", str(cassettes_dir),
    ]  # fmt: skip
    args += [f"--apifit-id={i}" for i in ids]
    if api is not None:
        args.append(f"--apifit-api={api}")
    if max_age_days is not None:
        args.append(f"--apifit-max-age={max_age_days}")
    collected = _Results()
    with contextlib.redirect_stdout(io.StringIO()) as output:
        code = pytest.main(args, plugins=[collected])
    if code not in (
        pytest.ExitCode.OK,
        pytest.ExitCode.TESTS_FAILED,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        raise ApifitError(
            f"replay did not run (pytest exit code {int(code)}):\n{output.getvalue()}"
        )
    return collected.results
