"""What may import what: the product never reaches into the test suite.

`tap_freshdesk/` is the package users install: it imports nothing of this repository outside
itself. `demo/`, `scripts/` and `devtools/` run for users and maintainers without the test
suite: they import nothing from `tests`. `benchmarks/` measures the tap against the simulator,
so it may import `tests.simulator`, and nothing else of `tests`. (The demo starts the simulator
as a program, `python -m tests.simulator`, which imports nothing.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
#: Folder → module prefixes of this repository its code may import besides its own.
ALLOWED = {
    "tap_freshdesk": (),
    "demo": ("devtools", "tap_freshdesk"),
    "scripts": ("devtools", "tap_freshdesk"),
    "devtools": ("tap_freshdesk",),
    "benchmarks": ("tap_freshdesk", "tests.simulator"),
}
OURS = ("tap_freshdesk", "tests", "demo", "scripts", "devtools", "benchmarks")


def imported_modules(path: Path) -> list[str]:
    """Every absolute module name `path` imports, at any depth of its code."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in prefixes)


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_folder_imports_only_what_it_may(folder):
    allowed = (folder, *ALLOWED[folder])
    breaches = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
        for module in imported_modules(path)
        if within(module, OURS) and not within(module, allowed)
    ]
    assert not breaches, breaches


def test_the_rule_sees_an_import_from_tests(tmp_path):
    """The check itself: a nested, aliased import of the test suite is found."""
    module = tmp_path / "sneaky.py"
    module.write_text("def f():\n    import tests.harness as h\n    from tests.e2e import x\n")

    found = imported_modules(module)

    assert [m for m in found if within(m, ("tests",))] == ["tests.harness", "tests.e2e"]
