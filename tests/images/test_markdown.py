from __future__ import annotations

import re

import pytest
from images_support import manifest_entry, prepare_local, write_manifest, write_png

from apifit.errors import InputError
from apifit.images import ImageSet, Unavailable, load_manifest, rewrite


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> ImageSet:
    root = tmp_path_factory.mktemp("md")
    pngs = [write_png(root / "src" / f"S{n}.png", (1600, 800), seed=n) for n in (1, 2)]
    manifest = load_manifest(write_manifest(root / "m.yml", *map(manifest_entry, pngs)))
    return prepare_local(manifest, root)


def _rewrite(text: str, images: ImageSet, *, strict: bool = True) -> str:
    return rewrite(
        text, page="docs/p.md", images=images.items, url=lambda p: f"../{p}", strict=strict
    )


def test_an_image_becomes_a_zoomable_responsive_figure(images: ImageSet) -> None:
    html = _rewrite("Intro.\n\n![anything](/imgs/S1.png)\n", images)
    variants = images.items["S1.png"].derived.variants
    names = [v.path.name for v in variants]
    assert html.startswith('Intro.\n\n<figure class="apifit-screenshot">')
    assert f'<a class="glightbox" href="../imgs/{names[-1]}" data-type="image"' in html
    assert f'src="../imgs/{names[0]}"' in html
    assert (
        f'srcset="../imgs/{names[0]} 720w, ../imgs/{names[1]} 1440w, ../imgs/{names[2]} 1600w"'
        in html
    )
    assert 'sizes="(min-width: 76.25em) 720px, 100vw"' in html
    assert 'width="720" height="360"' in html
    assert 'alt="Alt text of S1.png"' in html
    assert 'decoding="async"' in html
    assert "<figcaption>Caption of S1.png</figcaption></figure>\n" in html


def test_only_the_first_figure_of_a_page_loads_eagerly(images: ImageSet) -> None:
    html = _rewrite("![a](/imgs/S1.png)\n\n![b](/imgs/S2.png)\n\n![c](/imgs/S1.png)\n", images)
    loading = re.findall(r"<img [^>]*>", html)
    assert ['loading="lazy"' in tag for tag in loading] == [False, True, True]


def test_relative_paths_and_titles_are_recognised(images: ImageSet) -> None:
    for src in ("../imgs/S1.png", "../../imgs/S1.png", "imgs/S1.png", '/imgs/S1.png "t"'):
        assert "<figure" in _rewrite(f"![a]({src})\n", images), src


def test_a_figure_inside_a_list_item_stays_on_one_indented_line(images: ImageSet) -> None:
    html = _rewrite("1. Step\n\n    ![a](/imgs/S1.png)\n\n2. Next\n", images)
    assert html.splitlines()[2].startswith("    <figure")
    assert html.splitlines()[4] == "2. Next"


def test_code_blocks_and_code_spans_are_left_alone(images: ImageSet) -> None:
    text = "```md\n![a](/imgs/S1.png)\n```\n\nWrite `![a](/imgs/S1.png)` to show one.\n"
    assert _rewrite(text, images) == text


def test_an_unknown_screenshot_fails_naming_page_line_and_fix(images: ImageSet) -> None:
    with pytest.raises(
        InputError,
        match=r"docs/p\.md:3: !\[a\]\(/imgs/SS99\.png\): unknown screenshot SS99\.png "
        r"\(add it to imgs/manifest\.yml",
    ):
        _rewrite("Text.\n\n![a](/imgs/SS99.png)\n", images)


def test_outside_strict_mode_an_unknown_screenshot_shows_a_placeholder(
    images: ImageSet,
) -> None:
    html = _rewrite("![a](/imgs/SS99.png)\n", images, strict=False)
    assert 'class="admonition failure apifit-missing"' in html
    assert "docs/p.md:1: unknown screenshot SS99.png (add it to imgs/manifest.yml" in html


def test_an_unavailable_screenshot_shows_its_problem_and_fix(images: ImageSet) -> None:
    shot = images.manifest.screenshots[0]
    items = {shot.file: Unavailable(shot, "S1.png: not found (run `apifit images fetch`)")}
    html = rewrite("![a](/imgs/S1.png)\n", page="p.md", images=items, url=lambda p: p, strict=False)
    assert "Screenshot S1.png is not available" in html
    assert "run `apifit images fetch`" in html
