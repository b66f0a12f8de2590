"""What changed, and when: every change the data records, as one list, newest first.

Three kinds, each derived from data and never typed by hand: a pinned archived version of a
terms document (with what happened to each clause the site quotes), a dated re-review of a
decision record, and a change of a check's live status in the history. Each change has a
stable key made only of what identifies it (a commit, a date, a check id), so the page, the
feed and `apifit changes` name it alike on every build and machine.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from apifit.checks.history import History, read_history
from apifit.checks.schema import load_checks
from apifit.evidence.archive import Archive, Copy, Document
from apifit.evidence.assessments import Catalog, DecisionRecord
from apifit.evidence.timeline import Point, Timelines

CHANGES_PAGE = "changes.md"
_RECORD_MACRO = re.compile(r"""decision_record\(\s*["'](\d{4})["']\s*\)""")


class Kind(StrEnum):
    TERMS = "terms version"
    REVIEW = "re-review"
    CHECK = "check status change"


class ClauseState(StrEnum):
    """What a version did to a quoted clause, compared with the version before it."""

    APPEARED = "appeared"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    ABSENT = "still absent"
    FIRST_HELD = "held (first pinned version)"
    FIRST_ABSENT = "absent (first pinned version)"


def clause_state(before: bool | None, now: bool) -> ClauseState:
    if before is None:
        return ClauseState.FIRST_HELD if now else ClauseState.FIRST_ABSENT
    if before:
        return ClauseState.UNCHANGED if now else ClauseState.REMOVED
    return ClauseState.APPEARED if now else ClauseState.ABSENT


@dataclass(frozen=True)
class Change:
    """One dated change; `details` are plain sentences, `page` the docs page it is about."""

    key: str
    at: datetime.datetime
    kind: Kind
    title: str
    details: tuple[str, ...]
    source: str
    source_url: str | None
    page: str | None  # a docs-relative page the change is about (a decision record)
    decisions: tuple[str, ...]
    checks: tuple[str, ...]  # the premise checks it touches

    @property
    def anchor(self) -> str:
        return "change-" + re.sub(r"[^a-z0-9]+", "-", self.key.lower()).strip("-")

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.key,
            "date": self.at.isoformat(),
            "kind": str(self.kind),
            "title": self.title,
            "details": list(self.details),
            "source": self.source,
            "source_url": self.source_url,
            "decisions": list(self.decisions),
            "checks": list(self.checks),
        }


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def record_pages(docs_dir: Path) -> dict[str, str]:
    """Which docs page renders each decision record, found from the pages' own macro calls."""
    pages: dict[str, str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        for record_id in _RECORD_MACRO.findall(path.read_text(encoding="utf-8")):
            pages.setdefault(record_id, path.relative_to(docs_dir).as_posix())
    return pages


@dataclass(frozen=True)
class _Touches:
    """Which decision records rest on which checks."""

    records: Mapping[str, DecisionRecord]

    def decisions(self, check_ids: Iterable[str]) -> tuple[str, ...]:
        ids = set(check_ids)
        return tuple(r.id for r in self.records.values() if ids & set(r.premises))

    def premises(self, check_ids: Iterable[str]) -> tuple[str, ...]:
        ids = set(check_ids)
        return tuple(sorted({c for r in self.records.values() for c in r.premises if c in ids}))


def _terms_changes(
    catalog: Catalog, archive: Archive, timelines: Timelines, touches: _Touches
) -> Iterator[Change]:
    for doc_id, doc in archive.pins.documents.items():
        clauses = [t for t in catalog.terms.values() if t.document == doc_id]
        checks = sorted(c for c, t in timelines.archived.items() if t.check.archive == doc_id)
        copies = archive.copies[doc_id]
        for index, copy in enumerate(copies):
            before = copies[index - 1] if index else None
            details = [f'The text states "{copy.version.stated}".']
            for terms in clauses:
                held = before.page.contains(terms.clause) if before else None
                state = clause_state(held, copy.page.contains(terms.clause))
                details.append(f"{terms.name}, section {terms.section}: {state}.")
            details += _verdicts(timelines, checks, index)
            moved = [c for c in checks if _moved(timelines.archived[c].points, index)]
            yield _terms_change(archive, doc_id, doc, copy, details, checks, moved, touches)


def _moved(points: tuple[Point, ...], index: int) -> bool:
    return index == 0 or points[index - 1].status != points[index].status


def _verdicts(timelines: Timelines, checks: list[str], index: int) -> Iterator[str]:
    """How each check judged on this document reads this version, and whether that moved."""
    for check_id in checks:
        points = timelines.archived[check_id].points
        now = points[index]
        if index == 0:
            yield f"Check {check_id}: {now.status} on this version."
        elif _moved(points, index):
            was = points[index - 1].status
            yield f"Check {check_id}: {now.status} on this version (was {was})."
        else:
            yield f"Check {check_id}: {now.status}, as on the version before."


def _terms_change(
    archive: Archive,
    doc_id: str,
    doc: Document,
    copy: Copy,
    details: list[str],
    judged: list[str],  # the checks judged on this document
    moved: list[str],  # those whose verdict this version moved
    touches: _Touches,
) -> Change:
    version = copy.version
    return Change(
        key=f"terms/{doc_id}/{version.commit}",
        at=_midnight(version.recorded),
        kind=Kind.TERMS,
        title=f"{doc.title}: version of {version.stated_date} recorded by {archive.pins.archive}",
        details=tuple(details),
        source=f"{archive.pins.archive}, commit {version.commit[:7]}",
        source_url=archive.pins.blob_url(doc, version),
        page=None,
        decisions=touches.decisions(judged),
        checks=touches.premises(moved),
    )


def _review_changes(catalog: Catalog, pages: Mapping[str, str]) -> Iterator[Change]:
    for record in catalog.decisions.values():
        page = pages.get(record.id)
        for review in record.reviews:
            day = review.date.isoformat()
            yield Change(
                key=f"review/{record.id}/{day}",
                at=_midnight(review.date),
                kind=Kind.REVIEW,
                title=f"ADR {record.id} re-reviewed: {review.outcome}",
                details=tuple(fact.text for fact in review.changes),
                source=f"ADR {record.id}, re-review of {day}",
                source_url=None,
                page=f"{page}#review-{day}" if page else None,
                decisions=(record.id,),
                checks=(),
            )


def _check_title(check_id: str, before: Point | None, now: Point) -> str:
    if before is None:
        return f"Check {check_id}: first live result, {now.status}"
    return f"Check {check_id}: {before.status} → {now.status}"


def _check_changes(timelines: Timelines, touches: _Touches) -> Iterator[Change]:
    for check_id, timeline in timelines.live.items():
        for before, now in timeline.changes():
            details = [timeline.check.claim]
            if now.reason:
                details.append(f"Reason: {now.reason}")
            if now.cassette:
                details.append(f"Recording saved, sha256 {now.cassette}.")
            yield Change(
                key=f"check/{check_id}/{now.at.isoformat()}",
                at=now.at.astimezone(datetime.UTC),
                kind=Kind.CHECK,
                title=_check_title(check_id, before, now),
                details=tuple(details),
                source=f"{now.source}, {now.at:%Y-%m-%d %H:%M} UTC",
                source_url=None,
                page=None,
                decisions=touches.decisions([check_id]),
                checks=touches.premises([check_id]),
            )


def collect(
    catalog: Catalog,
    archive: Archive | None,
    timelines: Timelines,
    pages: Mapping[str, str],
) -> list[Change]:
    """Every change, newest first (ties in a stable order, by key)."""
    touches = _Touches(catalog.decisions)
    found = [*_review_changes(catalog, pages), *_check_changes(timelines, touches)]
    if archive is not None:
        found += _terms_changes(catalog, archive, timelines, touches)
    return sorted(found, key=lambda c: (-c.at.timestamp(), c.key))


def since(record: DecisionRecord) -> tuple[datetime.date, str]:
    """The date a record was last looked at, and how: accepted, or its latest re-review."""
    if record.reviews:
        return record.reviews[-1].date, "last re-reviewed"
    return record.date, str(record.status.value)


def moved(record: DecisionRecord, changes: Iterable[Change]) -> list[Change]:
    """Changes after the record was last looked at that touch one of its premises."""
    day, _ = since(record)
    return [c for c in changes if c.at.date() > day and set(c.checks) & set(record.premises)]


def to_json(changes: list[Change]) -> str:
    return json.dumps({"changes": [c.to_json() for c in changes]}, indent=2) + "\n"


def text(changes: list[Change]) -> str:
    """The terminal's list: one block per change, newest first."""
    blocks = []
    for c in changes:
        lines = [f"{c.at:%Y-%m-%d}  {c.kind}  {c.title}"]
        lines += [f"    {d}" for d in c.details]
        lines.append(f"    source: {c.source}" + (f" <{c.source_url}>" if c.source_url else ""))
        if c.decisions:
            lines.append(f"    touches: {', '.join(f'ADR {d}' for d in c.decisions)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else "no changes recorded"


@dataclass(frozen=True)
class ChangeLog:
    """One build's history, timelines and changes, read from the project's files."""

    history: History
    timelines: Timelines
    changes: list[Change]
    pages: dict[str, str]  # the docs page of each decision record

    @classmethod
    def load(
        cls, root: Path, docs_dir: Path, catalog: Catalog, archive: Archive | None
    ) -> ChangeLog:
        history = read_history(root / "cassettes")
        timelines = Timelines.load(load_checks(root / "checks"), history, archive)
        pages = record_pages(docs_dir)
        return cls(history, timelines, collect(catalog, archive, timelines, pages), pages)
