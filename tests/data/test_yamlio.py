from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from apifit.data.yamlio import MAX_NODES, EnvPlaces, load_model
from apifit.errors import InputError


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: int


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    items: list[Inner]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yml"
    path.write_text(text)
    return path


def test_valid_document_loads_into_the_model(tmp_path: Path) -> None:
    doc = load_model(_write(tmp_path, "name: a\nitems:\n  - status: 200\n"), Doc)
    assert doc.items[0].status == 200


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems:\n  - status: 200\n  - status: nope\n")
    with pytest.raises(InputError) as info:
        load_model(path, Doc)
    assert str(info.value).startswith(f"{path}:4: items[1].status: ")


def test_unknown_key_is_reported_with_a_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems: []\ncolour: red\n")
    with pytest.raises(InputError, match=r"doc.yml:3: colour: unknown key \(remove it"):
        load_model(path, Doc)


def test_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems:\n  - {}\n")
    expected = r"doc.yml:3: items\[0\].status: Field required \(add it\)"
    with pytest.raises(InputError, match=expected):
        load_model(path, Doc)


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems: [\n  - status: 1\n")
    with pytest.raises(InputError, match=r"doc.yml:\d+: \(yaml\): malformed YAML"):
        load_model(path, Doc)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_model(tmp_path / "absent.yml", Doc)


def _raises(path: Path, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_model(path, Doc)
    assert str(info.value).startswith(f"{path}:{expected}"), str(info.value)


def test_non_utf8_bytes_name_the_byte_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.yml"
    path.write_bytes(b"name: a\nitems: []\n# caf\xe9\n")
    _raises(path, "3: (file): byte 23 (0xe9) is not UTF-8 (save the file as UTF-8)")


def test_a_tab_is_refused_at_its_line(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "name: a\nitems:\n\t- status: 1\n"), "3: (yaml): holds a tab")


@pytest.mark.parametrize("text", ["", "  \n\n", "# only a comment\n"])
def test_an_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match=r"doc.yml:1: \(file\): (is empty|holds no document)"):
        load_model(_write(tmp_path, text), Doc)


def test_a_key_given_twice_is_refused_at_the_second(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems:\n  - status: 1\n    status: 2\n")
    _raises(path, "4: items[0].status: key given twice in one mapping")


def test_aliases_expanding_too_far_are_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]"
              for i in range(5)]  # fmt: skip
    path = _write(tmp_path, "\n".join(lines) + "\n")
    # The innermost value past the limit: e (line 5) expands to 111111 values, d to 11111.
    _raises(path, "5: (yaml): anchors and aliases expand this value to 111111 values")


def test_a_small_alias_still_loads(tmp_path: Path) -> None:
    doc = load_model(_write(tmp_path, "name: a\nitems:\n  - &one {status: 1}\n  - *one\n"), Doc)
    assert [i.status for i in doc.items] == [1, 1]


def test_a_long_file_without_aliases_loads_past_the_alias_limit(tmp_path: Path) -> None:
    # 1000 checks' worth of values, written out: only the file size limit applies.
    items = "".join(f"  - status: {i}\n" for i in range(MAX_NODES))
    doc = load_model(_write(tmp_path, "name: a\nitems:\n" + items), Doc)
    assert len(doc.items) == MAX_NODES


def test_a_file_too_large_is_refused_at_the_line_passing_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: a\nitems: []\n" + "#" * 1_000_000 + "\n")
    _raises(path, "3: (file): passes 1000000 bytes on this line")


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "name: a\nitems: &i [1, *i]\n"), "2: (yaml): an alias refers to")


def test_an_env_reference_is_refused_where_not_allowed(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: ${SECRET}\nitems: []\n")
    _raises(path, "1: name: ${VAR} reference where no credential belongs")


def test_an_env_reference_loads_where_the_loader_allows_it(tmp_path: Path) -> None:
    env = EnvPlaces(lambda loc: loc == ("name",), "only in name")
    doc = load_model(_write(tmp_path, "name: ${A}\nitems: []\n"), Doc, env=env)
    assert doc.name == "${A}"
    path = _write(tmp_path, "name: a\nitems: []\nextra: ${A}\n")
    with pytest.raises(InputError) as info:
        load_model(path, Doc, env=env)
    assert (
        str(info.value) == f"{path}:3: extra: ${{VAR}} reference where no credential belongs "
        "(only in name)"
    )


def test_a_url_with_credentials_is_refused_in_any_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: https://me:hunter2@example.com/x\nitems: []\n")
    _raises(path, "1: name: URL holds credentials")
