"""The page macros, for any engine: what they need of the engine rendering the page comes
through one small interface (MacroContext) that each engine's adapter fills.

mkdocs.yml names this module (`modules: [apifit.macros]`); mkdocs-macros and Zensical both call
its define_env, and apifit.engines asks the engine that is rendering for the context.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from apifit import check_views, performance
from apifit.assessment_views import AssessmentMacros
from apifit.changes_views import ChangesMacros
from apifit.engines import macro_context
from apifit.macro_errors import MacroError, guarded
from apifit.scrub import Scrubber
from apifit.stages import SiteData
from apifit.terms_views import TermsMacros


@dataclass(frozen=True)
class MacroContext:
    """What an engine gives the macros: the build's derived data, which page is rendering
    (its source path relative to docs_dir, e.g. `tiktok/terms.md`), and where a macro's
    mistake goes (a strict build must fail on it, a preview only note it)."""

    site: SiteData
    current_page: Callable[[], str]
    report: Callable[[MacroError], None]


class MacroHost(Protocol):
    """The part of an engine's macros environment apifit uses (mkdocs-macros and Zensical
    share it)."""

    def macro(self, fn: Callable[..., Any], name: str = ..., /) -> Any: ...


def _scrubbing(macro: Callable[..., str], boundary: Scrubber) -> Callable[..., str]:
    @functools.wraps(macro)
    def scrubbed(*args: Any, **kwargs: Any) -> str:
        return boundary.text(macro(*args, **kwargs))

    return scrubbed


def register(host: MacroHost, context: MacroContext) -> None:
    """Register every page macro over one build's derived data."""
    site, current_page = context.site, context.current_page

    def page_file() -> tuple[str, Path]:
        path = site.docs_dir / current_page()
        shown = path.relative_to(site.root) if path.is_relative_to(site.root) else path
        return shown.as_posix(), path

    def add(macro: Callable[..., str], boundary: Scrubber | None = None) -> None:
        safe = guarded(macro, page_file, context.report)
        host.macro(safe if boundary is None else _scrubbing(safe, boundary), macro.__name__)

    def performance_report() -> str:
        """The benchmark figures, read from the results file at build time."""
        results = site.root / performance.BENCH_RESULTS
        return performance.render_report(performance.load_report(results))

    add(performance_report)
    # Check results come from scrubbed recordings; the credentials set for this build are
    # removed from what the macros emit as well (an old recording may predate them).
    changes = ChangesMacros(site.root, site.docs_dir, site.catalog, site.archive, current_page)
    for macro in changes.all():
        host.macro(_scrubbing(macro, site.boundary))
    checks = check_views.Macros(site.board, current_page, extra=changes.history_facts)
    for macro in checks.all():
        add(macro, site.boundary)
    assessments = AssessmentMacros(
        site.catalog,
        docs_dir=site.docs_dir,
        current_page=current_page,
        check_cell=_scrubbing(checks.check_cell, site.boundary),
        premise_status=checks.premise_status,
    )
    terms = TermsMacros(site.catalog, site.archive, current_page, site.docs_dir)
    for macro in (
        assessments.verdict_matrix,
        assessments.assessment,
        terms.terms_clause,
        terms.clause_history,
        assessments.decision_record,
        assessments.review_flag,
        assessments.cite,
    ):
        add(macro)


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros, or by Zensical for each page)."""
    register(env, macro_context(env))
