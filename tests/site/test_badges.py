"""Check badges as a reader's browser draws them: Material's SVG icons, never an emoji glyph
(Debian's chromium has no emoji font and would show an empty box)."""

from __future__ import annotations

import pytest
from site_support import Visit, nav_pages

# What only an emoji font draws: characters shown as emoji by default, and the selector that
# asks for emoji presentation (as in ⚠️); text symbols such as © stay allowed.
_EMOJI_IN_TEXT = r"() => document.body.innerText.match(/\p{Emoji_Presentation}|\uFE0F/gu) || []"
# Icons a reader sees now: those inside a closed block are drawn when it opens.
_ICONS = """() => [...document.querySelectorAll('.apifit-icon')]
  .filter((icon) => icon.getClientRects().length).map((icon) => {
  const svg = icon.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const paths = svg ? svg.querySelectorAll('path').length : 0;
  return {width: box.width, height: box.height, paths, colour: getComputedStyle(icon).color};
})"""


@pytest.mark.parametrize("path", nav_pages())
def test_page_text_has_no_emoji_glyph(visit: Visit, path: str) -> None:
    visit.open(path)
    assert visit.page.evaluate(_EMOJI_IN_TEXT) == []


# The verdict matrix (home) and the Checks page with its legend.
@pytest.mark.parametrize("path", ["", "checks/"])
def test_status_icons_are_drawn_as_svg_in_their_status_colour(visit: Visit, path: str) -> None:
    visit.open(path)
    icons = visit.page.evaluate(_ICONS)
    assert icons
    text = visit.page.evaluate("() => getComputedStyle(document.body).color")
    for icon in icons:
        assert icon["width"] >= 12 and icon["height"] >= 12 and icon["paths"] >= 1
        assert icon["colour"] != text  # coloured by badges.css, not the text colour
