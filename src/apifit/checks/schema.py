"""Check files (`checks/*.yml`): the schema, and loading with errors that name file, line, field.

A check is one HTTP request plus what its answer must show for the claim to hold. Credentials
appear only as `${ENV_VAR}` references, so a check file can be committed and shared; the
variables a check needs are derived from those references, never declared twice.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from apifit.checks.scrub import is_secret_field, redacted_path
from apifit.data.yamlio import EnvPlaces, Loc, WebUrl, read_yaml, validation_error
from apifit.errors import InputError, UnknownIdError
from apifit.suggest import known_ids

ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")
CHECK_ID = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestSpec(_Strict):
    """The request a check sends; any string may hold `${ENV_VAR}` references."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] = "GET"
    url: WebUrl
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    form: dict[str, str] | None = None
    json_body: Any = Field(default=None, alias="json")

    @model_validator(mode="after")
    def _one_body(self) -> RequestSpec:
        if self.form is not None and self.json_body is not None:
            raise ValueError("give either form or json, not both")
        return self


class JsonExpect(_Strict):
    """One assertion on the JSON answer, at a dotted path such as `error.code`.

    `matches` (a regular expression, searched) may read a field that recordings redact, such
    as a token's documented prefix: it is judged live and its result is stored, not the value.
    """

    path: str = Field(min_length=1)
    equals: str | int | float | bool | None = None
    contains: str | None = None
    matches: str | None = None
    exists: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> JsonExpect:
        tests = (self.equals, self.contains, self.matches, self.exists)
        if sum(test is not None for test in tests) != 1:
            raise ValueError("give exactly one of equals, contains, matches, exists")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"matches: not a regular expression: {exc}") from None
        return self

    @property
    def reads_value(self) -> bool:
        """Is the judgement made on the value as a recording stores it?"""
        return isinstance(self.equals, str) or self.contains is not None

    @property
    def key(self) -> str:
        """How a recording names this rule's stored result."""
        return f"{self.path} matches {self.matches}"


class Expect(_Strict):
    """What the answer must show; a documentation page uses `text`, an API uses `json`."""

    status: list[int] = []
    json_: list[JsonExpect] = Field(default=[], alias="json")
    headers: dict[str, str] = {}
    text: list[str] = []

    @model_validator(mode="after")
    def _something(self) -> Expect:
        if not (self.status or self.json_ or self.headers or self.text):
            raise ValueError("expect nothing: give status, json, headers or text")
        if self.json_ and self.text:
            raise ValueError("an answer is either JSON or a page: give json or text, not both")
        return self


class ClientCredentials(_Strict):
    """How to obtain a client access token (OAuth client_credentials grant)."""

    token_url: WebUrl
    client_key: str
    client_secret: str


class Check(_Strict):
    """One executable claim."""

    id: str = Field(pattern=CHECK_ID)
    api: str = Field(pattern=CHECK_ID)
    claim: str = Field(min_length=1)
    source: str | None = None
    # An archived document (`archive/pins.yml`) whose newest pinned copy is judged too.
    archive: str | None = Field(default=None, pattern=CHECK_ID)
    auth: Literal["client_credentials"] | None = None
    request: RequestSpec
    expect: Expect
    tags: list[str] = []
    # Filled from the file's `auth` section by the loader, so that a check is self-contained.
    client_credentials: ClientCredentials | None = Field(default=None, exclude=True)

    @property
    def env_vars(self) -> tuple[str, ...]:
        """Environment variables this check needs, in order of first use."""
        found = ENV_REF.findall(self.request.model_dump_json())
        if self.client_credentials is not None:
            found += ENV_REF.findall(self.client_credentials.model_dump_json())
        return tuple(dict.fromkeys(found))


class CheckFile(_Strict):
    """A `checks/*.yml` file."""

    auth: ClientCredentials | None = None
    checks: list[Check] = Field(min_length=1)


def _attach_auth(path: Path, data: CheckFile, lines: dict[Any, int]) -> list[Check]:
    out = []
    for index, check in enumerate(data.checks):
        if check.auth is not None and data.auth is None:
            raise InputError(
                path,
                f"checks[{check.id}].auth",
                "needs the file's `auth` section (token_url, client_key, client_secret)",
                fix="add `auth:` at the top of the file",
                line=lines.get(("checks", index, "auth")),
            )
        out.append(
            check.model_copy(update={"client_credentials": data.auth}) if check.auth else check
        )
    return out


# Where a credential may be sent: request values and the auth step's client key and secret.
# Anywhere else (the URL's host or path, an id, a claim) a `${VAR}` would leak into pages and
# recordings, or steer a request somewhere its author did not mean.
_CREDENTIAL_PLACES = ("headers", "query", "form", "json")


def _credential_place(loc: Loc) -> bool:
    if loc[:1] == ("auth",):
        return loc in (("auth", "client_key"), ("auth", "client_secret"))
    return (
        len(loc) > 4 and loc[0] == "checks" and loc[2] == "request" and loc[3] in _CREDENTIAL_PLACES
    )


