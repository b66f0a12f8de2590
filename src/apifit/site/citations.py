"""Citations as numbered references: a footnote next to the statement, the source at the page's end.

A citation renders as a Python-Markdown footnote reference (`[^label]`); Material numbers it and,
with `content.footnote.tooltips`, shows the source in place on hover or keyboard focus. The
definitions, one per source and version date a page cites, are collected while the page renders
and appended under a "Sources" heading, so the page ends with its sources list.
"""

from __future__ import annotations

import datetime
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from apifit.evidence.assessments import Source

SOURCES_HEADING = "## Sources"
# `[^label]:` at the start of a line is a footnote definition, not a reference.
_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:", re.MULTILINE)


# A reference and the whitespace (one line break at most) between it and the word before it.
_LOOSE_REFERENCE = re.compile(r"(?<=\S)[ \t]*\n?[ \t]*(\[\^[^\]\s]+\])")


def attach_references(markdown: str) -> str:
    """Set each reference against the word it follows, as a superscript reference is printed.

    Pages write `statement {{ cite(...) }}`, often with a line break before it; left as it is,
    the space would show before the number, and a reference starting a line followed by ':'
    would read as a footnote definition.
    """
    return _LOOSE_REFERENCE.sub(r"\1", markdown)


def misread_reference(markdown: str) -> int | None:
    """The line number of a reference that Markdown would read as a definition, if any."""
    found = _DEFINITION.search(markdown)
    return None if found is None else markdown.count("\n", 0, found.start()) + 1


def relative(target: str, page: str) -> str:
    """A link from `page` to `target`, both relative to docs/, that MkDocs can validate."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def href(source: Source, page: str | None = None) -> str:
    """Where a citation of `source` links to, from `page` (needed for a page of this site)."""
    if source.url is not None:
        return source.url
    if source.page is None or page is None:
        raise ValueError(f"citing {source.title!r} needs the page the citation is on")
    return relative(source.page, page)


def label(source_id: str, as_of: datetime.date | None) -> str:
    """The footnote label of a source at a version date; `--` cannot occur in a source id."""
    return f"{source_id}--{as_of.isoformat()}" if as_of else source_id


def version_date(as_of: datetime.date | None, stated: str | None = None) -> str:
    """Which version a citation rests on: the date checked, and the date its text states."""
    if as_of is None:
        return ""
    return f"as of {as_of.isoformat()}" + (f", stated {stated}" if stated else "")


def definition(
    source: Source,
    page: str,
    as_of: datetime.date | None,
    archived: str | None = None,
    stated: str | None = None,
) -> str:
    """The sources-list entry: title linked, the version's dates, and the archived copies if any."""
    dated = f", {version_date(as_of, stated)}" if as_of else ""
    kept = f" ([archived versions]({archived}))" if archived else ""
    return f"[{source.title}]({href(source, page)}){dated}.{kept}"


@dataclass
class Citations:
    """The sources each page cites, in the order a reader meets them.

    `archived` maps a source id to the list of its archived versions, where an archive keeps them.
    """

    sources: Mapping[str, Source]
    archived: Mapping[str, str] = field(default_factory=dict)
    _cited: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False)

    def reference(
        self,
        source_id: str,
        page: str,
        as_of: datetime.date | None = None,
        stated: str | None = None,
    ) -> str:
        """The numbered reference to put right after a statement on `page` (`stated`: the date
        the version gives itself, when it differs from `as_of`, the date it was checked)."""
        key = label(source_id, as_of)
        entries = self._cited.setdefault(page, {})
        if key not in entries:
            source = self.sources[source_id]
            archived = self.archived.get(source_id)
            entries[key] = definition(source, page, as_of, archived, stated)
        return f"[^{key}]"

    def sources_list(self, page: str) -> str:
        """The page's sources list, to end its Markdown with; empty when it cites nothing.

        Taking it forgets the page's citations, so a rebuild (`mkdocs serve`) starts afresh.
        """
        entries = self._cited.pop(page, {})
        if not entries:
            return ""
        notes = "\n".join(f"[^{key}]: {text}" for key, text in entries.items())
        return f"\n\n{SOURCES_HEADING}\n\n{notes}\n"

    def forget(self, page: str) -> None:
        """Drop what an earlier, failed render of `page` cited."""
        self._cited.pop(page, None)
