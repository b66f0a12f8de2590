"""`mkdocs serve` answers every request while a mistake is pending: with the last built site."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
from serve_support import Preview, macro_project, serving

FAILED = (
    "ERROR   -  apifit: the rebuild failed (see above); serving the last built site until it "
    "is fixed\n"
)


def _wait_for(preview: Preview, text: str) -> None:
    """Until the preview's log holds `text` (a rebuild runs in the server's own thread)."""
    for _ in range(480):
        if text in preview.output():
            return
        try:
            preview.process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"mkdocs serve exited:\n{preview.output()}")
    raise AssertionError(f"no {text!r} in:\n{preview.output()}")


def test_a_request_during_a_pending_build_error_gets_the_last_built_page(tmp_path: Path) -> None:
    config = macro_project(tmp_path, {"index.md": "# Home\n\nThe first build."})
    with serving(config) as preview:
        (tmp_path / "checks" / "local.yml").write_text("checks:\n  - id: Bad Id\n")
        mistake = f"ERROR   -  {tmp_path / 'checks' / 'local.yml'}:2: checks[0].id: String should"
        _wait_for(preview, mistake)
        # MkDocs' server held this request until a rebuild succeeded: here, forever.
        page = httpx.get(preview.url, timeout=60)
        assert preview.process.poll() is None
    assert page.status_code == 200
    assert "The first build." in page.text
    assert preview.output().index(mistake) < preview.output().index(FAILED)
