"""`apifit build`: a strict MkDocs build that replaces `site/` only when it succeeded.

The build writes into a fresh `site.tmp-*` directory beside `site/`; on success the two are
swapped with renames, on failure the temporary directory is removed. Either way nobody ever
sees a half-written `site/`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from apifit.errors import ApifitError
from apifit.scrub import Scrubber, is_secret_variable

LOG_LINE = re.compile(r"^(?P<level>ERROR|WARNING)\s+-\s+(?P<text>.*)$")
LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|^Aborted")


class BuildFailed(ApifitError):
    """`mkdocs build --strict` failed (an error or any warning); `site/` was left as it was."""


def _swap(new: Path, site_dir: Path) -> None:
    if not site_dir.exists():
        os.replace(new, site_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-old-", dir=site_dir.parent))
    os.replace(site_dir, old / site_dir.name)
    os.replace(new, site_dir)
    shutil.rmtree(old)


def _problems(log: str) -> list[str]:
    """The errors and warnings of MkDocs' log, with the further lines of a multi-line one
    (every mistake of a data file)."""
    problems: list[str] = []
    follows = False
    for line in log.splitlines():
        found = LOG_LINE.match(line)
        if found:
            # MkDocs logs "Error reading page 'x':" before the real message; only that helps.
            follows = not found["text"].endswith(":")
            if follows:
                problems.append(f"{found['level']}: {found['text']}")
        elif follows and line.strip() and not LEVEL.match(line):
            problems.append(line)
        else:
            follows = False
    return problems


def _environment_scrubber() -> Scrubber:
    return Scrubber(value for name, value in os.environ.items() if is_secret_variable(name))


def build(config_file: Path, site_dir: Path, *, echo: bool = False) -> None:
    """Run `mkdocs build --strict` into a temporary directory and swap it into `site_dir`;
    with `echo`, MkDocs' own log is printed too (scrubbed like a failure's message)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-", dir=site_dir.parent))
    # mkdtemp makes the directory private (0700); a published site must be readable by a server.
    temp.chmod(0o755)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"]
    command += ["--config-file", str(config_file), "--site-dir", str(temp)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if echo:
            print(_environment_scrubber().text(done.stderr), end="", file=sys.stderr)
        if done.returncode != 0:
            # One problem a line: a page with several macro errors lists each with its line.
            detail = "\n".join(_problems(done.stderr)) or done.stderr.strip()[-300:]
            # The build's output may quote anything a page or plugin saw; credentials set in
            # this environment never leave in it (the checks may be what failed to load, so
            # the variables are recognised by name rather than from the check files).
            detail = _environment_scrubber().text(detail)
            raise BuildFailed(f"mkdocs build --strict failed, {site_dir} unchanged: {detail}")
        _swap(temp, site_dir)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
