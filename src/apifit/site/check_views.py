"""How check results read: Markdown for the page macros, a text table and JSON for the CLI.

Pure functions of `Result`s; `Board` holds one build's results, derived once from the files.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from apifit.checks.faults import Status
from apifit.checks.results import ArchivedResult, Result, days, derive_all
from apifit.checks.schema import Check
from apifit.errors import UnknownIdError
from apifit.evidence.archive import Archive
from apifit.site.assessment_views import PremiseStatus

CHECKS_PAGE = "checks.md"
# Material Design icons bundled with mkdocs-material, drawn as inline SVG: emoji would need an
# emoji font, and without one (Debian's chromium) a reader sees empty boxes.
ICONS = {
    Status.PASSED: "check-circle",
    Status.FAILED: "close-circle",
    Status.INCONCLUSIVE: "alert-circle",
    Status.STALE: "timer-sand",
    Status.NOT_RECORDED: "record-circle-outline",
}
_ICON_DIR = files("material") / "templates" / ".icons" / "material"
LABELS = {Status.NOT_RECORDED: "not yet recorded"}


def label(status: Status) -> str:
    return LABELS.get(status, str(status))


def _css(status: Status) -> str:
    return str(status).replace(" ", "-")


@functools.cache
def _svg(name: str) -> str:
    return (_ICON_DIR / f"{name}.svg").read_text(encoding="utf-8").strip()


def icon(status: Status, name: str = "") -> str:
    """The status icon as inline HTML, coloured by docs/assets/badges.css.

    Decorative (hidden from screen readers) next to a text label; with `name` it is the accessible
    name, for icon-only links. `twemoji` is Material's class for its inline icons: it sizes them.
    """
    role = f'role="img" aria-label="{name}"' if name else 'aria-hidden="true"'
    svg = _svg(ICONS[status]).replace("<svg ", f"<svg {role} ", 1)
    return f'<span class="twemoji apifit-icon apifit-icon--{_css(status)}">{svg}</span>'


def shown_label(result: Result) -> str:
    """The badge's words: an archived copy's verdict always says so."""
    text = label(result.status)
    return f"{text} on archived copy" if result.from_archive else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _date(when: datetime | None) -> str:
    return f"{when:%Y-%m-%d}" if when else "—"


def anchor(check_id: str) -> str:
    return f"check-{check_id}"


def _link(check_id: str, page: str) -> str:
    """A link from page `page` (source path, e.g. `tiktok/terms.md`) to the check's entry."""
    here = posixpath.dirname(page)
    target = CHECKS_PAGE if page != CHECKS_PAGE else ""
    return f"{posixpath.relpath(target, here) if target else ''}#{anchor(check_id)}"


def _tooltip(result: Result) -> str:
    parts = [label(result.status)]
    if result.reason:
        parts.append(result.reason)
    if result.provenance:
        parts.append(result.provenance)
    return _cell(" — ".join(parts)).replace('"', "'")


def badge(result: Result, page: str) -> str:
    """An inline badge next to a claim, linking to the check's evidence."""
    status = result.status
    return (
        f"[{icon(status)} {shown_label(result)}]({_link(result.check.id, page)})"
        f'{{ .apifit-check .apifit-check--{_css(status)} title="{_tooltip(result)}" }}'
    )


def evidence_text(result: Result) -> str:
    ev = result.evidence
    if ev is None and result.from_archive and result.archived is not None:
        return f"archived version {_version_link(result.archived)}"
    if ev is None:
        return "—"
    parts = [f"`{ev.request_line}`"]
    if ev.status is not None:
        parts.append(f"HTTP {ev.status}")
    parts += [f"`{k}`: `{v}`" for k, v in ev.fields.items() if v]
    parts += [f"redirected from `{hop}`" for hop in ev.redirected_from]
    return _cell(" · ".join(parts))


def age_text(result: Result) -> str:
    return "—" if result.age_days is None else f"{days(result.age_days)} days"


def archived_text(result: Result) -> str:
    """The archived copy's verdict, with the archive's name, the version and its age."""
    archived = result.archived
    if archived is None:
        return ""
    reason = f": {archived.reason}" if archived.reason else ""
    return f"{archived.status}{reason}, {archived.provenance}"


def _version_link(archived: ArchivedResult) -> str:
    return f"[{archived.title} at {archived.commit[:7]}]({archived.url})"


def _archived_link(result: Result) -> str:
    assert result.archived is not None
    return f"{archived_text(result)}, {_version_link(result.archived)}"


