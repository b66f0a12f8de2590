"""The test that replays one check; `apifit.pytest_plugin` collects it once per check.

It is a test module in its own right so that pytest-recording's fixtures apply unchanged:
`@pytest.mark.vcr` with this project's cassette directory and the check id as cassette name,
record mode "none", sockets blocked. Only method, scheme, host, port and path are matched:
scrubbed values (tokens, keys) differ from what a replay sends and must not decide a match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from vcr.cassette import Cassette
from vcr.errors import CannotOverwriteExistingCassetteException

from apifit.checks.cassettes import Attempt, cassette_path, loaded_recording, read_attempts
from apifit.checks.faults import Status
from apifit.checks.results import Result, derive, now_utc
from apifit.checks.runner import replay
from apifit.checks.schema import Check, load_file
from apifit.evidence.archive import Archive, load_archive

MATCH_ON = ("method", "scheme", "host", "port", "path")
RESULT_PROPERTY = "apifit_result"
# Statuses that fail the test run: a contradicted claim, and evidence too old to trust.
FAILING = (Status.FAILED, Status.STALE)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    checks = load_file(metafunc.definition.path)
    wanted = metafunc.config.getoption("apifit_ids") or None
    api = metafunc.config.getoption("apifit_api")
    chosen = [c for c in checks if (wanted is None or c.id in wanted) and api in (None, c.api)]
    metafunc.parametrize("check", chosen, ids=[c.id for c in chosen])


@pytest.fixture(scope="module")
def vcr_cassette_dir(pytestconfig: pytest.Config) -> str:
    """All cassettes of a project live in one directory, named by check id."""
    return str(pytestconfig.getoption("apifit_cassettes"))


@pytest.fixture(scope="session")
def latest_attempts(pytestconfig: pytest.Config) -> dict[str, Attempt]:
    """The attempts file, read once per run rather than once per check."""
    return read_attempts(Path(pytestconfig.getoption("apifit_cassettes")))


@pytest.fixture(scope="session")
def archive(pytestconfig: pytest.Config) -> Archive | None:
    """The project's archived copies (`archive/pins.yml` beside `checks/`), verified once."""
    return load_archive(Path(pytestconfig.getoption("apifit_cassettes")).resolve().parent)


@pytest.fixture
def default_cassette_name(check: Check) -> str:
    """The cassette is the check's: `cassettes/<check-id>.yaml`."""
    return check.id


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    """Replay only, and match requests without looking at any value that was scrubbed."""
    return {"record_mode": "none", "match_on": MATCH_ON, "allow_playback_repeats": True}


@pytest.mark.vcr
@pytest.mark.block_network
def test_check(
    check: Check,
    request: pytest.FixtureRequest,
    vcr_cassette_dir: str,
    latest_attempts: dict[str, Attempt],
    archive: Archive | None,
    vcr: Cassette,
) -> None:
    path = cassette_path(Path(vcr_cassette_dir), check.id)
    recording = loaded_recording(path, vcr) if path.exists() else None
    attempt = latest_attempts.get(check.id)
    max_age = request.config.getoption("apifit_max_age")
    now = now_utc()
    archived = archive.judged(check, now) if archive is not None else None
    if recording is None:
        result = derive(check, None, attempt, now, max_age, archived=archived)
    else:
        try:
            replayed = replay(check)
        except CannotOverwriteExistingCassetteException:
            reason = (
                f"the recording does not match the check's request: {check.id} needs re-recording"
            )
            result = Result(check, Status.FAILED, reason)
        else:
            result = derive(
                check, recording, attempt, now, max_age, replayed=replayed, archived=archived
            )
    request.node.user_properties.append((RESULT_PROPERTY, result))
    message = f"{result.status}: {result.reason}" if result.reason else str(result.status)
    if result.status in FAILING:
        pytest.fail(message)
    if result.status != Status.PASSED:
        pytest.skip(message)
