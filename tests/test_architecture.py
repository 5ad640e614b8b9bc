"""The package's shape, read from its source: no import cycle, the library apart.

The graph holds every import between the package's modules, those under
`TYPE_CHECKING` and those inside functions too: a cycle hidden from the interpreter is
still a cycle for the reader. The library (`xuc/`) imports nothing from the integration
and nothing from Home Assistant, so it could ship on its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).parent.parent / "custom_components" / "xivo"
PACKAGE = "custom_components.xivo"
MAX_LINES = 400


def module_name(path: Path, root: Path = PACKAGE_DIR, package: str = PACKAGE) -> str:
    """The dotted name of a module file of the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that one module imports (absolute or relative)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = (
                    package.rsplit(".", node.level - 1)[0]
                    if node.level > 1
                    else package
                )
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            # `from . import x` imports the submodule x when there is one, else a name
            # of the package itself.
            submodules = {f"{target}.{alias.name}" for alias in node.names} & known
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(target)
    return {module for module in found if module in known and module != name}


def import_graph(
    root: Path = PACKAGE_DIR, package: str = PACKAGE
) -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    paths = {module_name(path, root, package): path for path in root.rglob("*.py")}
    known = set(paths)
    return {name: imported_modules(path, name, known) for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path `a → b → … → a`, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    """Client → coordinator → platforms, and no arrow back."""
    assert find_cycle(import_graph()) is None


def test_the_library_imports_nothing_from_the_integration_or_home_assistant() -> None:
    """`xuc/` could ship on PyPI as it is."""
    library = PACKAGE_DIR / "xuc"
    offenders = []
    for path in library.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level > 1:
                    offenders.append(f"{path.name}: relative import above xuc/")
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] == "homeassistant" or name.startswith(PACKAGE)
            ]
    assert offenders == []


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE_DIR.rglob("*.py")),
    ids=lambda path: str(path.relative_to(PACKAGE_DIR)),
)
def test_no_module_is_over_400_lines(path: Path) -> None:
    """One concept per module keeps each one readable at a sitting."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_no_exec_or_eval() -> None:
    """No generated code: what runs is what is read."""
    calls = [
        f"{path.name}:{node.lineno}"
        for path in PACKAGE_DIR.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"exec", "eval"}
    ]
    assert calls == []


# The checker itself, on made-up packages: it must see what it is there to catch.


def _write_package(root: Path, modules: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, source in modules.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


def test_checker_finds_a_cycle_through_type_checking_imports(tmp_path: Path) -> None:
    """A cycle hidden under TYPE_CHECKING is still found."""
    package = _write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from .b import B\n",
            "b.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .a import A\n",
            "c.py": "from . import a\n",
        },
    )
    cycle = find_cycle(import_graph(package, "pkg"))
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"pkg.a", "pkg.b"}


def test_checker_resolves_parent_and_package_imports(tmp_path: Path) -> None:
    """`from .. import x` and `from .sub import y` land on the right modules."""
    package = _write_package(
        tmp_path,
        {
            "__init__.py": "from .sub import tool\n",
            "sub/__init__.py": "tool = 1\n",
            "sub/helper.py": "from .. import other\n",
            "other.py": "",
        },
    )
    graph = import_graph(package, "pkg")
    assert graph["pkg"] == {"pkg.sub"}  # `tool` is a name of pkg.sub
    assert graph["pkg.sub.helper"] == {"pkg.other"}
    assert find_cycle(graph) is None


def test_checker_accepts_a_tree(tmp_path: Path) -> None:
    """No false alarm on imports that only go one way."""
    package = _write_package(
        tmp_path,
        {"__init__.py": "from . import a\n", "a.py": "from . import b\n", "b.py": ""},
    )
    assert find_cycle(import_graph(package, "pkg")) is None
