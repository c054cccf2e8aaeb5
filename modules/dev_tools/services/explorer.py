"""The module explorer: what the framework discovered about each module, read from the
registry, the app's routes, the migrations and the module's files, with what ``orion validate``
says about it, and the dependency graph drawn as SVG on the server."""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from orion_server.config import get_settings
from orion_server.middleware.platform_context import PLATFORM_PREFIX, STOREFRONT_PREFIX
from orion_server.migrations import branch_states
from orion_server.models import Platform
from orion_server.modules import registry
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.service import module_service
from orion_server.paths import PROJECT_ROOT
from orion_server.validator import Finding, Severity, validate_tree

TASK_DECORATORS = {"task": "task", "db_task": "task", "periodic_task": "periodic", "db_periodic_task": "periodic"}


@dataclass(frozen=True)
class RouteInfo:
    methods: str
    path: str
    """As the framework mounted it (storefront and platform routes under their inner prefix)."""
    name: str
    kind: str
    """``api`` or ``page``."""
    frontend: str
    """``admin``, ``store``, ``storefront`` or ``platform``."""
    shown: str
    """The path as a reader thinks of it: storefront and platform routes relative to their root."""


@dataclass(frozen=True)
class TaskInfo:
    name: str
    kind: str
    """``task`` (queued on demand) or ``periodic``."""
    schedule: str
    """The periodic task's crontab as written, or empty."""
    file: str


@dataclass(frozen=True)
class WiringInfo:
    kind: str
    """``listener``, ``provider``, ``context``, ``visitor``, ``widgets``, ``metrics`` or ``health``."""
    subject: str
    """The event, protocol or frontend it is declared for (empty for widgets, metrics, health)."""
    target: str


@dataclass
class ModuleFacts:
    module: ModuleDefinition
    requires: list[str]
    required_by: list[str]
    """Modules listing this one in their ``requires``."""
    all_requirements: list[str]
    all_dependents: list[str]
    routes: list[RouteInfo] = field(default_factory=list)
    tasks: list[TaskInfo] = field(default_factory=list)
    wiring: list[WiringInfo] = field(default_factory=list)
    migration: dict[str, str | None] | None = None
    enablement: list[tuple[Platform, bool]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)


def direct_dependents(code: str) -> list[str]:
    return [m.code for m in registry.MODULES.values() if code in m.requires]


def routes_of(app: Any, code: str) -> list[RouteInfo]:
    """The routes the framework mounted for the module (tagged with its code), by path."""
    found = []
    for route in app.routes:
        tags = getattr(route, "tags", None) or []
        if not tags or tags[0] != code:
            continue
        methods = ", ".join(sorted(getattr(route, "methods", None) or []))
        kind = "api" if "/api/v1/" in route.path else "page"
        frontend, shown = _frontend_of(route.path)
        found.append(RouteInfo(methods, route.path, route.name, kind, frontend, shown))
    order = {"admin": 0, "store": 1, "storefront": 2, "platform": 3}
    return sorted(found, key=lambda r: (order[r.frontend], r.kind, r.path, r.methods))


def _frontend_of(path: str) -> tuple[str, str]:
    for prefix, frontend in ((STOREFRONT_PREFIX, "storefront"), (PLATFORM_PREFIX, "platform")):
        if path == prefix or path.startswith(prefix + "/"):
            return frontend, "…" + (path[len(prefix):] or "/")
    if path.startswith(("/admin", "/api/v1/admin")):
        return "admin", path
    return "store", path


def _decorator_kind(node: ast.expr) -> tuple[str, str] | None:
    call = node if isinstance(node, ast.Call) else None
    func = call.func if call else node
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in TASK_DECORATORS:
        return None
    schedule = ""
    if call is not None and call.args:
        schedule = ast.unparse(call.args[0])
    return TASK_DECORATORS[name], schedule


def tasks_of(module: ModuleDefinition) -> list[TaskInfo]:
    """The huey tasks defined in the module's ``tasks`` package, from its syntax trees."""
    folder = module.resource_dir("tasks")
    if folder is None:
        return []
    tasks = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                found = _decorator_kind(decorator)
                if found:
                    tasks.append(TaskInfo(node.name, found[0], found[1], path.relative_to(folder).as_posix()))
                    break
    return tasks


def wiring_of(module: ModuleDefinition) -> list[WiringInfo]:
    """Listeners, providers, context and visitor providers, widgets, metrics and health check."""
    wiring = [WiringInfo("listener", event.__name__, target) for event, target in module.listeners.items()]
    wiring += [WiringInfo("provider", proto.__name__, target) for proto, target in module.provides.items()]
    wiring += [WiringInfo("context", f.value, target) for f, target in module.context_providers.items()]
    wiring += [WiringInfo("visitor", f.value, target) for f, target in module.visitor_providers.items()]
    for kind, attribute in (("widgets", "widget_provider"), ("metrics", "metrics_provider"), ("health", "health_check")):
        target = getattr(module, attribute)
        if target is not None:
            wiring.append(WiringInfo(kind, "", target if isinstance(target, str) else getattr(target, "__name__", "")))
    return wiring


