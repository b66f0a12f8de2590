"""Counts as a reader says them: "1 check", "2 checks"."""

from __future__ import annotations


def count(number: int, word: str, plural: str | None = None) -> str:
    """`1 check`, `3 checks`; `plural` for words that do not just take an s."""
    return f"{number} {word if number == 1 else plural or word + 's'}"
