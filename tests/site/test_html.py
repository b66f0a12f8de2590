"""html-validate, recommended rules, on every built page: no finding in our own content.

What Material's templates write (and mkdocs-glightbox, which re-serialises every page) is not
ours to fix: each such finding is listed in UPSTREAM by rule and the elements it concerns, with
the reason and where it comes from. Anything else fails, wherever it is on the page.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from site_support import ROOT

HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.json"
MATERIAL = "https://github.com/squidfunk/mkdocs-material/blob/9.8.2/src/templates"
MAIN = r"html > body > div:nth-child\(\d+\) > main"
# The sidebars' navigation (Material's nav and toc partials), not the article.
SIDEBAR_NAV = rf"{MAIN} > div > div:nth-child\([12]\) > div > div > nav"
HEADER = r"html > body > header > nav"


@dataclass(frozen=True)
class Upstream:
    """A finding of html-validate that comes from markup we do not write."""

    rule: str
    at: str  # fully matches the finding's selector, or, when it has none, its source line
    reason: str
    link: str


UPSTREAM = [
    Upstream("valid-id", r"#__(drawer|search|config|toc|palette_\d+|nav_\d+(_label)?)",
             "Material's ids start with '__': valid HTML, but not html-validate's strict form",
             f"{MATERIAL}/base.html"),
    Upstream("attribute-allowed-values", r"#__nav_\d+_label",
             "a section label in the nav renders tabindex=\"\" when navigation.tabs is off",
             f"{MATERIAL}/partials/nav-item.html"),
    Upstream("valid-autocomplete", r"#__(drawer|search)",
             "Material's drawer and search toggles are checkboxes with autocomplete=off",
             f"{MATERIAL}/base.html"),
    Upstream("wcag/h32", rf"{HEADER}( > div:nth-child\(\d+\) > div)? > form",
             "the palette toggle and the search box are forms that submit nothing",
             f"{MATERIAL}/partials/header.html"),
    Upstream("unique-landmark", SIDEBAR_NAV + r"( > ul > li(:nth-child\(\d+\))? > nav)*",
             "Material draws the table of contents twice (primary sidebar at narrow widths and "
             "secondary sidebar) and nests unnamed navs for nav sections",
             f"{MATERIAL}/partials/nav-item.html"),
    Upstream("attribute-boolean-style", "|".join([
                 r"#__nav_\d+",  # nav section toggles: checked
                 rf"{MAIN} > button",  # back-to-top: hidden
                 rf"{MAIN} > div > div:nth-child\([12]\)",  # sidebars: hidden
                 rf"{HEADER} > form > label:nth-child\(\d+\)",  # palette toggle: hidden
                 rf"{HEADER} > div:nth-child\(\d+\) > div > form > input",  # search: required
             ]),
             "glightbox re-serialises each page with selectolax, which writes Material's bare "
             "hidden/checked/required as attr=\"\" (valid HTML)",
             "https://github.com/blueswen/mkdocs-glightbox/blob/main/mkdocs_glightbox/plugin.py"),
    Upstream("doctype-style", "<!doctype html>",
             "404.html is Material's template as it is (glightbox does not touch it): lower case "
             "doctype, valid HTML",
             f"{MATERIAL}/base.html"),
    Upstream("no-trailing-whitespace", r"\s+",
             "blank lines left indented by Material's Jinja templates (only whitespace-only lines)",
             f"{MATERIAL}/base.html"),
]  # fmt: skip


def validate(pages: list[Path], report: Path) -> list[dict[str, Any]]:
    """html-validate's findings on `pages`, each with its file and source line.

    The JSON goes to the file `report`: node exits before a long stdout reaches a pipe.
    """
    if not HTML_VALIDATE.exists():
        pytest.fail(f"{HTML_VALIDATE} is missing: run `make test` (or `npm ci`) to install it")
    formatter = f"json={report}"
    out = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(CONFIG), "--formatter", formatter, *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):  # 1: findings reported
        pytest.fail(f"html-validate failed to run:\n{out.stderr}")
    findings = []
    for result in json.loads(report.read_text(encoding="utf-8")):
        lines = Path(result["filePath"]).read_text(encoding="utf-8").splitlines()
        for message in result["messages"]:
            source = lines[message["line"] - 1] if message["line"] <= len(lines) else ""
            findings.append({**message, "file": result["filePath"], "source": source})
    return findings


def upstream(finding: dict[str, Any]) -> Upstream | None:
    where = finding.get("selector") or finding["source"]
    return next(
        (u for u in UPSTREAM if u.rule == finding["ruleId"] and re.fullmatch(u.at, where)), None
    )


@pytest.fixture(scope="module")
def findings(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    report = tmp_path_factory.mktemp("html-validate") / "report.json"
    return validate(sorted(built_site.rglob("*.html")), report)


def test_built_pages_have_no_finding_of_our_own(findings: list[dict[str, Any]]) -> None:
    ours = [
        f"{f['file']}:{f['line']}: {f['ruleId']}: {f['message']} ({f.get('selector')})"
        for f in findings
        if upstream(f) is None
    ]
    assert ours == []


def test_every_known_upstream_finding_still_occurs(findings: list[dict[str, Any]]) -> None:
    """An entry that matches nothing any more would hide a future finding of ours: drop it."""
    used = {upstream(f) for f in findings}
    assert [u.rule for u in UPSTREAM if u not in used] == []


def test_a_title_too_long_in_our_content_is_a_finding(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    title = "A page title far longer than the seventy characters a search result shows"
    page.write_text(
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>{title}</title>\n</head>\n'
        "<body>\n<main>\n<h1>Title</h1>\n</main>\n</body>\n</html>\n"
    )
    findings = validate([page], tmp_path / "report.json")
    assert [(f["ruleId"], upstream(f)) for f in findings] == [("long-title", None)]