class _ValidationCache:
    """``orion validate``'s findings, computed again only when a file of the tree changed
    (the validator reads every module: seconds, not for each page view)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._findings: list[Finding] = []

    @staticmethod
    def _fingerprint(folders: list[Path]) -> tuple[Any, ...]:
        stamp = []
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if "__pycache__" in path.parts or not path.is_file():
                    continue
                stat = path.stat()
                stamp.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(stamp))

    def findings(self) -> list[Finding]:
        extra = [Path(p) for p in get_settings().module_paths]
        folders = [PROJECT_ROOT / "modules", PROJECT_ROOT / "orion_server", PROJECT_ROOT / "orion_desktop", *extra]
        with self._lock:
            key = self._fingerprint(folders)
            if key != self._key:
                self._findings = validate_tree(PROJECT_ROOT, extra)
                self._key = key
            return list(self._findings)


validation = _ValidationCache()


def findings_of(module: ModuleDefinition, findings: list[Finding]) -> list[Finding]:
    """The findings about files of the module."""
    if module.path is None:
        return []
    try:
        prefix = module.path.resolve().relative_to(PROJECT_ROOT.resolve()).as_posix() + "/"
    except ValueError:  # a module from an extra path: findings name it by its absolute path
        prefix = module.path.resolve().as_posix() + "/"
    return [f for f in findings if (f.path + "/").startswith(prefix)]


def overview(db: Session, platforms: list[Platform]) -> list[dict[str, Any]]:
    """Every discovered module, in dependency order, with where it is on."""
    enabled = {p.id: module_service.get_enabled_module_codes(db, p.id) for p in platforms}
    rows = []
    for module in registry.MODULES.values():
        rows.append({
            "module": module,
            "requires": list(module.requires),
            "required_by": direct_dependents(module.code),
            "on": [p for p in platforms if module.code in enabled[p.id]],
        })
    return rows


def module_facts(db: Session, app: Any, code: str, platforms: list[Platform]) -> ModuleFacts | None:
    """Everything the explorer shows about one module, or None for an unknown code."""
    module = registry.get_module(code)
    if module is None:
        return None
    states = {s["branch"]: s for s in branch_states(db.get_bind())}
    return ModuleFacts(
        module=module,
        requires=list(module.requires),
        required_by=direct_dependents(code),
        all_requirements=registry.requirements_of(code),
        all_dependents=registry.dependents_of(code),
        routes=routes_of(app, code),
        tasks=tasks_of(module),
        wiring=wiring_of(module),
        migration=states.get(code),
        enablement=[(p, module_service.is_module_enabled(db, p.id, code)) for p in platforms],
        findings=findings_of(module, validation.findings()),
    )


# -- the dependency graph ---------------------------------------------------------------------

NODE_W, NODE_H = 132, 44
DUMMY_W = 18
"""Width of the slot a line crossing a layer takes in it (so it passes between boxes)."""
GAP_X, GAP_Y = 22, 64
MARGIN = 16
PER_ROW = 7
"""Modules that neither require nor are required are laid out in rows of this many."""


@dataclass
class GraphNode:
    code: str
    name: str
    tier: str
    layer: int = 0
    x: float = 0.0
    y: float = 0.0
    dummy: bool = False
    """A point a line passes through where it crosses a layer, not a module."""

    @property
    def width(self) -> float:
        return DUMMY_W if self.dummy else NODE_W


@dataclass
class GraphEdge:
    source: str
    target: str
    via: list[str]
    """Dummy nodes in the layers between, from the source down."""


@dataclass
class GraphLayout:
    nodes: dict[str, GraphNode]
    edges: list[GraphEdge]
    width: float
    height: float


def layout() -> GraphLayout:
    """Nodes placed in layers (a module sits one layer above the highest it requires), ordered
    within a layer by the mean position of their neighbours to keep lines from crossing; a line
    spanning several layers passes through a slot of its own in each. The modules with no
    dependency either way are in rows of their own below."""
    modules = registry.MODULES
    pairs = [(m.code, req) for m in modules.values() for req in m.requires if req in modules]
    linked = {c for pair in pairs for c in pair}
    nodes = {c: GraphNode(c, m.name, m.tier.value) for c, m in modules.items()}
    for code in modules:  # dependency order: requirements come first
        reqs = [r for r in modules[code].requires if r in nodes]
        nodes[code].layer = 1 + max((nodes[r].layer for r in reqs), default=-1)
    layers: dict[int, list[str]] = {}
    for code in modules:
        if code in linked:
            layers.setdefault(nodes[code].layer, []).append(code)
    edges = []
    for source, target in pairs:
        via = []
        for layer in range(nodes[source].layer - 1, nodes[target].layer, -1):
            name = f"{source}>{target}@{layer}"
            nodes[name] = GraphNode(name, "", "", layer=layer, dummy=True)
            layers[layer].append(name)
            via.append(name)
        edges.append(GraphEdge(source, target, via))
    neighbours: dict[str, list[str]] = {c: [] for c in nodes}
    for edge in edges:
        chain = [edge.source, *edge.via, edge.target]
        for a, b in zip(chain, chain[1:], strict=False):
            neighbours[a].append(b)
            neighbours[b].append(a)
    top = max(layers, default=-1)
    order = {code: float(i) for layer in layers.values() for i, code in enumerate(layer)}
    for _ in range(6):  # barycentre sweeps, down and up
        for number in [*range(top + 1), *range(top, -1, -1)]:
            row = layers.get(number, [])
            row.sort(key=lambda c: (sum(order[n] for n in neighbours[c]) / max(len(neighbours[c]), 1), order[c]))
            for i, code in enumerate(row):
                order[code] = float(i)

    def row_width(row: list[str]) -> float:
        return sum(nodes[c].width for c in row) + GAP_X * max(len(row) - 1, 0)

    alone = [c for c in modules if c not in linked]
    alone_rows = [alone[i:i + PER_ROW] for i in range(0, len(alone), PER_ROW)]
    width = 2 * MARGIN + max([row_width(r) for r in [*layers.values(), *alone_rows]], default=NODE_W)
    y = float(MARGIN)
    for number in range(top, -1, -1):  # what depends on others at the top, foundations below
        row = layers.get(number, [])
        x = (width - row_width(row)) / 2
        for code in row:
            nodes[code].x, nodes[code].y = x, y
            x += nodes[code].width + GAP_X
        y += NODE_H + GAP_Y
    if alone_rows and layers:
        y += 8
    for row in alone_rows:
        x = (width - row_width(row)) / 2
        for code in row:
            nodes[code].x, nodes[code].y = x, y
            x += NODE_W + GAP_X
        y += NODE_H + GAP_X
    height = y - (GAP_X if alone_rows else GAP_Y) + MARGIN
    return GraphLayout(nodes, edges, width, height)


def _edge_path(graph: GraphLayout, edge: GraphEdge) -> str:
    """A smooth line from the bottom of the source box through its slots to the top of the target."""
    source, target = graph.nodes[edge.source], graph.nodes[edge.target]
    points = [(source.x + NODE_W / 2, source.y + NODE_H)]
    for name in edge.via:
        dummy = graph.nodes[name]
        points += [(dummy.x + DUMMY_W / 2, dummy.y), (dummy.x + DUMMY_W / 2, dummy.y + NODE_H)]
    points.append((target.x + NODE_W / 2, target.y - 2))
    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(1, len(points)):
        (x1, y1), (x2, y2) = points[i - 1], points[i]
        if i % 2 == 0:  # through a layer: straight down its slot
            d.append(f"L{x2:.1f},{y2:.1f}")
        else:
            middle = (y1 + y2) / 2
            d.append(f"C{x1:.1f},{middle:.1f} {x2:.1f},{middle:.1f} {x2:.1f},{y2:.1f}")
    return " ".join(d)


def graph_svg(
    focus: str | None = None, *, link: str = "/admin/dev-tools/modules/{code}", title: str = "",
    tier_labels: dict[str, str] | None = None,
) -> Markup:
    """The dependency graph as an SVG element: an arrow from each module to each it requires;
    with ``focus``, that module and its direct neighbours stand out and the others fade."""
    graph = layout()
    near = {focus} if focus else set()
    if focus:
        near |= {e.target for e in graph.edges if e.source == focus} | {e.source for e in graph.edges if e.target == focus}
    parts = [
        f'<svg class="dt-graph" viewBox="0 0 {graph.width:.0f} {graph.height:.0f}" width="{graph.width:.0f}" '
        f'height="{graph.height:.0f}" role="group" aria-labelledby="dt-graph-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="dt-graph-title">{escape(title)}</title>',
        '<defs><marker id="dt-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dt-graph-arrow"></path></marker></defs>',
    ]
    for edge in graph.edges:
        state = " is-near" if focus and focus in (edge.source, edge.target) else " is-faded" if focus else ""
        parts.append(
            f'<path class="dt-graph-edge{state}" d="{_edge_path(graph, edge)}" marker-end="url(#dt-arrow)">'
            f"<title>{escape(edge.source)} → {escape(edge.target)}</title></path>"
        )
    for node in graph.nodes.values():
        if node.dummy:
            continue
        state = " is-focus" if node.code == focus else " is-near" if node.code in near else " is-faded" if focus else ""
        href = escape(link.format(code=node.code))
        parts.append(
            f'<a href="{href}" class="dt-graph-node tier-{escape(node.tier)}{state}" id="node-{escape(node.code)}">'
            f"<title>{escape(node.name)}</title>"
            f'<rect x="{node.x:.1f}" y="{node.y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8"></rect>'
            f'<text x="{node.x + NODE_W / 2:.1f}" y="{node.y + 19:.1f}" class="dt-graph-code">{escape(node.code)}</text>'
            f'<text x="{node.x + NODE_W / 2:.1f}" y="{node.y + 35:.1f}" class="dt-graph-tier">'
            f"{escape((tier_labels or {}).get(node.tier, node.tier))}</text>"
            "</a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
