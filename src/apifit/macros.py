"""The module mkdocs-macros loads: a thin adapter that only registers apifit functions."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from apifit import check_views, performance, secretscan
from apifit.archive import load_archive
from apifit.assessment_views import AssessmentMacros
from apifit.assessments import load_catalog
from apifit.errors import ApifitError
from apifit.scrub import Scrubber
from apifit.terms_views import TermsMacros


def _scrubbing(macro: Callable[..., str], boundary: Scrubber) -> Callable[..., str]:
    @functools.wraps(macro)
    def scrubbed(*args: Any, **kwargs: Any) -> str:
        return boundary.text(macro(*args, **kwargs))

    return scrubbed


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros)."""
    root = Path(env.project_dir)

    def performance_report() -> str:
        """The benchmark figures, read from the results file at build time."""
        return performance.render_report(performance.load_report(root / performance.BENCH_RESULTS))

    env.macro(performance_report)

    def current_page() -> str:
        return str(env.page.file.src_uri)

    try:
        archive = load_archive(root)
        # Check results come from scrubbed recordings; the credentials set for this build are
        # removed from what the macros emit as well (an old recording may predate them).
        boundary = Scrubber(secretscan.credential_values(root / "checks", os.environ).values())
        catalog = load_catalog(root / "assessments", archive.pins if archive else None)
    except ApifitError as exc:
        # MkDocs prints a PluginError as one line instead of a traceback.
        raise PluginError(str(exc)) from exc
    checks = check_views.Macros(root, current_page, archive)
    for macro in checks.all():
        env.macro(_scrubbing(macro, boundary))
    assessments = AssessmentMacros(
        catalog,
        docs_dir=Path(env.conf["docs_dir"]),
        current_page=current_page,
        check_cell=_scrubbing(checks.check_cell, boundary),
        premise_status=checks.premise_status,
    )
    env.macro(assessments.verdict_matrix, "verdict_matrix")
    env.macro(assessments.assessment, "assessment")
    terms = TermsMacros(catalog, archive, current_page, Path(env.conf["docs_dir"]))
    env.macro(terms.terms_clause, "terms_clause")
    env.macro(terms.clause_history, "clause_history")
    env.macro(assessments.decision_record, "decision_record")
    env.macro(assessments.review_flag, "review_flag")
    env.macro(assessments.cite, "cite")
