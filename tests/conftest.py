"""Shared fixtures: data is built in tmp_path; nothing here reaches the network."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project_root() -> Path:
    """The repository root, for tests that read the shipped data (never write to it)."""
    return ROOT
