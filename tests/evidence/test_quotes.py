"""Quotes are verified against what they cite: pinned versions, recordings, evidence excerpts."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from apifit.checks.pagetext import normalise
from apifit.errors import InputError
from apifit.evidence.archive import Archive, Copy, Pins, load_pins
from apifit.evidence.assessments import Catalog, TermsDocument, load_catalog, load_platform
from apifit.evidence.quotes import Library, data_problems, fragment_of, holds, quotes_in, verify

REPO = "example/terms-versions"
OLD = "a" * 40
NEW = "b" * 40
OLD_TEXT = (
    "Last updated: May 2024\n\nYou may not:\n\n* use automated scripts to collect information;\n"
)
NEW_TEXT = (
    "Last updated: June 2, 2026\n\nYou must not:\n\n"
    "* scrape any data, except as approved in writing by Example Co,\n"
)


def _version(commit: str, recorded: str, stated: str, text: str) -> dict[str, object]:
    return {
        "commit": commit,
        "recorded": recorded,
        "stated": stated,
        "url": f"https://raw.githubusercontent.com/{REPO}/{commit}/Terms.md",
        "sha256": "0" * 64,
        "bytes": len(text),
        "file": f"{commit[:4]}.md",
    }


def _pins() -> Pins:
    versions = [
        _version(OLD, "2024-05-03", "Last updated: May 2024", OLD_TEXT),
        _version(NEW, "2026-06-05", "Last updated: June 2, 2026", NEW_TEXT),
    ]
    return Pins.model_validate(
        {
            "archive": "Example Archive",
            "repository": REPO,
            "documents": {
                "terms": {
                    "title": "Example Terms",
                    "canonical": "https://example.org/terms",
                    "path": "Terms.md",
                    "versions": versions,
                }
            },
        }
    )


def _archive(tmp_path: Path) -> Archive:
    pins = _pins()
    old, new = pins.documents["terms"].versions
    copies = (Copy("terms", old, OLD_TEXT), Copy("terms", new, NEW_TEXT))
    return Archive(pins, {"terms": copies}, tmp_path / "pins.yml")


SOURCES = {
    "live": {"label": "Terms", "title": "Example Terms", "url": "https://example.org/terms",
             "copies": {"archive": "terms"}},
    "old": {"label": "Terms, May 2024", "title": "Example Terms, May 2024 (archived)",
            "url": f"https://github.com/{REPO}/blob/{OLD}/Terms.md",
            "copies": {"archive": "terms", "commit": OLD}},
    "faq": {"label": "FAQ", "title": "Example FAQ", "url": "https://example.org/faq",
            "copies": {"excerpts": [{"file": "evidence/pages.md", "start": "## FAQ",
                                     "end": "## Other"}]}},
    "blog": {"label": "blog", "title": "A blog", "url": "https://example.org/blog"},
}  # fmt: skip
EVIDENCE = (
    '# Pages\n\n## FAQ\n\nOlder copy (2023): "Apply by **email** to the team".\n\n'
    '## Other\n\n"Words of another page entirely".\n'
)


def _platform(facts: list[dict[str, object]]) -> str:
    api = {"id": "alpha", "name": "Alpha API", "page": "alpha.md", "verdict": "fits",
           "reason": facts, "audience": [{"text": "All.", "source": "blog"}],
           "access": [{"text": "Sign up.", "source": "blog"}],
           "token": [{"text": "A key.", "source": "blog"}],
           "approval": [], "limits": []}  # fmt: skip
    data = {"name": "Example", "sources": SOURCES, "apis": [api], "terms": [], "decisions": []}
    return yaml.safe_dump(data, sort_keys=False)


def _library(tmp_path: Path, facts: list[dict[str, object]]) -> Library:
    (tmp_path / "assessments").mkdir(exist_ok=True)
    (tmp_path / "assessments" / "example.yml").write_text(_platform(facts))
    (tmp_path / "shared" / "evidence").mkdir(parents=True, exist_ok=True)
    (tmp_path / "shared" / "evidence" / "pages.md").write_text(EVIDENCE)
    archive = _archive(tmp_path)
    catalog = load_catalog(tmp_path / "assessments", archive.pins)
    return Library(catalog, archive, tmp_path / "shared", tmp_path / "cassettes")


def _problems(tmp_path: Path, text: str, source: str, **extra: object) -> list[str]:
    fact = {"text": text, "source": source, **extra}
    return [str(p) for p in data_problems(_library(tmp_path, [fact]))]


def test_a_quote_the_cited_version_holds_passes(tmp_path: Path) -> None:
    text = 'They forbid to "scrape any data, except as approved".'
    assert _problems(tmp_path, text, "live") == []


def test_a_quote_cited_to_the_live_page_that_only_an_archived_version_holds_fails(
    tmp_path: Path,
) -> None:
    [problem] = _problems(tmp_path, 'They forbid to "use automated scripts to collect".', "live")
    assert "only 'Last updated: May 2024' (recorded 2024-05-03) holds it" in problem
    assert problem.endswith("(cite the archived version: old)")


def test_the_archived_version_holds_its_own_quote(tmp_path: Path) -> None:
    assert _problems(tmp_path, 'They forbade to "use automated scripts to collect".', "old") == []


def test_a_quote_in_an_evidence_excerpt_passes_across_markdown_emphasis(tmp_path: Path) -> None:
    assert _problems(tmp_path, 'The FAQ said "apply by email to the team".', "faq") == []


def test_a_quote_outside_the_cited_excerpt_fails(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, 'It said "words of another page entirely".', "faq")
    assert "is not in what faq holds (evidence/pages.md)" in problem


def test_a_quote_with_nothing_to_verify_it_against_fails(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, 'A blog says "apply by email to the team".', "blog")
    assert "has no pinned copy, recording or evidence file" in problem
    assert "as a third party quoted it on DATE" in problem


def test_an_ellipsis_stands_for_left_out_words_in_order(tmp_path: Path) -> None:
    library = _library(tmp_path, [{"text": "x", "source": "blog"}])
    assert verify("scrape any data ... by Example Co", "live", library, "t") is None
    assert verify("by Example Co ... scrape any data", "live", library, "t") is not None


def test_a_fact_dated_by_the_date_its_text_states_fails_at_load_time(tmp_path: Path) -> None:
    fact = {"text": "They forbid scraping.", "source": "live", "as_of": "2026-06-02"}
    path = tmp_path / "example.yml"
    path.write_text(_platform([fact]))
    with pytest.raises(InputError) as info:
        load_platform(path, _pins())
    message = str(info.value)
    assert "apis[alpha].reason[0].as_of: dated 2026-06-02 (the date its text states)" in message
    assert "(date it 2026-06-05, stated 2026-06-02)" in message


def test_a_fact_dated_by_the_recorded_version_shows_the_stated_date_too(tmp_path: Path) -> None:
    fact = {"text": "They forbid scraping.", "source": "live", "as_of": "2026-06-05"}
    path = tmp_path / "example.yml"
    path.write_text(_platform([fact]))
    with pytest.raises(InputError, match=r"shown as None \(set stated: 2026-06-02\)"):
        load_platform(path, _pins())
    path.write_text(_platform([{**fact, "stated": "2026-06-02"}]))
    assert load_platform(path, _pins()).apis[0].reason[0].stated == "2026-06-02"


def test_an_earlier_wording_whose_source_holds_no_copy_fails(tmp_path: Path) -> None:
    earlier = {"period": "Earlier wording", "text": "Apply by email.", "source": "blog"}
    fact = {"text": "Apply online.", "source": "faq", "as_of": "2026-01-01", "history": [earlier]}
    [problem] = _problems(tmp_path, **fact)  # type: ignore[arg-type]
    assert "earlier wording cites blog, which holds no copy of it" in problem


def test_an_earlier_wording_whose_period_no_source_gives_fails(tmp_path: Path) -> None:
    earlier = {"period": "2021-2022 wording", "text": "Apply by email.", "source": "faq"}
    fact = {"text": "Apply online.", "source": "faq", "as_of": "2026-01-01", "history": [earlier]}
    [problem] = _problems(tmp_path, **fact)  # type: ignore[arg-type]
    assert "the period '2021-2022 wording' names 2021, 2022, which no copy of faq gives" in problem
    earlier["period"] = "Older copy (2023)"
    assert _problems(tmp_path, **fact) == []  # type: ignore[arg-type]


CLAUSE = TermsDocument(
    id="robots",
    name="Developer Terms",
    source="live",
    section="(k)",
    lead="You will not:",
    clause="use any robot to collect information about users for any unauthorized purposes",
)


def test_a_fragment_of_a_clause_without_its_qualifier_is_found() -> None:
    assert fragment_of("use any robot to collect information about users", [CLAUSE]) == CLAUSE


def test_the_whole_clause_with_its_lead_is_not_a_fragment() -> None:
    whole = f"{CLAUSE.lead} ... {CLAUSE.clause}"
    assert fragment_of(whole, [CLAUSE]) is None
    assert fragment_of("use any robot to collect information about Canada", [CLAUSE]) is None


def test_quotes_are_spans_of_three_words_or_more_in_either_kind_of_quotation_mark() -> None:
    text = 'The "Research Tools" page says “within 4 weeks of submission” and "No."'
    assert quotes_in(text) == ["within 4 weeks of submission"]


def test_a_straight_quote_may_hold_typographic_ones() -> None:
    assert quotes_in('"including automated “bots,” except as approved"') == [
        "including automated “bots,” except as approved"
    ]


def test_a_term_quoted_inside_a_quote_is_part_of_it_not_a_quote_of_its_own() -> None:
    text = '"technology provided as part of a Commercial Product (“TikTok Commercial Technology”)"'
    assert quotes_in(text) == [text[1:-1]]


TYPOGRAPHIC = {"'": "\u2019", '"': "\u201c", "-": "\u2013", " ": "\u00a0"}


# No deadline: a loaded machine is slow, not wrong (timings belong in the benchmarks).
@settings(deadline=None)
@given(st.lists(st.sampled_from(sorted(TYPOGRAPHIC)), min_size=1, max_size=6), st.data())
def test_typographic_quotes_dashes_and_spaces_never_decide(
    marks: list[str], data: st.DataObject
) -> None:
    words = data.draw(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=3))
    plain = " ".join(f"{w}{m}" for w, m in zip(words, marks, strict=False)) + " " + words[-1]
    fancy = "".join(TYPOGRAPHIC.get(c, c) if data.draw(st.booleans()) else c for c in plain)
    assert holds(normalise(f"Before. {plain} After."), fancy)


def test_the_shipped_developer_terms_facts_are_dated_by_the_version_checked(
    project_root: Path,
) -> None:
    pins = load_pins(project_root / "archive" / "pins.yml")
    catalog: Catalog = load_catalog(project_root / "assessments", pins)
    developer = [
        fact
        for platform in catalog.platforms.values()
        for record in platform.decisions
        for fact in record.context
        if fact.source == "developer-terms"
    ]
    assert {(f.as_of, f.stated) for f in developer} == {(datetime.date(2026, 3, 1), "2025-12-26")}
