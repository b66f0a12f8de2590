"""A mistake in a macro call: one line with page, line, call and fix, in a build and a preview."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest
from serve_support import macro_project, serving

from apifit.cli import EXIT_INPUT, main

PAGE = 'Supported by {{ check("known-chek") }}.'
ERROR = (
    'docs/index.md:5: check("known-chek"): unknown check id '
    "(known ids: known-check; did you mean known-check?)"
)


def test_apifit_build_fails_with_the_macro_error_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = macro_project(tmp_path, {"index.md": PAGE})
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == EXIT_INPUT
    assert f"ERROR: {ERROR}" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_serve_keeps_serving_and_shows_the_macro_error_on_the_page(tmp_path: Path) -> None:
    config = macro_project(tmp_path, {"index.md": PAGE})
    with serving(config) as preview:
        page = httpx.get(preview.url, timeout=30).text
        assert preview.process.poll() is None
        assert f"INFO    -  {ERROR}\n" in preview.output()
    shown = html.escape(ERROR, quote=False)
    assert f"<strong>Macro error:</strong> <code>{shown}</code>" in page
