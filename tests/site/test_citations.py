from __future__ import annotations

import datetime

from apifit.evidence.assessments import Source
from apifit.site.citations import Citations, attach_references, misread_reference

SOURCES = {
    "faq": Source(label="FAQ", title="The FAQ", url="https://example.org/faq"),
    "tos": Source(label="ToS", title="The Terms", url="https://example.org/tos"),
}
DAY = datetime.date(2026, 9, 1)


def test_one_footnote_per_source_and_version_date() -> None:
    citations = Citations(SOURCES)
    refs = [
        citations.reference("faq", "a.md", DAY),
        citations.reference("faq", "a.md", DAY),
        citations.reference("faq", "a.md"),
    ]
    assert refs == ["[^faq--2026-09-01]", "[^faq--2026-09-01]", "[^faq]"]
    assert citations.sources_list("a.md") == (
        "\n\n## Sources\n\n"
        "[^faq--2026-09-01]: [The FAQ](https://example.org/faq), as of 2026-09-01.\n"
        "[^faq]: [The FAQ](https://example.org/faq).\n"
    )


def test_the_sources_list_names_the_archived_versions_where_an_archive_keeps_them() -> None:
    citations = Citations(SOURCES, {"tos": "https://example.org/archive"})
    citations.reference("tos", "a.md")
    assert (
        "[The Terms](https://example.org/tos). ([archived versions](https://example.org/archive))"
        in (citations.sources_list("a.md"))
    )


def test_each_page_lists_only_what_it_cites_and_once() -> None:
    citations = Citations(SOURCES)
    citations.reference("faq", "a.md")
    citations.reference("tos", "b.md")
    assert "faq" in citations.sources_list("a.md")
    assert "faq" not in citations.sources_list("b.md")
    assert citations.sources_list("a.md") == ""


def test_a_reference_at_the_start_of_a_line_before_a_colon_is_found() -> None:
    assert misread_reference("Today's wording\n[^tos--2026-07-15]:\n\n- item") == 2
    assert misread_reference("Today's wording [^tos--2026-07-15]:\n") is None


def test_a_reference_is_set_against_the_word_before_it_even_across_a_line_break() -> None:
    markdown = "Moderate [^report].\n- Quotas\n  [^faq]:\n\n| 1 a day | [^faq] [^tos] |"
    assert attach_references(markdown) == (
        "Moderate[^report].\n- Quotas[^faq]:\n\n| 1 a day |[^faq][^tos] |"
    )


def test_a_reference_after_a_blank_line_stays_where_it_is() -> None:
    assert attach_references("Text.\n\n[^faq]: definition") == "Text.\n\n[^faq]: definition"
