"""Citations that prove themselves: every exact quote is looked up in what its source holds.

A source's words are held by its `copies` (apifit.evidence.assessments.Copies): pinned versions
of an archived document, the recordings of a check, or parts of the evidence files beside the
project (`../shared`). Quotes and copies are compared as a reader sees them (`pagetext.normalise`:
typographic quotes, dashes and spaces do not count). A quote that only an older pinned version
holds is reported with the source to cite instead; a source with nothing to check against cannot
carry a quote. The module also finds fragments of a clause quoted without the whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel

from apifit.checks import pagetext
from apifit.checks.cassettes import cassette_path
from apifit.checks.schema import Check
from apifit.evidence.archive import Archive, Document, Version
from apifit.evidence.assessments import Catalog, Copies, Earlier, Fact, Source, TermsDocument

SHARED_ENV = "APIFIT_SHARED"
DEFAULT_SHARED = Path("..") / "shared"
MIN_WORDS = 3  # "Research Tools" names a product; three words or more quote what a page says

# A straight-quoted span may hold typographic quotes ("automated “bots,” except"), and the
# other way round, so each kind is matched on its own.
_QUOTED = (re.compile(r'"([^"\n]+)"'), re.compile(r"“([^“”\n]+)”"))
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_EDGE = ' \t.,;:!?()"'  # a block quote keeps its quotation marks
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def quotes_in(text: str) -> list[str]:
    """The exact quotes in `text`: spans in quotation marks of at least MIN_WORDS words."""
    found = [m.group(1) for pattern in _QUOTED for m in pattern.finditer(text)]
    long = [q for q in found if len(q.split()) >= MIN_WORDS]
    # A term the quoted text itself quotes ("(“TikTok Commercial Technology”)") is part of it.
    return [q for q in long if not any(q != other and q in other for other in long)]


def _parts(quote: str) -> list[str]:
    """A quote's runs of words: an ellipsis marks words left out, edge punctuation is ours."""
    runs = (pagetext.normalise(part).strip(_EDGE) for part in _ELLIPSIS.split(quote))
    return [run for run in runs if run]


def holds(text: str, quote: str) -> bool:
    """Whether normalised `text` holds `quote`, its runs in order around any ellipsis."""
    at = 0
    for run in _parts(quote):
        found = text.find(run, at)
        if found < 0:
            return False
        at = found + len(run)
    return True


@dataclass(frozen=True)
class Witness:
    """One text a source's words can be found in, normalised, and what it is."""

    name: str
    text: str


@dataclass(frozen=True)
class Problem:
    """A citation that does not prove itself: where, what, and how to fix it."""

    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem} ({self.fix})"


def _excerpt(text: str, start: str | None, end: str | None, name: str) -> str:
    begin = 0 if start is None else text.find(start)
    if begin < 0:
        raise LookupError(f"{name}: the phrase {start!r} that starts the excerpt is not in it")
    stop = len(text) if end is None else text.find(end, begin)
    if stop < 0:
        raise LookupError(f"{name}: the phrase {end!r} that ends the excerpt is not in it")
    return text[begin:stop]


def _recorded_text(path: Path) -> str:
    """The answers a check's cassette holds (their bodies), or nothing before it is recorded."""
    if not path.is_file():
        return ""
    data = yaml.safe_load(path.read_text()) or {}
    bodies = (
        str((i.get("response") or {}).get("body", {}).get("string", ""))
        for i in data.get("interactions") or []
    )
    return "\n".join(bodies)


