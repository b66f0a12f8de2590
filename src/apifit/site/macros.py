"""The page macros, for any engine: what they need of the engine rendering the page comes
through one small interface (MacroContext) that each engine's adapter fills.

mkdocs.yml names this module (`modules: [apifit.site.macros]`); mkdocs-macros and Zensical both call
its define_env, and apifit.site.engines asks the engine that is rendering for the context. A page's
end (its sources list) is `finish_page`: mkdocs-macros calls it through the page hooks below,
the Zensical engine after Zensical's macros ran.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mkdocs.exceptions import PluginError

from apifit.checks.scrub import Scrubber
from apifit.errors import ApifitError
from apifit.evidence.archive import Archive
from apifit.evidence.assessments import Catalog
from apifit.site import check_views, performance
from apifit.site.assessment_views import AssessmentMacros
from apifit.site.changes_views import ChangesMacros
from apifit.site.citations import Citations, attach_references, misread_reference
from apifit.site.engines import macro_context
from apifit.site.macro_errors import MacroError, guarded
from apifit.site.stages import SiteData
from apifit.site.terms_views import TermsMacros


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


def register(host: MacroHost, context: MacroContext) -> Citations:
    """Register every page macro over one build's derived data; the citations they collect
    end each page (`finish_page`)."""
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
        status_summary=checks.status_summary,
        archived=archived_versions(site.catalog, site.archive),
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
        assessments.premises_summary,
    ):
        add(macro)
    return assessments.citations


def archived_versions(catalog: Catalog, archive: Archive | None) -> dict[str, str]:
    """Source id -> the archive's list of versions, for the sources a terms entry pins."""
    if archive is None:
        return {}
    pins = archive.pins
    return {
        terms.source: pins.history_url(pins.documents[terms.document])
        for terms in catalog.terms.values()
        if terms.document is not None and terms.document in pins.documents
    }


class MisreadReference(ApifitError):
    """A citation the Markdown reader would take for a footnote definition."""


def finish_page(citations: Citations, page: str, markdown: str) -> str:
    """End a page that cites a source with its sources list (the footnote definitions)."""
    markdown = attach_references(markdown)
    line = misread_reference(markdown)
    if line is not None:
        raise MisreadReference(
            f"{page}: line {line} of the rendered page: a citation starts a paragraph and is "
            "followed by ':', which Markdown reads as a footnote definition (put it after the "
            "statement it supports)"
        )
    return markdown + citations.sources_list(page)


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros, or by Zensical for each page)."""
    context = macro_context(env)
    # Read back by the page hooks below and by the Zensical engine, with the same env.
    env.apifit_page = context.current_page
    env.apifit_citations = register(env, context)


def on_pre_page_macros(env: Any) -> None:
    """Forget what an earlier, failed render of this page cited (`mkdocs serve` retries)."""
    env.apifit_citations.forget(env.apifit_page())


def on_post_page_macros(env: Any) -> None:
    """mkdocs-macros' hook once a page's macros ran (Zensical has none; its engine calls
    finish_page itself)."""
    try:
        env.markdown = finish_page(env.apifit_citations, env.apifit_page(), env.markdown)
    except ApifitError as exc:
        raise PluginError(str(exc)) from None
