"""How a check's timeline reads on its entry: since when, the last results, first and last."""

from __future__ import annotations

from apifit.checks.faults import Status
from apifit.evidence.timeline import Point, Timeline
from apifit.site.check_views import icon, label

LAST_SHOWN = 10
NO_LIVE = "no live recording yet"


def _dot(point: Point) -> str:
    """A status icon and its date; the icon names its status for screen readers."""
    mark = icon(point.status, label(point.status))
    return f"[{mark} {point.day}]({point.url})" if point.url else f"{mark} {point.day}"


def live_text(timeline: Timeline) -> str:
    """`passed since 2026-11-02 (live run in CI); last 3: ...; first 2026-10-01, last ...`."""
    since = timeline.since
    if since is None:
        return f"{NO_LIVE} (the history starts with the first `apifit record`)"
    points = timeline.points
    shown = points[-LAST_SHOWN:]
    return (
        f"{label(since.status)} since {since.at:%Y-%m-%d} ({since.source}); "
        f"last {len(shown)}: {' · '.join(map(_dot, shown))}; "
        f"first recorded {points[0].at:%Y-%m-%d}, last {points[-1].at:%Y-%m-%d}"
    )


def archived_text(timeline: Timeline) -> str:
    """`holds since the version of 2026-01-22; versions: ...` over every pinned version."""
    since = timeline.since
    assert since is not None  # a document is pinned with at least one version
    verb = "holds" if since.status == Status.PASSED else label(since.status)
    first = since is timeline.points[0]
    when = "in every pinned version, from the" if first else "since the"
    versions = " · ".join(map(_dot, timeline.points))
    return f"{verb} {when} {since.source}; pinned versions: {versions}"


def facts(live: Timeline, archived: Timeline | None) -> list[tuple[str, str]]:
    """The entry's history lines: live results always, archived versions where there are."""
    out = [("Live history", live_text(live))]
    if archived is not None:
        out.append(("Archived history", archived_text(archived)))
    return out
