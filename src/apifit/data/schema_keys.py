"""Which keys a schema allows at a place in a file, for the fix of an unknown key.

A typo (`cliam:`) gets the key it most likely misspells; a key that another block of the same
entry allows (`method:` written beside `request:` instead of under it) looks misindented.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from apifit.suggest import did_you_mean

Loc = tuple[str | int, ...]


def _model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _inner(annotation: Any) -> Any:
    """The type a value has once Optional and Annotated are taken off."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(next((k for k in kinds if _model(_inner(k))), kinds[0]))
    return annotation


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _inner(annotation)
    model = _model(annotation)
    if model is not None:
        return _field(model, str(part)) if isinstance(part, str) else None
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, Sequence) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model a mapping at `loc` is validated as, or None when it is not one."""
    annotation: Any = root
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    return _model(_inner(annotation))


def keys(model: type[BaseModel]) -> list[str]:
    """The keys a file writes for `model`: aliases where there are some (fields the loader
    fills in itself are left out)."""
    return [info.alias or name for name, info in model.model_fields.items() if not info.exclude]


def _blocks(model: type[BaseModel], parent: Loc, root: type[BaseModel]) -> dict[str, list[str]]:
    """The keys of each block (a mapping, or the entries of a list) under `parent`."""
    found = {}
    for key in keys(model):
        inner = model_at(root, (*parent, key)) or model_at(root, (*parent, key, 0))
        if inner is not None:
            found[key] = keys(inner)
    return found


def unknown_key_fix(root: type[BaseModel], loc: Loc) -> str:
    """The fix for the unknown key at `loc` of a file validated as `root`."""
    key, parent = str(loc[-1]), loc[:-1]
    model = model_at(root, parent)
    if model is None:
        return "remove it or check its spelling"
    allowed = keys(model)
    for block, inside in _blocks(model, parent, root).items():
        if key in inside:
            return f"it looks misindented: {key} belongs under {block}; indent it there"
    outer = parent[:-2] if parent and isinstance(parent[-1], int) else parent[:-1]
    above = model_at(root, outer) if parent else None
    if above is not None and key in keys(above):
        return f"it looks misindented: {key} belongs one level up; dedent it"
    hint = did_you_mean(key, allowed)
    return hint or f"remove it or check its spelling; allowed here: {', '.join(allowed)}"
