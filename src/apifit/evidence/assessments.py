"""Fit assessments: the schema of `assessments/<platform>.yml`, its loading and its catalog.

One file per platform holds the sources cited, each API's assessment, the terms documents and
the decision records resting on them. The home matrix, the API pages and the decision records
are all rendered from this validated data, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from apifit.data.yamlio import Loc, WebUrl, field_name, line_for, read_yaml, validation_error
from apifit.errors import InputError, InputErrors
from apifit.evidence.archive import Pins
from apifit.evidence.dating import misdated, pinned_version

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
T = TypeVar("T")
Url = Annotated[WebUrl, StringConstraints(pattern=r"^https://\S+$")]


class Verdict(StrEnum):
    """Whether an API serves our product: a closed set, so pages and matrix speak alike."""

    FITS = "fits"
    DOES_NOT_FIT = "does-not-fit"
    OUT_OF_SCOPE = "out-of-scope"
    # A scaffold's verdict until the facts are in: a page must not publish one it lacks.
    NOT_ASSESSED = "not-assessed"


class RecordStatus(StrEnum):
    """Life cycle of a decision record; a superseded record names its successor."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


class Outcome(StrEnum):
    """What a decision record did with an option it considered."""

    CHOSEN = "chosen"
    REJECTED = "rejected"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


DocsPage = Annotated[str, StringConstraints(pattern=r"^[\w./-]+\.md$")]


Commit = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")]


class Excerpt(_Model):
    """Part of a file beside the project (`../shared`) that holds what a source said: a stored
    copy of a page, a captured answer, the report itself. `start` and `end` are phrases of the
    file that bound the part (`end` excluded); without them the whole file counts."""

    file: Annotated[str, StringConstraints(pattern=r"^[\w./-]+$")]
    start: str | None = None
    end: str | None = None


class Copies(_Model):
    """What a source's words can be checked against (`apifit.evidence.quotes`).

    `archive` names a document of archive/pins.yml: its newest pinned version, which stands
    for the live page, or with `commit` that one archived version. `check` names the check
    whose recordings are the source's answers; `excerpts` are parts of evidence files.
    """

    archive: Slug | None = None
    commit: Commit | None = None
    check: Slug | None = None
    excerpts: list[Excerpt] = []


class Source(_Model):
    """A document we cite: `label` is the short text of inline citations.

    A public document has a `url`; a page of this site (a decision record, for what we decided
    ourselves) has a docs-relative `page` instead, so MkDocs validates the link. `copies` say
    what its quotes are verified against; a source without them verifies nothing.
    """

    label: str
    title: str
    url: Url | None = None
    page: DocsPage | None = None
    copies: Copies = Copies()


class Earlier(_Model):
    """Wording a source held before today's, and when: kept so a reader sees what changed."""

    # What follows "Earlier wording: " on the closed block that holds it: "2023-2024 FAQ".
    period: str = Field(min_length=1)
    text: str
    source: Slug


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value


# As ISO, a day or a month ("2026-01" for "Last Revised: January 2026"); YAML reads an unquoted
# day as a date, which is accepted too.
StatedDate = Annotated[
    str, BeforeValidator(_iso), StringConstraints(pattern=r"^\d{4}-\d{2}(-\d{2})?$")
]


class Fact(_Model):
    """One claim in our own words and the id of the source that backs it.

    `as_of` is the date of the source's version the claim was checked against: for an
    archived document the day the archive recorded that version, else the version's own date
    or the day it was read. `stated` is the date the version gives itself when that differs
    ("Last modified: Dec 26, 2025" is `2025-12-26`), so both are shown. `history` holds the
    wording it replaced, newest first.
    `short` is the claim in a few words, for summaries and the home matrix: where some facts of a
    question have one, the matrix shows only those (the API's page shows them all, in full).
    """

    text: str
    source: Slug
    short: str | None = Field(default=None, min_length=1)
    as_of: datetime.date | None = None
    stated: StatedDate | None = None
    history: list[Earlier] = []


Facts = Annotated[list[Fact], Field(min_length=1)]


class Assessment(_Model):
    """One API judged against our product; empty `approval`/`limits` mean the sources are silent.

    `would_change` says, in our own words, what would change the verdict (the page's summary box).
    """

    id: Slug
    name: str
    page: str = Field(pattern=r"^[\w./-]+\.md$")
    verdict: Verdict
    would_change: str = ""
    reason: Facts
    audience: Facts
    access: Facts
    token: Facts
    approval: list[Fact]
    limits: list[Fact]