@dataclass
class Library:
    """Everything the site's quotes can be checked against, read once."""

    catalog: Catalog
    archive: Archive | None
    shared: Path
    cassettes: Path
    checks: Mapping[str, Check] = field(default_factory=dict)
    _files: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def _file(self, name: str) -> str:
        if name not in self._files:
            path = self.shared / name
            if not path.is_file():
                raise LookupError(f"{path}: evidence file not found (set {SHARED_ENV})")
            self._files[name] = path.read_text()
        return self._files[name]

    def _document(self, document_id: str) -> Document:
        if self.archive is None or document_id not in self.archive.pins.documents:
            raise LookupError(f"archive document '{document_id}' is not pinned")
        return self.archive.pins.documents[document_id]

    def version(self, copies: Copies) -> Version | None:
        """The pinned version a source stands for: its `commit`, else the newest."""
        if copies.archive is None:
            return None
        doc = self._document(copies.archive)
        if copies.commit is None:
            return doc.newest
        for version in doc.versions:
            if version.commit == copies.commit:
                return version
        raise LookupError(f"{copies.archive}: no pinned version {copies.commit[:7]}")

    def version_text(self, document_id: str, version: Version) -> str:
        assert self.archive is not None  # version() found the document
        copy = next(c for c in self.archive.copies[document_id] if c.version == version)
        return copy.page.text

    def witnesses(self, source_id: str) -> list[Witness]:
        """The texts that hold what source `source_id` says (none: it verifies nothing)."""
        copies = self.catalog.sources[source_id].copies
        found: list[Witness] = []
        version = self.version(copies)
        if version is not None and copies.archive is not None:
            text = self.version_text(copies.archive, version)
            found.append(Witness(f"{copies.archive} version {version.stated!r}", text))
        if copies.check is not None:
            recorded = _recorded_text(cassette_path(self.cassettes, copies.check))
            if recorded:
                found.append(Witness(f"recording of {copies.check}", pagetext.normalise(recorded)))
        for part in copies.excerpts:
            text = _excerpt(self._file(part.file), part.start, part.end, part.file)
            found.append(Witness(part.file, pagetext.read_markdown(text).text))
        return found

    def check_witnesses(self, check_id: str) -> list[Witness]:
        """What a check's badge stands for: its recording, and the archived copy it is judged on."""
        check = self.checks.get(check_id)
        if check is None:
            return []
        found = []
        if check.archive is not None:
            newest = self._document(check.archive).newest
            text = self.version_text(check.archive, newest)
            found.append(Witness(f"{check.archive} (newest)", text))
        recorded = _recorded_text(cassette_path(self.cassettes, check.id))
        if recorded:
            found.append(Witness(f"recording of {check.id}", pagetext.normalise(recorded)))
        # A claim quotes the page the check reads, which the sources at that URL hold.
        for key, source in self.catalog.sources.items():
            if check.source is not None and source.url == check.source:
                found.extend(self.witnesses(key))
        return found

    def archived_holders(self, copies: Copies, quote: str) -> list[Version]:
        """The other pinned versions of the source's document that hold `quote`."""
        if copies.archive is None or self.archive is None:
            return []
        own = self.version(copies)
        return [
            c.version
            for c in self.archive.copies[copies.archive]
            if c.version != own and holds(c.page.text, quote)
        ]

    def sources_for(self, document_id: str, version: Version) -> list[str]:
        """The ids of the sources that stand for one pinned version."""
        newest = self._document(document_id).newest
        return [
            key
            for key, source in self.catalog.sources.items()
            if source.copies.archive == document_id
            and (source.copies.commit or newest.commit) == version.commit
        ]


def verify(quote: str, source_id: str, library: Library, where: str) -> Problem | None:
    """Whether `source_id` holds `quote`; if not, what to cite instead."""
    return verify_any(quote, [source_id], library, where)


def verify_any(
    quote: str, source_ids: Iterable[str], library: Library, where: str
) -> Problem | None:
    """Whether one of the cited sources holds `quote` (a page's block may cite several)."""
    cited = list(dict.fromkeys(source_ids))
    witnesses = [w for key in cited for w in library.witnesses(key)]
    if any(holds(w.text, quote) for w in witnesses):
        return None
    shown = f'"{quote}"'
    names = ", ".join(cited) or "no source"
    for key in cited:
        copies = library.catalog.sources[key].copies
        older = library.archived_holders(copies, quote)
        if older and copies.archive is not None:
            version = older[-1]
            instead = library.sources_for(copies.archive, version) or [
                f"a source with copies {{archive: {copies.archive}, commit: {version.commit}}}"
            ]
            return Problem(
                where,
                f"{shown} is not in the version {key} stands for; only {version.stated!r} "
                f"(recorded {version.recorded.isoformat()}) holds it",
                f"cite the archived version: {', '.join(instead)}",
            )
    if not witnesses:
        return Problem(
            where,
            f"{shown} cites {names}, which has no pinned copy, recording or evidence file",
            "cite a source whose copy holds it, or one that says what it rests on "
            '("as a third party quoted it on DATE")',
        )
    seen = ", ".join(w.name for w in witnesses)
    return Problem(
        where,
        f"{shown} is not in what {names} holds ({seen})",
        "quote the words exactly, or cite the source that holds them",
    )


