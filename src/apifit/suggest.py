"""Did-you-mean for a misspelt id or key: difflib's ratio is enough for short names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's own default: "cliam" finds "claim", "redit" finds "reddit", "xyz" finds nothing.
CUTOFF = 0.6


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` most likely misspells, or None when none is close."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`did you mean claim?`, or an empty string when nothing is close."""
    best = closest(word, choices)
    return f"did you mean {best}?" if best else ""


def known_ids(word: str, choices: Iterable[str]) -> str:
    """`known ids: a, b; did you mean a?`: the fix for an id nothing defines."""
    names = sorted(choices)
    text = f"known ids: {', '.join(names) or 'none defined'}"
    hint = did_you_mean(word, names)
    return f"{text}; {hint}" if hint else text
