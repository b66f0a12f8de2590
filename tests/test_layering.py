"""The package's stages import only downward, so a newcomer can read them bottom up."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "apifit"
# Bottom up. A module imports its own layer or a lower level; the layers of one level are
# independent of each other. Every top-level module but errors and suggest is the layer "top".
LEVELS: tuple[frozenset[str], ...] = tuple(
    map(
        frozenset,
        (
            {"suggest"},
            {"errors"},
            {"data", "measure"},
            {"checks", "images"},
            {"evidence"},
            {"site"},
            {"top"},
        ),
    )
)
LEVEL = {layer: level for level, layers in enumerate(LEVELS) for layer in layers}
MAX_TOP_MODULES = 8


def _module(src: Path, path: Path) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str, src: Path) -> str:
    """The layer of `module`, a dotted name inside the package (`checks.runner`, `errors`)."""
    first = module.split(".")[0]
    if (first and (src / first).is_dir()) or first in ("errors", "suggest"):
        return first
    return "top"


def _imported(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """The apifit modules `tree` imports, as dotted names inside the package."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("apifit.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = ["apifit", *filter(None, package.split("."))]
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target == "apifit":
                found |= {f"apifit.{a.name}" for a in node.names}
            elif target.startswith("apifit."):
                found.add(target)
    return {name.removeprefix("apifit.") for name in found}


def upward_imports(src: Path) -> list[str]:
    """Every import of a module under `src` (the apifit package) that goes up or sideways."""
    problems = []
    for path in sorted(src.rglob("*.py")):
        module = _module(src, path)
        own = _layer(module, src)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target in sorted(_imported(tree, module, path.name == "__init__.py")):
            theirs = _layer(target, src)
            if theirs != own and LEVEL[theirs] >= LEVEL[own]:
                where = path.relative_to(src.parent)
                problems.append(f"{where}: {own} imports {target} ({theirs})")
    return problems


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "apifit"
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    return src


def test_no_module_of_the_package_imports_upward() -> None:
    assert upward_imports(SRC) == []


def test_every_subpackage_is_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert packages - LEVEL.keys() == set()


def test_at_most_eight_modules_stay_at_the_top() -> None:
    assert len(list(SRC.glob("*.py"))) <= MAX_TOP_MODULES


def test_the_checks_engine_importing_the_site_is_reported(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {
            "checks/__init__.py": "",
            "checks/runner.py": "from apifit.site.views import badge\n",
            "site/__init__.py": "",
            "site/views.py": "from apifit.checks import runner\n",
        },
    )
    assert upward_imports(src) == ["apifit/checks/runner.py: checks imports site.views (site)"]


def test_a_relative_import_of_a_higher_stage_is_reported(tmp_path: Path) -> None:
    src = _package(
        tmp_path,
        {"evidence/__init__.py": "", "data/yamlio.py": "from ..evidence import archive\n"},
    )
    assert upward_imports(src) == ["apifit/data/yamlio.py: data imports evidence (evidence)"]


def test_importing_a_peer_stage_of_the_same_level_is_reported(tmp_path: Path) -> None:
    src = _package(
        tmp_path, {"checks/__init__.py": "", "images/obtain.py": "from apifit import checks\n"}
    )
    assert upward_imports(src) == ["apifit/images/obtain.py: images imports checks (checks)"]


def test_a_stage_importing_errors_is_not_reported(tmp_path: Path) -> None:
    src = _package(tmp_path, {"checks/runner.py": "from apifit.errors import ApifitError\n"})
    assert upward_imports(src) == []
