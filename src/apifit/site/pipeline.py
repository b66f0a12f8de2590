"""`apifit build`: the stages in order around an engine; `site/` is replaced only at the end.

validate, obtain and derive (apifit.site.stages), render with the chosen engine into a fresh
`site.tmp-*` directory beside `site/`, post-process and secret-scan that directory, and only
then swap it in with renames. On any failure the temporary directory is removed, so nobody
ever sees a half-written or unscanned `site/`, whichever engine rendered it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from apifit.checks.scrub import Scrubber, is_secret_variable
from apifit.errors import ApifitError
from apifit.site import engines, stages


class BuildFailed(ApifitError):
    """A stage or the engine failed (an error, or any warning: builds are strict); `site/` was
    left as it was."""


def _swap(new: Path, site_dir: Path) -> None:
    if not site_dir.exists():
        os.replace(new, site_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-old-", dir=site_dir.parent))
    os.replace(site_dir, old / site_dir.name)
    os.replace(new, site_dir)
    shutil.rmtree(old)


def _environment_scrubber() -> Scrubber:
    return Scrubber(value for name, value in os.environ.items() if is_secret_variable(name))


def _stages(engine: str, config_file: Path, temp: Path, echo: bool) -> None:
    renderer = engines.engine(engine)
    project = stages.load_project(config_file)
    prepared = stages.prepare_build(project)

    def say(text: str) -> None:
        print(_environment_scrubber().text(text), end="", file=sys.stderr)

    renderer.render(prepared, temp, say if echo else None)
    stages.post_process(prepared, temp)
    stages.scan(project.root, temp)


def build(
    config_file: Path, site_dir: Path, engine: str = engines.DEFAULT, *, echo: bool = False
) -> None:
    """Build the site of `config_file` with `engine` and swap it into `site_dir`; with `echo`,
    the engine's own log is printed too (scrubbed like a failure's message)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.tmp-", dir=site_dir.parent))
    # mkdtemp makes the directory private (0700); a published site must be readable by a server.
    temp.chmod(0o755)
    try:
        try:
            _stages(engine, config_file, temp, echo)
        except engines.RenderFailed as exc:
            # One problem a line: a page with several macro errors lists each with its line.
            detail = "\n".join(exc.problems)
        except ApifitError as exc:
            detail = f"ERROR: {exc}"
        else:
            _swap(temp, site_dir)
            return
        # The output may quote anything a page or a data file holds; credentials set in this
        # environment never leave in it (recognised by name: the checks may be what failed).
        detail = _environment_scrubber().text(detail)
        raise BuildFailed(f"{engine} build failed, {site_dir} unchanged: {detail}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)
