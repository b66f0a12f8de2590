"""Which date a citation gives: the version checked, and the date that version states.

One rule for every document: a fact about an archived document is dated by the day the archive
recorded the version it was checked against, and when that version's text states another date
("Last modified: Dec 26, 2025"), the citation shows that one too.
"""

from __future__ import annotations

import datetime

from apifit.evidence.archive import Pins, Version


def pinned_version(pins: Pins, document_id: str, commit: str | None) -> Version | None:
    """The version a source stands for: `commit`, else the newest (the live page's stand-in)."""
    doc = pins.documents.get(document_id)
    if doc is None:
        return None
    if commit is None:
        return doc.newest
    return next((v for v in doc.versions if v.commit == commit), None)


def misdated(
    version: Version, as_of: datetime.date | None, stated: str | None
) -> tuple[str, str] | None:
    """(problem, fix) when a citation of `version` is not dated as the rule says, else None."""
    if as_of is None:
        return None
    recorded = version.recorded.isoformat()
    own = version.stated_date
    if as_of.isoformat() != recorded:
        hint = " (the date its text states)" if as_of.isoformat() == own else ""
        problem = (
            f"dated {as_of.isoformat()}{hint}, but the version checked, {version.stated!r}, "
            f"was recorded {recorded}"
        )
        return problem, f"date it {recorded}" + ("" if own == recorded else f", stated {own}")
    wanted = None if own == recorded else own
    if stated != wanted:
        problem = f"the version recorded {recorded} states {version.stated!r}, shown as {stated!r}"
        return problem, f"set stated: {wanted}" if wanted else "remove stated"
    return None
