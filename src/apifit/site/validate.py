"""Validate every data file a site renders, before any page does.

The MkDocs plugin calls this from `on_config`, ahead of mkdocs-macros, so that a broken file
stops `make build` with the same `file:line: field: problem (fix)` line as `apifit check`,
instead of a macro rendering error halfway through the pages.
"""

from __future__ import annotations

from pathlib import Path

from apifit.checks.schema import load_checks
from apifit.evidence.archive import PINS_FILE, load_pins, pinned_documents
from apifit.evidence.assessments import load_catalog
from apifit.images import load_manifest
from apifit.site.performance import BENCH_RESULTS, load_report


def validate_project(root: Path, manifest: Path) -> None:
    """Load the archive pins, assessments, checks (each naming an assessed API or terms
    document), the screenshot manifest and the benchmark results of the project at `root`;
    raise the first file's InputError. A directory the project lacks is skipped."""
    documents = pinned_documents(root)
    subjects = None
    if (root / "assessments").is_dir():
        pins = load_pins(root / PINS_FILE) if (root / PINS_FILE).is_file() else None
        subjects = load_catalog(root / "assessments", pins).subject_ids()
    if (root / "checks").is_dir():
        load_checks(root / "checks", documents, subjects)
    load_manifest(manifest)
    load_report(root / BENCH_RESULTS)