def _period_problem(earlier: Earlier, library: Library, where: str) -> Problem | None:
    """A period's years must come from a source: the earlier copy, or the archive's versions."""
    copies = library.catalog.sources[earlier.source].copies
    known = " ".join(w.text for w in library.witnesses(earlier.source))
    if copies.archive is not None and library.archive is not None:
        doc = library.archive.pins.documents[copies.archive]
        known += " ".join(f" {v.stated} {v.recorded.isoformat()}" for v in doc.versions)
    missing = [year for year in _YEAR.findall(earlier.period) if year not in known]
    if not missing:
        return None
    return Problem(
        where,
        f"the period {earlier.period!r} names {', '.join(missing)}, which no copy of "
        f"{earlier.source} gives",
        "state the period as the source gives it, or say the date is not recorded",
    )


def _earlier_problems(earlier: Earlier, library: Library, where: str) -> Iterator[Problem]:
    if not library.witnesses(earlier.source):
        yield Problem(
            where,
            f"earlier wording cites {earlier.source}, which holds no copy of it",
            "cite an archived copy or a dated source that holds it, or remove it",
        )
        return
    period = _period_problem(earlier, library, where)
    if period is not None:
        yield period


def _citations(node: object, where: str) -> Iterator[tuple[str, Fact | Earlier]]:
    if isinstance(node, Fact):
        yield where, node
        for index, earlier in enumerate(node.history):
            yield f"{where}.history[{index}]", earlier
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _citations(item, f"{where}[{index}]")
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _citations(getattr(node, name), f"{where}.{name}" if where else name)


def data_problems(library: Library) -> list[Problem]:
    """Every quote and earlier wording of the assessments that does not prove itself (dates are
    checked when the assessments load, `assessments.load_catalog`)."""
    found: list[Problem] = []
    for key, platform in library.catalog.platforms.items():
        for where, cited in _citations(platform, ""):
            at = f"assessments/{key}.yml: {where}"
            for quote in quotes_in(cited.text):
                found.extend(p for p in [verify(quote, cited.source, library, at)] if p)
            if isinstance(cited, Earlier):
                found.extend(_earlier_problems(cited, library, at))
        for index, terms in enumerate(platform.terms):
            at = f"assessments/{key}.yml: terms[{index}]"
            found.extend(p for p in [verify(whole(terms), terms.source, library, at)] if p)
    return found


def whole(terms: TermsDocument) -> str:
    """A clause as quoted whole: its lead, an ellipsis for the list items between, the clause."""
    return f"{terms.lead} ... {terms.clause}" if terms.lead else terms.clause


def fragment_of(quote: str, clauses: Iterable[TermsDocument]) -> TermsDocument | None:
    """The pinned clause `quote` is a part of but not the whole of, if any."""
    runs = _parts(quote)
    for terms in clauses:
        text = pagetext.normalise(" ".join(_parts(whole(terms))))
        if runs and holds(text, quote) and runs != _parts(whole(terms)):
            return terms
    return None


def clause_anchor(terms: TermsDocument) -> str:
    """The id of the element that quotes a clause whole, for links from everywhere else."""
    return f"clause-{terms.id}"


def shared_dir(root: Path) -> Path:
    """Where the evidence beside the project is: APIFIT_SHARED, else ../shared."""
    return root / os.environ.get(SHARED_ENV, str(DEFAULT_SHARED))


def source_ids_by_url(sources: Mapping[str, Source]) -> dict[str, list[str]]:
    """The sources behind each URL (a page and a third party's quote of it share one)."""
    found: dict[str, list[str]] = {}
    for key, source in sources.items():
        if source.url is not None:
            found.setdefault(source.url, []).append(key)
    return found
