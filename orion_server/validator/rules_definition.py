"""Module definitions and the dependency graph: MOD-020..022, ORION-103, 104, 107, 108."""

from __future__ import annotations

from collections.abc import Iterator

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.rules_routes import has_staff_routes
from orion_server.validator.tree import ModuleSource, Tree

REQUIRED_TEXT = ("code", "name", "description", "version")
STAFF_FRONTENDS = {"admin", "store"}


def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        yield from _attributes(module)
        yield from _requires(tree, module)
    yield from _duplicates(tree)
    yield from _cycles(tree)


# MOD-020 / MOD-021 / MOD-022 -------------------------------------------------------------


def _attributes(module: ModuleSource) -> Iterator[Finding]:
    definition = module.definition
    assert definition is not None
    where = module.rel(module.definition_file)
    missing = [
        name
        for name in REQUIRED_TEXT
        if not definition.given(name) or definition.literal(name, "x") in ("", None)
    ]
    if not definition.given("features"):
        missing.append("features")
    if missing:
        yield make_finding(
            "MOD-020",
            where,
            definition.line,
            f"ModuleDefinition of {module.package}/ lacks {', '.join(missing)}",
        )
    features = definition.features
    if definition.has_menus and definition.given("features") and features == []:
        yield make_finding(
            "MOD-021",
            where,
            definition.line_of("menu_items"),
            f"module {module.code} has menu items but no features to gate them",
        )
    staff_facing = has_staff_routes(module) or any(
        item.frontend in STAFF_FRONTENDS for item in definition.menu_items
    )
    if (
        features
        and not definition.is_internal
        and staff_facing
        and (not definition.given("permissions") or definition.literal("permissions") in ([], ()))
    ):
        yield make_finding(
            "MOD-022",
            where,
            definition.line_of("permissions"),
            f"module {module.code} has features and admin/store pages but declares no "
            "permissions to guard them",
        )


# ORION-103 / ORION-108 -------------------------------------------------------------------


def _requires(tree: Tree, module: ModuleSource) -> Iterator[Finding]:
    definition = module.definition
    assert definition is not None
    where = module.rel(module.definition_file)
    line = definition.line_of("requires")
    for code in definition.requires:
        target = tree.by_code.get(code)
        if target is None:
            yield make_finding(
                "ORION-103",
                where,
                line,
                f"module {module.code} requires {code!r}, which no module in the tree has",
            )
        elif module.is_core and not target.is_core:
            yield make_finding(
                "ORION-108",
                where,
                line,
                f"core module {module.code} requires {target.tier} module {code}; "
                "a core module can only require core modules",
            )


# ORION-107 -------------------------------------------------------------------------------


def _duplicates(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        first = tree.by_code.get(module.code)
        if first is None or first is module:
            continue
        assert module.definition is not None
        yield make_finding(
            "ORION-107",
            module.rel(module.definition_file),
            module.definition.line_of("code"),
            f"module code {module.code!r} is already used by {first.rel(first.folder)}/",
        )


# ORION-104 -------------------------------------------------------------------------------


def _cycles(tree: Tree) -> Iterator[Finding]:
    """One finding per strongly connected part of the requires graph that has a cycle."""
    graph = {
        code: sorted({r for r in module.definition.requires if r in tree.by_code})
        for code, module in tree.by_code.items()
        if module.definition is not None
    }
    for component in _strong_components(graph):
        members = set(component)
        start = min(component)
        if len(component) == 1 and start not in graph[start]:
            continue
        cycle = _cycle_from(graph, start, members)
        module = tree.by_code[start]
        assert module.definition is not None
        yield make_finding(
            "ORION-104",
            module.rel(module.definition_file),
            module.definition.line_of("requires"),
            f"dependency cycle: {' -> '.join(cycle)}",
        )


def _cycle_from(graph: dict[str, list[str]], start: str, members: set[str]) -> list[str]:
    """A shortest path ``start -> ... -> start`` inside one strongly connected part."""
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in graph[node]:
            if nxt not in members:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start, start]


def _strong_components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components come out in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
