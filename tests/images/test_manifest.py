from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from images_support import manifest_entry, write_manifest, write_png

from apifit.errors import InputError
from apifit.images import load_manifest

FOUR_BOXES = {
    ("SS10.png", "client key"): (1400, 705, 1745, 775),
    ("SS10.png", "client secret"): (2328, 688, 2840, 792),
    ("SS7.png", "organization ID"): (1400, 535, 1795, 600),
    ("SS9.png", "app ID"): (1175, 510, 1545, 575),
}


@pytest.fixture
def png(tmp_path: Path) -> Path:
    return write_png(tmp_path / "A.png", (200, 100))


def test_shipped_manifest_lists_the_14_screenshots_with_the_four_redaction_boxes(
    project_root: Path,
) -> None:
    manifest = load_manifest(project_root / "imgs" / "manifest.yml")
    names = {shot.file for shot in manifest.screenshots}
    assert names == {f"SS{n}.png" for n in range(6, 20)}
    boxes = {(s.file, r.what): r.box for s in manifest.screenshots for r in s.redact}
    assert boxes == FOUR_BOXES


def test_shipped_manifest_pins_every_url_to_a_commit(project_root: Path) -> None:
    manifest = load_manifest(project_root / "imgs" / "manifest.yml")
    for shot in manifest.screenshots:
        assert shot.url.startswith("https://raw.githubusercontent.com/Litusuwu/Web-Crawlers/")
        assert shot.url.split("/")[-3] in {
            "0409a524e93232ce96b37e28bba32cf7100e9294",
            "d3f0a9b3eb3f89a2139ab868a398d6f876b3726e",
        }
        assert shot.url.endswith(f"/imgs/{shot.file}")


def test_unknown_key_names_file_line_and_field(tmp_path: Path, png: Path) -> None:
    path = write_manifest(tmp_path / "m.yml", manifest_entry(png, colour="red"))
    with pytest.raises(InputError, match=r"m\.yml:\d+: screenshots\[0\]\.colour: unknown key"):
        load_manifest(path)


def test_missing_alt_text_names_the_field(tmp_path: Path, png: Path) -> None:
    text = "".join(line for line in manifest_entry(png).splitlines(True) if "alt:" not in line)
    path = write_manifest(tmp_path / "m.yml", text)
    with pytest.raises(InputError, match=r"m\.yml:2: screenshots\[0\]\.alt: Field required"):
        load_manifest(path)


def test_box_outside_the_image_names_the_redact_field_and_its_line(
    tmp_path: Path, png: Path
) -> None:
    entry = manifest_entry(png, redact=[{"what": "id", "box": [150, 10, 210, 20]}])
    path = write_manifest(tmp_path / "m.yml", entry)
    # The line of the redact list's value, where the offending box is written.
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "what: id" in t)
    with pytest.raises(
        InputError,
        match=rf"m\.yml:{line}: screenshots\[0\]\.redact: .*box 0 \[150, 10, 210, 20\] lies "
        r"outside the 200 x 100 image",
    ):
        load_manifest(path)


def test_box_with_right_before_left_is_rejected(tmp_path: Path, png: Path) -> None:
    entry = manifest_entry(png, redact=[{"what": "id", "box": [50, 10, 40, 20]}])
    path = write_manifest(tmp_path / "m.yml", entry)
    with pytest.raises(InputError, match=r"screenshots\[0\]\.redact\[0\]\.box: .*left < right"):
        load_manifest(path)


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text("screenshots:\n  - file: [A.png\n")
    with pytest.raises(InputError, match=r"m\.yml:\d+: \(yaml\): malformed YAML"):
        load_manifest(path)


def test_a_screenshot_listed_twice_is_rejected(tmp_path: Path, png: Path) -> None:
    path = write_manifest(tmp_path / "m.yml", manifest_entry(png), manifest_entry(png))
    with pytest.raises(InputError, match=r"screenshots listed twice: A\.png"):
        load_manifest(path)


def test_no_screenshot_or_derivative_is_tracked_by_git(project_root: Path) -> None:
    if shutil.which("git") is None or not (project_root / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "*.png", "*.webp"],
        cwd=project_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert tracked == ""
