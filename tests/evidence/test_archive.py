"""Archived terms: pins, obtaining with sha256, judging a check on a copy, and clause history."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from checkserver import build_site
from mkdocs.exceptions import Abort

from apifit.checks.faults import Status
from apifit.checks.schema import Check
from apifit.errors import InputError, IntegrityError
from apifit.evidence.archive import PINS_FILE, holdings, load_archive, load_pins
from apifit.site.terms_views import summary

ROOT = Path(__file__).resolve().parents[2]
SHARED_TERMS = ROOT.parent / "shared" / "evidence" / "terms"
NOW = datetime(2026, 11, 27, tzinfo=UTC)
OLD_CLAUSE = (
    "use automated scripts to collect information from or otherwise interact with the Services"
)
NEW_CLAUSE = "scrape, crawl, export or otherwise extract any data or content in any form"


@pytest.fixture
def terms_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the archived terms, for tests that damage one of them."""
    if not SHARED_TERMS.is_dir():
        pytest.skip(f"{SHARED_TERMS} is absent: the archived terms are needed for this test")
    source = tmp_path / "terms"
    shutil.copytree(SHARED_TERMS, source)
    monkeypatch.setenv("APIFIT_TERMS_SOURCE", str(source))
    return source


@pytest.fixture
def project(tmp_path: Path, terms_source: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "archive").mkdir(parents=True)
    shutil.copy(ROOT / PINS_FILE, root / PINS_FILE)
    monkeypatch.setenv("APIFIT_CACHE_DIR", str(tmp_path / "cache"))
    return root


def _terms_check(archive: str, text: str) -> Check:
    return Check.model_validate(
        {"id": "t", "api": "tos", "archive": archive, "claim": "A clause.",
         "request": {"url": "https://www.tiktok.com/legal/page/us/terms-of-service/en"},
         "expect": {"status": [200], "text": [text]}}
    )  # fmt: skip


def test_shipped_pins_hold_the_three_agreed_documents_oldest_first() -> None:
    pins = load_pins(ROOT / PINS_FILE)
    assert list(pins.documents) == ["tos-us", "commercial-terms", "developer-terms"]
    tos = pins.documents["tos-us"]
    assert [v.stated_date for v in tos.versions] == ["2023-11", "2026-01-22", "2026-07-15"]
    assert pins.blob_url(tos, tos.newest) == (
        "https://github.com/OpenTermsArchive/vlopses-us-versions/blob/"
        "eff3343861659eb41fc4bf38319b7818a2814801/TikTok/Terms%20of%20Service.md"
    )


def test_a_pin_whose_url_names_another_commit_fails_with_file_and_line(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / PINS_FILE).read_text())
    version = data["documents"]["tos-us"]["versions"][0]
    version["url"] = version["url"].replace("cda7abde", "0000abde")
    path = tmp_path / "pins.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InputError, match=r"pins\.yml:\d+: \(document\): .*expected https://raw"):
        load_pins(path)


def test_a_swapped_copy_fails_naming_the_file_and_both_hashes(
    project: Path, terms_source: Path
) -> None:
    shutil.copy(terms_source / "tos-us-2023-11.md", terms_source / "tos-us-2026-07-15.md")
    with pytest.raises(IntegrityError) as info:
        load_archive(project, download=False)
    message = str(info.value)
    assert message.startswith("tos-us-2026-07-15.md: ")
    assert "sha256 8f3b3b8cec350e0b265520de50025e3d73817e55f5fed8c3ab0774e96d42d52d" in message
    assert "expected 65fdd4b66b8152a62c06a5f128d8dc0d5e5ce570949efe808958329ef1846246" in message


def test_a_truncated_copy_fails_naming_both_hashes(project: Path, terms_source: Path) -> None:
    copy = terms_source / "developer-terms-2025-12-26.md"
    copy.write_bytes(copy.read_bytes()[:1000])
    with pytest.raises(IntegrityError, match=r"developer-terms-2025-12-26\.md: .* has sha256 "):
        load_archive(project, download=False)


def test_a_copy_nowhere_local_without_download_says_what_is_missing(
    project: Path, terms_source: Path
) -> None:
    (terms_source / "commercial-terms-2026-01.md").unlink()
    with pytest.raises(IntegrityError, match=r"commercial-terms-2026-01\.md: not in .*actual none"):
        load_archive(project, download=False)


def test_a_project_without_pins_has_no_archive(tmp_path: Path) -> None:
    assert load_archive(tmp_path, download=False) is None


def test_a_terms_check_is_judged_on_the_newest_pinned_copy(project: Path) -> None:
    archive = load_archive(project, download=False)
    assert archive is not None
    passed = archive.judged(_terms_check("tos-us", NEW_CLAUSE), NOW)
    assert passed is not None and passed.status == Status.PASSED
    assert (passed.archive, passed.stated) == ("Open Terms Archive", "Last updated: July 15, 2026")
    assert passed.provenance.startswith("archived copy (Open Terms Archive, recorded 2026-07-15")
    assert "135 days old" in passed.provenance
    failed = archive.judged(_terms_check("tos-us", OLD_CLAUSE), NOW)
    assert failed is not None and failed.status == Status.FAILED
    assert "text absent" in failed.reason


def test_a_check_naming_an_unknown_archived_document_is_an_input_error(project: Path) -> None:
    archive = load_archive(project, download=False)
    assert archive is not None
    with pytest.raises(InputError, match="unknown archived document 'tos-eu'"):
        archive.judged(_terms_check("tos-eu", NEW_CLAUSE), NOW)


def test_clause_history_is_derived_from_which_versions_hold_the_wording(project: Path) -> None:
    archive = load_archive(project, download=False)
    assert archive is not None
    old = holdings(archive, "tos-us", OLD_CLAUSE, "test")
    assert [h.holds for h in old] == [True, False, False]
    line = summary(old, None)
    assert line.startswith("**Removed 2026-01-22**")
    assert '"Last updated: January 22, 2026" (recorded 2026-01-23' in line
    new = holdings(archive, "tos-us", NEW_CLAUSE, "test")
    assert [h.holds for h in new] == [False, True, True]
    assert summary(new, None).startswith("**In force**: added 2026-01-22")


def test_a_swapped_copy_fails_the_build_naming_the_file_and_both_hashes(
    project: Path, terms_source: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copy(terms_source / "tos-us-2026-01-22.md", terms_source / "tos-us-2026-07-15.md")
    with pytest.raises(Abort):
        build_site(project, {"index.md": "# Home"})
    message = caplog.text
    assert "tos-us-2026-07-15.md:" in message
    assert "sha256 b9defcea97ec37a52fd4f4e1e4a3033d8b3cb903eaecffda3131a45e585cbab1" in message
    assert "expected 65fdd4b66b8152a62c06a5f128d8dc0d5e5ce570949efe808958329ef1846246" in message
