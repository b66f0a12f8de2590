"""The module mkdocs-macros loads: a thin adapter that only registers apifit functions."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from apifit import check_views, performance, secretscan
from apifit.archive import Archive, load_archive
from apifit.assessment_views import AssessmentMacros
from apifit.assessments import Catalog, load_catalog
from apifit.changes_views import ChangesMacros
from apifit.citations import attach_references, misread_reference
from apifit.errors import ApifitError
from apifit.macro_errors import MacroError, guarded
from apifit.scrub import Scrubber
from apifit.terms_views import TermsMacros

log = logging.getLogger("mkdocs.plugins.apifit")


def _scrubbing(macro: Callable[..., str], boundary: Scrubber) -> Callable[..., str]:
    @functools.wraps(macro)
    def scrubbed(*args: Any, **kwargs: Any) -> str:
        return boundary.text(macro(*args, **kwargs))

    return scrubbed


def _serving(env: Any) -> bool:
    plugin = env.conf["plugins"].get("apifit")
    return bool(getattr(plugin, "serving", False))


def _reporter(env: Any) -> Callable[[MacroError], None]:
    """A strict build fails on every macro error (each logged with its line); a preview only
    notes them, as the page shows each in place, so that it keeps serving."""

    def report(error: MacroError) -> None:
        if _serving(env):
            log.info("%s", error)
        else:
            log.error("%s", error)

    return report


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros)."""
    root = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])

    def current_page() -> str:
        return str(env.page.file.src_uri)

    def page_file() -> tuple[str, Path]:
        path = docs_dir / current_page()
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        return shown.as_posix(), path

    report = _reporter(env)

    def register(macro: Callable[..., str], boundary: Scrubber | None = None) -> None:
        safe = guarded(macro, page_file, report)
        env.macro(safe if boundary is None else _scrubbing(safe, boundary), macro.__name__)

    def performance_report() -> str:
        """The benchmark figures, read from the results file at build time."""
        return performance.render_report(performance.load_report(root / performance.BENCH_RESULTS))

    register(performance_report)

    try:
        archive = load_archive(root)
        # Check results come from scrubbed recordings; the credentials set for this build are
        # removed from what the macros emit as well (an old recording may predate them).
        boundary = Scrubber(secretscan.credential_values(root / "checks", os.environ).values())
        catalog = load_catalog(root / "assessments")
    except ApifitError as exc:
        # MkDocs prints a PluginError as one line instead of a traceback.
        raise PluginError(str(exc)) from exc
    docs_dir = Path(env.conf["docs_dir"])
    changes = ChangesMacros(root, docs_dir, catalog, archive, current_page)
    for macro in changes.all():
        env.macro(_scrubbing(macro, boundary))
    checks = check_views.Macros(root, current_page, archive, extra=changes.history_facts)
    for macro in checks.all():
        register(macro, boundary)
    assessments = AssessmentMacros(
        catalog,
        docs_dir=docs_dir,
        current_page=current_page,
        check_cell=_scrubbing(checks.check_cell, boundary),
        premise_status=checks.premise_status,
        status_summary=checks.status_summary,
        archived=archived_versions(catalog, archive),
    )
    # Read back by the page hooks below, which mkdocs-macros calls with the same env.
    env.apifit_citations = assessments.citations
    terms = TermsMacros(catalog, archive, current_page, docs_dir)
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
        register(macro)


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


def on_pre_page_macros(env: Any) -> None:
    """Forget what an earlier, failed render of this page cited (`mkdocs serve` retries)."""
    env.apifit_citations.forget(str(env.page.file.src_uri))


def on_post_page_macros(env: Any) -> None:
    """End every page that cites a source with its sources list (the footnote definitions)."""
    page = str(env.page.file.src_uri)
    env.markdown = attach_references(env.markdown)
    line = misread_reference(env.markdown)
    if line is not None:
        raise PluginError(
            f"{page}: line {line} of the rendered page: a citation starts a paragraph and is "
            "followed by ':', which Markdown reads as a footnote definition (put it after the "
            "statement it supports)"
        )
    env.markdown += env.apifit_citations.sources_list(page)
