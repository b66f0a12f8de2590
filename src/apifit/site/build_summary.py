"""The line `apifit build` ends with: what the published site holds, and how long it took.

Derived from the built site and the project's files, as the pages were: pages published,
checks by the status the site shows, screenshots, and the secret scan the build ran last.
"""

from __future__ import annotations

from pathlib import Path

from apifit.checks.results import max_age_from_env, now_utc
from apifit.evidence.archive import load_archive
from apifit.images import load_manifest
from apifit.site.check_views import Board, counts
from apifit.site.wording import count

MANIFEST = Path("imgs") / "manifest.yml"


def _pages(site_dir: Path) -> int:
    # MkDocs writes every page as a directory's index.html; 404.html is not a page of the site.
    return sum(1 for _ in site_dir.rglob("index.html"))


def summary(root: Path, site_dir: Path, seconds: float) -> str:
    """`built site in 12.3 s: 11 pages; checks: 4 passed · 6 not yet recorded; ...`."""
    board = Board.load(root, now_utc(), max_age_from_env(), load_archive(root, download=False))
    manifest = root / MANIFEST
    shots = len(load_manifest(manifest).screenshots) if manifest.is_file() else 0
    return (
        f"built {site_dir} in {seconds:.1f} s: {count(_pages(site_dir), 'page')}; "
        f"checks: {counts(board.results.values())}; {count(shots, 'screenshot')}; "
        "secret scan clean"
    )
