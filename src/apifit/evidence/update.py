"""Find versions of pinned documents newer than their newest pin, and propose them as pins.

The archive's public git history says when a document last changed (GitHub's commits API,
filtered by the document's path). A newer commit is downloaded from its raw URL, measured
(sha256, bytes) and appended to `archive/pins.yml` as text, so the file's comments survive;
the new file is validated before it replaces the old one. The weekly workflow opens a pull
request with it: a person reviews the proposed pin, its stated date included.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from apifit.checks.cassettes import atomic_write
from apifit.data.yamlio import load_model
from apifit.errors import ApifitError
from apifit.evidence.archive import RAW_HOST, Document, Pins, Version, load_pins

GITHUB_API = "https://api.github.com"
GITHUB_RAW = RAW_HOST
_STATED = re.compile(
    r"(?P<label>Last (?:updated|modified|revised|Revised|Updated|Modified)):\s*"
    r"(?P<date>[A-Z][a-z]+\.? (?:\d{1,2}, )?\d{4})"
)


class ArchiveLookupFailed(ApifitError):
    """The archive's history or a version's file could not be read."""


@dataclass(frozen=True)
class Proposal:
    """A newer version of one document, ready to pin."""

    document_id: str
    version: Version


def _newest_commit(
    client: httpx.Client, api: str, pins: Pins, doc: Document
) -> tuple[str, datetime.date]:
    url = f"{api}/repos/{pins.repository}/commits"
    response = client.get(url, params={"path": doc.path, "per_page": "1"})
    try:
        response.raise_for_status()
        newest = response.json()[0]
        sha = str(newest["sha"])
        when = datetime.datetime.fromisoformat(newest["commit"]["committer"]["date"])
    except (httpx.HTTPError, ValueError, LookupError, TypeError) as exc:
        raise ArchiveLookupFailed(f"{url}?path={doc.path}: {type(exc).__name__}: {exc}") from None
    return sha, when.date()


def stated_line(text: str, like: str) -> str:
    """The text's own version line, preferring the label the newest pin uses (`like`)."""
    found = list(_STATED.finditer(text))
    if not found:
        raise ArchiveLookupFailed(f"no 'Last updated/modified/revised' line found (like {like!r})")
    label = like.split(":", 1)[0]
    chosen = next((m for m in found if m.group("label") == label), found[0])
    return f"{chosen.group('label')}: {chosen.group('date')}"


def find_newer(pins: Pins, client: httpx.Client, api: str, raw: str) -> list[Proposal]:
    """One proposal per document whose archive history has a commit newer than its pins."""
    proposals = []
    for doc_id, doc in pins.documents.items():
        sha, recorded = _newest_commit(client, api, pins, doc)
        if sha in {v.commit for v in doc.versions} or recorded < doc.newest.recorded:
            continue
        url = f"{raw}/{pins.repository}/{sha}/{quote(doc.path)}"
        response = client.get(url)
        try:
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise ArchiveLookupFailed(f"{url}: {exc}") from None
        body = response.content
        version = Version(
            commit=sha,
            recorded=recorded,
            stated=stated_line(body.decode("utf-8"), doc.newest.stated),
            url=pins.raw_url(doc, sha),
            sha256=hashlib.sha256(body).hexdigest(),
            bytes=len(body),
            file=f"{doc_id}-{recorded.isoformat()}.md",
        )
        proposals.append(Proposal(doc_id, version))
    return proposals


def _entry(version: Version) -> list[str]:
    return [
        f"      - commit: {version.commit}",
        f"        recorded: {version.recorded.isoformat()}",
        f'        stated: "{version.stated}"',
        f"        url: {version.url}",
        f"        sha256: {version.sha256}",
        f"        bytes: {version.bytes}",
        f"        file: {version.file}",
    ]


def _insert(lines: list[str], doc_id: str, version: Version) -> list[str]:
    """Append a version at the end of one document's block (documents are 2-space keys)."""
    start = lines.index(f"  {doc_id}:")
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"^ {0,2}\S", lines[i])), len(lines)
    )
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[:end] + _entry(version) + lines[end:]


def write_proposals(path: Path, proposals: list[Proposal]) -> None:
    """Add the proposed versions to the pins file; validated before it replaces the old one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for proposal in proposals:
        lines = _insert(lines, proposal.document_id, proposal.version)
    text = "\n".join(lines) + "\n"
    load_model(path, Pins, text)  # never write a file that does not load
    atomic_write(path, text.encode("utf-8"))


def summary(pins: Pins, proposals: list[Proposal]) -> str:
    """Markdown for the pull request: each proposed pin, with its links, to review by eye."""
    if not proposals:
        return "No newer archived version of any pinned document.\n"
    out = [f"Newer versions recorded by {pins.archive}:", ""]
    for p in proposals:
        doc = pins.documents[p.document_id]
        v = p.version
        out.append(
            f'- **{doc.title}**: "{v.stated}", recorded {v.recorded.isoformat()}, '
            f"[{v.commit[:7]}]({pins.blob_url(doc, v)}), sha256 `{v.sha256}`. Check the stated "
            "date and whether the quoted clauses still hold before merging."
        )
    return "\n".join(out) + "\n"


def update(
    path: Path, *, api: str = GITHUB_API, raw: str = GITHUB_RAW
) -> tuple[Pins, list[Proposal]]:
    """Look for newer versions of every pinned document and add them to the pins file."""
    pins = load_pins(path)
    with httpx.Client(
        follow_redirects=True,
        timeout=httpx.Timeout(30.0, connect=10.0),
        headers={"accept": "application/vnd.github+json"},
    ) as client:
        proposals = find_newer(pins, client, api, raw)
    if proposals:
        write_proposals(path, proposals)
    return pins, proposals
