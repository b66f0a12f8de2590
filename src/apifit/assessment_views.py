"""Markdown for the assessment macros: verdict matrix, API cards, terms clauses, decision records.

Check results belong to another part of apifit. They come in through injected callables
(`CheckCell`, `PremiseStatusOf`), so this module renders without knowing how checks run, and
says plainly that nothing is recorded until real results are wired in.
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

from apifit.assessments import (
    Assessment,
    Catalog,
    DecisionRecord,
    Earlier,
    Fact,
    Option,
    RecordStatus,
    Source,
    TermsDocument,
    Verdict,
)
from apifit.dating import misdated, pinned_version
from apifit.errors import InputError

T = TypeVar("T")

CheckCell = Callable[[str], str]
"""Markdown for the checks of one subject (an API or terms document id)."""


@dataclass(frozen=True)
class PremiseStatus:
    """How one premise check of a decision record stands."""

    text: str  # Markdown for the premises table
    failed: bool  # a failed premise means the record needs re-review


PremiseStatusOf = Callable[[str], PremiseStatus]

NOT_RECORDED = "not yet recorded"
NOT_STATED = "not stated in our sources"


def no_check_recorded(subject_id: str) -> str:
    """The check cell until check results are wired in: says so rather than guess."""
    return NOT_RECORDED


def no_premise_recorded(check_id: str) -> PremiseStatus:
    """The premise status until check results are wired in: nothing recorded, nothing failed."""
    return PremiseStatus(NOT_RECORDED, failed=False)


class _Style(NamedTuple):
    admonition: str  # its colour carries the answer at a glance
    wording: str  # on the API's card
    answer: str  # in the matrix's "Fits our product?" column


_VERDICTS = {
    Verdict.FITS: _Style("success", "fits our product", "Yes"),
    Verdict.DOES_NOT_FIT: _Style("failure", "does not fit our product", "No: does not fit"),
    Verdict.OUT_OF_SCOPE: _Style("info", "out of scope for our product", "No: out of scope"),
}
_STATUS_ADMONITION = {
    RecordStatus.PROPOSED: "question",
    RecordStatus.ACCEPTED: "success",
    RecordStatus.SUPERSEDED: "warning",
}


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")


def _indent(markdown: str) -> str:
    """Indent a block so that it becomes the body of an admonition."""
    return "\n".join(f"    {line}" if line else "" for line in markdown.splitlines())


def _relative(target: str, page: str) -> str:
    """A link from `page` to `target`, both relative to docs/, that MkDocs can validate."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def href(source: Source, page: str | None = None) -> str:
    """Where a citation of `source` links to, from `page` (needed for a page of this site)."""
    if source.url is not None:
        return source.url
    if source.page is None or page is None:
        raise ValueError(f"citing {source.title!r} needs the page the citation is on")
    return _relative(source.page, page)


def version_date(as_of: datetime.date | None, stated: str | None = None) -> str:
    """Which version a citation rests on: the date checked, and the date its text states."""
    if as_of is None:
        return ""
    return f"as of {as_of.isoformat()}" + (f", stated {stated}" if stated else "")


def cite(
    sources: Mapping[str, Source],
    source_id: str,
    page: str | None = None,
    as_of: datetime.date | None = None,
    stated: str | None = None,
) -> str:
    """An inline citation: the source's short label, linked, and the version's dates if known."""
    source = sources[source_id]
    dated = f", {version_date(as_of, stated)}" if as_of else ""
    return f"([{source.label}]({href(source, page)}){dated})"


# How a line cites its source: from the source id and the version's dates, if known.
Ref = Callable[[str, datetime.date | None, str | None], str]


def _fact_lines(facts: Iterable[Fact], ref: Ref) -> Iterator[tuple[int, str]]:
    """Each fact, then its earlier wordings one level deeper, each line citing by `ref`."""
    for fact in facts:
        yield 0, f"{fact.text} {ref(fact.source, fact.as_of, fact.stated)}"
        for earlier in fact.history:
            yield 1, f"*{earlier.period}:* {earlier.text} {ref(earlier.source, None, None)}"


