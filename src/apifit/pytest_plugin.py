"""pytest plugin: collect every check in `checks/*.yml` as a test, replayed from its cassette.

Use it with `pytest -p apifit.pytest_plugin checks/` (or `apifit check`, which does that and
prints a table). One item per check; replay only, with the network blocked.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from apifit import replay_suite
from apifit.results import max_age_from_env


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
