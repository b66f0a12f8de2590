"""The module mkdocs-macros loads: a thin adapter that only registers apifit functions."""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Register the page macros (called by mkdocs-macros)."""