def _citing(sources: Mapping[str, Source], page: str) -> Ref:
    return lambda source_id, as_of, stated: cite(sources, source_id, page, as_of, stated)


def _facts_cell(sources: Mapping[str, Source], facts: Iterable[Fact], page: str) -> str:
    lines = (text for _, text in _fact_lines(facts, _citing(sources, page)))
    return _cell("<br>".join(lines) or NOT_STATED)


def _bullets(sources: Mapping[str, Source], facts: Iterable[Fact], page: str) -> str:
    """One list item per fact; its earlier wordings are nested items under it."""
    lines = _fact_lines(facts, _citing(sources, page))
    return "\n".join(f"{'    ' * depth}- {text}" for depth, text in lines)


def verdict_label(verdict: Verdict) -> str:
    """How a verdict reads in a sentence: "does not fit our product"."""
    return _VERDICTS[verdict].wording


def verdict_matrix(
    apis: Iterable[Assessment], sources: Mapping[str, Source], check_cell: CheckCell, page: str
) -> str:
    """One row per API: the answer, who it is for, how to get in, and what backs it.

    The reasons behind each answer are on the API's page (its card), linked from the first cell.
    """
    rows = [
        "| API | Fits our product? | Who it is for | Access route | Token "
        "| Approval time | Limits | Sources | Checks |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for api in apis:
        # Numbered citations keep a nine-column row readable; the Sources cell resolves them.
        cited = list(dict.fromkeys(c.source for c in _row_citations(api)))
        numbered = partial(_numbered, cited=cited, sources=sources, page=page)
        source_cell = "<br>".join(
            f"[{n}] [{sources[key].label}]({href(sources[key], page)})"
            for n, key in enumerate(cited, 1)
        )
        cells = [
            f"[{api.name}]({_relative(api.page, page)})",
            f"**{_VERDICTS[api.verdict].answer}**",
            numbered(api.audience),
            numbered(api.access),
            numbered(api.token),
            numbered(api.approval),
            numbered(api.limits),
            _cell(source_cell),
            _cell(check_cell(api.id)),
        ]
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def _numbered(facts: list[Fact], cited: list[str], sources: Mapping[str, Source], page: str) -> str:
    def ref(source_id: str, as_of: datetime.date | None, stated: str | None) -> str:
        dated = f" ({version_date(as_of, stated)})" if as_of else ""
        return f"[[{cited.index(source_id) + 1}]]({href(sources[source_id], page)}){dated}"

    return _cell("<br>".join(text for _, text in _fact_lines(facts, ref))) or NOT_STATED


def _row_citations(api: Assessment) -> list[Fact | Earlier]:
    facts = [*api.audience, *api.access, *api.token, *api.approval, *api.limits]
    cited: list[Fact | Earlier] = []
    for fact in facts:  # in reading order, so the numbers count up along the row
        cited.extend((fact, *fact.history))
    return cited


OURS = "{: .apifit-ours }"
"""Marks a block as our own words, not a claim about the platform (tests/test_site_attribution)."""


def _ours(markdown: str) -> str:
    return f"{markdown}\n{OURS}"


def assessment_card(
    api: Assessment, sources: Mapping[str, Source], check_cell: CheckCell, page: str
) -> str:
    """The verdict as an admonition, the facts behind it as a two-column table, then the checks.

    Questions our sources are silent on are named after the table rather than given a row, so
    every row of the table is a sourced claim.
    """
    style = _VERDICTS[api.verdict]
    questions = [
        ("Who it is for", api.audience),
        ("Access route", api.access),
        ("Token", api.token),
        ("Approval time", api.approval),
        ("Limits", api.limits),
    ]
    rows = [f"| {q} | {_facts_cell(sources, facts, page)} |" for q, facts in questions if facts]
    table = "\n".join(["| Question | Answer |", "|---|---|", *rows])
    reasons = _indent(_bullets(sources, api.reason, page))
    parts = [f'!!! {style.admonition} "{api.name}: {style.wording}"\n\n{reasons}', table]
    silent = [q.lower() for q, facts in questions if not facts]
    if silent:
        parts.append(_ours(f"{NOT_STATED.capitalize()}: {', '.join(silent)}."))
    parts.append(_ours(f"**Checks:** {check_cell(api.id)}"))
    return "\n\n".join(parts) + "\n"


def terms_clause(terms: TermsDocument, sources: Mapping[str, Source], note: str = "") -> str:
    """The clause quoted verbatim and whole (its lead first), with the document and section it
    comes from; the id lets every other mention link to this one quote."""
    source = sources[terms.source]
    # The items of the list between the lead and the clause are left out, and say so.
    words = f"{terms.lead} ... {terms.clause}" if terms.lead else terms.clause
    # One paragraph, so the quote and its source read (and are judged) as one statement.
    body = f'"{words}"<br>\n— [{terms.name}]({source.url}), section {terms.section}.'
    title = f"{terms.name}, section {terms.section}{note}".replace('"', "'")
    quote = f'!!! quote "{title}"\n\n{_indent(body)}'
    return f'<div id="clause-{terms.id}" markdown>\n\n{quote}\n\n</div>\n'


def _option_row(
    option: Option, apis: Mapping[str, Assessment], sources: Mapping[str, Source], page: str
) -> str:
    if option.api is None:
        assessed = "no API to assess"
    else:
        api = apis[option.api]
        assessed = f"[{api.name}]({_relative(api.page, page)}): {verdict_label(api.verdict)}"
    why = _facts_cell(sources, option.reason, page)
    return f"| {_cell(option.title)} | {assessed} | {option.outcome.value} | {why} |"


def _review_flag(statuses: Mapping[str, PremiseStatus]) -> str:
    failed = [check_id for check_id, status in statuses.items() if status.failed]
    if not failed:
        return ""
    names = ", ".join(f"`{check_id}`" for check_id in failed)
    body = f"A premise of this record no longer holds: {names} failed. Review the decision."
    return f'!!! danger "Needs re-review"\n\n{_indent(body)}\n'


def review_flag(record: DecisionRecord, premise_status: PremiseStatusOf) -> str:
    """The re-review warning of a record when one of its premise checks failed, else nothing."""
    return _review_flag({check_id: premise_status(check_id) for check_id in record.premises})


def decision_record(
    record: DecisionRecord,
    catalog: Catalog,
    premise_status: PremiseStatusOf,
    page: str,
) -> str:
    """A decision record as a whole page body: title, re-review flag when a premise check
    failed, status, then context, options, decision, consequences and premises."""
    sources = catalog.sources
    statuses = {check_id: premise_status(check_id) for check_id in record.premises}
    parts = [f"# ADR {record.id}: {record.title}"]
    flag = _review_flag(statuses)
    if flag:
        parts.append(flag)
    links = (
        f"Supersedes: {record.supersedes or 'none'}. "
        f"Superseded by: {record.superseded_by or 'none'}."
    )
    if record.reviews:
        last = record.reviews[-1]
        links += f" Last re-reviewed: {last.date.isoformat()} ({last.outcome}), see below."
    status = f"Status: {record.status.value}, {record.date.isoformat()}"
    body = _indent(_ours(links))
    parts.append(f'!!! {_STATUS_ADMONITION[record.status]} "{status}"\n\n{body}')
    parts.append(f"## Context\n\n{_bullets(sources, record.context, page)}")
    options = [
        "| Option | Assessment | Outcome | Why |",
        "|---|---|---|---|",
        *(_option_row(o, catalog.assessments, sources, page) for o in record.options),
    ]
    parts.append("## Options considered\n\n" + "\n".join(options))
    parts.append(f"## Decision\n\n{_bullets(sources, record.decision, page)}")
    consequences = "\n".join(f"- {c}" for c in record.consequences)
    ours = f'<div class="apifit-ours" markdown>\n\n{consequences}\n\n</div>'
    parts.append(f"## Consequences\n\n{ours}")
    premises = [
        "| Check | Status |",
        "|---|---|",
        *(f"| `{check_id}` | {_cell(s.text)} |" for check_id, s in statuses.items()),
    ]
    intro = _ours("The checks this decision rests on:")
    parts.append(f"## Premises\n\n{intro}\n\n" + "\n".join(premises))
    if record.reviews:
        parts.append(_reviews(record, sources, page))
    return "\n\n".join(parts) + "\n"


def _reviews(record: DecisionRecord, sources: Mapping[str, Source], page: str) -> str:
    """The record's re-reviews, oldest first, like the change log at the end of a record."""
    sections = ["## Re-reviews"]
    for review in record.reviews:
        # An explicit id: the slug of a date-first heading would start with a digit, which
        # HTML ids may not (html-validate's valid-id).
        day = review.date.isoformat()
        heading = f"### {day}: {review.outcome} {{ #review-{day} }}"
        changes = _bullets(sources, review.changes, page)
        intro = _ours("Evidence that changed since the report this record rests on:")
        sections.append(f"{heading}\n\n{intro}\n\n{changes}")
    return "\n\n".join(sections)


def _lookup(index: Mapping[str, T], key: str, page: Path, macro: str, kind: str) -> T:
    if key not in index:
        known = ", ".join(sorted(index)) or "none defined"
        raise InputError(
            page, f'{macro}("{key}")', f"unknown {kind} id '{key}'", fix=f"use one of: {known}"
        )
    return index[key]


@dataclass
class AssessmentMacros:
    """The page macros, bound to one site's catalog and to the seams check results come in by."""

    catalog: Catalog
    docs_dir: Path
    current_page: Callable[[], str]  # docs-relative path of the page being rendered
    check_cell: CheckCell = no_check_recorded
    premise_status: PremiseStatusOf = no_premise_recorded

    def _find(self, index: Mapping[str, T], key: str, macro: str, kind: str) -> T:
        return _lookup(index, key, self.docs_dir / self.current_page(), macro, kind)

    def verdict_matrix(self, platform: str) -> str:
        """`{{ verdict_matrix("tiktok") }}`: the matrix of one platform's APIs."""
        found = self._find(self.catalog.platforms, platform, "verdict_matrix", "platform")
        return verdict_matrix(
            found.apis, self.catalog.sources, self.check_cell, self.current_page()
        )

    def assessment(self, api_id: str) -> str:
        """`{{ assessment("research") }}`: one API's verdict and facts."""
        api = self._find(self.catalog.assessments, api_id, "assessment", "assessment")
        return assessment_card(api, self.catalog.sources, self.check_cell, self.current_page())

    def decision_record(self, record_id: str) -> str:
        """`{{ decision_record("0001") }}`: a decision record with its premises."""
        record = self._find(self.catalog.decisions, record_id, "decision_record", "record")
        return decision_record(record, self.catalog, self.premise_status, self.current_page())

    def review_flag(self, record_id: str) -> str:
        """`{{ review_flag("0001") }}`: a warning where a decision is quoted, if it needs review."""
        record = self._find(self.catalog.decisions, record_id, "review_flag", "record")
        return review_flag(record, self.premise_status)

    def cite(self, source_id: str, as_of: str | None = None, stated: str | None = None) -> str:
        """`{{ cite("research-faq") }}`: an inline citation of a source defined in the data;
        `{{ cite("tos", "2026-07-15") }}` also names the date of the version checked, and
        `{{ cite("developer-terms", "2026-03-01", "2025-12-26") }}` the date it states."""
        source = self._find(self.catalog.sources, source_id, "cite", "source")
        page = self.docs_dir / self.current_page()
        where = f'cite("{source_id}", "{as_of}")'
        try:
            date = None if as_of is None else datetime.date.fromisoformat(as_of)
        except ValueError:
            raise InputError(page, where, "not a date", fix="write it as YYYY-MM-DD") from None
        pins, copies = self.catalog.pins, source.copies
        version = None
        if pins is not None and copies.archive is not None:
            version = pinned_version(pins, copies.archive, copies.commit)
        wrong = None if version is None else misdated(version, date, stated)
        if wrong is not None:
            raise InputError(page, where, wrong[0], fix=wrong[1])
        return cite(self.catalog.sources, source_id, self.current_page(), date, stated)