def _extra(result: Result) -> str:
    """What a row adds under the status: reason, a newer failed attempt, the other evidence."""
    parts = [result.reason, _attempt_text(result)]
    # Text only: the row's badge links to the entry that links the archived version (a link in
    # Material's dimmed <small> would fall under WCAG AA contrast).
    if result.from_archive or result.disagrees:
        parts.append(archived_text(result))
    return "; ".join(x for x in parts if x)


def _attempt_text(result: Result) -> str:
    attempt = result.attempt
    if attempt is None:
        return ""
    reason = f": {attempt.reason}" if attempt.reason else ""
    return f"latest live attempt {_date(attempt.at)} was {attempt.status}{reason}"


def table(results: Iterable[Result], page: str) -> str:
    """A Markdown table of checks: claim, status, evidence, recorded, age."""
    rows = [
        "| Check | Claim | Status | Evidence | Recorded |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        status = badge(r, page)
        extra = _extra(r)
        if extra:
            status += f"<br><small>{_cell(extra)}</small>"
        rows.append(
            f"| `{r.check.id}` | {_cell(r.check.claim)} | {status} | {evidence_text(r)} "
            f"| {_date(r.recorded_at)} ({age_text(r)}) |"
        )
    return "\n".join(rows)


def counts(results: Iterable[Result]) -> str:
    """`2 passed · 1 not yet recorded`, most actionable status first."""
    tally = Counter(r.status for r in results)
    return " · ".join(f"{tally[s]} {label(s)}" for s in Status if tally[s]) or "no checks"


def summary(results: list[Result]) -> str:
    """A set of checks in one line: "(icon) 4 of 5 not yet recorded · (icon) 1 of 5 passed"."""
    if not results:
        return "no checks"
    tally = Counter(r.status for r in results)
    total = len(results)
    return " · ".join(f"{icon(s)} {tally[s]} of {total} {label(s)}" for s in Status if tally[s])


def cell(results: list[Result], page: str) -> str:
    """The home matrix's Checks column for one API: a count per status, linking its checks."""
    if not results:
        return summary(results)
    return f"[{summary(results)}]({_section_link(results[0].check.api, page)})"


def _section_link(api: str, page: str) -> str:
    """The Checks page's section of one API (its `## <api>` heading's id)."""
    return posixpath.relpath(CHECKS_PAGE, posixpath.dirname(page) or ".") + f"#{api}"


def premise_status(result: Result, page: str) -> PremiseStatus:
    """A decision's premise check as the decision pages show it; failed flags re-review."""
    return PremiseStatus(badge(result, page), failed=result.status == Status.FAILED)


# An entry's extra `(label, Markdown)` lines, such as its history (apifit.site.timeline_views).
ExtraFacts = Callable[[Result], list[tuple[str, str]]]


def _no_extra(result: Result) -> list[tuple[str, str]]:
    return []


def entry(result: Result, extra: ExtraFacts = _no_extra) -> str:
    """One check's full entry on the Checks page."""
    c = result.check
    out = [
        f"### `{c.id}` {{ #{anchor(c.id)} }}",
        "",
        f"{badge(result, CHECKS_PAGE)} **{c.api}** — {c.claim}",
        "",
    ]
    shown = [
        ("Status", f"{label(result.status)}" + (f": {result.reason}" if result.reason else "")),
        ("Recorded", f"{_date(result.recorded_at)} (age {age_text(result)})"),
        ("Provenance", result.provenance or "—"),
    ]
    if result.attempt is not None:
        shown.append(("Latest attempt", _attempt_text(result)))
    if result.archived is not None:
        shown.append(("Archived copy", _archived_link(result)))
    # The request and answer excerpt is one click away: status, date and provenance come first.
    details = [("Evidence", evidence_text(result))]
    if result.evidence and result.evidence.duration_ms is not None:
        details.append(("Duration", f"{result.evidence.duration_ms} ms"))
    if c.source:
        details.append(("Source", f"<{c.source}>"))
    if c.env_vars:
        details.append(("Needs", ", ".join(f"`{v}`" for v in c.env_vars)))
    details.append(("Re-record", f"`{result.record_command}`"))
    # Since when it holds is read with the status, not behind a click.
    shown += extra(result)
    out += [f"- **{k}:** {v}" for k, v in shown]
    out += ["", '??? note "Request and answer"', ""]
    out += [f"    - **{k}:** {v}" for k, v in details]
    return "\n".join(out)


def page(results: list[Result], extra: ExtraFacts = _no_extra) -> str:
    """The Checks page body: a summary, then every check with its evidence."""
    by_api: dict[str, list[Result]] = {}
    for r in results:
        by_api.setdefault(r.check.api, []).append(r)
    out = [f"**{counts(results)}**", ""]
    for api, group in by_api.items():
        out += [f"## {api}", ""]
        out += [entry(r, extra) + "\n" for r in group]
    return "\n".join(out)


def text_table(results: list[Result]) -> str:
    """The CLI's table: one line per check."""
    rows = [("CHECK", "API", "STATUS", "RECORDED", "DETAIL")]
    for r in results:
        detail = "; ".join(x for x in (r.reason, _attempt_text(r), archived_text(r)) if x)
        if r.status == Status.NOT_RECORDED:
            needs = r.check.env_vars
            detail = f"run `{r.record_command}`" + (
                f" with {', '.join(needs)} set" if needs else ""
            )
        rows.append((r.check.id, r.check.api, label(r.status), _date(r.recorded_at), detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ).rstrip()


def to_json(results: list[Result]) -> str:
    """The `--json` report: one object per check, evidence included (already scrubbed)."""
    data: list[dict[str, Any]] = [
        {
            "id": r.check.id,
            "api": r.check.api,
            "claim": r.check.claim,
            "status": str(r.status),
            "reason": r.reason,
            "from_archive": r.from_archive,
            "evidence": r.evidence.model_dump(mode="json") if r.evidence else None,
            "recorded_at": r.recorded_at.isoformat() if r.recorded_at else None,
            "age_days": r.age_days,
            "provenance": r.provenance,
            "latest_attempt": r.attempt.model_dump(mode="json") if r.attempt else None,
            "archived": _archived_json(r.archived) if r.archived else None,
            "record_command": r.record_command,
        }
        for r in results
    ]
    return json.dumps({"summary": counts(results), "checks": data}, indent=2) + "\n"


def _archived_json(archived: ArchivedResult) -> dict[str, Any]:
    data = dataclasses.asdict(archived)
    data["status"] = str(archived.status)
    data["recorded_at"] = archived.recorded_at.isoformat()
    data["provenance"] = archived.provenance
    return data


@dataclass(frozen=True)
class Board:
    """One build's check results, derived once from check files, cassettes and the clock."""

    results: dict[str, Result]

    @classmethod
    def load(cls, root: Path, now: datetime, max_age_days: float, archive: Archive | None) -> Board:
        def archived(check: Check) -> ArchivedResult | None:
            return archive.judged(check, now) if archive is not None else None

        derived = derive_all(root / "checks", root / "cassettes", now, max_age_days, archived)
        return cls({r.check.id: r for r in derived})

    def get(self, check_id: str, page: str) -> Result:
        try:
            return self.results[check_id]
        except KeyError:
            raise UnknownIdError(
                page, f'check("{check_id}")', "check", check_id, self.results
            ) from None

    def for_api(self, api: str) -> list[Result]:
        return [r for r in self.results.values() if r.check.api == api]


class Macros:
    """The page macros over one build's Board; `current_page` names the page being rendered."""

    def __init__(
        self, board: Board, current_page: Callable[[], str], extra: ExtraFacts = _no_extra
    ) -> None:
        self.board = board
        self.current_page = current_page
        self.extra = extra

    def check(self, check_id: str) -> str:
        """Badge for one check, next to the claim it supports."""
        page = self.current_page()
        return badge(self.board.get(check_id, page), page)

    def checks_table(self, api: str) -> str:
        """Table of one API's (or terms document's) checks."""
        return table(self.board.for_api(api), self.current_page())

    def check_cell(self, api_id: str) -> str:
        """The home matrix's Checks column for one API."""
        return cell(self.board.for_api(api_id), self.current_page())

    def status_summary(self, check_ids: Sequence[str]) -> str:
        """How the named checks stand, in one line."""
        page = self.current_page()
        return summary([self.board.get(check_id, page) for check_id in check_ids])

    def premise_status(self, check_id: str) -> PremiseStatus:
        """How a decision's premise check stands: the decision pages flag a failed one."""
        page = self.current_page()
        return premise_status(self.board.get(check_id, page), page)

    def checks_page(self) -> str:
        """Every check with its evidence, age and re-record command."""
        return page(list(self.board.results.values()), self.extra)

    def status_icon(self, status: str) -> str:
        """A status's icon and label as the badges show them, for a legend."""
        return f"{icon(Status(status))} {label(Status(status))}"

    def all(self) -> list[Callable[..., str]]:
        return [self.check, self.checks_table, self.check_cell, self.checks_page, self.status_icon]
