"""Markdown for the assessment macros: verdict matrix, API cards, terms clauses, decision records.

Check results belong to another part of apifit. They come in through injected callables
(`CheckCell`, `PremiseStatusOf`), so this module renders without knowing how checks run, and
says plainly that nothing is recorded until real results are wired in.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeVar

from apifit.errors import InputError, UnknownIdError
from apifit.evidence.assessments import (
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
from apifit.evidence.dating import misdated, pinned_version
from apifit.site.citations import Citations, relative

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


StatusSummary = Callable[[Sequence[str]], str]
"""Markdown for how a set of checks (named by id) stands, in one line."""


def no_status_recorded(check_ids: Sequence[str]) -> str:
    """The summary until check results are wired in."""
    return f"{len(check_ids)} of {len(check_ids)} {NOT_RECORDED}"


class _Style(NamedTuple):
    admonition: str  # its colour carries the answer at a glance
    wording: str  # on the API's card
    answer: str  # in the matrix's "Fits our product?" column


_VERDICTS = {
    Verdict.FITS: _Style("success", "fits our product", "Yes"),
    Verdict.DOES_NOT_FIT: _Style("failure", "does not fit our product", "No: does not fit"),
    Verdict.OUT_OF_SCOPE: _Style("info", "out of scope for our product", "No: out of scope"),
    Verdict.NOT_ASSESSED: _Style("note", "not assessed yet", "Not assessed yet"),
}
_STATUS_ADMONITION = {
    RecordStatus.PROPOSED: "question",
    RecordStatus.ACCEPTED: "success",
    RecordStatus.SUPERSEDED: "warning",
}


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")


def _indent(markdown: str, depth: int = 1) -> str:
    """Indent a block so that it becomes the body of an admonition or list item."""
    pad = "    " * depth
    return "\n".join(f"{pad}{line}" if line else "" for line in markdown.splitlines())


# How a statement cites its source: from the source id and the date of the version, if known.
# The third argument is the date the version states, when it differs (apifit.evidence.dating).
Ref = Callable[[str, datetime.date | None, str | None], str]


def earlier_title(earlier: Earlier) -> str:
    """The summary of a closed block of earlier wording, naming its period."""
    return f"Earlier wording: {earlier.period}"


def _earlier_block(earlier: Earlier, ref: Ref) -> str:
    """Earlier wording, closed until a reader opens it (pymdownx.details)."""
    body = f"{earlier.text}{ref(earlier.source, None, None)}"
    return f'??? note "{earlier_title(earlier)}"\n\n{_indent(body)}'


def _bullets(facts: Iterable[Fact], ref: Ref) -> str:
    """One list item per fact; its earlier wordings are closed blocks under it."""
    items = []
    for fact in facts:
        item = f"- {fact.text}{ref(fact.source, fact.as_of, fact.stated)}"
        for earlier in fact.history:
            item += "\n\n" + _indent(_earlier_block(earlier, ref))
        items.append(item)
    # A blank line between items once any holds a block, as Markdown's loose lists need.
    joiner = "\n\n" if any(fact.history for fact in facts) else "\n"
    return joiner.join(items)


def _short_cell(facts: list[Fact], ref: Ref) -> str:
    """Today's facts of one question, in their short form; earlier wording stays on the API page.

    When some facts of the question have a `short` form, only those are shown: the rest are
    details for the API's page.
    """
    shown = [f for f in facts if f.short] or facts
    lines = [f"{f.short or f.text}{ref(f.source, f.as_of, f.stated)}" for f in shown]
    return _cell("<br>".join(lines) or NOT_STATED)


def verdict_label(verdict: Verdict) -> str:
    """How a verdict reads in a sentence: "does not fit our product"."""
    return _VERDICTS[verdict].wording


MATRIX_CLASS = "apifit-matrix"


def verdict_matrix(apis: Iterable[Assessment], ref: Ref, check_cell: CheckCell, page: str) -> str:
    """One row per API: the answer, why, who it is for, how to get in, and what backs it.

    One short phrase per cell, today's facts only: the full facts and their earlier wordings
    are on the API's page (its card), linked from the first cell.
    """
    rows = [
        "| API | Fits our product? | Why | Who it is for | Access route | Approval time | Checks |",
        "|---|---|---|---|---|---|---|",
    ]
    for api in apis:
        cells = [
            f"[{api.name}]({relative(api.page, page)})",
            f"**{_VERDICTS[api.verdict].answer}**",
            _short_cell(api.reason, ref),
            _short_cell(api.audience, ref),
            _short_cell(api.access, ref),
            _short_cell(api.approval, ref),
            _cell(check_cell(api.id)),
        ]
        rows.append(f"| {' | '.join(cells)} |")
    # A wrapper with a class, so the stylesheet and the layout tests can find the matrix.
    table = "\n".join(rows)
    return f'<div class="{MATRIX_CLASS}" markdown>\n\n{table}\n\n</div>'


OURS = "{: .apifit-ours }"
"""Marks a block as our own words, not a claim about the platform (tests/test_site_attribution)."""


def _ours(markdown: str) -> str:
    return f"{markdown}\n{OURS}"


def assessment_card(api: Assessment, ref: Ref, check_cell: CheckCell, page: str) -> str:
    """A summary box (the verdict, why in short, what would change it), then the details: the
    facts behind it, question by question, earlier wordings closed, then the checks.

    Questions our sources are silent on are named at the end rather than given an empty list.
    """
    style = _VERDICTS[api.verdict]
    why = " ".join(f"{f.short or f.text}{ref(f.source, f.as_of, f.stated)}" for f in api.reason)
    summary = [why]
    if api.would_change:
        summary.append(_ours(f"**What would change it:** {api.would_change}"))
    box = f'!!! {style.admonition} "{api.name}: {style.wording}"\n\n' + _indent(
        "\n\n".join(summary)
    )
    questions = [
        ("Why", api.reason),
        ("Who it is for", api.audience),
        ("Access route", api.access),
        ("Token", api.token),
        ("Approval time", api.approval),
        ("Limits", api.limits),
    ]
    # A list per question, not a table: a cell holding several facts in full grows past what a
    # reader scans, and each fact keeps its earlier wordings closed under it.
    parts = [box]
    for question, facts in questions:
        if facts:
            parts.append(f"{_ours(f'**{question}**')}\n\n{_bullets(facts, ref)}")
    silent = [q.lower() for q, facts in questions if not facts]
    if silent:
        parts.append(_ours(f"{NOT_STATED.capitalize()}: {', '.join(silent)}."))
    parts.append(_ours(f"**Checks:** {check_cell(api.id)}"))
    return "\n\n".join(parts) + "\n"


def terms_clause(terms: TermsDocument, sources: Mapping[str, Source], note: str = "") -> str:
    """The clause quoted verbatim and whole (its lead first) as a block quote, with the document
    and section it comes from (and `note`, how it bears on another clause); the id lets every
    other mention link to this one quote."""
    source = sources[terms.source]
    # The items of the list between the lead and the clause are left out, and say so.
    words = f"{terms.lead} ... {terms.clause}" if terms.lead else terms.clause
    # One paragraph, so the quote and its source read (and are judged) as one statement.
    quote = f'> "{words}"<br>\n> — [{terms.name}]({source.url}), section {terms.section}{note}.'
    return f'<div id="clause-{terms.id}" markdown>\n\n{quote}\n\n</div>\n'


def _option(option: Option, apis: Mapping[str, Assessment], ref: Ref, page: str) -> str:
    """One option: its outcome and assessment in our words, then its reasons, each cited."""
    if option.api is None:
        assessed = "No API to assess."
    else:
        api = apis[option.api]
        assessed = f"[{api.name}]({relative(api.page, page)}): {verdict_label(api.verdict)}."
    heading = f"### {option.title}: {option.outcome.value}"
    return f"{heading}\n\n{_ours(assessed)}\n\n{_bullets(option.reason, ref)}"


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
    ref: Ref,
    page: str,
) -> str:
    """A decision record as a whole page body, its answer first: title, re-review flag when a
    premise check failed, status, the decision, then context, options, consequences, premises
    and re-reviews (as MADR puts the outcome near the top)."""
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
    parts.append(f"## Decision\n\n{_bullets(record.decision, ref)}")
    parts.append(f"## Context\n\n{_bullets(record.context, ref)}")
    options = (_option(o, catalog.assessments, ref, page) for o in record.options)
    parts.append("## Options considered\n\n" + "\n\n".join(options))
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
        parts.append(_reviews(record, ref))
    return "\n\n".join(parts) + "\n"


def _reviews(record: DecisionRecord, ref: Ref) -> str:
    """The record's re-reviews, oldest first, like the change log at the end of a record."""
    sections = ["## Re-reviews"]
    for review in record.reviews:
        # An explicit id: the slug of a date-first heading would start with a digit, which
        # HTML ids may not (html-validate's valid-id).
        day = review.date.isoformat()
        heading = f"### {day}: {review.outcome} {{ #review-{day} }}"
        changes = _bullets(review.changes, ref)
        intro = _ours("Evidence that changed since the report this record rests on:")
        sections.append(f"{heading}\n\n{intro}\n\n{changes}")
    return "\n\n".join(sections)


