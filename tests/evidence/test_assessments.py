from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from apifit.errors import InputError
from apifit.evidence.assessments import Verdict, load_catalog, load_platform

VALID = """\
name: Example
sources:
  doc:
    label: docs
    title: The docs
    url: https://example.org/doc
apis:
  - id: alpha
    name: Alpha API
    page: alpha.md
    verdict: fits
    reason: [{text: It does what we need., source: doc}]
    audience: [{text: Everyone., source: doc}]
    access: [{text: Sign up., source: doc}]
    token: [{text: A key., source: doc}]
    approval: []
    limits: []
terms:
  - id: rules
    name: The rules
    source: doc
    section: "1"
    clause: be nice
decisions:
  - id: "0001"
    title: Use Alpha
    status: accepted
    date: 2026-11-25
    context: [{text: We need data., source: doc}]
    options:
      - title: Alpha API
        api: alpha
        outcome: chosen
        reason: [{text: It fits., source: doc}]
    decision: [{text: Use Alpha., source: doc}]
    consequences: [We depend on Alpha.]
    premises: [alpha-works]
"""


def _write(directory: Path, text: str, name: str = "example.yml") -> Path:
    path = directory / name
    path.write_text(text)
    return path


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_platform(path)
    return str(info.value)


def test_valid_file_loads_with_its_verdicts(tmp_path: Path) -> None:
    platform = load_platform(_write(tmp_path, VALID))
    assert [(api.id, api.verdict) for api in platform.apis] == [("alpha", Verdict.FITS)]


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("verdict: fits", "verdict: [fits"))
    assert _error(path).startswith(f"{path}:")
    assert "malformed YAML" in _error(path)


def test_unknown_key_names_field_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, VALID.replace("    verdict: fits\n", "    verdict: fits\n    cost: 0\n")
    )
    assert _error(path) == (
        f"{path}:12: apis[alpha].cost: unknown key (remove it or check its spelling; allowed "
        "here: id, name, page, verdict, would_change, reason, audience, access, token, "
        "approval, limits)"
    )


def test_missing_field_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("    token: [{text: A key., source: doc}]\n", ""))
    assert "apis[alpha].token: Field required (add it)" in _error(path)


def test_unknown_verdict_value_lists_the_closed_set(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("verdict: fits", "verdict: maybe"))
    message = _error(path)
    assert message.startswith(f"{path}:11: apis[alpha].verdict: ")
    assert "'fits', 'does-not-fit', 'out-of-scope' or 'not-assessed'" in message


def test_fact_citing_an_unknown_source_names_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, VALID.replace("{text: Everyone., source: doc}", "{text: A., source: x}")
    )
    assert _error(path) == (
        f"{path}:13: apis[alpha].audience[0].source: unknown source 'x' (add it under `sources`)"
    )


DATED = VALID.replace(
    "    approval: []\n",
    "    approval:\n"
    "      - text: Within 4 weeks.\n"
    "        source: doc\n"
    "        as_of: 2026-09-11\n"
    "        history:\n"
    "          - {period: until 2024, text: Typically 3-4 weeks., source: doc}\n",
)


def test_a_fact_carries_its_version_date_and_earlier_wording(tmp_path: Path) -> None:
    approval = load_platform(_write(tmp_path, DATED)).apis[0].approval[0]
    assert approval.as_of == datetime.date(2026, 9, 11)
    assert [(e.period, e.text) for e in approval.history] == [
        ("until 2024", "Typically 3-4 weeks.")
    ]


def test_earlier_wording_citing_an_unknown_source_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, DATED.replace("3-4 weeks., source: doc", "3-4 weeks., source: old"))
    assert _error(path) == (
        f"{path}:21: apis[alpha].approval[0].history[0].source: unknown source 'old' "
        "(add it under `sources`)"
    )


def test_earlier_wording_needs_the_date_of_todays(tmp_path: Path) -> None:
    path = _write(tmp_path, DATED.replace("        as_of: 2026-09-11\n", ""))
    assert _error(path) == (
        f"{path}:17: apis[alpha].approval[0].as_of: earlier wording without the date of today's "
        "(add the date of the version the text is from)"
    )


def test_a_date_that_is_no_date_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, DATED.replace("as_of: 2026-09-11", "as_of: September 2026"))
    assert _error(path).startswith(f"{path}:19: apis[alpha].approval[0].as_of: ")


def test_a_source_needs_exactly_one_of_url_and_page(tmp_path: Path) -> None:
    both = VALID.replace(
        "    url: https://example.org/doc\n",
        "    url: https://example.org/doc\n    page: decisions/1.md\n",
    )
    neither = VALID.replace("    url: https://example.org/doc\n", "")
    for text in (both, neither):
        path = _write(tmp_path, text)
        assert _error(path) == (
            f"{path}:4: sources.doc: needs exactly one of url and page (set one of them)"
        )


def test_a_source_on_this_site_names_a_markdown_page(tmp_path: Path) -> None:
    text = VALID.replace("url: https://example.org/doc", "page: decisions/0001.md")
    assert load_platform(_write(tmp_path, text)).sources["doc"].page == "decisions/0001.md"


def test_a_re_review_dated_before_its_record_is_refused(tmp_path: Path) -> None:
    review = "    reviews:\n      - date: 2026-11-01\n        outcome: stands\n"
    review += "        changes: [{text: Terms changed., source: doc}]\n"
    path = _write(tmp_path, VALID.replace("    premises:", review + "    premises:"))
    assert _error(path) == (
        f"{path}:38: decisions[0001].reviews[0].date: re-review dated before the record "
        "(2026-11-25) (correct the date)"
    )


def test_option_naming_an_unknown_api_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("api: alpha", "api: beta"))
    assert "decisions[0001].options[0].api: unknown API 'beta'" in _error(path)


def test_superseded_record_must_name_its_successor(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("status: accepted", "status: superseded"))
    assert "decisions[0001].superseded_by: must be set exactly when status is" in _error(path)


def test_supersedes_must_name_a_known_record(tmp_path: Path) -> None:
    text = VALID.replace("    premises:", '    supersedes: "0000"\n    premises:')
    assert "decisions[0001].supersedes: unknown record '0000'" in _error(_write(tmp_path, text))


def test_same_id_in_two_platform_files_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, VALID, "a.yml")
    _write(tmp_path, VALID, "b.yml")
    with pytest.raises(InputError, match=r"b\.yml:4: sources\.doc: duplicate id 'doc'"):
        load_catalog(tmp_path)


def test_directory_without_assessments_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no"):
        load_catalog(tmp_path)


def test_shipped_data_defines_the_agreed_subject_ids(project_root: Path) -> None:
    catalog = load_catalog(project_root / "assessments")
    assert catalog.subject_ids() == {
        "research",
        "display",
        "data-portability",
        "commercial-content",
        "tos",
        "tos-2023",
        "commercial-tos",
        "commercial-tos-intended-use",
        "developer-terms-api-definition",
        "developer-terms",
        "developer-terms-profiles",
        "developer-terms-robots",
        "developer-terms-automated-means",
    }
