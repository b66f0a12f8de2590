"""Archived copies of terms documents (`archive/pins.yml`): pins, obtaining, judging, history.

A public archive (Open Terms Archive) records every version of a terms document in git. The
pins name the versions we rely on by commit and sha256; their bytes are obtained like the
screenshots (local folder, cache, pinned URL) and verified. A check that names `archive:` is
judged on the newest pinned copy by the same `judge` as a live answer, and a clause's history
is derived from which pinned versions hold its wording, never typed by hand.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Self
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from apifit.checks import pagetext
from apifit.checks.cassettes import Exchange
from apifit.checks.results import ArchivedResult, age_in_days, judge
from apifit.checks.schema import Check
from apifit.data.yamlio import WebUrl as Url
from apifit.data.yamlio import load_model
from apifit.errors import InputError, IntegrityError
from apifit.images.obtain import (
    CACHE_ENV,
    DEFAULT_CACHE,
    PinnedFileMissing,
    http_client,
    obtain,
    resolve_source,
)

PINS_FILE = Path("archive") / "pins.yml"
# Where the archive's git host serves a file's bytes at a commit.
RAW_HOST = "https://raw.githubusercontent.com"
SOURCE_ENV = "APIFIT_TERMS_SOURCE"
DEFAULT_SOURCE = Path("..") / "shared" / "evidence" / "terms"
FETCH_FIX = "point APIFIT_TERMS_SOURCE at a folder with the archived copies, or allow the download"
# How a version line states its date; a month alone ("November 2023") is kept as a month.
_STATED = re.compile(r"(?P<date>(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})|(?:[A-Z][a-z]+ \d{4}))\s*$")
_DAY_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y")

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Commit = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Version(_Strict):
    """One recorded version: `recorded` is the archive's commit date, `stated` the text's own."""

    commit: Commit
    recorded: datetime.date
    stated: Text
    url: Url
    sha256: Sha256
    bytes: Annotated[int, Field(gt=0)]
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.md$")]

    @property
    def stated_date(self) -> str:
        """The date the text gives itself, as ISO (`2026-01-22`, or `2023-11` for a month)."""
        match = _STATED.search(self.stated)
        if match is None:
            return self.stated
        text = match.group("date")
        for fmt in _DAY_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        try:
            return datetime.datetime.strptime(text, "%B %Y").strftime("%Y-%m")
        except ValueError:
            return self.stated


class Document(_Strict):
    """One terms document and the versions of it we pin, oldest first."""

    title: Text
    canonical: Url
    path: Text  # inside the archive's repository, e.g. `TikTok/Terms of Service.md`
    versions: Annotated[tuple[Version, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        dates = [v.recorded for v in self.versions]
        if dates != sorted(dates):
            raise ValueError("versions must be listed oldest first (by `recorded`)")
        return self

    @property
    def newest(self) -> Version:
        return self.versions[-1]


class Pins(_Strict):
    """`archive/pins.yml`: the archive, its git repository, and the pinned documents."""

    archive: Text
    repository: Annotated[str, Field(pattern=r"^[\w.-]+/[\w.-]+$")]
    documents: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")], Document]

    @model_validator(mode="after")
    def _urls_match(self) -> Self:
        # The raw URL is what a build downloads: it must be this document at this commit.
        for doc_id, doc in self.documents.items():
            for version in doc.versions:
                expected = self.raw_url(doc, version.commit)
                if version.url != expected:
                    raise ValueError(
                        f"documents.{doc_id}: version {version.commit[:7]} url is "
                        f"{version.url}, expected {expected}"
                    )
        return self

    def raw_url(self, doc: Document, commit: str) -> str:
        """The document's bytes at `commit`: what a build downloads and a pin must name."""
        return f"{RAW_HOST}/{self.repository}/{commit}/{quote(doc.path)}"

    def blob_url(self, doc: Document, version: Version) -> str:
        """The version's page on GitHub, for readers."""
        return f"https://github.com/{self.repository}/blob/{version.commit}/{quote(doc.path)}"

    def history_url(self, doc: Document) -> str:
        """Every recorded version of the document, newest first."""
        return f"https://github.com/{self.repository}/commits/main/{quote(doc.path)}"


def load_pins(path: Path) -> Pins:
    """Load and validate a pins file; errors name file, line and field."""
    return load_model(path, Pins)


