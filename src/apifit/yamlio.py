"""Load a YAML file into a pydantic model, reporting errors as `file:line: field: problem (fix)`.

Every loader of user-written YAML (manifest, assessments, checks) goes through here, so that
bad input fails at load time, once, with the same shape of message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from apifit.errors import InputError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def field_name(loc: Loc) -> str:
    """Render a pydantic location as `checks[2].expect.status`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _lines(node: yaml.Node, loc: Loc = ()) -> Iterator[tuple[Loc, int]]:
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, str(key.value))
            yield child, key.start_mark.line + 1
            yield from _lines(value, child)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _lines(item, (*loc, index))


def _line_for(lines: dict[Loc, int], loc: Loc) -> int | None:
    # A missing field has no line of its own: point at its nearest parent that exists.
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def read_yaml(path: Path, text: str | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document; return the data and a map from field location to line."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(
                path, "(file)", "does not exist", fix="create it or fix the path"
            ) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            path,
            "(yaml)",
            f"malformed YAML: {exc.problem or exc.context}",
            fix="fix the syntax at that line",
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    return data, dict(_lines(node)) if node is not None else {}


def _fix_for(error: ErrorDetails) -> str | None:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "remove it or check its spelling"
    if kind == "missing":
        return "add it"
    if kind in ("literal_error", "enum"):
        return "use one of the allowed values"
    return None


def validation_error(path: Path, exc: ValidationError, lines: dict[Loc, int]) -> InputError:
    """Turn the first pydantic error into one InputError naming file, line and field."""
    error = exc.errors()[0]
    loc: Loc = tuple(error["loc"])
    problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    more = len(exc.errors()) - 1
    if more:
        problem += f" (and {more} more error{'s' if more > 1 else ''} in this file)"
    return InputError(
        path, field_name(loc), problem, fix=_fix_for(error), line=_line_for(lines, loc)
    )


def load_model(path: Path, model: type[M], text: str | None = None) -> M:
    """Read `path` and validate it as `model`; raise InputError on any problem."""
    data, lines = read_yaml(path, text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc, lines) from None
