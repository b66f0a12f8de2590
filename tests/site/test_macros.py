"""The macros adapter inside a real (tiny) MkDocs build: errors reach the person building."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """\
site_name: t
strict: true
markdown_extensions: [admonition, tables, footnotes]
plugins:
  - macros:
      modules: [apifit.site.macros]
      on_error_fail: true
      on_undefined: strict
      render_by_default: false
"""
ASSESSMENTS = """\
name: Example
sources:
  doc: {label: docs, title: Docs, url: "https://example.org/doc"}
apis:
  - id: alpha
    name: Alpha API
    page: alpha.md
    verdict: fits
    reason: [{text: Good., source: doc}]
    audience: [{text: All., source: doc}]
    access: [{text: Sign up., source: doc}]
    token: [{text: Key., source: doc}]
    approval: []
    limits: []
terms: []
decisions: []
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A minimal project: one assessments file and one page that renders it."""
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "assessments").mkdir()
    (tmp_path / "assessments" / "example.yml").write_text(ASSESSMENTS)
    (tmp_path / "docs").mkdir()
    _page(tmp_path, "alpha")
    return tmp_path


def _page(root: Path, api_id: str) -> None:
    text = f'---\nrender_macros: true\n---\n# Alpha\n\n{{{{ assessment("{api_id}") }}}}\n'
    (root / "docs" / "alpha.md").write_text(text)


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


def test_page_renders_its_assessment_card(site: Path) -> None:
    assert _build(site).returncode == 0
    assert "Alpha API: fits our product" in (site / "site" / "alpha" / "index.html").read_text()


def test_unknown_assessment_id_fails_the_strict_build_naming_page_line_and_known_ids(
    site: Path,
) -> None:
    _page(site, "alpah")
    result = _build(site)
    assert result.returncode == 1
    assert (
        'ERROR   -  docs/alpha.md:6: assessment("alpah"): unknown assessment id '
        "(known ids: alpha; did you mean alpha?)\n"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_assessments_file_fails_the_build_in_one_line(site: Path) -> None:
    path = site / "assessments" / "example.yml"
    path.write_text(ASSESSMENTS.replace("verdict: fits", "verdict: perhaps"))
    result = _build(site)
    assert result.returncode != 0
    assert f"ERROR   -  {path}:8: apis[alpha].verdict: " in result.stderr
    assert "Traceback" not in result.stderr
