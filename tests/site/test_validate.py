"""Bad data files: `apifit check`, `apifit record` and the site build refuse each with the same
one line, `file:line: field: problem (fix)`, and leave cassettes, attempts and the site as they
were."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from apifit.cli import main
from apifit.site.engines import ENGINES

ROOT = Path(__file__).resolve().parents[2]

# A valid check file; the cases below break it one line at a time (line numbers matter).
CHECKS = """\
auth:
  token_url: https://api.example.com/v2/oauth/token/
  client_key: ${KEY}
  client_secret: ${SECRET}

checks:
  - id: c
    api: research
    claim: The API refuses a query without a token.
    source: https://api.example.com/docs/errors
    request:
      method: POST
      url: https://api.example.com/v2/query/
      headers: {X-Key: "${KEY}"}
      json: {query: {and: []}}
    expect:
      status: [401]
      json:
        - {path: error.code, equals: access_token_invalid}
"""
LINES = CHECKS.splitlines()


def _edit(line: int, text: str) -> str:
    """CHECKS with line `line` (1-based) replaced by `text` (which may span lines)."""
    return "\n".join([*LINES[: line - 1], text, *LINES[line:]]) + "\n"


def _laughs() -> str:
    lines = ["  - &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  - &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(5)]
    return CHECKS + "laughs:\n" + "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Bad:
    """A broken check file: its bytes, the file and line the error must name, and the rest."""

    content: bytes
    line: int
    message: str
    file: str = "local.yml"


def _bad(text: str, line: int, message: str, file: str = "local.yml") -> Bad:
    return Bad(text.encode("utf-8"), line, message, file)


CASES = {
    "duplicate-key": _bad(_edit(8, "    api: research\n    api: display"), 9,
                          "checks[c].api: key given twice in one mapping"),
    "tab-indent": _bad(_edit(8, "\tapi: research"), 8, "(yaml): holds a tab character"),
    "tab-in-value": _bad(_edit(9, "    claim: The API\trefuses."), 9, "(yaml): holds a tab"),
    "non-utf8": Bad(_edit(9, "    claim: caf\xe9").encode("latin-1"), 9,
                    f"(file): byte {len(chr(10).join(LINES[:8])) + 15} (0xe9) is not UTF-8"),
    "utf16": Bad(CHECKS.encode("utf-16"), 1, "(file): byte 0 (0xff) is not UTF-8"),
    "empty": _bad("", 1, "(file): is empty"),
    "only-comments": _bad("# checks go here\n", 1, "(file): holds no document"),
    "too-large": _bad(CHECKS + "#" * 1_000_000 + "\n", 20, "(file): passes 1000000 bytes"),
    "malformed": _bad(_edit(8, "    api: research: x"), 8, "(yaml): malformed YAML"),
    "unknown-key": _bad(_edit(9, "    colour: red\n" + LINES[8]), 9,
                        "checks[c].colour: unknown key (remove it or check its spelling; "
                        "allowed here: id, "),
    "unknown-top-level-key": _bad("version: 2\n" + CHECKS, 1, "version: unknown key"),
    "unknown-operator": _bad(_edit(19, "        - {path: error.code, startswith: x}"), 19,
                             "checks[c].expect.json[0].startswith: unknown key"),
    "equals-on-a-redacted-field": _bad(_edit(19, "        - {path: access_token, equals: x}"), 19,
                                       "checks[c].expect.json[0].path: this field is redacted in "
                                       "recordings (assert exists: true, or check a non-secret "
                                       "field)"),
    "no-operator": _bad(_edit(19, "        - {path: error.code}"), 19,
                        "checks[c].expect.json[0]: Value error, give exactly one of"),
    "wrong-type-status": _bad(_edit(17, "      status: [four-oh-one]"), 17,
                              "checks[c].expect.status[0]: Input should be a valid integer"),
    "wrong-type-checks": _bad("\n".join([*LINES[:5], "checks: c"]) + "\n", 6,
                              "checks: Input should be a valid list"),
    "unknown-method": _bad(_edit(12, "      method: FETCH"), 12,
                           "checks[c].request.method: Input should be"),
    "bad-id": _bad(_edit(7, "  - id: Not An Id"), 7, "checks[0].id: String should match"),
    "misindented-key": _bad(_edit(15, "    json: {query: {and: []}}"), 15,
                            "checks[c].json: unknown key (it looks misindented: json belongs "
                            "under request; indent it there)"),
    "missing-colon": _bad(_edit(9, '    claim "The API refuses."'), 9,
                          "(yaml): malformed YAML: could not find expected ':' "
                          "(while scanning a simple key) (fix the syntax at that line)"),
    "number-for-text": _bad(_edit(9, "    claim: 2026"), 9,
                            'checks[c].claim: Input should be a valid string (quote it, as in '
                            '"0123", so that YAML reads it as text)'),
    "missing-field": _bad("\n".join(LINES[:8] + LINES[9:]) + "\n", 7,
                          "checks[c].claim: Field required (add it)"),
    "form-and-json": _bad(_edit(15, "      json: {q: 1}\n      form: {a: b}"), 12,
                          "checks[c].request: Value error, give either form or json"),
    "auth-without-section": _bad("\n".join([*LINES[5:9], "    auth: client_credentials",
                                            *LINES[9:]]) + "\n", 5,
                                 "checks[c].auth: needs the file's `auth` section"),
    "env-in-url-host": _bad(_edit(13, "      url: https://${HOST}/v2/query/"), 13,
                            "checks[c].request.url: ${VAR} reference where no credential"),
    "env-in-url-path": _bad(_edit(13, "      url: https://api.example.com/${PATH}/"), 13,
                            "checks[c].request.url: ${VAR} reference where no credential"),
    "env-in-token-url": _bad(_edit(2, "  token_url: https://${HOST}/token"), 2,
                             "auth.token_url: ${VAR} reference where no credential"),
    "env-in-key": _bad(_edit(14, '      headers: {"${KEY}": x}'), 14,
                       "checks[c].request.headers.${KEY}: ${VAR} reference in a key"),
    "env-in-claim": _bad(_edit(9, "    claim: Refused for ${KEY}."), 9,
                         "checks[c].claim: ${VAR} reference where no credential"),
    "url-without-scheme": _bad(_edit(13, "      url: api.example.com/v2/query/"), 13,
                               "checks[c].request.url: Value error, 'api.example.com/v2/query/' "
                               "is not an http(s) URL"),
    "url-with-password": _bad(_edit(13, "      url: https://me:hunter2@api.example.com/q/"), 13,
                              "checks[c].request.url: URL holds credentials"),
    "url-with-token": _bad(_edit(10, "    source: https://tok123@api.example.com/docs"), 10,
                           "checks[c].source: URL holds credentials"),
    "billion-laughs": _bad(_laughs(), 25, "(yaml): anchors and aliases expand this value"),
    "recursive-alias": _bad(CHECKS + "loop: &l [1, *l]\n", 20,
                            "(yaml): an alias refers to a value that contains it"),
    "duplicate-id-in-file": _bad(CHECKS + "\n".join(LINES[6:]) + "\n", 20,
                                 "checks[c].id: check id 'c' is already used in this file"),
    "unknown-archived-document": _bad(_edit(10, LINES[9] + "\n    archive: nowhere"), 11,
                                      "checks[c].archive: unknown archived document 'nowhere'"),
    "duplicate-id-across-files": _bad(CHECKS, 7, "checks[c].id: check id 'c' is already used",
                                      file="other.yml"),
}  # fmt: skip
# Cases also run through a real `apifit build` subprocess (each costs an interpreter start).
THROUGH_APIFIT_BUILD = ("duplicate-key", "non-utf8", "env-in-url-host", "unknown-operator")


def _write_project(root: Path, bad: Bad) -> Path:
    """A small site whose Checks page renders the checks, with one recorded cassette, an
    attempts file and a previous build, and the bad file in place."""
    (root / "checks").mkdir(parents=True)
    (root / "checks" / "local.yml").write_text(CHECKS)
    (root / "checks" / bad.file).write_bytes(bad.content)
    (root / "cassettes").mkdir()
    (root / "cassettes" / "c.yaml").write_text("interactions: []\n")
    (root / "cassettes" / "attempts.json").write_text("{}\n")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>the last good build</p>\n")
    (root / "imgs").mkdir()
    (root / "imgs" / "manifest.yml").write_text("screenshots: []\n")
    (root / "docs").mkdir()
    page = "---\nrender_macros: true\n---\n\n{{ checks_page() }}\n"
    (root / "docs" / "index.md").write_text(page)
    config = {
        "site_name": "t",
        "strict": True,
        "plugins": [{"macros": {"modules": ["apifit.site.macros"], "on_error_fail": True,
                                "on_undefined": "strict", "render_by_default": False}},
                    {"apifit": {"cache_dir": str(root / "cache")}}],
    }  # fmt: skip
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in ("cassettes", "site")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Bad, Path, str]:
    """A project holding one kind of bad input, and the line every command must print."""
    bad = CASES[request.param]
    config = _write_project(tmp_path, bad)
    expected = f"{tmp_path / 'checks' / bad.file}:{bad.line}: {bad.message}"
    return bad, config, expected


def _check_line(root: Path, capsys: pytest.CaptureFixture[str], command: str = "check") -> str:
    """Run `apifit check --json` (or `apifit record`) on a bad project: exit 2, one line."""
    report = root / "report.json"
    options = ["--json", str(report)] if command == "check" else []
    assert main([command, "--root", str(root), *options]) == 2
    assert not report.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("apifit: error: "), err
    return err.removeprefix("apifit: error: ").rstrip("\n")


def test_apifit_check_record_and_the_build_refuse_bad_input_with_the_same_line(
    case: tuple[Bad, Path, str],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, config, expected = case
    root = config.parent
    before = _outputs(root)

    line = _check_line(root, capsys)
    assert line.startswith(expected), line
    assert _check_line(root, capsys, "record") == line

    # What `mkdocs build` runs: the plugins' on_config, the apifit plugin's ahead of macros.
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(config)))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [line]
    assert _outputs(root) == before


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", THROUGH_APIFIT_BUILD)
def test_apifit_build_prints_the_same_line_as_apifit_check_with_either_engine(
    name: str, engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = CASES[name]
    config = _write_project(tmp_path, bad)
    before = _outputs(tmp_path)
    line = _check_line(tmp_path, capsys)
    done = subprocess.run(
        [sys.executable, "-m", "apifit.cli", "build", "-f", str(config), "--engine", engine],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 2
    # Validation runs before any engine, so the line is the same whichever renders.
    assert done.stderr.endswith(f" unchanged: ERROR: {line}\n"), done.stderr
    assert done.stderr.count("\n") == 1
    assert not list(tmp_path.glob("site.tmp-*"))
    assert _outputs(tmp_path) == before


# A valid pins file (the cases below break it), one document with one version.
PINS = """\
archive: Open Terms Archive
repository: o/r

