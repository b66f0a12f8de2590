"""The `apifit` MkDocs plugin: a thin adapter over the apifit package."""

from __future__ import annotations

from mkdocs.plugins import BasePlugin


class ApifitPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Screenshots and build-time checks for apifit sites."""
