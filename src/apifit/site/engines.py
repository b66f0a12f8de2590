"""The site engines apifit renders with, and which of them is rendering a page.

An engine is a module `<name>_engine` beside this one, with two functions:
`render(prepared, out_dir, echo)`, which writes the pages of a prepared build into `out_dir`
(passing its own log to `echo`, when given) and raises RenderFailed; and
`macro_context(env)`, which fills apifit.site.macros.MacroContext from that engine's macros
environment. Everything else a build does is in apifit.site.stages and runs the same for each.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from apifit.errors import ApifitError

if TYPE_CHECKING:
    from apifit.site.macros import MacroContext
    from apifit.site.stages import Prepared

# MkDocs with Material is the default; Zensical (Material's successor) is experimental.
ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"


class RenderFailed(ApifitError):
    """The engine did not render every page; `problems` are its messages, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class EngineMissing(ApifitError):
    """The engine's optional dependencies are not installed."""


class Engine(Protocol):
    def render(
        self, prepared: Prepared, out_dir: Path, echo: Callable[[str], None] | None = None
    ) -> None: ...

    def macro_context(self, env: Any) -> MacroContext: ...


def engine(name: str) -> Engine:
    """The adapter of engine `name`; imported on demand, since Zensical is an optional extra."""
    if name not in ENGINES:
        raise ApifitError(f"unknown engine {name!r} (use one of {', '.join(ENGINES)})")
    try:
        # Relative to this package, so that the adapters move with it.
        return cast(Engine, importlib.import_module(f".{name}_engine", __package__))
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.startswith("apifit"):
            raise
        raise EngineMissing(
            f"the {name} engine needs {exc.name}: pip install -e '.[{name}]'"
        ) from None


def macro_context(env: Any) -> MacroContext:
    """The context of the engine whose macros environment `env` is."""
    # Zensical brings its own environment class; mkdocs-macros' is its MkDocs plugin.
    name = "zensical" if type(env).__module__.startswith("zensical") else "mkdocs"
    return engine(name).macro_context(env)
