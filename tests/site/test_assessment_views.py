from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from apifit.errors import InputError
from apifit.evidence.assessments import Catalog, Platform, Review, Source
from apifit.site.assessment_views import (
    AssessmentMacros,
    PremiseStatus,
    assessment_card,
    decision_record,
    no_check_recorded,
    review_flag,
    terms_clause,
    verdict_matrix,
)
from apifit.site.citations import Citations

SOURCES = {
    "report": {"label": "report", "title": "The report", "url": "https://example.org/report"},
    "vendor": {"label": "vendor docs", "title": "Vendor", "url": "https://example.org/vendor"},
}


TERMS = {
    "id": "rules",
    "name": "The Rules",
    "source": "vendor",
    "section": "5.2(e)",
    "clause": "no bots",
}


def _facts(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"text": text, "source": source} for text, source in pairs]


def _api(api_id: str, verdict: str, **overrides: Any) -> dict[str, Any]:
    api: dict[str, Any] = {
        "id": api_id,
        "name": f"{api_id.title()} API",
        "page": f"apis/{api_id}.md",
        "verdict": verdict,
        "reason": _facts(("Because.", "report")),
        "audience": _facts(("Researchers.", "vendor")),
        "access": _facts(("Apply.", "report")),
        "token": _facts(("Client token.", "vendor")),
        "approval": _facts(("About 4 weeks.", "report"), ("Typically 3-4 weeks.", "vendor")),
        "limits": [],
    }
    return api | overrides


def _catalog(*apis: dict[str, Any]) -> Catalog:
    record = {
        "id": "0001",
        "title": "Use nothing",
        "status": "accepted",
        "date": "2026-11-25",
        "context": _facts(("Context.", "report")),
        "options": [
            {
                "title": "Alpha",
                "api": "alpha",
                "outcome": "rejected",
                "reason": _facts(("No.", "report")),
            },
            {
                "title": "Scraping",
                "outcome": "rejected",
                "reason": _facts(("Forbidden.", "vendor")),
            },
        ],
        "decision": _facts(("Use nothing.", "report")),
        "consequences": ["Nothing is used."],
        "premises": ["check-a", "check-b"],
    }
    platform = Platform.model_validate(
        {
            "name": "Example",
            "sources": SOURCES,
            "apis": list(apis),
            "terms": [TERMS],
            "decisions": [record],
        }
    )
    catalog = Catalog()
    catalog.add("example", platform, Path("example.yml"))
    return catalog


def ref(source_id: str, as_of: Any, stated: Any = None) -> str:
    """Cites by the source id and date, so a test reads which source a statement names."""
    return f"[^{source_id}{'@' + as_of.isoformat() if as_of else ''}]"


def _matrix(catalog: Catalog, check_cell: Any = no_check_recorded, page: str = "index.md") -> str:
    table = verdict_matrix(catalog.platforms["example"].apis, ref, check_cell, page)
    return "\n".join(line for line in table.splitlines() if line.startswith("|"))


def _card(catalog: Catalog) -> str:
    return assessment_card(catalog.assessments["alpha"], ref, no_check_recorded, "a.md")


def test_matrix_has_one_row_per_api_linking_its_page() -> None:
    rows = _matrix(_catalog(_api("alpha", "fits"), _api("beta", "out-of-scope"))).splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [
        "| [Alpha API](apis/alpha.md)",
        "| [Beta API](apis/beta.md)",
    ]


def test_matrix_links_are_relative_to_the_page_it_is_on() -> None:
    assert "[Alpha API](../apis/alpha.md)" in _matrix(
        _catalog(_api("alpha", "fits")), page="x/y.md"
    )


def test_matrix_checks_column_comes_from_the_injected_callable() -> None:
    matrix = _matrix(_catalog(_api("alpha", "fits")), check_cell=lambda api: f"2 passed for {api}")
    assert matrix.splitlines()[2].endswith("| 2 passed for alpha |")


def test_matrix_says_no_check_is_recorded_by_default() -> None:
    assert _matrix(_catalog(_api("alpha", "fits"))).splitlines()[2].endswith("| not yet recorded |")


def test_matrix_cites_each_fact_of_a_cell() -> None:
    row = _matrix(_catalog(_api("alpha", "does-not-fit"))).splitlines()[2]
    assert "| About 4 weeks.[^report]<br>Typically 3-4 weeks.[^vendor] |" in row


def test_matrix_shows_only_the_short_forms_where_a_question_has_them() -> None:
    approval = [
        {"text": "About 4 weeks, or a month.", "source": "report", "short": "About 4 weeks."},
        {"text": "Longer when asked for more.", "source": "vendor"},
    ]
    row = _matrix(_catalog(_api("alpha", "fits", approval=approval))).splitlines()[2]
    assert "| About 4 weeks.[^report] |" in row
    assert "Longer" not in row


