from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from checkserver import check, write_checks

from apifit.checks.schema import load_checks, select, substitute
from apifit.errors import InputError

SHIPPED_IDS = {
    "token-invalid-client",
    "research-query-without-token",
    "research-scope-not-authorized",
    "display-user-info-without-token",
    "research-eligibility-non-commercial",
    "research-faq-commercial-user",
    "tos-us-scraping-clause",
    "commercial-tos-automated-scripts-clause",
    "developer-terms-general-restrictions",
    "developer-terms-automated-means",
}


def test_shipped_check_file_declares_the_ten_agreed_checks(project_root: Path) -> None:
    checks = load_checks(project_root / "checks")
    assert {c.id for c in checks} == SHIPPED_IDS
    subjects = {"research", "display", "tos", "commercial-tos", "developer-terms"}
    assert {c.api for c in checks} <= subjects


def test_shipped_credentials_appear_only_as_variable_references(project_root: Path) -> None:
    checks = {c.id: c for c in load_checks(project_root / "checks")}
    assert checks["research-scope-not-authorized"].env_vars == (
        "TIKTOK_CLIENT_KEY",
        "TIKTOK_CLIENT_SECRET",
    )
    assert [c.id for c in checks.values() if c.env_vars] == ["research-scope-not-authorized"]


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    entry = check("a", "http://127.0.0.1/x")
    entry["expect"]["stauts"] = [200]
    path = write_checks(tmp_path, [entry])
    with pytest.raises(
        InputError,
        match=r"local.yml:\d+: checks\[a\].expect.stauts: unknown key \(did you mean status\?\)",
    ):
        load_checks(tmp_path / "checks")
    assert path.exists()


def test_check_with_auth_needs_the_file_auth_section(tmp_path: Path) -> None:
    write_checks(tmp_path, [{**check("a", "http://127.0.0.1/x"), "auth": "client_credentials"}])
    with pytest.raises(InputError, match=r"checks\[a\].auth: needs the file's `auth` section"):
        load_checks(tmp_path / "checks")


def test_form_and_json_body_together_are_refused(tmp_path: Path) -> None:
    write_checks(tmp_path, [check("a", "http://127.0.0.1/x", form={"a": "b"}, json={"c": 1})])
    with pytest.raises(InputError, match="give either form or json"):
        load_checks(tmp_path / "checks")


def test_an_expectation_is_required(tmp_path: Path) -> None:
    entry = check("a", "http://127.0.0.1/x")
    entry["expect"] = {}
    write_checks(tmp_path, [entry])
    with pytest.raises(InputError, match="expect nothing"):
        load_checks(tmp_path / "checks")


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    write_checks(tmp_path, [check("same", "http://127.0.0.1/x")])
    other = tmp_path / "checks" / "other.yml"
    other.write_text(yaml.safe_dump({"checks": [check("same", "http://127.0.0.1/y")]}))
    with pytest.raises(InputError, match=r"'same' is already used in .*local.yml"):
        load_checks(tmp_path / "checks")


def test_select_by_api_and_unknown_id(tmp_path: Path) -> None:
    write_checks(tmp_path, [check("a", "http://h/x"), check("b", "http://h/y", api="display")])
    checks = load_checks(tmp_path / "checks")
    assert [c.id for c in select(checks, [], "display")] == ["b"]
    with pytest.raises(InputError, match="unknown check id"):
        select(checks, ["zzz"], None)


def test_substitute_fills_references_at_any_depth() -> None:
    data = {"a": ["${K}", {"b": "x-${K}-y"}], "n": 1}
    assert substitute(data, {"K": "v"}) == {"a": ["v", {"b": "x-v-y"}], "n": 1}


@pytest.mark.parametrize(
    "rule",
    [{"path": "access_token", "equals": "act.x"}, {"path": "data.session.id", "contains": "s-"},
     {"path": "cookies.0.value", "equals": "v"}],
)  # fmt: skip
def test_an_expectation_reading_a_redacted_field_is_refused_at_its_line(
    tmp_path: Path, rule: dict[str, object]
) -> None:
    expect = {"json": [{"path": "ok", "exists": True}, rule]}
    entry = check("a", "http://127.0.0.1/x", expect=expect)
    path = write_checks(tmp_path, [entry])
    line = path.read_text().splitlines().index(f"    - path: {rule['path']}") + 1
    with pytest.raises(InputError) as refused:
        load_checks(tmp_path / "checks")
    assert str(refused.value) == (
        f"{path}:{line}: checks[a].expect.json[1].path: this field is redacted in recordings "
        "(assert exists: true, or check a non-secret field)"
    )


@pytest.mark.parametrize(
    "rule",
    [{"path": "access_token", "exists": True}, {"path": "access_token", "matches": "^act\\."},
     {"path": "token_type", "equals": "Bearer"}, {"path": "session.state", "equals": "active"},
     {"path": "token.expires_in", "equals": 86400}, {"path": "session.live", "equals": True}],
)  # fmt: skip
def test_an_expectation_that_a_recording_keeps_is_accepted(
    tmp_path: Path, rule: dict[str, object]
) -> None:
    write_checks(tmp_path, [check("a", "http://127.0.0.1/x", expect={"json": [rule]})])
    assert load_checks(tmp_path / "checks")[0].expect.json_[0].path == rule["path"]


def test_an_expected_secret_header_is_refused(tmp_path: Path) -> None:
    expect = {"headers": {"Set-Cookie": "Secure"}}
    write_checks(tmp_path, [check("a", "http://127.0.0.1/x", expect=expect)])
    with pytest.raises(InputError, match=r":\d+: checks\[a\].expect.headers.Set-Cookie: this header"
                       r" is redacted in recordings \(check a non-secret header\)"):  # fmt: skip
        load_checks(tmp_path / "checks")


def test_matches_must_be_a_regular_expression(tmp_path: Path) -> None:
    expect = {"json": [{"path": "access_token", "matches": "act.("}]}
    write_checks(tmp_path, [check("a", "http://127.0.0.1/x", expect=expect)])
    with pytest.raises(InputError, match="matches: not a regular expression: missing \\)"):
        load_checks(tmp_path / "checks")
