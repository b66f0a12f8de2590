"""Get pinned files (screenshots, archived terms) from a local folder or their pinned URL,
verified by sha256.

Downloads land in a content-addressed cache through a temporary file and `os.replace`, so an
interrupted or wrong download never leaves a file that looks obtained.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import httpx

from apifit.errors import IntegrityError
from apifit.images.manifest import Manifest

SOURCE_ENV = "APIFIT_IMGS_SOURCE"
DEFAULT_SOURCE = Path("..") / "shared" / "imgs"
FETCH_FIX = "run `apifit images fetch`, or point APIFIT_IMGS_SOURCE at a folder with the originals"
# What `apifit images fetch` itself says when a download fails: running it again would not help.
DOWNLOAD_FIX = (
    "point APIFIT_IMGS_SOURCE at a folder with the originals, or retry when the URL is reachable"
)
# One cache for every pinned file and what is derived from it; CI and the benchmarks move it.
CACHE_ENV = "APIFIT_CACHE_DIR"
DEFAULT_CACHE = Path(".cache") / "apifit"


class Pinned(Protocol):
    """A file pinned by hash: a screenshot, or an archived version of a terms document."""

    @property
    def file(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def url(self) -> str: ...


class PinnedFileMissing(IntegrityError):
    """A pinned file is neither in the source folder nor in the cache, and cannot be downloaded."""


class HashMismatch(IntegrityError):
    """A pinned file's bytes are not the ones its pin names."""


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_source(
    configured: str | None, root: Path, env: str = SOURCE_ENV, default_dir: Path = DEFAULT_SOURCE
) -> Path | None:
    """The local folder to take originals from: env, then config, then the default if present."""
    chosen = os.environ.get(env) or configured
    if chosen:
        return (root / chosen).resolve()
    default = (root / default_dir).resolve()
    return default if default.is_dir() else None


def cached_original(shot: Pinned, cache_dir: Path) -> Path:
    """Where a downloaded original lives: named by its pinned hash, so a new pin never reuses it."""
    return cache_dir / "originals" / f"{shot.sha256}{Path(shot.file).suffix}"


def _verify(shot: Pinned, path: Path, fix: str) -> Path:
    actual = sha256_of(path)
    if actual != shot.sha256:
        raise HashMismatch(
            f"{shot.file}: {path} has sha256 {actual}, expected {shot.sha256} ({fix})"
        )
    return path


def _download(shot: Pinned, target: Path, client: httpx.Client) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    temp = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle, client.stream("GET", shot.url) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                handle.write(chunk)
        _verify(shot, temp, fix=f"the pinned URL {shot.url} serves other bytes: fix the manifest")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def obtain(
    shot: Pinned,
    *,
    source: Path | None,
    cache_dir: Path,
    client: httpx.Client | None,
    fetch_fix: str = FETCH_FIX,
    progress: Callable[[str], None] = lambda _: None,
) -> Path:
    """Return the path of the verified original; download it only when it is nowhere local.

    A file in the source folder is authoritative: when its hash is wrong that is an error,
    never a reason to quietly download another copy.
    """
    if source is not None and (source / shot.file).is_file():
        return _verify(shot, source / shot.file, fix=f"restore the original in {source}")
    cached = cached_original(shot, cache_dir)
    if cached.is_file():
        return _verify(shot, cached, fix=f"delete {cached} and {fetch_fix}")
    where = f"not in {source}" if source is not None else "no source folder"
    if client is None:
        raise PinnedFileMissing(
            f"{shot.file}: {where} and not downloaded: expected sha256 {shot.sha256}, "
            f"actual none ({fetch_fix})"
        )
    progress(f"{shot.file}: downloading {shot.url}")
    try:
        _download(shot, cached, client)
    except httpx.HTTPError as exc:
        raise PinnedFileMissing(
            f"{shot.file}: {where} and download from {shot.url} failed "
            f"({type(exc).__name__}: {exc}): expected sha256 {shot.sha256}, actual none "
            f"({fetch_fix})"
        ) from None
    return cached


def http_client() -> httpx.Client:
    """The client downloads go through: redirects followed, bounded waits."""
    return httpx.Client(follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0))


def obtain_all(
    manifest: Manifest,
    *,
    source: Path | None,
    cache_dir: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Path]:
    """Every screenshot's verified original, downloading only what is nowhere local (each
    download is announced to `progress`, as it may take a while)."""
    with http_client() as client:
        return {
            shot.file: obtain(
                shot,
                source=source,
                cache_dir=cache_dir,
                client=client,
                fetch_fix=DOWNLOAD_FIX,
                progress=progress,
            )
            for shot in manifest.screenshots
        }
