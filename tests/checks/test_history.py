"""cassettes/history.jsonl: appended whole, read back line by line, unreadable lines named."""

from __future__ import annotations

import asyncio
import hashlib
import string
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checkserver import CANARIES, CREDENTIALS_ENV, serve_tiktok, tiktok_checks, write_checks
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from apifit.checks.cassettes import Attempt, cassette_path
from apifit.checks.faults import Status
from apifit.checks.history import HISTORY_FILE, Line, append, append_attempts, read_history
from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks
from apifit.checks.scrub import Scrubber

T0 = datetime(2026, 11, 2, 5, 17, tzinfo=UTC)


def _line(check: str = "c", status: Status = Status.PASSED, days: int = 0) -> Line:
    return Line(check=check, status=status, recorded_at=T0 + timedelta(days=days), provenance="ci")


def test_appended_lines_read_back_in_order(tmp_path: Path) -> None:
    append(tmp_path, [_line(days=0)], Scrubber())
    append(tmp_path, [_line(days=7, status=Status.FAILED), _line("d", days=7)], Scrubber())
    history = read_history(tmp_path)
    assert [(x.check, x.status) for x in history.lines] == [
        ("c", Status.PASSED),
        ("c", Status.FAILED),
        ("d", Status.PASSED),
    ]
    assert history.problems == ()


def test_no_history_file_is_an_empty_history(tmp_path: Path) -> None:
    assert read_history(tmp_path).lines == ()


def test_a_truncated_line_is_reported_with_its_line_number_and_ignored(tmp_path: Path) -> None:
    append(tmp_path, [_line(days=0), _line(days=1)], Scrubber())
    path = tmp_path / HISTORY_FILE
    # A run cut off while writing: its line stops halfway.
    path.write_bytes(path.read_bytes() + _line(days=2).model_dump_json().encode()[:30])
    append(tmp_path, [_line(days=3)], Scrubber())
    history = read_history(tmp_path)
    assert [x.recorded_at.day for x in history.lines] == [2, 3, 5]
    [problem] = history.problems
    assert problem.startswith(f"{path}:3: (history line): ")
    assert problem.endswith("; ignored")


def test_a_line_with_an_unknown_status_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / HISTORY_FILE
    good = _line().model_dump_json()
    path.write_text(good + "\n" + good.replace('"passed"', '"great"') + "\n")
    [problem] = read_history(tmp_path).problems
    assert f"{path}:2:" in problem and "status" in problem


def test_a_secret_in_a_reason_never_reaches_the_file(tmp_path: Path) -> None:
    secret = "sk-live-5f1e9a7c3b2d8e4f"
    line = Line(
        check="c",
        status=Status.FAILED,
        reason=f"error.message is 'bad token {secret}'",
        recorded_at=T0,
        provenance="ci",
    )
    append(tmp_path, [line], Scrubber([secret]))
    text = (tmp_path / HISTORY_FILE).read_text()
    assert secret not in text
    assert "REDACTED" in text


def test_a_passing_attempt_names_the_sha256_of_the_cassette_it_saved(tmp_path: Path) -> None:
    saved = b"interactions: []\n"
    cassette_path(tmp_path, "c").write_bytes(saved)
    attempts = {
        "c": Attempt(at=T0, status=Status.PASSED, provenance="ci"),
        "d": Attempt(at=T0, status=Status.FAILED, reason="HTTP 200", provenance="ci"),
    }
    append_attempts(tmp_path, attempts, Scrubber())
    lines = {x.check: x for x in read_history(tmp_path).lines}
    assert lines["c"].cassette == hashlib.sha256(saved).hexdigest()
    assert lines["d"].cassette is None
    assert lines["d"].reason == "HTTP 200"


_statuses = st.sampled_from(list(Status))
_lines = st.lists(
    st.builds(_line, st.sampled_from(["a", "b-2"]), _statuses, st.integers(0, 400)), max_size=8
)
# Whatever a torn write leaves: never a newline (that would end the line it tears).
_torn = st.binary(max_size=60).filter(lambda b: b"\n" not in b and b.strip() != b"")


# No deadline: each example fsyncs, and how long that takes says nothing about correctness.
@settings(deadline=None)
@given(before=_lines, torn=_torn, after=_lines)
def test_a_torn_write_costs_only_its_own_line(
    before: list[Line], torn: bytes, after: list[Line]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        append(directory, before, Scrubber())
        with (directory / HISTORY_FILE).open("ab") as handle:
            handle.write(torn)
        append(directory, after, Scrubber())
        history = read_history(directory)
    assert list(history.lines) == before + after
    assert [p.split(":")[1] for p in history.problems] == [str(len(before) + 1)]


def test_a_live_record_appends_one_scrubbed_line_per_check_run(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_tiktok(httpserver)
    base = f"http://127.0.0.1:{httpserver.port}"
    write_checks(tmp_path, tiktok_checks(base), base)
    checks = load_checks(tmp_path / "checks")
    for _ in range(2):
        asyncio.run(record_async(checks, tmp_path / "cassettes", CREDENTIALS_ENV))
    history = read_history(tmp_path / "cassettes")
    assert len(history.lines) == 2 * len(checks)
    assert {x.status for x in history.lines} == {Status.PASSED}
    saved = cassette_path(tmp_path / "cassettes", "research-scope-not-authorized").read_bytes()
    assert (
        history.of("research-scope-not-authorized")[-1].cassette
        == hashlib.sha256(saved).hexdigest()
    )
    text = (tmp_path / "cassettes" / HISTORY_FILE).read_text()
    assert [c for c in CANARIES if c in text] == []


@settings(deadline=None)
@given(
    # Token-shaped, with the characters JSON must escape: a quote and a backslash.
    secret=st.text(string.ascii_letters + string.digits + '-._~+/="\\', min_size=8, max_size=20),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_a_scrubbed_line_never_holds_the_secret_and_still_reads_back(
    secret: str, before: str, after: str
) -> None:
    line = Line(check="c", status=Status.FAILED, reason=f"{before}access_token={secret}{after}",
                recorded_at=T0, provenance="ci")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        append(Path(folder), [line], Scrubber([secret]))
        written = (Path(folder) / HISTORY_FILE).read_text(encoding="utf-8")
        history = read_history(Path(folder))
    assert secret not in written
    assert history.problems == ()
    assert [x.check for x in history.lines] == ["c"]


def test_a_time_without_its_zone_is_an_unreadable_line(tmp_path: Path) -> None:
    (tmp_path / HISTORY_FILE).write_text(
        '{"check": "c", "status": "passed", "recorded_at": "2026-11-02T05:17:00", '
        '"provenance": "ci"}\n'
    )
    [problem] = read_history(tmp_path).problems
    assert ":1: (history line): recorded_at: " in problem