def test_matrix_leaves_earlier_wording_to_the_api_page() -> None:
    row = _matrix(_dated_catalog()).splitlines()[2]
    assert "Within 4 weeks.[^vendor@2026-09-11] |" in row
    assert "Typically 3-4 weeks" not in row


def test_matrix_says_when_the_sources_are_silent() -> None:
    api = _api("alpha", "fits", approval=[])
    row = _matrix(_catalog(api)).splitlines()[2]
    assert row.split(" | ")[5] == "not stated in our sources"


def test_pipe_in_a_fact_does_not_break_the_table() -> None:
    api = _api("alpha", "fits", access=_facts(("A | B", "vendor")))
    assert r"A \| B" in _matrix(_catalog(api))


@pytest.mark.parametrize(
    ("verdict", "admonition"),
    [("fits", "success"), ("does-not-fit", "failure"), ("out-of-scope", "info")],
)
def test_card_colours_the_verdict(verdict: str, admonition: str) -> None:
    assert _card(_catalog(_api("alpha", verdict))).startswith(f'!!! {admonition} "Alpha API: ')


def test_card_opens_with_why_in_short_and_what_would_change_it() -> None:
    reason = [{"text": "Because of a long story.", "source": "report", "short": "Because."}]
    api = _api("alpha", "fits", reason=reason, would_change="A new rule.")
    box = _card(_catalog(api)).split("\n\n**Why**")[0]
    assert "    Because.[^report]" in box
    assert "    **What would change it:** A new rule.\n    {: .apifit-ours }" in box


def test_card_keeps_the_full_reason_in_its_details() -> None:
    reason = [{"text": "Because of a long story.", "source": "report", "short": "Because."}]
    assert "**Why**\n{: .apifit-ours }\n\n- Because of a long story.[^report]" in _card(
        _catalog(_api("alpha", "fits", reason=reason))
    )


def test_card_names_the_questions_its_sources_are_silent_on_instead_of_empty_rows() -> None:
    card = _card(_catalog(_api("alpha", "fits")))
    assert "**Limits**" not in card
    assert "Not stated in our sources: limits.\n{: .apifit-ours }" in card


def test_card_cites_every_fact_next_to_it() -> None:
    card = _card(_catalog(_api("alpha", "fits")))
    assert "- About 4 weeks.[^report]\n- Typically 3-4 weeks.[^vendor]" in card


def _record(statuses: dict[str, PremiseStatus]) -> str:
    catalog = _catalog(_api("alpha", "does-not-fit"))
    return decision_record(
        catalog.decisions["0001"], catalog, statuses.__getitem__, ref, "adr/1.md"
    )


def test_record_is_not_flagged_while_no_premise_failed() -> None:
    ok = PremiseStatus("passed", failed=False)
    record = _record({"check-a": ok, "check-b": ok})
    assert "Needs re-review" not in record
    assert '!!! success "Status: accepted, 2026-11-25"' in record


def test_record_needs_re_review_when_a_premise_check_failed() -> None:
    record = _record(
        {"check-a": PremiseStatus("passed", False), "check-b": PremiseStatus("failed", True)}
    )
    assert '!!! danger "Needs re-review"' in record
    assert "`check-b` failed" in record
    assert "| `check-b` | failed |" in record


def test_record_states_its_decision_before_its_context() -> None:
    record = _record({"check-a": PremiseStatus("x", False), "check-b": PremiseStatus("x", False)})
    assert record.index("## Decision") < record.index("## Context")


def test_record_options_show_the_assessed_verdict_of_their_api() -> None:
    record = _record({"check-a": PremiseStatus("x", False), "check-b": PremiseStatus("x", False)})
    assert (
        "### Alpha: rejected\n\n[Alpha API](../apis/alpha.md): does not fit our product.\n"
        "{: .apifit-ours }\n\n- No.[^report]"
    ) in record
    assert "### Scraping: rejected\n\nNo API to assess." in record


def _macros(page: str = "apis/alpha.md") -> AssessmentMacros:
    return AssessmentMacros(_catalog(_api("alpha", "fits")), Path("docs"), lambda: page)


def test_unknown_assessment_id_names_the_page_and_the_id() -> None:
    with pytest.raises(InputError) as info:
        _macros().assessment("gamma")
    assert str(info.value) == (
        f'{Path("docs/apis/alpha.md")}: assessment("gamma"): unknown assessment id '
        "(known ids: alpha)"
    )


def test_unknown_source_in_a_citation_is_an_error() -> None:
    with pytest.raises(InputError, match=r"cite\(\"nope\"\): unknown source id"):
        _macros().cite("nope")


def test_a_citation_macro_can_name_the_version_date() -> None:
    macros = _macros()
    assert macros.cite("vendor", "2026-07-15") == "[^vendor--2026-07-15]"
    assert "[Vendor](https://example.org/vendor), as of 2026-07-15." in (
        macros.citations.sources_list("apis/alpha.md")
    )


