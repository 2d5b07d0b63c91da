"""The layering contract, read from the source with `ast` (nothing is imported, so a broken layer cannot hide):

- the domain is pure: it imports no Flask, SQLAlchemy, Werkzeug or WTForms, and nothing of portal outside itself;
- services never import a web package (a package with a blueprint.py);
- web packages never reach the database session themselves: they call a service;
- no import cycle among portal's modules, counting the imports that run when a module is imported;
- no module in portal/ is over 400 lines.

Each checker is a plain function, tried first on a small made-up case so a checker that finds nothing cannot pass
by accident.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
MAX_LINES = 400
FRAMEWORKS = ("flask", "sqlalchemy", "werkzeug", "wtforms")  # and every flask_* extension


@dataclass(frozen=True)
class Module:
    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def package(self) -> str:
        """The package its relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Import:
    target: str  # absolute module name: pkg.name when that is a module, else pkg
    line: int
    at_import_time: bool  # False inside a function or under `if TYPE_CHECKING:`


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PORTAL.rglob("*.py")):
        parts = path.relative_to(PORTAL.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = Module(name, path)
    return found


def web_packages() -> list[str]:
    """Every package holding a blueprint.py is a web package."""
    return sorted(m.package for m in modules().values() if m.path.name == "blueprint.py")


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# --- Reading imports ---------------------------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST, at_import_time: bool = True) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, at_import_time
        return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        at_import_time = False
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for child in node.body:
            yield from _import_nodes(child, False)
        for child in node.orelse:
            yield from _import_nodes(child, at_import_time)
        return
    for child in ast.iter_child_nodes(node):
        yield from _import_nodes(child, at_import_time)


def imports_of(source: str, package: str, known: set[str] | dict) -> list[Import]:
    """Every import in `source`, resolved against `package` (where its relative imports start from)."""
    found = []
    for node, at_import_time in _import_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        found += [Import(target, node.lineno, at_import_time) for target in dict.fromkeys(targets)]
    return found


@cache
def imports() -> dict[str, list[Import]]:
    known = modules()
    return {name: imports_of(m.source(), m.package, known) for name, m in known.items()}


# --- The checkers ------------------------------------------------------------------------------------------------


def impure(module: str, found: list[Import]) -> list[str]:
    """The imports a domain module must not make: frameworks, or portal outside portal.domain."""
    bad = []
    for imp in found:
        top = imp.target.partition(".")[0]
        framework = top in FRAMEWORKS or top.startswith("flask_")
        outer = top == "portal" and not within(imp.target, "portal.domain")
        if framework or outer:
            bad.append(f"{module}:{imp.line} imports {imp.target}")
    return bad


def session_uses(module: str, source: str) -> list[str]:
    """`db.session`, and importing `db` at all (a web module has no other use for it)."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        on_db = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "db"
        if on_db and node.attr == "session":
            bad.append(f"{module}:{node.lineno} uses db.session")
        if isinstance(node, ast.ImportFrom) and any(a.name == "db" for a in node.names):
            bad.append(f"{module}:{node.lineno} imports db")
    return bad


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle per strongly connected group of modules, as a path that ends where it starts."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    cycles = []
    for group in groups:
        start = min(group)
        if len(group) > 1 or start in graph.get(start, ()):
            cycles.append(_shortest_cycle(graph, group, start))
    return sorted(cycles)


def _shortest_cycle(graph: dict[str, set[str]], group: set[str], start: str) -> list[str]:
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt in group and nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")  # unreachable for a strongly connected group


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: {i.target for i in found if i.at_import_time and i.target in known and i.target != name}
        for name, found in imports().items()
    }


# --- The checkers on made-up cases -------------------------------------------------------------------------------

SAMPLE = """
from typing import TYPE_CHECKING
import portal.domain.timefmt
from . import forms
from .blueprint import bp
from .. import extensions
from portal.services import errors
from portal.services.errors import ServiceError
if TYPE_CHECKING:
    from portal.models import User
def later():
    from portal.jobs import run
"""
SAMPLE_KNOWN = {
    "portal",
    "portal.bids",
    "portal.bids.forms",
    "portal.bids.blueprint",
    "portal.extensions",
    "portal.services",
    "portal.services.errors",
    "portal.domain.timefmt",
    "portal.models",
    "portal.jobs",
}


def test_imports_resolve_relative_names_and_submodules_and_tell_import_time_from_later():
    found = {(i.target, i.at_import_time) for i in imports_of(SAMPLE, "portal.bids", SAMPLE_KNOWN)}
    assert found == {
        ("typing", True),
        ("portal.domain.timefmt", True),
        ("portal.bids.forms", True),
        ("portal.bids.blueprint", True),
        ("portal.extensions", True),
        ("portal.services.errors", True),
        ("portal.models", False),
        ("portal.jobs", False),
    }
    package_init = imports_of("from .blueprint import bp\nfrom . import nothing_such", "portal.bids", SAMPLE_KNOWN)
    assert [i.target for i in package_init] == ["portal.bids.blueprint", "portal.bids"]


def test_the_purity_check_refuses_frameworks_and_the_rest_of_portal():
    source = "import flask\nfrom flask_login import current_user\nfrom sqlalchemy.orm import Session\n"
    source += "from portal.models import User\nfrom portal.domain.money import parse_pounds\nfrom . import money\n"
    source += "from decimal import Decimal\n"
    found = imports_of(source, "portal.domain", {"portal.domain.money"})
    assert impure("portal.domain.x", found) == [
        "portal.domain.x:1 imports flask",
        "portal.domain.x:2 imports flask_login",
        "portal.domain.x:3 imports sqlalchemy.orm",
        "portal.domain.x:4 imports portal.models",
    ]


def test_the_session_check_finds_db_session_and_db():
    source = "from portal.extensions import db\n\ndef view():\n    return db.session.get(User, 1)\n"
    assert session_uses("m", source) == ["m:1 imports db", "m:4 uses db.session"]
    assert session_uses("m", "session = request.session\n") == []


def test_the_cycle_finder_reports_each_cycle_as_a_path():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["e", "e"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


# --- The contract on portal/ -------------------------------------------------------------------------------------


def test_the_source_is_found():
    assert len(modules()) > 150
    assert {"portal.auth", "portal.bids", "portal.evaluation", "portal.admin.people"} <= set(web_packages())
    assert sum(len(edges) for edges in import_graph().values()) > 500


def test_the_domain_imports_no_framework_and_nothing_of_portal_outside_it():
    domain = [name for name in modules() if within(name, "portal.domain")]
    assert len(domain) > 10
    bad = [problem for name in domain for problem in impure(name, imports()[name])]
    assert not bad, "The domain must stay pure:\n" + "\n".join(bad)


def test_services_never_import_a_web_package():
    web = web_packages()
    services = [name for name in modules() if within(name, "portal.services")]
    assert len(services) > 40
    bad = [
        f"{name}:{i.line} imports {i.target}"
        for name in services
        for i in imports()[name]
        if any(within(i.target, package) for package in web)
    ]
    assert not bad, "Services must not import the web layer:\n" + "\n".join(bad)


def test_web_packages_never_touch_the_database_session():
    web = web_packages()
    views = [m for name, m in modules().items() if any(within(name, package) for package in web)]
    assert len(views) > 50
    bad = [problem for m in views for problem in session_uses(m.name, m.source())]
    assert not bad, "Web modules call services instead of using the session:\n" + "\n".join(bad)


def test_no_import_cycles_among_portal_modules():
    cycles = find_cycles(import_graph())
    assert not cycles, "Import cycles (imports that run at import time):\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_in_portal_is_over_400_lines():
    long = {name: lines for name, m in modules().items() if (lines := len(m.source().splitlines())) > MAX_LINES}
    assert not long, f"Modules over {MAX_LINES} lines (split them by area): {long}"
