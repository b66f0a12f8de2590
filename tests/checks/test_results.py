"""Judging answers and deriving what a page shows from recording, attempt and clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from apifit.checks.cassettes import Attempt, Evidence, Exchange, Meta, Recording
from apifit.checks.faults import Status
from apifit.checks.results import ArchivedResult, current_provenance, derive, judge
from apifit.checks.schema import Check

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _check(expect: dict[str, object]) -> Check:
    return Check.model_validate(
        {"id": "c", "api": "research", "claim": "A claim.",
         "request": {"url": "https://h/x"}, "expect": expect}
    )  # fmt: skip


def _exchange(status: int, body: object, content_type: str = "application/json") -> Exchange:
    text = body if isinstance(body, str) else json.dumps(body)
    headers = httpx.Headers({"content-type": content_type})
    return Exchange("GET", "https://h/x", {}, b"", status, "", headers, text.encode())


def _recording(exchange: Exchange, age_days: float = 1, provenance: str = "ci") -> Recording:
    meta = Meta(recorded_at=NOW - timedelta(days=age_days), duration_ms=120, provenance=provenance)
    return Recording([exchange], meta)


API_ERROR = {"error": {"code": "scope_not_authorized", "message": "m", "log_id": "L1"}}
EXPECT_SCOPE = {"status": [401], "json": [{"path": "error.code", "equals": "scope_not_authorized"}]}


def test_matching_answer_passes() -> None:
    assert judge(_check(EXPECT_SCOPE), _exchange(401, API_ERROR)).status == Status.PASSED


def test_wrong_json_value_fails_naming_path_and_values() -> None:
    outcome = judge(_check(EXPECT_SCOPE), _exchange(401, {"error": {"code": "ok"}}))
    assert (outcome.status, outcome.reason) == (
        Status.FAILED,
        'error.code is "ok", expected "scope_not_authorized"',
    )


def test_contains_and_exists_rules() -> None:
    check = _check({"json": [{"path": "error.message", "contains": "m"},
                             {"path": "error.log_id", "exists": True},
                             {"path": "error.nope", "exists": False}]})  # fmt: skip
    assert judge(check, _exchange(401, API_ERROR)).status == Status.PASSED


def test_an_exists_rule_names_the_state_it_found() -> None:
    check = _check({"json": [{"path": "error.log_id", "exists": False},
                             {"path": "error.nope", "exists": True}]})  # fmt: skip
    outcome = judge(check, _exchange(401, API_ERROR))
    assert outcome.reason == "error.log_id present; error.nope absent"


def test_a_recording_s_stored_matches_result_decides_on_replay() -> None:
    check = _check({"json": [{"path": "access_token", "matches": "^act[.]"}]})
    stored = _exchange(200, {"access_token": "REDACTED"})
    assert judge(check, stored).status == Status.FAILED
    assert judge(check, stored, {"access_token matches ^act[.]": True}).status == Status.PASSED
    assert judge(check, stored, {}).reason == (
        "access_token: the recording holds no result for matches '^act[.]'"
    )


def test_header_rule_is_case_insensitive() -> None:
    check = _check({"headers": {"Content-Type": "JSON"}})
    assert judge(check, _exchange(200, {})).status == Status.PASSED


def test_page_text_is_matched_across_tags_and_whitespace() -> None:
    html = "<html><body><p>Use no <b>automated\n   scripts</b> to collect information.</p>"
    check = _check({"text": ["automated scripts to collect information"]})
    assert (
        judge(check, _exchange(200, html + "</body></html>", "text/html")).status == Status.PASSED
    )


def test_page_without_the_text_fails() -> None:
    html = "<html><body>" + "<p>Other terms entirely.</p>" * 60 + "</body></html>"
    outcome = judge(_check({"text": ["automated scripts"]}), _exchange(200, html, "text/html"))
    assert (outcome.status, outcome.reason) == (Status.FAILED, "text absent: 'automated scripts'")


def test_no_recording_and_no_attempt_is_not_recorded() -> None:
    result = derive(_check(EXPECT_SCOPE), None, None, NOW)
    assert (result.status, result.record_command) == (Status.NOT_RECORDED, "apifit record c")


def test_recorded_result_carries_evidence_and_provenance() -> None:
    result = derive(_check(EXPECT_SCOPE), _recording(_exchange(401, API_ERROR)), None, NOW)
    assert result.status == Status.PASSED
    assert result.evidence == Evidence(
        request_line="GET https://h/x",
        status=401,
        fields={"error.code": "scope_not_authorized", "error.message": "m", "error.log_id": "L1"},
        duration_ms=120,
    )
    assert result.provenance == "replayed recording (live run in CI, 2026-11-24)"


def test_passing_recording_older_than_the_limit_is_stale() -> None:
    recording = _recording(_exchange(401, API_ERROR), age_days=31)
    result = derive(_check(EXPECT_SCOPE), recording, None, NOW, max_age_days=30)
    assert (result.status, result.reason) == (Status.STALE, "recorded 31 days ago (limit 30)")


def _attempt(status: Status, reason: str, days_ago: float = 0) -> Attempt:
    return Attempt(at=NOW - timedelta(days=days_ago), status=status, reason=reason,
                   provenance="local")  # fmt: skip


def test_newer_inconclusive_attempt_is_shown_beside_the_old_evidence() -> None:
    attempt = _attempt(Status.INCONCLUSIVE, "timeout: ReadTimeout")
    result = derive(_check(EXPECT_SCOPE), _recording(_exchange(401, API_ERROR)), attempt, NOW)
    assert (result.status, result.attempt) == (Status.PASSED, attempt)
    assert result.evidence is not None and result.evidence.status == 401


def test_newer_failed_attempt_turns_the_result_failed() -> None:
    attempt = _attempt(Status.FAILED, "HTTP 200, expected 401")
    result = derive(_check(EXPECT_SCOPE), _recording(_exchange(401, API_ERROR)), attempt, NOW)
    assert result.status == Status.FAILED
    assert result.reason == "latest live attempt failed: HTTP 200, expected 401"


def test_attempt_older_than_the_recording_is_ignored() -> None:
    attempt = _attempt(Status.FAILED, "old news", days_ago=5)
    result = derive(_check(EXPECT_SCOPE), _recording(_exchange(401, API_ERROR)), attempt, NOW)
    assert (result.status, result.attempt) == (Status.PASSED, None)


def test_attempt_without_recording_is_shown_as_a_live_run() -> None:
    attempt = _attempt(Status.INCONCLUSIVE, "DNS failure: x")
    result = derive(_check(EXPECT_SCOPE), None, attempt, NOW)
    assert (result.status, result.provenance) == (
        Status.INCONCLUSIVE,
        "live run on someone's machine, 2026-11-25",
    )


@pytest.mark.parametrize(("value", "expected"), [("true", "ci"), ("", "local")])
def test_provenance_follows_the_ci_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    monkeypatch.setenv("CI", value)
    assert current_provenance() == expected


def _archived(status: Status, days_old: float = 100) -> ArchivedResult:
    return ArchivedResult(
        status=status,
        reason="" if status == Status.PASSED else "text absent: 'x'",
        archive="Open Terms Archive",
        title="Terms",
        stated="Last updated: July 15, 2026",
        commit="eff3343861659eb41fc4bf38319b7818a2814801",
        url="https://github.com/o/r/blob/eff3343/T.md",
        recorded_at=NOW - timedelta(days=days_old),
        age_days=days_old,
    )


PAGE = {"status": [200], "text": ["clause"]}


def test_without_live_evidence_the_archived_copy_is_shown_and_labelled_as_such() -> None:
    result = derive(_check(PAGE), None, None, NOW, archived=_archived(Status.PASSED))
    assert (result.status, result.from_archive) == (Status.PASSED, True)
    assert result.provenance.startswith("archived copy (Open Terms Archive, recorded")
    assert "live" not in result.provenance
    assert result.age_days == 100


def test_an_archived_copy_s_age_counts_whole_days_elapsed() -> None:
    # Recorded at midnight 135 days and 12 hours before NOW: 135 days old, not 136.
    result = derive(_check(PAGE), None, None, NOW, archived=_archived(Status.PASSED, 135.5))
    assert "135 days old" in result.provenance


def test_an_archived_copy_is_not_stale_by_the_recording_age_limit() -> None:
    result = derive(_check(PAGE), None, None, NOW, 30, archived=_archived(Status.PASSED, 300))
    assert result.status == Status.PASSED


def test_a_newer_live_recording_is_shown_first_with_the_archived_copy_attached() -> None:
    live = _recording(_exchange(200, "<p>clause</p>", "text/html"), age_days=1)
    result = derive(_check(PAGE), live, None, NOW, archived=_archived(Status.PASSED))
    assert (result.status, result.from_archive) == (Status.PASSED, False)
    assert result.provenance.startswith("replayed recording (live run in CI")
    assert result.archived is not None and not result.disagrees


def test_a_newer_failed_live_attempt_and_a_passing_archive_disagree() -> None:
    attempt = Attempt(at=NOW, status=Status.FAILED, reason="text absent", provenance="ci")
    result = derive(_check(PAGE), None, attempt, NOW, archived=_archived(Status.PASSED))
    assert result.status == Status.FAILED
    assert result.disagrees


def test_an_archived_copy_newer_than_the_live_recording_is_shown_first() -> None:
    live = _recording(_exchange(200, "<p>clause</p>", "text/html"), age_days=200)
    result = derive(_check(PAGE), live, None, NOW, archived=_archived(Status.FAILED, 10))
    assert (result.status, result.from_archive) == (Status.FAILED, True)


def test_a_reason_quoting_the_answer_redacts_its_credential_fields() -> None:
    body = {"data": {"refresh_token": "r-secret-1", "user": {"apiKey": "k-secret-2"}, "n": 1}}
    expect = {"json": [{"path": "data", "equals": "x"}]}
    outcome = judge(_check(expect), _exchange(200, body))
    assert outcome.reason == (
        'data is {"refresh_token": "REDACTED", "user": {"apiKey": "REDACTED"}, "n": 1}, '
        'expected "x"'
    )


def test_a_reason_quoting_a_credential_field_itself_redacts_it() -> None:
    expect = {"json": [{"path": "data.session_id", "contains": "x"}]}
    outcome = judge(_check(expect), _exchange(200, {"data": {"session_id": "s-secret-3"}}))
    assert "s-secret-3" not in outcome.reason and "REDACTED" in outcome.reason
