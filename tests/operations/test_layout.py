"""The layout's rules, read from the code's own imports (every import, at the top of a file or
inside a function): the apps depend on each other one way, as the README's "where things live"
says, and no module imports another that imports it back, directly or through others."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "catalog", "accounts", "roadmap", "mentoring", "reminders", "jobs", "sharing", "api")
# What each app may import besides itself and config (the project's settings and helpers).
MAY_IMPORT: dict[str, set[str]] = {
    "config": set(),
    "catalog": set(),
    "accounts": {"catalog"},
    "roadmap": {"catalog", "accounts"},
    "mentoring": {"catalog", "accounts", "roadmap"},
    "reminders": {"catalog", "accounts", "roadmap", "mentoring"},
    "jobs": {"catalog", "accounts", "roadmap"},
    "sharing": {"catalog", "accounts", "roadmap", "mentoring"},
    "api": {"catalog", "accounts", "roadmap", "mentoring"},
}
# The places that gather from every app: the root URL configuration, the learner's own data
# (export and deletion) and the demo accounts.
MAY_IMPORT_ANY = {
    "config/urls.py",
    "accounts/data.py",
    "accounts/management/commands/create_demo_accounts.py",
}


def sources() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The project's modules that `path` imports (a `from package import name` may name a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in APPS}


def graph() -> dict[str, set[str]]:
    modules = {module_of(path): path for path in sources()}
    return {
        module: {name for name in imported(path) if name in modules and name != module}
        for module, path in modules.items()
    }


def test_apps_depend_on_each_other_one_way() -> None:
    wrong = []
    for path in sources():
        relative = path.relative_to(ROOT).as_posix()
        app = relative.split("/")[0]
        if relative in MAY_IMPORT_ANY:
            continue
        allowed = MAY_IMPORT[app] | {app, "config"}
        wrong += [
            f"{relative} imports {name}"
            for name in sorted(imported(path))
            if name.split(".")[0] not in allowed
        ]
    assert wrong == []


def test_no_module_imports_another_that_imports_it_back() -> None:
    edges = graph()
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for name in sorted(edges[module]):
            if state.get(name) == 1:
                circles.append(" -> ".join([*path[path.index(name) :], name]))
            elif name not in state:
                visit(name, [*path, name])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []


# Model writes by method name (a queryset's update() is left out: dict and set have one too).
WRITES = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}


def reads_only(path: Path) -> bool:
    """Views, template tags, selectors and forms: they call services to write, never the ORM."""
    relative = path.relative_to(ROOT).as_posix()
    return any(
        part in relative for part in ("/views", "/templatetags/", "/selectors", "/forms.py", "/routers/")
    )


def test_views_templates_and_selectors_write_only_through_services() -> None:
    writes = [
        f"{path.relative_to(ROOT)}:{node.lineno} calls .{node.func.attr}()"
        for path in sources()
        if reads_only(path)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
    ]
    assert writes == []


def test_the_checks_see_the_imports() -> None:
    """The two tests above would pass on nothing: they read real edges, a function's imports too."""
    edges = graph()
    assert "catalog.models" in edges["roadmap.models"]
    assert "mentoring.tasks" in edges["mentoring.services"]
    assert any(name.startswith("sharing") for name in edges["accounts.data"])
    assert sum(reads_only(path) for path in sources()) > 30
