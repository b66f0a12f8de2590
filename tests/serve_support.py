"""A small project using both the macros and the apifit plugin, and a real `mkdocs serve` of it
on a free local port, for the tests of what a maintainer sees while previewing."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml
from checkserver import check, write_checks

ROOT = Path(__file__).resolve().parents[1]
# How long the preview may take to come up on a loaded machine before the test gives up.
STARTUP_SECONDS = 120


def macro_project(root: Path, pages: dict[str, str]) -> Path:
    """Pages rendered by the site's macros (front matter added), the shipped assessments and one
    check, `known-check`; returns mkdocs.yml."""
    config = {
        "site_name": "t",
        "strict": True,
        "markdown_extensions": ["attr_list", "admonition", "tables", "toc"],
        "plugins": [
            {"macros": {"modules": ["apifit.site.macros"], "on_error_fail": True,
                        "on_undefined": "strict", "render_by_default": False}},
            {"apifit": {"cache_dir": str(root / "cache")}},
        ],
    }  # fmt: skip
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (root / "imgs").mkdir(parents=True, exist_ok=True)
    (root / "imgs" / "manifest.yml").write_text("screenshots: []\n")
    shutil.copytree(ROOT / "assessments", root / "assessments", dirs_exist_ok=True)
    write_checks(root, [check("known-check", "http://127.0.0.1:9/")])
    for name, body in pages.items():
        write_page(root, name, body)
    return root / "mkdocs.yml"


def write_page(root: Path, name: str, body: str) -> None:
    page = root / "docs" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"---\nrender_macros: true\n---\n\n{body}\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Preview:
    """A running `mkdocs serve`: its address, its process and the file its log goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def serving(config: Path) -> Iterator[Preview]:
    """`mkdocs serve` of `config`, once it answers; stopped afterwards."""
    address = f"127.0.0.1:{_free_port()}"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", address]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = config.parent / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    preview = Preview(f"http://{address}/", process, log)
    try:
        _wait_until_up(preview)
        yield preview
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(preview: Preview) -> None:
    for _ in range(STARTUP_SECONDS * 4):
        if preview.process.poll() is not None:
            raise AssertionError(f"mkdocs serve exited:\n{preview.output()}")
        try:
            httpx.get(preview.url, timeout=1)
            return
        except httpx.TransportError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                preview.process.wait(timeout=0.25)
    raise AssertionError(f"mkdocs serve did not answer at {preview.url}:\n{preview.output()}")
