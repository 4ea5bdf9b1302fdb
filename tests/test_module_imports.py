"""The package's modules import each other without a circle, and no stream imports the tap.

Read from the source (module-level imports, those under `if t.TYPE_CHECKING:` included), so a
circle is caught even where Python's import order happens to tolerate it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tap_freshdesk

pytestmark = pytest.mark.unit

PACKAGE = Path(tap_freshdesk.__file__).parent


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[module] = {name for name in found if name.startswith("tap_freshdesk")}
    return {module: names & graph.keys() for module, names in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for name in sorted(graph[module]):
            if name == module or name.startswith(f"{module}."):
                continue
            if state.get(name) == 1:
                return [*path[path.index(name) :], name]
            if name not in state and (found := visit(name)):
                return found
        state[module] = 2
        path.pop()
        return None

    return next((found for m in sorted(graph) if m not in state and (found := visit(m))), None)


def test_no_module_of_the_package_imports_itself_through_others():
    assert _cycle(_imports()) is None, " → ".join(_cycle(_imports()) or [])


def test_no_stream_module_imports_the_tap():
    graph = _imports()
    assert not [
        m for m in graph if "tap_freshdesk.tap" in graph[m] and m != "tap_freshdesk.__main__"
    ]


#: Subpackage (or root module) → what else of the package it may import, types included: each
#: part imports only parts below it, so the tree reads bottom-up (CONTRIBUTING, "Where things
#: are"). `http`, `records` and `settings` are the floor; `tap` the top.
MAY_IMPORT = {
    "settings": set(),
    "records": set(),
    "http": set(),
    "schemas": set(),
    "warehouse": set(),
    "sdk": {"http"},
    "sync": {"http", "records", "sdk", "settings", "schemas"},
    "streams": {"http", "records", "sdk", "settings", "sync", "schemas"},
    "tap": {"http", "records", "sdk", "settings", "streams", "sync", "schemas"},
}


def _part(module: str) -> str:
    """The top-level part of the package a module belongs to: `tap_freshdesk.http.body` → http."""
    return module.split(".")[1] if module.count(".") else ""


def test_each_part_imports_only_the_parts_below_it():
    upward = [
        f"{module} imports {name}"
        for module, names in sorted(_imports().items())
        for name in sorted(names)
        if _part(name) not in {_part(module), ""}
        and _part(name) not in MAY_IMPORT.get(_part(module), set())
    ]
    assert not upward, upward


def test_the_root_holds_only_the_tap_its_settings_and_subpackages():
    loose = sorted(
        path.name
        for path in PACKAGE.iterdir()
        if path.suffix == ".py" and path.name not in {"__init__.py", "tap.py", "settings.py"}
    )
    assert not loose, loose