_ENV_PLACES = EnvPlaces(
    _credential_place,
    "write the value itself; ${VAR} may appear only in values under request.headers, query, "
    "form and json, and in auth.client_key and auth.client_secret",
)


REDACTED_FIX = "assert exists: true, or check a non-secret field"


def _replayable(path: Path, checks: list[Check], lines: dict[Loc, int]) -> None:
    """Refuse an expectation that reads what recordings redact: its replay could not agree
    with the live run (numbers and booleans are kept, so `equals: 3600` may stay)."""
    for index, check in enumerate(checks):
        for n, rule in enumerate(check.expect.json_):
            if rule.reads_value and redacted_path(rule.path):
                raise InputError(
                    path,
                    f"checks[{check.id}].expect.json[{n}].path",
                    "this field is redacted in recordings",
                    fix=REDACTED_FIX,
                    line=lines.get(("checks", index, "expect", "json", n, "path")),
                )
        for name in check.expect.headers:
            if is_secret_field(name):
                raise InputError(
                    path,
                    f"checks[{check.id}].expect.headers.{name}",
                    "this header is redacted in recordings",
                    fix="check a non-secret header",
                    line=lines.get(("checks", index, "expect", "headers", name)),
                )


def _load(path: Path) -> tuple[list[Check], dict[Loc, int]]:
    raw, lines = read_yaml(path, env=_ENV_PLACES)
    try:
        data = CheckFile.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(path, exc, lines, model=CheckFile, data=raw) from None
    _claim_ids(path, data.checks, lines, {})
    _replayable(path, data.checks, lines)
    return _attach_auth(path, data, lines), lines


def _claim_ids(
    path: Path, checks: list[Check], lines: dict[Loc, int], where: dict[str, Path]
) -> None:
    """Note where each check id is defined; an id defined before is an error at its line."""
    for index, check in enumerate(checks):
        if check.id in where:
            other = "this file" if where[check.id] == path else str(where[check.id])
            raise InputError(
                path,
                f"checks[{check.id}].id",
                f"check id {check.id!r} is already used in {other}",
                fix="give every check its own id",
                line=lines.get(("checks", index, "id")),
            )
        where[check.id] = path


def load_file(path: Path) -> list[Check]:
    """Load and validate one check file."""
    return _load(path)[0]


def check_files(directory: Path) -> Iterator[Path]:
    """The check files of a project, in a stable order."""
    yield from sorted(directory.glob("*.yml"))


def _known_archives(
    path: Path, checks: list[Check], lines: dict[Loc, int], documents: Collection[str]
) -> None:
    for index, check in enumerate(checks):
        if check.archive is not None and check.archive not in documents:
            known = ", ".join(sorted(documents)) or "none: archive/pins.yml pins no document"
            raise InputError(
                path,
                f"checks[{check.id}].archive",
                f"unknown archived document '{check.archive}'",
                fix=f"name a document of archive/pins.yml ({known})",
                line=lines.get(("checks", index, "archive")),
            )


def _known_subjects(
    path: Path, checks: list[Check], lines: dict[Loc, int], subjects: Collection[str]
) -> None:
    # A typo would otherwise open a group of its own on the Checks page.
    for index, check in enumerate(checks):
        if check.api not in subjects:
            raise UnknownIdError(
                path,
                f"checks[{check.id}].api",
                "API or terms document",
                check.api,
                subjects,
                line=lines.get(("checks", index, "api")),
            )


def load_checks(
    directory: Path,
    documents: Collection[str] | None = None,
    subjects: Collection[str] | None = None,
) -> list[Check]:
    """Load every check file in `directory`; ids must be unique across files. With
    `documents` (the project's pinned archive documents), every `archive:` must name one; with
    `subjects` (the assessments' APIs and terms documents), every `api:` must name one."""
    checks: list[Check] = []
    where: dict[str, Path] = {}
    for path in check_files(directory):
        loaded, lines = _load(path)
        _claim_ids(path, loaded, lines, where)
        if documents is not None:
            _known_archives(path, loaded, lines, documents)
        if subjects is not None:
            _known_subjects(path, loaded, lines, subjects)
        checks += loaded
    return checks


def select(checks: list[Check], ids: list[str], api: str | None) -> list[Check]:
    """The checks named by id and/or API; an id or an API no check has is an input error."""
    known = {check.id for check in checks}
    unknown = [i for i in ids if i not in known]
    if unknown:
        problem = f"unknown check id(s): {', '.join(unknown)}"
        raise InputError("(command line)", "ids", problem, fix=known_ids(unknown[0], known))
    apis = {check.api for check in checks}
    if api is not None and api not in apis:
        problem = f"no check is about '{api}'"
        raise InputError("(command line)", "--api", problem, fix=known_ids(api, apis))
    return [c for c in checks if (not ids or c.id in ids) and (api is None or c.api == api)]


def substitute(value: Any, env: dict[str, str]) -> Any:
    """Replace `${VAR}` references with values from env, at any depth (missing → empty)."""
    if isinstance(value, str):
        return ENV_REF.sub(lambda m: env.get(m.group(1), ""), value)
    if isinstance(value, dict):
        return {k: substitute(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, env) for v in value]
    return value
