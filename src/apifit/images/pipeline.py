"""One pass over the manifest: every screenshot ends up published-ready or explained as missing."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from apifit.errors import IntegrityError
from apifit.images.derive import Derived, Settings, cached, derive
from apifit.images.manifest import Manifest, Screenshot
from apifit.images.obtain import http_client, obtain


@dataclass(frozen=True)
class Ready:
    """A screenshot whose redacted derivatives are in the cache."""

    shot: Screenshot
    derived: Derived


@dataclass(frozen=True)
class Unavailable:
    """A screenshot that could not be obtained; `problem` is the one-line error with its fix."""

    shot: Screenshot
    problem: str


@dataclass
class ImageSet:
    """The outcome of prepare(): per file, ready or unavailable; and which ones were converted."""

    manifest: Manifest
    items: dict[str, Ready | Unavailable] = field(default_factory=dict)
    converted: list[str] = field(default_factory=list)


def prepare(
    manifest: Manifest,
    *,
    source: Path | None,
    cache_dir: Path,
    settings: Settings,
    download: bool,
    strict: bool,
    own: Path | None = None,
) -> ImageSet:
    """Obtain, redact and derive what the cache lacks; a cache hit touches no original.

    With `download`, what is nowhere local is fetched from its pinned URL; an HTTP client is
    opened only then, since a warm build needs none. With `strict`, the first screenshot that
    cannot be obtained raises; otherwise it is recorded as Unavailable so that a preview can
    show a placeholder instead. `own` is the project's screenshots folder (see `obtain`).
    """
    result = ImageSet(manifest)
    missing = [shot for shot in manifest.screenshots if cached(shot, cache_dir, settings) is None]

    with ExitStack() as stack:
        client = stack.enter_context(http_client()) if download and missing else None

        def work(shot: Screenshot) -> Derived | IntegrityError:
            try:
                original = obtain(shot, source=source, cache_dir=cache_dir, client=client, own=own)
                return derive(shot, original, cache_dir, settings)
            except IntegrityError as exc:
                return exc

        # Pillow releases the GIL while resizing and encoding, so threads use every core.
        with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            made = dict(zip([s.file for s in missing], pool.map(work, missing), strict=True))
    for shot in manifest.screenshots:
        outcome = made.get(shot.file) or cached(shot, cache_dir, settings)
        if isinstance(outcome, IntegrityError):
            if strict:
                raise outcome
            result.items[shot.file] = Unavailable(shot, str(outcome))
            continue
        assert outcome is not None, "every screenshot is either made now or already cached"
        if shot.file in made:
            result.converted.append(shot.file)
        result.items[shot.file] = Ready(shot, outcome)
    return result
