"""Markdown for the change macros: the What changed page, a record's moved premises, and each
check's history on the Checks page. All of it comes from one `ChangeLog` per build."""

from __future__ import annotations

import functools
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from apifit.checks.results import Result
from apifit.errors import InputError
from apifit.evidence.archive import Archive
from apifit.evidence.assessments import Catalog, DecisionRecord
from apifit.evidence.changes import CHANGES_PAGE, Change, ChangeLog, Kind, moved, since
from apifit.site import timeline_views
from apifit.site.assessment_views import OURS
from apifit.site.check_views import CHECKS_PAGE, anchor
from apifit.site.feed import FEED_FILE


def _relative(target: str, page: str) -> str:
    """A link from docs page `page` to `target` (docs-relative, maybe with an anchor)."""
    path, _, fragment = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(page) or ".") if path != page else ""
    return f"{link}#{fragment}" if fragment else link


def _touches(change: Change, pages: dict[str, str], page: str) -> str:
    links = [
        f"[ADR {d}]({_relative(pages[d], page)})" if d in pages else f"ADR {d}"
        for d in change.decisions
    ]
    links += [f"[{c}]({_relative(f'{CHECKS_PAGE}#{anchor(c)}', page)})" for c in change.checks]
    return ", ".join(links)


def _source(change: Change, page: str) -> str:
    if change.source_url:
        return f"[{change.source}]({change.source_url})"
    if change.page:
        return f"[{change.source}]({_relative(change.page, page)})"
    return change.source


def entry(change: Change, pages: dict[str, str], page: str) -> str:
    """One change: a dated heading with a stable anchor, what changed, its source, what it
    touches."""
    lines = [
        f"## {change.at:%Y-%m-%d}: {change.title} {{ #{change.anchor} }}",
        "",
        *(f"- {detail}" for detail in change.details),
        f"- **Source:** {_source(change, page)}",
    ]
    touched = _touches(change, pages, page)
    if touched:
        lines.append(f"- **Touches:** {touched}")
    return "\n".join(lines)


def summary(changes: Iterable[Change]) -> str:
    tally = Counter(c.kind for c in changes)
    return ", ".join(f"{tally[k]} {k}{'s' if tally[k] != 1 else ''}" for k in Kind)


def problems(found: Iterable[str]) -> str:
    """Unreadable history lines, named so someone fixes them; they count for nothing."""
    listed = "\n".join(f"    - `{p}`" for p in found)
    if not listed:
        return ""
    return f'!!! warning "Unreadable history lines, ignored"\n\n{listed}\n'


def page_body(log: ChangeLog, page: str) -> str:
    """The What changed page: a count by kind, then every change, newest first."""
    parts = [problems(log.history.problems)]
    parts.append(_ours(f"{len(log.changes)} changes, newest first: {summary(log.changes)}."))
    parts += [entry(c, log.pages, page) for c in log.changes]
    return "\n\n".join(p for p in parts if p) + "\n"


def _ours(markdown: str) -> str:
    return f"{markdown}\n{OURS}"


def moves(record: DecisionRecord, changes: list[Change], page: str) -> str:
    """How many of a record's premises changed since it was accepted or last re-reviewed."""
    day, how = since(record)
    found = moved(record, changes)
    changed = sorted({c for change in found for c in change.checks if c in record.premises})
    total = len(record.premises)
    text = (
        f"Since this record was {how} on {day.isoformat()}, {len(changed)} of its {total} "
        f"premises changed"
    )
    if not found:
        return _ours(f"{text} ([what changed]({_relative(CHANGES_PAGE, page)})).")
    links = "; ".join(
        f"[{c.at:%Y-%m-%d}: {c.title}]({_relative(f'{CHANGES_PAGE}#{c.anchor}', page)})"
        for c in found
    )
    return _ours(f"{text} ({', '.join(f'`{c}`' for c in changed)}): {links}.")


@dataclass
class ChangesMacros:
    """The change macros over one build's files; the log is read once, when first needed."""

    root: Path
    docs_dir: Path
    catalog: Catalog
    archive: Archive | None
    current_page: Callable[[], str]

    @functools.cached_property
    def log(self) -> ChangeLog:
        return ChangeLog.load(self.root, self.docs_dir, self.catalog, self.archive)

    def changes_page(self) -> str:
        """`{{ changes_page() }}`: every change, newest first."""
        return page_body(self.log, self.current_page())

    def feed_link(self) -> str:
        """`{{ feed_link() }}`: a link to the Atom feed of the changes."""
        return f"[Atom feed of these changes]({_relative(FEED_FILE, self.current_page())})"

    def premise_moves(self, record_id: str) -> str:
        """`{{ premise_moves("0001") }}`: premises changed since the last look at the record."""
        record = self.catalog.decisions.get(record_id)
        if record is None:
            known = ", ".join(sorted(self.catalog.decisions)) or "none defined"
            raise InputError(
                self.docs_dir / self.current_page(),
                f'premise_moves("{record_id}")',
                f"unknown record id '{record_id}'",
                fix=f"use one of: {known}",
            )
        return moves(record, self.log.changes, self.current_page())

    def history_problems(self) -> str:
        """`{{ history_problems() }}`: unreadable lines of the history, if any."""
        return problems(self.log.history.problems)

    def history_facts(self, result: Result) -> list[tuple[str, str]]:
        """A check entry's history lines (injected into the Checks page's entries)."""
        timelines = self.log.timelines
        check_id = result.check.id
        return timeline_views.facts(timelines.live[check_id], timelines.archived.get(check_id))

    def all(self) -> list[Callable[..., str]]:
        return [self.changes_page, self.feed_link, self.premise_moves, self.history_problems]
