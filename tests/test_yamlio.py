from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from apifit.errors import InputError
from apifit.yamlio import load_model


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