class TermsDocument(_Model):
    """A terms document and the clause of it our decision rests on, quoted verbatim and whole.

    `lead` is the sentence that introduces a list item and qualifies it ("You may, solely as
    described in ..."); `limited_by` names the terms entries that limit this clause (5.3 of the
    Commercial Terms limits 5.2(e)), shown beside it. `document` names its archived versions
    (archive/pins.yml), from which the clause's history is derived; `replaced_by` names the
    terms entry whose clause took this one's place.
    """

    id: Slug
    name: str
    source: Slug
    section: str
    clause: str
    lead: str | None = None
    document: Slug | None = None
    replaced_by: Slug | None = None
    limited_by: list[Slug] = []


class Option(_Model):
    """An option a decision record considered; `api` names its assessment when there is one."""

    title: str
    api: Slug | None = None
    outcome: Outcome
    reason: Facts


class Review(_Model):
    """A dated re-review of an accepted record: which of its premises' evidence changed, and
    whether the decision still stands (a decision that no longer stands is superseded instead)."""

    date: datetime.date
    outcome: str  # e.g. "decision stands"
    changes: Facts


class DecisionRecord(_Model):
    """An architecture-style decision record; `premises` are the ids of the checks it rests on."""

    id: str = Field(pattern=r"^\d{4}$")
    title: str
    status: RecordStatus
    date: datetime.date
    context: Facts
    options: Annotated[list[Option], Field(min_length=1)]
    decision: Facts
    consequences: Annotated[list[str], Field(min_length=1)]
    premises: Annotated[list[Slug], Field(min_length=1)]
    reviews: list[Review] = []
    supersedes: str | None = None
    superseded_by: str | None = None


class Platform(_Model):
    """Everything assessed for one platform (one `assessments/<platform>.yml`)."""

    name: str
    sources: dict[Slug, Source]
    apis: Annotated[list[Assessment], Field(min_length=1)]
    terms: list[TermsDocument]
    decisions: list[DecisionRecord]


