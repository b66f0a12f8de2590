"""A check's results over time: from its live history, or from the pinned archived versions.

The shown result still comes from the cassettes (`results.derive`); a timeline only says since
when that kind of evidence has said the same thing, and when it changed its mind.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from apifit.checks.faults import Status
from apifit.checks.history import History
from apifit.checks.results import judge
from apifit.checks.schema import Check
from apifit.evidence.archive import Archive, archived_exchange


@dataclass(frozen=True)
class Point:
    """One result: when, what, and the evidence it came from (a recording or a version)."""

    at: datetime.datetime
    status: Status
    reason: str
    source: str  # "live run in CI" / "version of 2026-01-22"
    day: str  # the date a reader knows it by: a run's, or the date a version states
    url: str | None = None  # an archived version's page; a recording has none of its own
    cassette: str | None = None  # sha256 of the cassette a passing live run saved


@dataclass(frozen=True)
class Timeline:
    """One check's points of one kind of evidence (live runs or archived versions), oldest first."""

    check: Check
    points: tuple[Point, ...]

    @property
    def since(self) -> Point | None:
        """The first point of the latest unbroken run of the latest status."""
        if not self.points:
            return None
        start = len(self.points) - 1
        while start > 0 and self.points[start - 1].status == self.points[-1].status:
            start -= 1
        return self.points[start]

    def changes(self) -> list[tuple[Point | None, Point]]:
        """Each point whose status differs from the one before (the first point included)."""
        out: list[tuple[Point | None, Point]] = []
        previous: Point | None = None
        for point in self.points:
            if previous is None or point.status != previous.status:
                out.append((previous, point))
            previous = point
        return out


def _where(provenance: str) -> str:
    return "live run in CI" if provenance == "ci" else "live run on someone's machine"


def live(check: Check, history: History) -> Timeline:
    points = tuple(
        Point(
            x.recorded_at,
            x.status,
            x.reason,
            _where(x.provenance),
            f"{x.recorded_at:%Y-%m-%d}",
            cassette=x.cassette,
        )
        for x in history.of(check.id)
    )
    return Timeline(check, points)


def archived(check: Check, archive: Archive | None) -> Timeline | None:
    """The check judged on every pinned version of its document (None without `archive`)."""
    if check.archive is None or archive is None:
        return None
    doc = archive.document(check.archive, f"checks: {check.id}")
    points = []
    for copy in archive.copies[check.archive]:
        outcome = judge(check, archived_exchange(archive.pins, doc, copy))
        version = copy.version
        recorded = datetime.datetime.combine(version.recorded, datetime.time(), datetime.UTC)
        points.append(
            Point(
                recorded,
                outcome.status,
                outcome.reason,
                f"version of {version.stated_date}",
                version.stated_date,
                url=archive.pins.blob_url(doc, version),
            )
        )
    return Timeline(check, tuple(points))


@dataclass(frozen=True)
class Timelines:
    """Both timelines of every check of one build."""

    live: dict[str, Timeline]
    archived: dict[str, Timeline]

    @classmethod
    def load(cls, checks: list[Check], history: History, archive: Archive | None) -> Timelines:
        found = {c.id: t for c in checks if (t := archived(c, archive)) is not None}
        return cls({c.id: live(c, history) for c in checks}, found)
