"""The runner's invariant, as a property: whatever a JSON answer holds and whatever a check
expects of it, the replayed verdict is the live one, or the check is refused (at load, or at
save with its one line), and no secret reaches a cassette, the attempts file or a message."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import httpx
from checkserver import check, write_checks
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apifit.checks.cassettes import ATTEMPTS_FILE, cassette_path, read_cassette
from apifit.checks.faults import Status
from apifit.checks.results import derive
from apifit.checks.runner import record_async
from apifit.checks.schema import load_checks
from apifit.checks.scrub import redacted_path
from apifit.errors import InputError

# Names a recording redacts under, names that describe a credential, and ordinary ones.
CREDENTIAL_NAMES = ("access_token", "session", "sessionId", "api_key", "cookie", "signature",
                    "client_secret", "X-Auth")  # fmt: skip
DESCRIBING_NAMES = ("token_type", "expires_in", "scope", "state", "signature_version")
ORDINARY_NAMES = ("code", "message", "data", "items", "name", "id", "note", "log_id")
KEYS = st.sampled_from(CREDENTIAL_NAMES + DESCRIBING_NAMES + ORDINARY_NAMES)
WORDS = st.sampled_from(("Bearer", "active", "ok", "research", "x", ""))
# Token-shaped values (long enough, not a plain word): what the scrubber learns and removes.
SECRETS = st.from_regex(r"\As3cr-[0-9a-f]{8}\Z")


def _strings(secrets: list[str]) -> st.SearchStrategy[str]:
    secret = st.sampled_from(secrets)
    quoting = st.builds(lambda w, s: f"{w} {s} {w}", WORDS, secret)
    return st.one_of(WORDS, secret, quoting)


def _answers(secrets: list[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        _strings(secrets), st.integers(-5, 99999), st.booleans(), st.none(), st.floats(0, 9)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, min_size=1, max_size=4)
        ),
        max_leaves=12,
    )


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    return [(str(i), v) for i, v in enumerate(value)] if isinstance(value, list) else []


def _paths(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = [(prefix, value)] if prefix else []
    for key, child in _children(value):
        found += _paths(child, f"{prefix}.{key}" if prefix else key)
    return found


def _secrets_in(answer: Any) -> set[str]:
    """The token-shaped strings a recording must not hold: those under credential names."""
    return {
        value
        for path, value in _paths(answer)
        if isinstance(value, str) and value.startswith("s3cr-") and redacted_path(path)
    }


@st.composite
def _rule(draw: st.DrawFn, answer: dict[str, Any]) -> dict[str, Any]:
    # A field that may quote a credential is drawn more often: it is where scrubbing by value
    # could change a verdict.
    quoting = [("message", answer["message"])] * 4 if "message" in answer else []
    path, value = draw(st.sampled_from([*_paths(answer), ("absent.path", None), *quoting]))
    text = str(value)  # as `contains` and `matches` read it
    part = draw(st.integers(0, len(text)))
    prefix = text[: draw(st.integers(0, min(len(text), 8)))]
    operator = draw(st.sampled_from(("equals", "contains", "matches", "exists")))
    # Mostly what the answer holds, so that most checks pass live and reach the save.
    if operator == "equals":
        scalar = value if isinstance(value, str | int | float | bool) else "x"
        return {"path": path, "equals": draw(st.sampled_from((scalar, scalar, scalar, 0)))}
    if operator == "contains":
        return {"path": path, "contains": draw(st.sampled_from((text[part:], text, "nothing")))}
    if operator == "matches":
        pattern = f"^{re.escape(prefix)}"
        return {"path": path, "matches": draw(st.sampled_from((pattern, pattern, "^zz")))}
    return {"path": path, "exists": draw(st.sampled_from((True, True, False)))}


@st.composite
def _cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    secrets = draw(st.lists(SECRETS, min_size=1, max_size=3, unique=True))
    answer = draw(st.dictionaries(KEYS, _answers(secrets), min_size=1, max_size=5))
    if draw(st.booleans()):  # a credential the scrubber learns, which other fields may quote
        answer["access_token"] = secrets[0]
        answer["message"] = draw(_strings(secrets[:1]))
    rules = draw(st.lists(_rule(answer), min_size=1, max_size=2))
    return answer, rules


def _record(root: Path, answer: dict[str, Any]) -> Any:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=answer))
    checks = load_checks(root / "checks")
    return asyncio.run(record_async(checks, root / "cassettes", {}, transport=transport))[0]


REFUSED_AT_LOAD = re.compile(
    r"local\.yml:\d+: checks\[[^\]]+\]\.expect\.json\[\d+\]\.path: this field is redacted in "
    r"recordings \(assert exists: true, or check a non-secret field\)"
)
REFUSED_AT_SAVE = re.compile(
    r"c: not saved: passed live, but its recording would replay as (failed|inconclusive) \(.*\) "
    r"because secrets are scrubbed from it \(assert exists: true, or check a non-secret field\)"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_cases())
def test_a_replay_reaches_the_live_verdict_or_the_check_is_refused(
    case: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    answer, rules = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_checks(root, [check("c", "http://127.0.0.1/answer", expect={"json": rules})])
        try:
            _record_and_replay(root, answer)
        except InputError as refused:
            event("refused at load")
            assert REFUSED_AT_LOAD.search(str(refused)), refused


def _record_and_replay(root: Path, answer: dict[str, Any]) -> None:
    live = _record(root, answer)
    event("refused at save" if live.not_saved else f"{live.status}, saved: {live.saved}")
    path = cassette_path(root / "cassettes", "c")
    if live.saved:
        recording = read_cassette(path)
        assert recording is not None
        replayed = derive(live.check, recording, None, recording.meta.recorded_at)
        assert (replayed.status, live.status) == (Status.PASSED, Status.PASSED)
    else:
        assert not path.exists()
        if live.status == Status.PASSED:
            assert REFUSED_AT_SAVE.fullmatch(live.not_saved), live.not_saved
    written = "".join(p.read_text() for p in (root / "cassettes").iterdir())
    outputs = [written, live.reason, live.not_saved]
    leaks = [s for s in _secrets_in(answer) for text in outputs if s in text]
    assert leaks == []
    if not live.saved and live.status == Status.PASSED:
        assert not (root / "cassettes" / ATTEMPTS_FILE).exists() or "c" not in json.loads(
            (root / "cassettes" / ATTEMPTS_FILE).read_text()
        )