def pinned_documents(root: Path) -> frozenset[str]:
    """The ids of the documents the project at `root` pins (none without a pins file)."""
    path = root / PINS_FILE
    return frozenset(load_pins(path).documents) if path.is_file() else frozenset()


@dataclass(frozen=True)
class Copy:
    """One obtained, verified version of a document."""

    document_id: str
    version: Version
    text: str

    @property
    def page(self) -> pagetext.Page:
        """The copy as a reader sees it (rendered once: `read_markdown` keeps its pages)."""
        return pagetext.read_markdown(self.text)


@dataclass(frozen=True)
class Archive:
    """The pinned documents and their verified copies, by document id, oldest first."""

    pins: Pins
    copies: Mapping[str, tuple[Copy, ...]]
    path: Path

    def document(self, document_id: str, where: str) -> Document:
        try:
            return self.pins.documents[document_id]
        except KeyError:
            known = ", ".join(self.pins.documents)
            raise InputError(
                where, "archive", f"unknown archived document '{document_id}'", fix=f"use {known}"
            ) from None

    def judged(self, check: Check, now: datetime.datetime) -> ArchivedResult | None:
        """The check judged on the newest pinned copy of its document (None without `archive`)."""
        if check.archive is None:
            return None
        doc = self.document(check.archive, f"checks: {check.id}")
        newest = self.copies[check.archive][-1]
        outcome = judge(check, archived_exchange(self.pins, doc, newest))
        recorded = datetime.datetime.combine(newest.version.recorded, datetime.time(), datetime.UTC)
        return ArchivedResult(
            status=outcome.status,
            reason=outcome.reason,
            archive=self.pins.archive,
            title=doc.title,
            stated=newest.version.stated,
            commit=newest.version.commit,
            url=self.pins.blob_url(doc, newest.version),
            recorded_at=recorded,
            age_days=age_in_days(now, recorded),
        )


def archived_exchange(pins: Pins, doc: Document, copy: Copy) -> Exchange:
    """An archived copy as the answer `judge` reads: the raw file, served as Markdown."""
    return Exchange(
        method="GET",
        url=pins.raw_url(doc, copy.version.commit),
        request_headers={},
        request_body=b"",
        status=200,
        reason_phrase="OK",
        headers=httpx.Headers({"content-type": "text/markdown; charset=utf-8"}),
        body=copy.text.encode("utf-8"),
    )


def _read(doc_id: str, version: Version, path: Path) -> Copy:
    text = path.read_bytes().decode("utf-8")
    # The hash already proves the bytes; this proves the pin describes them.
    if version.stated not in text:
        raise IntegrityError(
            f"{version.file}: does not state {version.stated!r} (fix `stated` in {PINS_FILE})"
        )
    return Copy(doc_id, version, text)


def load_archive(root: Path, *, download: bool = True) -> Archive | None:
    """The project's pinned copies, obtained and verified; None when it pins nothing."""
    path = root / PINS_FILE
    if not path.is_file():
        return None
    pins = load_pins(path)
    source = resolve_source(None, root, SOURCE_ENV, DEFAULT_SOURCE)
    cache = root / os.environ.get(CACHE_ENV, str(DEFAULT_CACHE))
    copies: dict[str, tuple[Copy, ...]] = {}

    def get(version: Version, client: httpx.Client | None) -> Path:
        return obtain(version, source=source, cache_dir=cache, client=client, fetch_fix=FETCH_FIX)

    # A client is opened only when a copy is nowhere local: warm builds stay offline.
    client: httpx.Client | None = None
    try:
        for doc_id, doc in pins.documents.items():
            found = []
            for version in doc.versions:
                try:
                    file = get(version, client)
                except PinnedFileMissing:
                    if not download or client is not None:
                        raise
                    client = http_client()
                    file = get(version, client)
                found.append(_read(doc_id, version, file))
            copies[doc_id] = tuple(found)
    finally:
        if client is not None:
            client.close()
    return Archive(pins, copies, path)


@dataclass(frozen=True)
class Holding:
    """Whether one pinned version holds a phrase."""

    version: Version
    url: str
    holds: bool


def holdings(archive: Archive, document_id: str, phrase: str, where: str) -> list[Holding]:
    """Each pinned version of a document, oldest first, and whether it holds `phrase`."""
    doc = archive.document(document_id, where)
    return [
        Holding(
            copy.version,
            archive.pins.blob_url(doc, copy.version),
            copy.page.contains(phrase),
        )
        for copy in archive.copies[document_id]
    ]