documents:
  t:
    title: T
    canonical: https://www.example.com/terms
    path: T.md
    versions:
      - commit: {}
        recorded: 2026-01-01
        stated: "Last updated: January 1, 2026"
        url: https://raw.githubusercontent.com/o/r/{}/T.md
        sha256: {}
        bytes: 1
        file: t.md
""".format("c" * 40, "c" * 40, "a" * 64)
# The site's other data files, which only the build reads: (file, content, line, message).
OTHER_FILES = {
    "assessments-duplicate-key": ("assessments/x.yml", "name: X\nname: Y\n", 2,
                                  "name: key given twice in one mapping"),
    "manifest-tab": ("imgs/manifest.yml", "screenshots:\n\t[]\n", 2, "(yaml): holds a tab"),
    "manifest-url-with-credentials": (
        "imgs/manifest.yml",
        "screenshots:\n  - file: a.png\n    sha256: " + "0" * 64
        + "\n    url: https://u:p@example.com/a.png\n    width: 1\n    height: 1\n"
        "    caption: c\n    alt: a\n", 4, "screenshots[0].url: URL holds credentials"),
    "bench-duplicate-key": ("bench/results/bench.json", '{"measured_at": "2026-11-27",\n'
                            ' "measured_at": "2026-11-28"}\n', 2,
                            "measured_at: key given twice"),
    "bench-wrong-type": ("bench/results/bench.json", '{"measured_at": "2026-11-27T00:00:00",\n'
                         ' "machine": 3, "metrics": []}\n', 2,
                         "machine: Input should be a valid dictionary"),
    "pins-unknown-key": ("archive/pins.yml", PINS.replace("  t:\n", "  t:\n    colour: red\n"),
                         6, "documents.t.colour: unknown key"),
    "pins-duplicate-key": ("archive/pins.yml", PINS.replace("  t:\n", "  t:\n    title: T\n"),
                           7, "documents.t.title: key given twice in one mapping"),
    "pins-url-with-credentials": ("archive/pins.yml", PINS.replace("https://www", "https://u:p@www"),
                                  7, "documents.t.canonical: URL holds credentials"),
    "manifest-unquoted-sha256": (
        "imgs/manifest.yml",
        "screenshots:\n  - file: a.png\n    sha256: " + "0" * 64
        + "\n    url: https://example.com/a.png\n    width: 1\n    height: 1\n"
        "    caption: c\n    alt: a\n", 3,
        'screenshots[0].sha256: Input should be a valid string (quote it, as in "0123"'),
    "pins-bad-hash": ("archive/pins.yml", PINS.replace("a" * 64, "a" * 63), 14,
                      "documents.t.versions[0].sha256: String should match"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OTHER_FILES))
def test_the_build_refuses_a_bad_data_file_before_any_page_renders(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    file, content, line, message = OTHER_FILES[name]
    config = _write_project(tmp_path, Bad(CHECKS.encode(), 0, ""))
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_text(content)
    before = _outputs(tmp_path)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(config)))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / file}:{line}: {message}")
    assert _outputs(tmp_path) == before


def test_a_misspelt_key_comes_first_with_a_suggestion_and_every_error_of_the_file_follows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    misspelt = _edit(9, "    cliam: The API refuses a query without a token.")
    config = _write_project(tmp_path, _bad(misspelt, 9, ""))
    path = tmp_path / "checks" / "local.yml"
    lines = [
        f"{path}:9: checks[c].cliam: unknown key (did you mean claim?)",
        f"{path}:7: checks[c].claim: Field required (add it)",
    ]
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "".join(f"apifit: error: {line}\n" for line in lines)
    assert main(["build", "-f", str(config), "-d", str(tmp_path / "site")]) == 2
    assert capsys.readouterr().err.endswith(
        f" unchanged: ERROR: {lines[0]}\napifit: error: {lines[1]}\n"
    )


def test_a_check_about_an_api_no_assessment_has_fails_the_build_with_a_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _write_project(tmp_path, _bad(_edit(8, "    api: reserch"), 8, ""))
    shutil.copytree(ROOT / "assessments", tmp_path / "assessments")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(config)))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        f"{tmp_path / 'checks' / 'local.yml'}:8: checks[c].api: unknown API or terms document id "
        "(known ids: commercial-content, commercial-tos, commercial-tos-intended-use, "
        "data-portability, developer-terms, developer-terms-api-definition, "
        "developer-terms-automated-means, developer-terms-profiles, developer-terms-robots, "
        "display, research, tos, tos-2023; did you mean research?)"
    ]


def test_apifit_check_for_an_api_no_check_is_about_exits_2_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_project(tmp_path, Bad(CHECKS.encode(), 0, ""))
    assert main(["check", "--root", str(tmp_path), "--api", "reserch"]) == 2
    assert capsys.readouterr().err == (
        "apifit: error: (command line): --api: no check is about 'reserch' "
        "(known ids: research; did you mean research?)\n"
    )
