"""The evidence and the claims on it: archived copies of the terms (pinned, obtained, verified,
newer pins), the assessments with their dated citations and verified quotes, each check's
timeline, and what changed.

archive      Archived copies of terms documents (`archive/pins.yml`): pins, obtaining, judging,
             history.
update       Find versions of pinned documents newer than their newest pin, and propose them as
             pins.
assessments  Fit assessments: the schema of `assessments/<platform>.yml`, its loading and its
             catalog.
dating       Which date a citation gives: the version checked, and the date that version states.
quotes       Citations that prove themselves: every exact quote is looked up in what its source
             holds.
timeline     A check's results over time: from its live history, or from the pinned archived
             versions.
changes      What changed, and when: every change the data records, as one list, newest first.
"""

__all__ = ["archive", "assessments", "changes", "dating", "quotes", "timeline", "update"]
