from __future__ import annotations

from pathlib import Path

import pytest
from checkserver import check, write_checks

from apifit.checks.secretscan import ensure_clean, scan
from apifit.errors import IntegrityError

LEAKS = {
    "json.json": ('{"ok": 1,\n "access_token": "act.abcdefgh12345"}', 2, "access_token"),
    "form.yaml": ("body: client_key=abcd1234efgh&x=1", 1, "client_key"),
    "page.html": (
        "<p>\n&quot;client_secret&quot;: &quot;s3cr3t-value-1&quot;</p>",
        2,
        "client_secret",
    ),
    "headers.yaml": ("    authorization:\n    - bearer abc.def.ghi\n", 2, "authorization"),
    "bearer.txt": ("curl -H 'Authorization: Bearer act.9f8e7d6c5b4a'", 1, "bearer"),
    "own-header.yaml": ("    x-upstream-token:\n    - abc123def456\n", 2, "x-upstream-token"),
    "history.jsonl": (
        '{"check": "c"}\n{"reason": "access_token=act.abc123def456"}',
        2,
        "access_token",
    ),
}


@pytest.mark.parametrize("name", LEAKS)
def test_secret_shaped_value_is_found_with_file_line_and_field(tmp_path: Path, name: str) -> None:
    text, line, field = LEAKS[name]
    (tmp_path / name).write_text(text)
    hits = scan([tmp_path], {})
    assert [(h.path.name, h.line, h.field) for h in hits][:1] == [(name, line, field)]
    assert not any(s in str(hits[0]) for s in ("abc", "s3cr3t", "9f8e"))


def test_redacted_values_and_prose_are_not_findings(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "body: client_key=REDACTED&client_secret=REDACTED\n"
        "authorization:\n- REDACTED\nset-cookie:\n- REDACTED\nx-session-id:\n- REDACTED\n"
        "content-type:\n- application/json\n"
        '{"access_token": "REDACTED", "token_type": "Bearer", "expires_in": 7200}\n'
    )
    (tmp_path / "b.html").write_text(
        "<p>The form body carries <code>client_key</code>, <code>client_secret</code>; "
        "send <code>authorization: bearer &lt;token&gt;</code>.</p>"
    )
    assert scan([tmp_path], {}) == []


def test_credential_variable_values_are_found_anywhere(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("nothing\nhere is my-client-key-value inline")
    hits = scan([tmp_path], {"TIKTOK_CLIENT_KEY": "my-client-key-value"})
    assert [(h.line, h.field) for h in hits] == [(2, "value of $TIKTOK_CLIENT_KEY")]


def test_ensure_clean_fails_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_checks(tmp_path, [check("a", "http://127.0.0.1:9/", query={"k": "${TIKTOK_CLIENT_KEY}"})])
    monkeypatch.setenv("TIKTOK_CLIENT_KEY", "value-that-leaked")
    ensure_clean(tmp_path, None)
    (tmp_path / "cassettes" / "a.yaml").write_text("uri: http://h/?k=value-that-leaked\n")
    with pytest.raises(IntegrityError, match=r"cassettes/a.yaml:1: value of \$TIKTOK_CLIENT_KEY"):
        ensure_clean(tmp_path, None)


def test_site_build_hook_fails_naming_file_and_field(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from apifit.site.mkdocs_plugin import ApifitPlugin

    write_checks(tmp_path, [check("a", "http://127.0.0.1:9/")])
    site = tmp_path / "site"
    site.mkdir()
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), site_dir=str(site))
    ApifitPlugin().on_post_build(config=config)
    (site / "index.html").write_text("<p>\n\n&quot;refresh_token&quot;: &quot;rt.12345678&quot;")
    with pytest.raises(PluginError, match=r"site/index.html:3: refresh_token"):
        ApifitPlugin().on_post_build(config=config)


def test_prose_after_a_field_name_is_not_a_token(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text(
        "<p>Bearer authentication: client_key: provided by TikTok; access_token=returned.</p>"
    )
    assert scan([tmp_path], {}) == []
