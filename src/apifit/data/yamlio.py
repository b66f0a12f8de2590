"""Load a YAML file into a pydantic model, reporting errors as `file:line: field: problem (fix)`.

Every loader of user-written data (manifest, assessments, checks, archived-evidence pins, the
benchmark results, which are JSON and so YAML too) goes through here, so that bad input fails at
load time, once, with the same shape of message. Beyond what the YAML parser refuses, this also
refuses what it would silently accept or choke on: bytes that are not UTF-8, tabs, an empty or
oversized file, a key given twice, anchors whose aliases expand too far, URLs carrying
credentials, and `${VAR}` references outside the positions a loader allows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import ErrorDetails

from apifit.data.schema_keys import unknown_key_fix
from apifit.errors import InputError, InputErrors

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The largest data file we read: the shipped ones are a few KiB; anything this big is a mistake
# (a recording or a screenshot saved under the wrong name), not a check file.
MAX_BYTES = 1_000_000
# How many nodes a document may hold once its aliases are expanded: a few small aliases (a
# request shared by two checks) stay far below; "billion laughs" needs millions.
MAX_NODES = 20_000
# An id that names an entry in a message; one that is itself malformed is named by its index.
ENTRY_ID = re.compile(r"[\w.-]+")
ENV_REF = re.compile(r"\$\{([^}]*)\}")
# `scheme://user:pass@host` or `scheme://token@host`: a credential written into a URL.
URL_USERINFO = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s?#@]*@", re.IGNORECASE)


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL (write it as https://host/path)")
    if "@" in parts.netloc:
        raise ValueError("URL holds credentials before the host (remove them)")
    if any(c.isspace() for c in value):
        raise ValueError("URL holds whitespace (percent-encode it as %20)")
    return value


# An absolute http(s) URL with a host and no credentials in it, for every URL field.
WebUrl = Annotated[str, AfterValidator(_web_url)]


@dataclass(frozen=True)
class EnvPlaces:
    """Where a kind of file may hold `${VAR}` references, and the fix that says so."""

    allows: Callable[[Loc], bool]
    fix: str


# Files without credentials (assessments, manifest, pins, benchmark results).
NO_ENV = EnvPlaces(lambda loc: False, "write the value itself: this file takes no ${VAR}")


def _entry_id(data: Any, loc: Loc) -> str | None:
    """The `id` of the list entry at `loc` in `data`, when it has a usable one."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    found = data.get("id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and ENTRY_ID.fullmatch(found) else None


def field_name(loc: Loc, data: Any = None) -> str:
    """Render a pydantic location as `checks[2].expect.status`; with the file's `data`, an
    entry that has an id is named by it (`checks[token-invalid-client].expect.status`)."""
    out = ""
    for end, part in enumerate(loc, start=1):
        if isinstance(part, int):
            out += f"[{_entry_id(data, loc[:end]) or part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def _walk(node: yaml.Node, loc: Loc = ()) -> Iterator[tuple[Loc, yaml.Node]]:
    yield loc, node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(value, (*loc, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*loc, index))


def line_for(lines: dict[Loc, int], loc: Loc) -> int | None:
    # A missing field has no line of its own: point at its nearest parent that exists.
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(
            path, "(file)", "does not exist", fix="create it or fix the path"
        ) from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            path,
            "(file)",
            f"passes {MAX_BYTES} bytes on this line: too large for a data file",
            fix="check that this is the file you meant",
            line=raw.count(b"\n", 0, MAX_BYTES) + 1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            "(file)",
            f"byte {exc.start} (0x{raw[exc.start]:02x}) is not UTF-8",
            fix="save the file as UTF-8",
            line=raw.count(b"\n", 0, exc.start) + 1,
        ) from None