def _citations(node: object, loc: Loc = ()) -> Iterator[tuple[Loc, Fact | Earlier]]:
    """Every fact and earlier wording in `node`, with its location, in file order."""
    if isinstance(node, Earlier):
        yield loc, node
    elif isinstance(node, Fact):
        yield loc, node
        for index, earlier in enumerate(node.history):
            yield (*loc, "history", index), earlier
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _citations(getattr(node, name), (*loc, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _citations(item, (*loc, index))


def _misdated(platform: Platform, pins: Pins) -> Iterator[tuple[Loc, str, str]]:
    """Facts about archived documents not dated by the version checked (apifit.evidence.dating)."""
    for key, source in platform.sources.items():
        copies = source.copies
        if copies.archive is None:
            continue
        if pinned_version(pins, copies.archive, copies.commit) is None:
            problem = f"no pinned version of '{copies.archive}' {copies.commit or ''}".rstrip()
            yield ("sources", key, "copies"), problem, "name a document and commit of the pins"
    for loc, cited in _citations(platform):
        cited_source = platform.sources.get(cited.source)
        if not isinstance(cited, Fact) or cited_source is None:
            continue
        held = cited_source.copies
        if held.archive is None:
            continue
        version = pinned_version(pins, held.archive, held.commit)
        wrong = None if version is None else misdated(version, cited.as_of, cited.stated)
        if wrong is not None:
            yield (*loc, "as_of"), *wrong


def _broken_references(platform: Platform, pins: Pins | None) -> Iterator[tuple[Loc, str, str]]:
    """Yield (location, problem, fix) for every reference the schema alone cannot check."""
    for key, source in platform.sources.items():
        if (source.url is None) == (source.page is None):
            yield ("sources", key), "needs exactly one of url and page", "set one of them"
    if pins is not None:
        yield from _misdated(platform, pins)
    for loc, cited in _citations(platform):
        if cited.source not in platform.sources:
            yield (*loc, "source"), f"unknown source '{cited.source}'", "add it under `sources`"
        if isinstance(cited, Fact) and cited.history and cited.as_of is None:
            problem = "earlier wording without the date of today's"
            yield (*loc, "as_of"), problem, "add the date of the version the text is from"
        if isinstance(cited, Fact) and cited.stated is not None and cited.as_of is None:
            problem = "a stated date without the date of the version checked"
            yield (*loc, "as_of"), problem, "add the date the version was recorded or read"
    terms_ids = {terms.id for terms in platform.terms}
    for index, terms in enumerate(platform.terms):
        if terms.source not in platform.sources:
            problem = f"unknown source '{terms.source}'"
            yield ("terms", index, "source"), problem, "add it under `sources`"
        if terms.replaced_by is not None and terms.replaced_by not in terms_ids:
            problem = f"unknown terms entry '{terms.replaced_by}'"
            yield ("terms", index, "replaced_by"), problem, "name a terms entry id"
        for n, limit in enumerate(terms.limited_by):
            if limit not in terms_ids or limit == terms.id:
                problem = f"unknown terms entry '{limit}'"
                yield ("terms", index, "limited_by", n), problem, "name another terms entry id"
    api_ids = {api.id for api in platform.apis}
    record_ids = {record.id for record in platform.decisions}
    for r, record in enumerate(platform.decisions):
        for o, option in enumerate(record.options):
            if option.api is not None and option.api not in api_ids:
                loc = ("decisions", r, "options", o, "api")
                known = ", ".join(sorted(api_ids))
                yield loc, f"unknown API '{option.api}'", f"use one of: {known}"
        for name in ("supersedes", "superseded_by"):
            target = getattr(record, name)
            if target is not None and target not in record_ids:
                yield ("decisions", r, name), f"unknown record '{target}'", "name a record id"
        for v, review in enumerate(record.reviews):
            if review.date < record.date:
                problem = f"re-review dated before the record ({record.date.isoformat()})"
                yield ("decisions", r, "reviews", v, "date"), problem, "correct the date"
        if (record.status is RecordStatus.SUPERSEDED) != (record.superseded_by is not None):
            yield (
                ("decisions", r, "superseded_by"),
                "must be set exactly when status is 'superseded'",
                "set both or neither",
            )


def _load_platform(path: Path, pins: Pins | None) -> tuple[Platform, dict[Loc, int]]:
    data, lines = read_yaml(path)
    try:
        platform = Platform.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc, lines, model=Platform, data=data) from None
    broken = [
        InputError(path, field_name(loc, data), problem, fix=fix, line=line_for(lines, loc))
        for loc, problem, fix in _broken_references(platform, pins)
    ]
    if broken:
        raise broken[0] if len(broken) == 1 else InputErrors(broken)
    return platform, lines


def load_platform(path: Path, pins: Pins | None = None) -> Platform:
    """Read and validate one assessments file, including its internal references and, given
    the archive's pins, the dates of its facts about archived documents."""
    return _load_platform(path, pins)[0]


def _add(
    index: dict[str, T], key: str, value: T, path: Path, loc: Loc, lines: dict[Loc, int]
) -> None:
    if key in index:
        raise InputError(
            path,
            field_name(loc),
            f"duplicate id '{key}'",
            fix="give each entry its own id across all files",
            line=lines.get(loc),
        )
    index[key] = value


@dataclass
class Catalog:
    """All platforms of a site; ids are unique across them so a page can name any of them."""

    platforms: dict[str, Platform] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    terms: dict[str, TermsDocument] = field(default_factory=dict)
    decisions: dict[str, DecisionRecord] = field(default_factory=dict)
    pins: Pins | None = None
    # Checks name APIs and terms documents alike as their subject, so one namespace for both.
    _subjects: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def add(
        self, key: str, platform: Platform, path: Path, lines: dict[Loc, int] | None = None
    ) -> None:
        """Index a platform loaded from `path`; an id seen before is an error naming `path`
        (and the line, from `lines`)."""
        at = lines or {}
        self.platforms[key] = platform
        for source_id, source in platform.sources.items():
            _add(self.sources, source_id, source, path, ("sources", source_id), at)
        for i, api in enumerate(platform.apis):
            _add(self._subjects, api.id, api.name, path, ("apis", i, "id"), at)
            self.assessments[api.id] = api
        for i, doc in enumerate(platform.terms):
            _add(self._subjects, doc.id, doc.name, path, ("terms", i, "id"), at)
            self.terms[doc.id] = doc
        for i, record in enumerate(platform.decisions):
            _add(self.decisions, record.id, record, path, ("decisions", i, "id"), at)

    def subject_ids(self) -> set[str]:
        """Ids a check may name as its subject: every API and every terms document."""
        return set(self._subjects)


def load_catalog(directory: Path, pins: Pins | None = None) -> Catalog:
    """Load every `*.yml` in `directory` (one per platform, named by the file's stem); with
    `pins`, a fact about an archived document must be dated by the version checked."""
    paths = sorted(directory.glob("*.yml"))
    if not paths:
        raise InputError(directory, "(directory)", "holds no *.yml", fix="add <platform>.yml")
    catalog = Catalog(pins=pins)
    for path in paths:
        platform, lines = _load_platform(path, pins)
        catalog.add(path.stem, platform, path, lines)
    return catalog
