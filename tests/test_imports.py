"""No import circles among simulator's modules, counting the imports made inside functions.

import-linter sees only module-level imports, and an import moved into a function to dodge a
circle still couples the two modules both ways; so this reads every module's source and counts
both kinds. Imports under `if TYPE_CHECKING:` are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every simulator name `module` imports anywhere in its body (function bodies too)."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                todo.extend(child.orelse)
            elif isinstance(child, ast.Import):
                names.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*up, *([child.module] if child.module else [])])
                names.update(f"{base}.{alias.name}" for alias in child.names)
                names.add(base)
            else:
                todo.append(child)
    return {n for n in names if n == "simulator" or n.startswith("simulator.")}


def import_graph() -> dict[str, set[str]]:
    """module -> the simulator modules it imports (a `from m import name` counts as importing m,
    or m.name where that is a module)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py"):
            while name not in modules and "." in name:
                name = name.rpartition(".")[0]
            if name in modules and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return found


def test_no_import_circles():
    graph = import_graph()
    found = circles(graph)
    described = ["; ".join(f"{a} -> {b}" for a in group for b in sorted(graph[a]) if b in group) for group in found]
    assert not found, "import circles (function-level imports count):\n" + "\n".join(described)


def test_the_circle_finder_sees_a_circle_hidden_in_a_function(tmp_path):
    source = "def later():\n    from simulator.a import x\n"
    names = _imported(ast.parse(source), "simulator.b", is_package=False)
    assert names == {"simulator.a", "simulator.a.x"}
    assert circles({"simulator.a": {"simulator.b"}, "simulator.b": {"simulator.a"}, "simulator.c": set()}) == [
        ["simulator.a", "simulator.b"]]


def test_the_circle_finder_skips_type_checking_imports():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from simulator.a import x\n"
    assert _imported(ast.parse(source), "simulator.b", is_package=False) == set()



def test_no_screen_imports_another_screens_modules():
    """What two screens share is a module of its own in simulator/ui (docs/architecture.md, "Rules"):
    a screen's package (its view, presenter or helpers) is its own."""
    screens = {p.parent.name for p in (PACKAGE / "ui").glob("*/view.py")}
    borrowed = sorted((module, target) for module, targets in import_graph().items() for target in targets
                      if module.split(".")[:2] == ["simulator", "ui"] and module.count(".") >= 3
                      and target.split(".")[:2] == ["simulator", "ui"] and target.count(".") >= 3
                      and target.split(".")[2] in screens
                      and target.split(".")[2] != module.split(".")[2])
    assert borrowed == []