def _check_text(path: Path, text: str) -> None:
    if not text.strip():
        raise InputError(
            path, "(file)", "is empty", fix="write the document or delete the file", line=1
        )
    tab = text.find("\t")
    if tab != -1:
        raise InputError(
            path,
            "(yaml)",
            "holds a tab character",
            fix='indent with spaces; write a tab inside a string as "\\t"',
            line=text.count("\n", 0, tab) + 1,
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _size(path: Path, node: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES values, or loop.

    Sizes are counted per distinct node, so the count itself stays cheap; the error names the
    innermost anchored value that grows too large, where the expansion can be cut. Only values
    that reach a node twice (through an alias) are limited: a long file written out is the file
    size limit's business.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(item: yaml.Node) -> tuple[int, bool]:
        """The value's expanded size, and whether an alias repeats anything inside it."""
        key = id(item)
        if key in sizes:
            return sizes[key], True
        if key in open_:
            raise InputError(
                path,
                "(yaml)",
                "an alias refers to a value that contains it",
                fix="remove the alias from inside its own anchor",
                line=item.start_mark.line + 1,
            )
        open_.add(key)
        parts = [size(child) for child in _children(item)]
        open_.discard(key)
        total = 1 + sum(n for n, _ in parts)
        aliased = any(repeated for _, repeated in parts)
        if aliased and total > MAX_NODES:
            raise InputError(
                path,
                "(yaml)",
                f"anchors and aliases expand this value to {total} values (at most {MAX_NODES})",
                fix="write the repeated part out, or alias fewer times",
                line=item.start_mark.line + 1,
            )
        sizes[key] = total
        return total, aliased

    size(node)


def _node_problems(node: yaml.Node, env: EnvPlaces) -> Iterator[tuple[Loc, yaml.Node, str, str]]:
    """(location, node, problem, fix) for each thing the parser accepts but we must not."""
    for loc, item in _walk(node):
        if isinstance(item, yaml.MappingNode):
            seen: set[str] = set()
            for key, _ in item.value:
                name = str(key.value)
                if name in seen:
                    problem = "key given twice in one mapping (YAML would keep only the last)"
                    yield (*loc, name), key, problem, "remove one of them"
                if ENV_REF.search(name):
                    problem = "${VAR} reference in a key (only values are substituted)"
                    yield (
                        (*loc, name),
                        key,
                        problem,
                        "write the key itself, the ${VAR} in its value",
                    )
                seen.add(name)
        elif isinstance(item, yaml.ScalarNode) and isinstance(item.value, str):
            if URL_USERINFO.search(item.value):
                problem = "URL holds credentials (user:password@ or token@ before the host)"
                yield loc, item, problem, "remove them; a credential goes in a ${VAR} where allowed"
            if ENV_REF.search(item.value) and not env.allows(loc):
                yield loc, item, "${VAR} reference where no credential belongs", env.fix


def _check_nodes(path: Path, node: yaml.Node, env: EnvPlaces, data: Any) -> None:
    found = next(_node_problems(node, env), None)
    if found is not None:
        loc, at, problem, fix = found
        raise InputError(path, field_name(loc, data), problem, fix=fix, line=at.start_mark.line + 1)


def read_yaml(
    path: Path, text: str | None = None, *, env: EnvPlaces = NO_ENV
) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document; return the data and a map from field location to line.

    `env` says where a `${VAR}` reference may appear (by default nowhere).
    """
    if text is None:
        text = _read_text(path)
    _check_text(path, text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(path, "(file)", "holds no document", fix="write the document", line=1)
        # Only the size must be known before constructing (aliases expand there); the other
        # checks name entries by the ids the constructed data holds.
        _size(path, node)
        data = loader.construct_document(node)
        _check_nodes(path, node, env, data)
    except yaml.MarkedYAMLError as exc:
        # A scanner stops where it noticed (often the next line); what it was scanning, a key
        # without its colon or an unclosed quote, starts at the culprit.
        scanning = (exc.context or "").startswith("while scanning")
        mark = (exc.context_mark if scanning else None) or exc.problem_mark or exc.context_mark
        during = f" ({exc.context})" if exc.context and exc.problem else ""
        raise InputError(
            path,
            "(yaml)",
            f"malformed YAML: {exc.problem or exc.context}{during}",
            fix="fix the syntax at that line",
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    return data, {loc: item.start_mark.line + 1 for loc, item in _walk(node)}


def _fix_for(error: ErrorDetails, model: type[BaseModel] | None) -> str | None:
    kind = error["type"]
    if kind == "extra_forbidden":
        return unknown_key_fix(model, tuple(error["loc"])) if model else "remove it"
    if kind == "missing":
        return "add it"
    if kind in ("literal_error", "enum"):
        return "use one of the allowed values"
    if kind == "string_type" and isinstance(error["input"], int | float | bool):
        # YAML reads 0000 as a number and yes as true: a string of digits needs quotes.
        return 'quote it, as in "0123", so that YAML reads it as text'
    return None


def validation_error(
    path: Path,
    exc: ValidationError,
    lines: dict[Loc, int],
    *,
    model: type[BaseModel] | None = None,
    data: Any = None,
) -> InputError:
    """Every pydantic error of a file as InputErrors naming file, line and field: unknown keys
    first (a misspelt key also makes the one it misspells look missing), then in file order.

    With the `model` the file was validated as, an unknown key's fix names the key it likely
    misspells; with the file's `data`, entries are named by their id."""

    def one(error: ErrorDetails) -> InputError:
        loc: Loc = tuple(error["loc"])
        problem = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        fix = _fix_for(error, model)
        return InputError(path, field_name(loc, data), problem, fix=fix, line=line_for(lines, loc))

    def order(error: ErrorDetails) -> tuple[bool, int]:
        return error["type"] != "extra_forbidden", line_for(lines, tuple(error["loc"])) or 0

    errors = exc.errors()
    # pydantic drops an entry that failed before counting a list's length, so a list that
    # holds only broken entries is also "too short": the entries' own errors say it all.
    inner = [tuple(e["loc"]) for e in errors]
    errors = [
        e
        for e in errors
        if not (e["type"] == "too_short" and any(_under(loc, tuple(e["loc"])) for loc in inner))
    ]
    found = [one(error) for error in sorted(errors, key=order)]
    return found[0] if len(found) == 1 else InputErrors(found)


def _under(loc: Loc, parent: Loc) -> bool:
    return len(loc) > len(parent) and loc[: len(parent)] == parent


def load_model(
    path: Path,
    model: type[M],
    text: str | None = None,
    *,
    env: EnvPlaces = NO_ENV,
) -> M:
    """Read `path` and validate it as `model`; raise InputError on any problem."""
    data, lines = read_yaml(path, text, env=env)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, exc, lines, model=model, data=data) from None
