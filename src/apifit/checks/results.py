"""Judge an answer against a check, and derive a check's shown result from its evidence.

`judge` is the one evaluator: the live recorder, the pytest replay and the site build all call
it. `derive` turns a check, its cassette, its latest attempt and the clock into what a page
shows, so the site can never disagree with the recordings.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apifit.checks import faults, pagetext
from apifit.checks.cassettes import (
    Attempt,
    Evidence,
    Exchange,
    Provenance,
    Recording,
    cassette_path,
    read_attempts,
    read_cassette,
)
from apifit.checks.faults import Status
from apifit.checks.schema import Check, JsonExpect, load_checks
from apifit.checks.scrub import REDACTED, Scrubber, is_secret_field, redacted_path
from apifit.errors import InputError

DEFAULT_MAX_AGE_DAYS = 30.0
MAX_AGE_ENV = "APIFIT_MAX_AGE_DAYS"
# Response fields worth showing as evidence: they identify the answer (and TikTok's log entry).
KEY_FIELDS = ("error.code", "error.message", "error", "error_description", "log_id", "error.log_id")


def age_in_days(now: datetime, when: datetime) -> float:
    return (now - when).total_seconds() / 86400


def days(age: float) -> int:
    """Whole days elapsed: evidence recorded 135.7 days ago is 135 days old, as a calendar says."""
    return math.floor(age)


@dataclass(frozen=True)
class Outcome:
    """The verdict on one answer: passed, failed or inconclusive, and why."""

    status: Status
    reason: str = ""
    # False when no server was reached (see faults.Inconclusive.reached).
    reached: bool = True


def _lookup(data: Any, path: str) -> tuple[bool, Any]:
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False, None
    return True, data


def _quoted(path: str, value: Any) -> str:
    """A value of the answer as a failure reason may quote it: credential fields redacted."""
    return json.dumps(Scrubber().data(value, secret=redacted_path(path)))


def _matched(rule: JsonExpect, found: bool, value: Any) -> bool:
    assert rule.matches is not None
    return found and re.search(rule.matches, str(value)) is not None


def matched(check: Check, exchange: Exchange) -> dict[str, bool]:
    """What each `matches` rule finds in a live answer: a recording stores these results, as
    the value itself may be redacted there."""
    data = _json_or_none(exchange.text)
    return {
        rule.key: _matched(rule, *_lookup(data, rule.path))
        for rule in check.expect.json_
        if rule.matches is not None
    }


def _json_problem(data: Any, rule: JsonExpect, stored: Mapping[str, bool] | None) -> str | None:
    found, value = _lookup(data, rule.path)
    if rule.exists is not None:
        return None if found == rule.exists else f"{rule.path} {'present' if found else 'absent'}"
    if not found:
        return f"{rule.path} absent"
    shown = _quoted(rule.path, value)
    if rule.matches is not None:
        hit = _matched(rule, found, value) if stored is None else stored.get(rule.key)
        if hit is None:
            return f"{rule.path}: the recording holds no result for matches {rule.matches!r}"
        return None if hit else f"{rule.path} is {shown}, expected it to match {rule.matches!r}"
    if rule.equals is not None and value != rule.equals:
        return f"{rule.path} is {shown}, expected {json.dumps(rule.equals)}"
    if rule.contains is not None and rule.contains not in str(value):
        return f"{rule.path} is {shown}, expected it to contain {rule.contains!r}"
    return None


def judge(check: Check, exchange: Exchange, stored: Mapping[str, bool] | None = None) -> Outcome:
    """Does this answer support the check's claim? `stored`: a recording's `matched` results,
    which decide its `matches` rules (None: a live answer, judged on its values)."""
    expect = check.expect
    unclear = faults.from_answer(
        exchange.status, exchange.headers, exchange.text, wants_json=bool(expect.json_)
    )
    if unclear is not None:
        return Outcome(Status.INCONCLUSIVE, str(unclear))
    problems = []
    if expect.status and exchange.status not in expect.status:
        wanted = " or ".join(map(str, expect.status))
        problems.append(f"HTTP {exchange.status}, expected {wanted}")
    if expect.json_:
        data = json.loads(exchange.text)
        problems += [p for rule in expect.json_ if (p := _json_problem(data, rule, stored))]
    for name, part in expect.headers.items():
        value = exchange.headers.get(name)
        if value is None or part.lower() not in value.lower():
            shown = REDACTED if value is not None and is_secret_field(name) else value
            problems.append(f"header {name} is {shown!r}, expected it to contain {part!r}")
    if expect.text:
        page = pagetext.read(exchange.text, exchange.headers.get("content-type", ""))
        absent = [t for t in expect.text if not page.contains(t)]
        if absent:
            unclear = faults.text_absent(page)
            if unclear is not None and not problems:
                return Outcome(Status.INCONCLUSIVE, str(unclear))
            problems += [f"text absent: {t!r}" for t in absent]
    if problems:
        return Outcome(Status.FAILED, "; ".join(problems))
    return Outcome(Status.PASSED)


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def evidence(exchanges: list[Exchange], duration_ms: int | None = None) -> Evidence:
    """The request line, status and identifying fields of the final answer, and the redirects
    that led to it (exchanges already scrubbed)."""
    exchange = exchanges[-1]
    fields: dict[str, str] = {}
    data = _json_or_none(exchange.text)
    for path in KEY_FIELDS:
        found, value = _lookup(data, path)
        if found and not isinstance(value, dict | list):
            fields[path] = str(value)
    return Evidence(
        request_line=exchange.request_line,
        status=exchange.status,
        fields=fields,
        duration_ms=duration_ms,
        redirected_from=tuple(f"{e.request_line} (HTTP {e.status})" for e in exchanges[:-1]
                              if 300 <= e.status < 400),
    )  # fmt: skip


def current_provenance() -> Provenance:
    """Where a live run happens: CI sets CI=true."""
    return "ci" if os.environ.get("CI", "").lower() == "true" else "local"


def provenance_text(provenance: Provenance, when: datetime, *, replayed: bool) -> str:
    where = "live run in CI" if provenance == "ci" else "live run on someone's machine"
    text = f"{where}, {when:%Y-%m-%d}"
    return f"replayed recording ({text})" if replayed else text


@dataclass(frozen=True)
class ArchivedResult:
    """A check judged on an archived copy of its page: never a live run, always dated."""

    status: Status
    reason: str
    archive: str  # e.g. Open Terms Archive
    title: str  # the document's title
    stated: str  # the version line as the text gives it
    commit: str
    url: str  # the version's page in the archive
    recorded_at: datetime  # when the archive recorded this version
    age_days: float

    @property
    def provenance(self) -> str:
        return (
            f"archived copy ({self.archive}, recorded {self.recorded_at:%Y-%m-%d}, "
            f'stated "{self.stated}", {days(self.age_days)} days old)'
        )


@dataclass(frozen=True)
class Result:
    """What a page shows for one check."""

    check: Check
    status: Status
    reason: str = ""
    evidence: Evidence | None = None
    recorded_at: datetime | None = None
    provenance: str = ""
    age_days: float | None = None
    # The latest live attempt, shown when it did not pass and is newer than the recording.
    attempt: Attempt | None = None
    # The check judged on an archived copy, when it names one.
    archived: ArchivedResult | None = None
    # The shown status is the archived copy's: no live evidence is newer.
    from_archive: bool = False

    @property
    def disagrees(self) -> bool:
        """Live evidence and the archived copy reach different verdicts: both must be shown."""
        return (
            self.archived is not None
            and not self.from_archive
            and self.status != Status.NOT_RECORDED
            and self.status != self.archived.status
        )

    @property
    def record_command(self) -> str:
        return f"apifit record {self.check.id}"


def derive(
    check: Check,
    recording: Recording | None,
    attempt: Attempt | None,
    now: datetime,
    max_age_days: float = DEFAULT_MAX_AGE_DAYS,
    replayed: list[Exchange] | None = None,
    archived: ArchivedResult | None = None,
) -> Result:
    """A check's result from its evidence; `replayed` are the answers a replay just received.

    With an archived copy, the newer evidence decides what is shown first; the other stays
    attached, so a page can show both when they disagree.
    """
    live = _derive_live(check, recording, attempt, now, max_age_days, replayed)
    if archived is None:
        return live
    live_dates = [recording.meta.recorded_at] if recording else []
    live_dates += [attempt.at] if attempt else []
    if live_dates and max(live_dates) > archived.recorded_at:
        return dataclasses.replace(live, archived=archived)
    # Not aged like a recording: the archive records each change, so its newest version is
    # the one in force until the weekly workflow finds a newer one.
    return Result(
        check,
        archived.status,
        archived.reason,
        recorded_at=archived.recorded_at,
        provenance=archived.provenance,
        age_days=archived.age_days,
        archived=archived,
        from_archive=True,
    )


def _derive_live(
    check: Check,
    recording: Recording | None,
    attempt: Attempt | None,
    now: datetime,
    max_age_days: float,
    replayed: list[Exchange] | None,
) -> Result:
    if recording is None:
        if attempt is None:
            return Result(check, Status.NOT_RECORDED)
        return Result(
            check,
            attempt.status,
            attempt.reason,
            evidence=attempt.evidence,
            provenance=provenance_text(attempt.provenance, attempt.at, replayed=False),
            attempt=attempt,
        )
    meta = recording.meta
    exchanges = replayed if replayed is not None else recording.exchanges
    outcome = judge(check, exchanges[-1], meta.matched)
    newer = (
        attempt
        if attempt and attempt.at > meta.recorded_at and attempt.status != Status.PASSED
        else None
    )
    age = age_in_days(now, meta.recorded_at)
    status, reason = outcome.status, outcome.reason
    if newer is not None and newer.status == Status.FAILED:
        # A contradiction is news: old good evidence must not hide it.
        status, reason = Status.FAILED, f"latest live attempt failed: {newer.reason}"
    elif status == Status.PASSED and age > max_age_days:
        status, reason = Status.STALE, f"recorded {days(age)} days ago (limit {max_age_days:g})"
    return Result(
        check,
        status,
        reason,
        evidence=evidence(recording.exchanges, meta.duration_ms),
        recorded_at=meta.recorded_at,
        provenance=provenance_text(meta.provenance, meta.recorded_at, replayed=True),
        age_days=age,
        attempt=newer,
    )


def max_age_from_env() -> float:
    """The allowed age of a recording, in days (CI sets APIFIT_MAX_AGE_DAYS)."""
    raw = os.environ.get(MAX_AGE_ENV)
    if not raw:
        return DEFAULT_MAX_AGE_DAYS
    try:
        return float(raw)
    except ValueError:
        raise InputError(
            f"${MAX_AGE_ENV}", MAX_AGE_ENV, f"{raw!r} is not a number of days"
        ) from None


def now_utc() -> datetime:
    return datetime.now(UTC)


def derive_all(
    checks_dir: Path,
    cassettes_dir: Path,
    now: datetime,
    max_age_days: float,
    archived: Callable[[Check], ArchivedResult | None] = lambda _: None,
) -> list[Result]:
    """Every check's result, from the files alone (no network): what the site shows."""
    attempts = read_attempts(cassettes_dir)
    return [
        derive(
            check,
            read_cassette(cassette_path(cassettes_dir, check.id)),
            attempts.get(check.id),
            now,
            max_age_days,
            archived=archived(check),
        )
        for check in load_checks(checks_dir)
    ]
