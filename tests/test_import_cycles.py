"""No module of the portal imports, directly or inside a function, a module that imports it back; and no
app imports an app that imports it back (the apps stand in layers: see `spukportal/hooks.py`).

The graph is read from the source (every `import` and `from … import`, at any depth, relative imports
resolved), restricted to the portal's own packages; a cycle of any length fails the test and names it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("spukportal", "regions", "budgets", "applications", "monitoring", "api")


# App-level edges that still point down-to-up, each with its reason. Remove an entry when its edge goes.
KNOWN_APP_EDGES = {
    # Users, roles and the eHerkenning login belong to gemeenten: spukportal's accounts part reads
    # regions.Municipality (demo accounts, the login's organisation choice, the reference data summary).
    ("spukportal", "regions"),
}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(root: Path, packages) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path, root)] = path
    return found


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = ROOT, packages=PACKAGES) -> dict[str, set[str]]:
    modules = _modules(root, packages)
    graph = {name: set() for name in modules}

    def own(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                module = own(target)
                if module and module != name and not (module == name.rpartition(".")[0] and target == module):
                    graph[name].add(module)
    return graph


def app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph seen per app (top-level package): an edge where any module of one imports the other."""
    apps = {name.split(".")[0]: set() for name in graph}
    for name, targets in graph.items():
        for target in targets:
            if target.split(".")[0] != name.split(".")[0]:
                apps[name.split(".")[0]].add(target.split(".")[0])
    return apps


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_an_import_inside_a_function_that_closes_a_cycle_fails(tmp_path):
    # `a` imports `b` at the top; `b` imports `a` only inside a function (and, deeper, inside a method):
    # still a cycle.
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from . import b\n",
        "pkg/b.py": "def f():\n    if True:\n        from .a import thing\n    return thing\n",
        "pkg/c.py": "class C:\n    def m(self):\n        import pkg.d\n",
        "pkg/d.py": "from pkg import c\n",
    })
    graph = import_graph(tmp_path, ("pkg",))
    assert "pkg.a" in graph["pkg.b"] and "pkg.d" in graph["pkg.c"]
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]


def test_an_app_cycle_made_of_modules_without_a_module_cycle_fails(tmp_path):
    # low.views imports high.models, high.services imports low.models: no module cycle, an app cycle.
    _write(tmp_path, {
        "low/__init__.py": "", "low/models.py": "", "low/views.py": "def v():\n    from high import models\n",
        "high/__init__.py": "", "high/models.py": "", "high/services.py": "from low.models import *\n",
    })
    graph = import_graph(tmp_path, ("low", "high"))
    assert cycles(graph) == []
    assert cycles(app_graph(graph)) == [["high", "low"]]


def test_no_module_imports_a_module_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_no_app_imports_an_app_that_imports_it_back():
    apps = app_graph(import_graph())
    for low, high in KNOWN_APP_EDGES:
        apps[low].discard(high)
    assert cycles(apps) == []


def test_every_known_app_edge_still_exists():
    apps = app_graph(import_graph())
    assert [edge for edge in KNOWN_APP_EDGES if edge[1] not in apps[edge[0]]] == []


def test_a_cycle_would_be_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
