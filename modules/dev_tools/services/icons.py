"""The icon browser: the icons of ``resources/static/icons/icons.svg``, searched by name and
search words, with the menu entries that use each one."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from orion_server.modules import registry
from orion_server.paths import RESOURCES_DIR

SPRITE = RESOURCES_DIR / "static" / "icons" / "icons.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
PER_PAGE = 96
MAX_QUERY = 60


@dataclass(frozen=True)
class Icon:
    name: str
    tags: tuple[str, ...] = ()
    used_by: tuple[str, ...] = field(default=())
    """``frontend:menu id`` of the menu entries showing it."""


@dataclass
class IconPage:
    icons: list[Icon]
    total: int
    """Icons matching the search (all pages)."""
    page: int
    pages: int
    query: str
    missing: list[tuple[str, str]]
    """``(menu entry, icon name)`` for menu entries naming an icon the set lacks."""


@lru_cache(maxsize=4)
def _read(path: Path, mtime_ns: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    root = ET.parse(path).getroot()
    icons = []
    for symbol in root.iter(f"{SVG_NS}symbol"):
        tags = tuple((symbol.get("data-tags") or "").split())
        icons.append((symbol.get("id", ""), tags))
    return tuple(sorted(icons))


def icon_names(path: Path = SPRITE) -> list[str]:
    """Names of every icon in the set, sorted."""
    return [name for name, _ in _read(path, path.stat().st_mtime_ns)]


def _menu_icons() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for module in registry.MODULES.values():
        for frontend, items in module.menu_items.items():
            for item in items:
                if isinstance(item, str):
                    continue
                used.setdefault(item.icon, []).append(f"{frontend.value}:{item.id}")
    return used


def search(query: str = "", page: int = 1, path: Path = SPRITE) -> IconPage:
    """Icons whose name or a search word contains every word of ``query``, a page of them."""
    query = " ".join(query.split())[:MAX_QUERY]
    words = query.lower().split()
    used = _menu_icons()
    matching = []
    for name, tags in _read(path, path.stat().st_mtime_ns):
        haystack = " ".join((name, *tags, *used.get(name, []))).lower()
        if all(word in haystack for word in words):
            matching.append(Icon(name, tags, tuple(used.get(name, []))))
    pages = max(1, -(-len(matching) // PER_PAGE))
    page = min(max(page, 1), pages)
    known = set(icon_names(path))
    missing = sorted((entry, name) for name, entries in used.items() if name not in known for entry in entries)
    return IconPage(
        icons=matching[(page - 1) * PER_PAGE: page * PER_PAGE], total=len(matching), page=page, pages=pages,
        query=query, missing=missing,
    )
