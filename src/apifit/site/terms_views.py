"""Markdown for the terms macros: a quoted clause with its history, derived from archived copies.

Which pinned versions hold a clause's wording is computed from their text (`archive.holdings`),
so "removed on ..." and "in force since ..." can never drift from the evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from apifit.errors import UnknownIdError
from apifit.evidence.archive import Archive, Holding, holdings
from apifit.evidence.assessments import Catalog, TermsDocument
from apifit.site.assessment_views import terms_clause

NO_ARCHIVE = "No archived versions are pinned for this document, so its history is not shown."


def _version(holding: Holding) -> str:
    v = holding.version
    return f'"{v.stated}" (recorded {v.recorded.isoformat()}, [{v.commit[:7]}]({holding.url}))'


def summary(found: list[Holding], replacement: TermsDocument | None) -> str:
    """One line a reader takes in at a glance: in force, removed or added, and when."""
    held = [h for h in found if h.holds]
    if not held:
        return "Not found in any pinned version."
    newest = found[-1]
    if newest.holds:
        first = held[0]
        if len(found) == 1:
            return f"**In force**: held by the only pinned version, {_version(first)}."
        since = (
            "in every pinned version" if first is found[0] else f"added {first.version.stated_date}"
        )
        return f"**In force**: {since}, from {_version(first)} to {_version(newest)}."
    last = max(i for i, h in enumerate(found) if h.holds)
    gone = found[last + 1]
    text = (
        f"**Removed {gone.version.stated_date}**: last held by {_version(found[last])}; "
        f"absent from {_version(gone)} onwards"
    )
    if replacement is not None:
        text += f", replaced by {replacement.name} section {replacement.section}"
    return text + "."


def history_table(found: list[Holding]) -> str:
    """Every pinned version, oldest first, and whether it holds the wording."""
    rows = [
        "| Version (as the text states it) | Recorded by the archive | Holds this wording |",
        "|---|---|---|",
    ]
    for h in found:
        v = h.version
        holds = "yes" if h.holds else "**no**"
        rows.append(f"| [{v.stated}]({h.url}) | {v.recorded.isoformat()} | {holds} |")
    return "\n".join(rows)


@dataclass
class TermsMacros:
    """The terms page macros, over one site's catalog and archived copies."""

    catalog: Catalog
    archive: Archive | None
    current_page: Callable[[], str]
    docs_dir: Path

    def _terms(self, terms_id: str, macro: str) -> TermsDocument:
        try:
            return self.catalog.terms[terms_id]
        except KeyError:
            page = self.docs_dir / self.current_page()
            where = f'{macro}("{terms_id}")'
            raise UnknownIdError(
                page, where, "terms document", terms_id, self.catalog.terms
            ) from None

    def clause_history(self, terms_id: str) -> str:
        """`{{ clause_history("tos-2023") }}`: when the wording was in force, version by version."""
        terms = self._terms(terms_id, "clause_history")
        if terms.document is None or self.archive is None:
            return NO_ARCHIVE
        where = f"{self.docs_dir / self.current_page()}: clause_history"
        found = holdings(self.archive, terms.document, terms.clause, where)
        replacement = self.catalog.terms.get(terms.replaced_by) if terms.replaced_by else None
        pins = self.archive.pins
        history = pins.history_url(pins.documents[terms.document])
        origin = f"Derived from the pinned {pins.archive} copies ([all versions]({history}))."
        return f"{summary(found, replacement)}\n\n{history_table(found)}\n\n{origin}"

    def terms_clause(self, terms_id: str) -> str:
        """`{{ terms_clause("tos") }}`: the clause quoted verbatim and whole, the clauses that
        limit it beside it, then its history."""
        terms = self._terms(terms_id, "terms_clause")
        sources = self.catalog.sources
        quotes = [terms_clause(terms, sources)]
        for limit in terms.limited_by:
            note = f", which limits {terms.section}"
            quotes.append(terms_clause(self.catalog.terms[limit], sources, note))
        return "\n".join(quotes) + f"\n{self.clause_history(terms_id)}\n"