def _lookup(index: Mapping[str, T], key: str, page: Path, macro: str, kind: str) -> T:
    if key not in index:
        raise UnknownIdError(page, f'{macro}("{key}")', kind, key, index)
    return index[key]


@dataclass
class AssessmentMacros:
    """The page macros, bound to one site's catalog and to the seams check results come in by.

    `archived` maps a source id to the list of its archived versions, for the sources lists.
    """

    catalog: Catalog
    docs_dir: Path
    current_page: Callable[[], str]  # docs-relative path of the page being rendered
    check_cell: CheckCell = no_check_recorded
    premise_status: PremiseStatusOf = no_premise_recorded
    status_summary: StatusSummary = no_status_recorded
    archived: Mapping[str, str] = field(default_factory=dict)
    citations: Citations = field(init=False)

    def __post_init__(self) -> None:
        self.citations = Citations(self.catalog.sources, self.archived)

    def _find(self, index: Mapping[str, T], key: str, macro: str, kind: str) -> T:
        return _lookup(index, key, self.docs_dir / self.current_page(), macro, kind)

    def _ref(self) -> Ref:
        page = self.current_page()
        return lambda source_id, as_of, stated: self.citations.reference(
            source_id, page, as_of, stated
        )

    def verdict_matrix(self, platform: str) -> str:
        """`{{ verdict_matrix("tiktok") }}`: the matrix of one platform's APIs."""
        found = self._find(self.catalog.platforms, platform, "verdict_matrix", "platform")
        return verdict_matrix(found.apis, self._ref(), self.check_cell, self.current_page())

    def assessment(self, api_id: str) -> str:
        """`{{ assessment("research") }}`: one API's verdict and facts."""
        api = self._find(self.catalog.assessments, api_id, "assessment", "assessment")
        return assessment_card(api, self._ref(), self.check_cell, self.current_page())

    def decision_record(self, record_id: str) -> str:
        """`{{ decision_record("0001") }}`: a decision record with its premises."""
        record = self._find(self.catalog.decisions, record_id, "decision_record", "record")
        return decision_record(
            record, self.catalog, self.premise_status, self._ref(), self.current_page()
        )

    def review_flag(self, record_id: str) -> str:
        """`{{ review_flag("0001") }}`: a warning where a decision is quoted, if it needs review."""
        record = self._find(self.catalog.decisions, record_id, "review_flag", "record")
        return review_flag(record, self.premise_status)

    def premises_summary(self, record_id: str) -> str:
        """`{{ premises_summary("0001") }}`: how a record's premise checks stand, in one line."""
        record = self._find(self.catalog.decisions, record_id, "premises_summary", "record")
        return self.status_summary(record.premises)

    def cite(self, source_id: str, as_of: str | None = None, stated: str | None = None) -> str:
        """`{{ cite("research-faq") }}`: a numbered reference to a source defined in the data;
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
        return self.citations.reference(source_id, self.current_page(), date, stated)