def test_premises_summary_comes_from_the_injected_callable() -> None:
    macros = _macros()
    macros.status_summary = lambda ids: f"{len(ids)} checks"
    assert macros.premises_summary("0001") == "2 checks"


def test_a_citation_macro_refuses_a_date_that_is_no_date() -> None:
    with pytest.raises(InputError, match=r'cite\("vendor", "July 2026"\): not a date \(write'):
        _macros().cite("vendor", "July 2026")


def test_macros_render_through_the_injected_seams() -> None:
    macros = _macros()
    macros.check_cell = lambda api: "seam"
    assert "**Checks:** seam\n{: .apifit-ours }" in macros.assessment("alpha")


def test_review_flag_is_empty_while_no_premise_failed() -> None:
    record = _catalog(_api("alpha", "fits")).decisions["0001"]
    assert review_flag(record, lambda check: PremiseStatus("passed", failed=False)) == ""


def test_review_flag_warns_when_a_premise_failed() -> None:
    record = _catalog(_api("alpha", "fits")).decisions["0001"]
    flag = review_flag(record, lambda check: PremiseStatus("failed", failed=check == "check-a"))
    assert flag.startswith('!!! danger "Needs re-review"')
    assert "`check-a` failed" in flag


def test_terms_clause_is_quoted_verbatim_with_its_document_and_section() -> None:
    catalog = _catalog(_api("alpha", "fits"))
    quote = terms_clause(catalog.terms["rules"], catalog.sources)
    assert '> "no bots"<br>\n> — [The Rules](https://example.org/vendor), section 5.2(e).' in quote


def test_terms_clause_is_quoted_whole_with_its_lead_under_an_id_to_link_to() -> None:
    catalog = _catalog(_api("alpha", "fits"))
    rules = catalog.terms["rules"].model_copy(update={"lead": "You will not:"})
    quote = terms_clause(rules, catalog.sources)
    assert quote.startswith('<div id="clause-rules" markdown>')
    assert '> "You will not: ... no bots"' in quote


DATED_APPROVAL = [
    {
        "text": "Within 4 weeks.",
        "source": "vendor",
        "as_of": "2026-09-11",
        "history": [{"period": "until 2024", "text": "Typically 3-4 weeks.", "source": "old"}],
    }
]
OLD = {"label": "old docs", "title": "Old", "url": "https://example.org/old"}


def _dated_catalog() -> Catalog:
    catalog = _catalog(_api("alpha", "does-not-fit", approval=DATED_APPROVAL))
    catalog.sources["old"] = Source.model_validate(OLD)
    return catalog


def test_card_shows_todays_wording_then_the_earlier_one_closed_under_its_period() -> None:
    assert (
        "- Within 4 weeks.[^vendor@2026-09-11]\n\n"
        '    ??? note "Earlier wording: until 2024"\n\n'
        "        Typically 3-4 weeks.[^old]"
    ) in _card(_dated_catalog())


def test_record_closes_earlier_wording_under_its_fact() -> None:
    catalog = _catalog(_api("alpha", "does-not-fit"))
    dated = catalog.decisions["0001"].model_copy(
        update={"context": _dated_catalog().assessments["alpha"].approval}
    )
    text = decision_record(dated, catalog, lambda c: PremiseStatus("x", False), ref, "adr/1.md")
    assert (
        "- Within 4 weeks.[^vendor@2026-09-11]\n\n"
        '    ??? note "Earlier wording: until 2024"\n\n'
        "        Typically 3-4 weeks.[^old]"
    ) in text


def test_a_source_on_this_site_is_linked_relative_to_the_citing_page() -> None:
    sources = {"adr": Source(label="ADR 0001", title="Our record", page="decisions/0001.md")}
    citations = Citations(sources)
    assert citations.reference("adr", "tiktok/research.md") == "[^adr]"
    assert "[Our record](../decisions/0001.md)." in citations.sources_list("tiktok/research.md")


def test_record_lists_its_re_reviews_with_date_outcome_and_cited_changes() -> None:
    catalog = _catalog(_api("alpha", "does-not-fit"))
    review = {
        "date": "2026-11-27",
        "outcome": "decision stands",
        "changes": _facts(("The terms were rewritten.", "vendor")),
    }
    record = catalog.decisions["0001"].model_copy(
        update={"reviews": [Review.model_validate(review)]}
    )
    text = decision_record(record, catalog, lambda c: PremiseStatus("x", False), ref, "adr/1.md")
    assert "Last re-reviewed: 2026-11-27 (decision stands), see below." in text
    assert text.index("## Premises") < text.index("### 2026-11-27: decision stands")
    assert "- The terms were rewritten.[^vendor]" in text
