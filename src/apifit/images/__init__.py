"""Screenshots: manifest, obtain and verify, redact, responsive derivatives, page rewrite."""

from apifit.images.derive import Derived, Settings, Variant
from apifit.images.manifest import Manifest, Redaction, Screenshot, load_manifest
from apifit.images.markdown import rewrite
from apifit.images.obtain import (
    HashMismatch,
    PinnedFileMissing,
    obtain,
    obtain_all,
    resolve_source,
)
from apifit.images.pipeline import ImageSet, Ready, Unavailable, prepare
from apifit.images.publish import publish
from apifit.images.weight import PageWeight, format_weights, page_weights

__all__ = [
    "Derived",
    "HashMismatch",
    "ImageSet",
    "Manifest",
    "PageWeight",
    "PinnedFileMissing",
    "Ready",
    "Redaction",
    "Screenshot",
    "Settings",
    "Unavailable",
    "Variant",
    "format_weights",
    "load_manifest",
    "obtain",
    "obtain_all",
    "page_weights",
    "prepare",
    "publish",
    "resolve_source",
    "rewrite",
]
