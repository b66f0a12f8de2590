"""The page macros: Markdown for badges, tables, matrix cells, premises and the Checks page,
and a strict MkDocs build of pages that use them."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from checkserver import build_site, serve_tiktok, tiktok_checks, write_checks
from mkdocs.exceptions import Abort
from pytest_httpserver import HTTPServer

from apifit.checks.faults import Status
from apifit.checks.results import Result
from apifit.checks.runner import record_async
from apifit.checks.schema import Check, load_checks
from apifit.errors import UnknownIdError
from apifit.site.check_views import (
    Board,
    badge,
    cell,
    entry,
    premise_status,
    table,
    text_table,
)

CHECK = Check.model_validate(
    {"id": "c-1", "api": "research", "claim": "A | claim.", "request": {"url": "https://h/x"},
     "expect": {"status": [401]}}
)  # fmt: skip


# What an emoji font draws (and a browser without one shows as an empty box): symbols and
# pictographs, dingbats, and the selector that asks for emoji presentation.
EMOJI = re.compile("[\u2300-\u23ff\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")


def test_badge_links_to_the_checks_page_from_a_nested_page() -> None:
    markdown = badge(Result(CHECK, Status.PASSED), "tiktok/research-api.md")
    assert "</span> passed](../checks.md#check-c-1){ .apifit-check" in markdown


def test_not_recorded_badge_says_so() -> None:
    assert "</span> not yet recorded](" in badge(Result(CHECK, Status.NOT_RECORDED), "index.md")


@pytest.mark.parametrize("status", list(Status))
def test_badges_draw_a_material_svg_icon_not_an_emoji(status: Status) -> None:
    result = Result(CHECK, status)
    for markdown in (badge(result, "index.md"), cell([result], "index.md")):
        assert (
            f'<span class="twemoji apifit-icon apifit-icon--{status.replace(" ", "-")}"><svg '
            in markdown
        )
        assert '<path d="M' in markdown
        assert EMOJI.findall(markdown) == []


def test_icon_beside_a_label_is_hidden_from_screen_readers() -> None:
    assert '<svg aria-hidden="true" ' in badge(Result(CHECK, Status.FAILED), "index.md")


def test_matrix_cell_links_the_checks_page_section_of_its_api() -> None:
    markdown = cell([Result(CHECK, Status.FAILED)], "index.md")
    assert markdown.startswith('[<span class="twemoji apifit-icon apifit-icon--failed">')
    assert markdown.endswith(f" 1 of 1 failed](checks.md#{CHECK.api})")


def test_table_escapes_pipes_and_shows_the_reason() -> None:
    markdown = table([Result(CHECK, Status.INCONCLUSIVE, "timeout: ReadTimeout")], "index.md")
    assert "| `c-1` | A \\| claim. |" in markdown
    assert "<small>timeout: ReadTimeout</small>" in markdown


def test_matrix_cell_counts_statuses_most_actionable_first() -> None:
    results = [Result(CHECK, Status.PASSED), Result(CHECK, Status.FAILED)]
    assert cell(results, "index.md").split("</span> ", 1)[1].startswith("1 of 2 failed · ")
    assert "</span> 1 of 2 passed](" in cell(results, "index.md")


def test_failed_premise_check_flags_the_decision_for_re_review() -> None:
    assert premise_status(Result(CHECK, Status.FAILED), "decisions/0001.md").failed
    assert not premise_status(Result(CHECK, Status.PASSED), "decisions/0001.md").failed


def test_cli_table_tells_how_to_record() -> None:
    assert "run `apifit record c-1`" in text_table([Result(CHECK, Status.NOT_RECORDED)])


def test_unknown_check_id_names_page_and_id_and_suggests_the_closest() -> None:
    board = Board({"c-1": Result(CHECK, Status.PASSED)})
    with pytest.raises(UnknownIdError) as info:
        board.get("c-2", "tiktok/terms.md")
    assert str(info.value) == (
        'tiktok/terms.md: check("c-2"): unknown check id (known ids: c-1; did you mean c-1?)'
    )


def test_built_site_shows_recorded_status_and_evidence(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)  # recorded "on someone's machine", even under CI
    serve_tiktok(httpserver)
    base = f"http://127.0.0.1:{httpserver.port}"
    write_checks(tmp_path, tiktok_checks(base), base)
    checks = load_checks(tmp_path / "checks")
    asyncio.run(record_async(checks, tmp_path / "cassettes", {}))  # scope check: no credentials
    site = build_site(tmp_path, {
        "index.md": '{{ check("research-query-without-token") }} {{ check_cell("research") }}',
        "checks.md": "{{ checks_page() }}",
        "api.md": '{{ checks_table("display") }}',
    })  # fmt: skip
    home = (site / "index.html").read_text()
    assert "apifit-check--passed" in home
    assert "1 of 3 not yet recorded" in home and "2 of 3 passed" in home
    page = (site / "checks" / "index.html").read_text()
    assert 'id="check-research-query-without-token"' in page
    assert "access_token_invalid" in page and "LOGACCESS_TOKEN_INVALID" in page
    assert "replayed recording (live run on someone" in page
    assert "apifit record research-scope-not-authorized" in page
    api_page = (site / "api" / "index.html").read_text()
    assert "HTTP 401" in api_page
    assert 'class="apifit-check apifit-check--passed"' in api_page  # attr_list worked in a cell
    assert "{ .apifit-check" not in api_page + home + page


def test_unknown_check_id_fails_the_strict_build_naming_page_and_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_checks(tmp_path, [{"id": "known", "api": "research", "claim": "c",
                             "request": {"url": "http://127.0.0.1:9/"},
                             "expect": {"status": [200]}}])  # fmt: skip
    with pytest.raises(Abort, match="Aborted with 1 errors in strict mode!"):
        build_site(tmp_path, {"tiktok/terms.md": '{{ check("unknwon") }}'})
    assert (
        'docs/tiktok/terms.md:5: check("unknwon"): unknown check id (known ids: known; '
        "did you mean known?)"
    ) in caplog.text


def test_old_evidence_is_shown_with_the_latest_attempt_that_did_not_pass() -> None:
    from datetime import UTC, datetime

    from apifit.checks.cassettes import Attempt, Evidence
    from apifit.site.check_views import entry

    attempt = Attempt(at=datetime(2026, 11, 25, tzinfo=UTC), status=Status.INCONCLUSIVE,
                      reason="timeout: ReadTimeout", provenance="ci")  # fmt: skip
    result = Result(CHECK, Status.PASSED, evidence=Evidence(request_line="GET https://h/x",
                    status=401), attempt=attempt)  # fmt: skip
    expected = "latest live attempt 2026-11-25 was inconclusive: timeout: ReadTimeout"
    assert expected in table([result], "index.md")
    text = entry(result)
    assert expected in text and "`GET https://h/x` · HTTP 401" in text


def _archived_result(status: Status, live: Status) -> Result:
    # A result as `derive` makes it: from the archive alone, or live with the copy attached.
    from datetime import UTC, datetime

    from apifit.checks.results import ArchivedResult

    archived = ArchivedResult(
        status=status,
        reason="",
        archive="Open Terms Archive",
        title="Terms",
        stated="Last updated: X",
        commit="eff3343861659eb41fc4bf38319b7818a2814801",
        url="https://github.com/o/r/blob/eff3343/T.md",
        recorded_at=datetime(2026, 7, 15, tzinfo=UTC),
        age_days=135,
    )
    if live == Status.NOT_RECORDED:
        return Result(CHECK, status, provenance=archived.provenance, archived=archived,
                      from_archive=True)  # fmt: skip
    return Result(CHECK, live, "text absent: 'x'", provenance="live run in CI, 2026-11-26",
                  archived=archived)  # fmt: skip


def test_a_result_from_an_archived_copy_is_labelled_so_never_as_live() -> None:
    result = _archived_result(Status.PASSED, Status.NOT_RECORDED)
    assert "passed on archived copy](" in badge(result, "index.md")
    row = table([result], "index.md")
    assert "archived copy (Open Terms Archive, recorded 2026-07-15" in row
    assert "135 days old" in row and "live run" not in row
    assert "archived version [Terms at eff3343](https://github.com/o/r/blob/eff3343/T.md)" in row
    assert "(https://github.com/o/r/blob/eff3343/T.md)" in entry(result)


def test_when_live_and_archive_disagree_the_table_shows_both() -> None:
    result = _archived_result(Status.PASSED, Status.FAILED)
    row = table([result], "index.md")
    assert row.index("</span> failed](") < row.index("passed, archived copy (Open Terms Archive")
    assert "passed, archived copy" in text_table([result])
