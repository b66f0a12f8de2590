"""The command line as git, pytest and mkdocs users expect it: version, help, summaries,
-q and -v, progress, plural forms."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from checkserver import check, write_checks
from images_support import manifest_entry, write_manifest, write_png
from pytest_httpserver import HTTPServer
from serve_support import macro_project
from werkzeug import Request, Response

from apifit.cli import main


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == "apifit 0.1.0\n"


def test_bare_apifit_prints_its_help_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: apifit [-h] [--version] COMMAND ...\n")
    assert "    build     strict build; replaces site/ only on success\n" in out


@pytest.mark.parametrize(
    ("command", "help_text"),
    [
        (["record"], "checks run at once (default: 20)"),
        (["record"], "--timeout SECONDS     how long to wait for each answer (default: 30)"),
        (["build"], "the MkDocs configuration (default: mkdocs.yml of the nearest directory"),
        (["build"], "where the site goes (default: site/ beside it)"),
        (["archive", "update"], "--pins PINS           the pins file (default: archive/pins.yml)"),
        (["images", "fetch"], "where downloads are kept (default: ROOT/.cache/apifit)"),
    ],
)
def test_every_option_says_what_it_does_and_its_default(
    command: list[str],
    help_text: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    assert help_text in capsys.readouterr().out


def test_build_ends_with_a_summary_of_what_the_site_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {"index.md": '{{ check("known-check") }}', "checks.md": "{{ checks_page() }}"}
    config = macro_project(tmp_path, pages)
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(
        rf"apifit: built {re.escape(str(tmp_path / 'site'))} in \d+\.\d s: 2 pages; checks: "
        r"1 not yet recorded; 0 screenshots; secret scan clean\n",
        out,
    ), out
    assert config.parent == tmp_path


def test_quiet_check_prints_only_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_checks(tmp_path, [check("c", "http://127.0.0.1:9/")])
    assert main(["check", "--root", str(tmp_path), "-q"]) == 0
    assert capsys.readouterr().out == "1 not yet recorded (replayed offline)\n"


def test_images_fetch_announces_each_download(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    png = write_png(tmp_path / "upstream" / "A.png", (120, 80))
    httpserver.expect_request("/A.png").respond_with_data(png.read_bytes())
    url = httpserver.url_for("/A.png")
    manifest = write_manifest(tmp_path / "m.yml", manifest_entry(png, url=url))
    command = ["images", "fetch", "--manifest", str(manifest), "--cache-dir", str(tmp_path / "c")]
    assert main(command) == 0
    assert capsys.readouterr().out == (
        f"apifit: A.png: downloading {url}\napifit: 1 screenshot verified by sha256\n"
    )


def test_a_timeout_says_how_long_it_waited(
    tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    def slow(_: Request) -> Response:
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    write_checks(tmp_path, [check("slow", httpserver.url_for("/slow"))])
    assert main(["record", "--root", str(tmp_path), "--timeout", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "inconclusive  slow: timeout: no answer within 0.5 s (ReadTimeout)\n" in out
    assert out.startswith("recording 1 check live (20 at a time)\n")
    assert out.endswith("\n1 inconclusive; 0 cassettes saved\n")
