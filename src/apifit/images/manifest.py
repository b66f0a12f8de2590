"""The screenshot manifest (`imgs/manifest.yml`): what each screenshot is and what to hide."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from apifit.data.yamlio import WebUrl, load_model

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
PngName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.png$")]
Text = Annotated[str, Field(min_length=1)]


class Redaction(BaseModel):
    """A rectangle of sensitive pixels, (left, top, right, bottom) in the original's pixels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    what: Text
    box: tuple[int, int, int, int]

    @field_validator("box")
    @classmethod
    def _ordered(cls, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        left, top, right, bottom = box
        if not (0 <= left < right and 0 <= top < bottom):
            raise ValueError(f"{list(box)} is not [left, top, right, bottom] with left < right")
        return box


class Cited(BaseModel):
    """A document a caption names: its title and address."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Text
    url: WebUrl


class Screenshot(BaseModel):
    """One screenshot of the report, pinned by hash, with its words for people who cannot see it.

    A caption is a statement too: `source` is the document the screenshot comes from (the
    report) and `pictures` the page it shows, both named under the picture. What the picture
    cannot show belongs in the page's text, with its own source.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: PngName
    sha256: Sha256
    url: WebUrl
    # width and height come before redact: the box check below reads them.
    width: Annotated[int, Field(gt=0)]
    height: Annotated[int, Field(gt=0)]
    caption: Text
    alt: Text
    source: Cited | None = None
    pictures: Cited | None = None
    redact: tuple[Redaction, ...] = ()

    @field_validator("redact")
    @classmethod
    def _inside(cls, redact: tuple[Redaction, ...], info: ValidationInfo) -> tuple[Redaction, ...]:
        width, height = info.data.get("width"), info.data.get("height")
        if width is None or height is None:
            return redact
        for index, item in enumerate(redact):
            right, bottom = item.box[2:]
            if right > width or bottom > height:
                raise ValueError(
                    f"box {index} {list(item.box)} lies outside the {width} x {height} image"
                )
        return redact


class Manifest(BaseModel):
    """All screenshots a site may show, by file name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    screenshots: tuple[Screenshot, ...]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [shot.file for shot in self.screenshots]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"screenshots listed twice: {', '.join(duplicates)}")
        return self

    def get(self, file: str) -> Screenshot | None:
        """The entry for `file`, or None when the manifest does not list it."""
        return next((shot for shot in self.screenshots if shot.file == file), None)


def load_manifest(path: Path) -> Manifest:
    """Load and validate a manifest; raise InputError naming file, line and field."""
    return load_model(path, Manifest)
