"""A storefront's ``robots.txt`` and sitemaps, assembled from every enabled ``SitemapSource``;
a platform's own, from every enabled ``PlatformSitemapSource``.

The sitemaps are files in the data folder (``sitemaps/{store id}/``), made by a task when a
module announces ``StorefrontContentChanged`` (``modules.cms.tasks.sitemaps``), never while a
search engine waits: only the very first request of a store, before any task ran, makes them
once. There is one sitemap per language of the store (the store's own language at the bare
address, the others with ``?lang=``, as ``orion_server.seo`` writes their canonical
addresses), each split past ``MAX_URLS`` addresses, and an index listing them all.

The files keep ``SITE`` where the storefront's address goes: it is put in when a file is
served, so the same files answer in path mode and host mode with the addresses the pages
themselves call canonical.

A platform's site (its home, pricing and content pages) has the same files in
``sitemaps/platform-{id}-{created}/``, one sitemap per language the installation speaks, every
address with its ``?lang=`` (a platform page's bare address follows the browser), made again
when one of its pages changes. Its ``robots.txt`` at the root of a host is the one crawlers
read: it also names the sitemaps of the storefronts served in path mode on that host.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.sitemap import SitemapEntry, platform_sitemap_entries, sitemap_entries
from orion_server.config import get_settings
from orion_server.models import Platform, Store
from orion_server.seo import language_address, platform_base, storefront_base

MAX_URLS = 50_000
"""Most addresses in one sitemap file (the sitemaps.org limit)."""
SITE = "@@orion-site@@"
"""Stands for the storefront's absolute root (ends with ``/``) in a stored file."""
INDEX = "sitemap.xml"
FILE_NAME = re.compile(r"^(?P<language>[a-z]{2})-(?P<number>[1-9][0-9]{0,5})\.xml$")
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DISALLOWED = ("cart", "checkout", "account/", "api/")
"""Storefront paths made for one shopper, which no search engine should walk."""
DISALLOWED_EVERYWHERE = ("/admin/", "/store/", "/api/")
"""The dashboards and the API, on whatever host the storefront answers."""


def _folder(store: Store) -> Path:
    """The store's folder, named by its id and creation time: a store made later with the
    same id (SQLite may reuse the id of the last row deleted) never finds another's files."""
    made = int(store.created_at.timestamp() * 1_000_000) if store.created_at else 0
    return get_settings().data_dir / "sitemaps" / f"{int(store.id)}-{made}"


def _platform_folder(platform: Platform) -> Path:
    made = int(platform.created_at.timestamp() * 1_000_000) if platform.created_at else 0
    return get_settings().data_dir / "sitemaps" / f"platform-{int(platform.id)}-{made}"


def _forget(store_id: int) -> None:
    """Remove every file of a store that is gone."""
    for folder in (get_settings().data_dir / "sitemaps").glob(f"{int(store_id)}-*"):
        for path in folder.glob("*.xml"):
            path.unlink(missing_ok=True)


def _lastmod(value: datetime | None) -> str:
    return f"<lastmod>{value.strftime('%Y-%m-%d')}</lastmod>" if value is not None else ""


def _newest(entries: Iterable[SitemapEntry]) -> datetime | None:
    dates = [entry.lastmod for entry in entries if entry.lastmod is not None]
    return max(dates) if dates else None


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _origin(address: str) -> tuple[str, str]:
    parts = urlsplit(address)
    return parts.scheme, parts.netloc


def _served(path: Path, site: str) -> bytes | None:
    """The stored file with the site's address put in; None when there is no such file."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").replace(SITE, escape(site)).encode("utf-8")


def _make_files(folder: Path, entries: list[SitemapEntry], languages: list[str], own: str, began: float) -> list[str]:
    """Write one sitemap per language (split past ``MAX_URLS``) and the index listing them
    into ``folder``, dated ``began``; drop the files of languages or splits no longer made."""
    chunks = [entries[i : i + MAX_URLS] for i in range(0, len(entries), MAX_URLS)] or [[]]
    written: list[tuple[str, datetime | None]] = []
    for language in languages:
        for number, chunk in enumerate(chunks, start=1):
            name = f"{language}-{number}.xml"
            urls = "".join(
                f"<url><loc>{escape(language_address(SITE + entry.path, language, own))}</loc>"
                f"{_lastmod(entry.lastmod)}</url>\n"
                for entry in chunk
            )
            _write(folder / name, f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n{urls}</urlset>\n')
            written.append((name, _newest(chunk)))
    index = "".join(
        f"<sitemap><loc>{SITE}sitemaps/{name}</loc>{_lastmod(newest)}</sitemap>\n" for name, newest in written
    )
    _write(folder / INDEX, f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n{index}</sitemapindex>\n')
    os.utime(folder / INDEX, (began, began))
    names = {INDEX, *(name for name, _ in written)}
    for path in folder.glob("*.xml"):
        if path.name not in names:  # a language dropped, a split undone
            path.unlink(missing_ok=True)
    return [INDEX, *(name for name, _ in written)]


class SitemapService:
    """Makes, stores and serves a store's sitemaps."""

    def made_at(self, db: Session, *, store_id: int) -> float | None:
        """When the store's sitemaps last began to be made (seconds since the epoch), or None."""
        store = db.get(Store, store_id)
        index = _folder(store) / INDEX if store is not None else None
        return index.stat().st_mtime if index is not None and index.is_file() else None

    def rebuild(self, db: Session, *, store_id: int) -> list[str]:
        """Make the store's sitemaps again from every enabled source; returns the file names
        (index first). A store that is gone or inactive loses its files. The index is dated
        when the reading began (``made_at``): what changed later is not in it."""
        began = time.time()
        store = db.get(Store, store_id)
        if store is None or not store.is_active:
            _forget(store_id)
            return []
        entries = sitemap_entries(db, platform_id=store.platform_id, store_id=store.id)
        languages = list(store.languages or []) or [store.default_language]
        own = store.default_language if store.default_language in languages else languages[0]
        return _make_files(_folder(store), entries, languages, own, began)

    def platform_made_at(self, db: Session, *, platform_id: int) -> float | None:
        """When the platform's own sitemaps last began to be made, or None."""
        platform = db.get(Platform, platform_id)
        index = _platform_folder(platform) / INDEX if platform is not None else None
        return index.stat().st_mtime if index is not None and index.is_file() else None

    def rebuild_platform(self, db: Session, *, platform_id: int) -> list[str]:
        """Make the sitemaps of the platform's own site again; returns the file names (index
        first). Every language the installation speaks, each address with ``?lang=``."""
        began = time.time()
        platform = db.get(Platform, platform_id)
        if platform is None:
            return []
        entries = platform_sitemap_entries(db, platform_id=platform.id)
        return _make_files(_platform_folder(platform), entries, list(get_settings().supported_languages), "", began)

    def read_platform(self, db: Session, *, platform_id: int, name: str, site: str) -> bytes | None:
        """A stored file of the platform's site with its address put in (as ``read``)."""
        if name != INDEX and not FILE_NAME.match(name):
            return None
        platform = db.get(Platform, platform_id)
        if platform is None:
            return None
        path = _platform_folder(platform) / name
        if not path.is_file() and name == INDEX:
            self.rebuild_platform(db, platform_id=platform_id)
        return _served(path, site)

    def modified(self, db: Session, *, name: str, store_id: int | None = None,
                 platform_id: int | None = None) -> float | None:
        """When the stored file ``name`` of a store (or a platform's site) was last made: its
        ``Last-Modified``; None when there is none."""
        if name != INDEX and not FILE_NAME.match(name):
            return None
        if store_id is not None:
            store = db.get(Store, store_id)
            folder = _folder(store) if store is not None else None
        else:
            platform = db.get(Platform, platform_id) if platform_id is not None else None
            folder = _platform_folder(platform) if platform is not None else None
        path = folder / name if folder is not None else None
        return path.stat().st_mtime if path is not None and path.is_file() else None

    def stores_of(self, db: Session, *, platform_id: int, store_id: int | None) -> list[int]:
        """The stores a change concerns: one, or (a platform's page) every store of the platform."""
        if store_id is not None:
            return [store_id]
        return list(db.scalars(select(Store.id).where(Store.platform_id == platform_id)))

    def read(self, db: Session, *, store_id: int, name: str, site: str) -> bytes | None:
        """The stored file ``name`` (``sitemap.xml`` or ``fr-1.xml``) with the storefront's
        address put in; None for a name that is not one. The index is made once when no task
        has made it yet."""
        if name != INDEX and not FILE_NAME.match(name):
            return None
        store = db.get(Store, store_id)
        if store is None:
            return None
        path = _folder(store) / name
        if not path.is_file() and name == INDEX:
            self.rebuild(db, store_id=store_id)
        return _served(path, site)

    def robots(self, *, root: str, site: str) -> str:
        """``robots.txt`` of a storefront whose pages start at the path ``root`` and whose
        canonical address is ``site``: its sitemap, and the pages made for one shopper kept out."""
        disallowed = dict.fromkeys([*(root + path for path in DISALLOWED), *DISALLOWED_EVERYWHERE])
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), f"Allow: {root}", ""]
        lines.append(f"Sitemap: {site}{INDEX}")
        return "\n".join(lines) + "\n"

    def platform_robots(self, db: Session, *, platform_id: int, site: str, at_host_root: bool,
                        scheme: str | None = None) -> str:
        """``robots.txt`` of a platform's site whose root is the absolute ``site``. At the root
        of a host (where crawlers read it) it also keeps them out of what the storefronts served
        in path mode on this host make for one shopper, and names those storefronts' sitemaps."""
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED_EVERYWHERE)]
        sitemaps = [f"{site}{INDEX}"]
        if at_host_root:
            lines += [f"Disallow: /platforms/*/storefront/*/{path}" for path in DISALLOWED]
            origin = _origin(site)
            platforms = {p.id: p for p in db.scalars(select(Platform).where(Platform.is_active.is_(True)))}
            for platform in sorted(platforms.values(), key=lambda p: p.id):
                other = platform_base(platform, scheme=scheme)
                if platform.id != platform_id and _origin(other) == origin:
                    sitemaps.append(f"{other}{INDEX}")
            stores = db.scalars(select(Store).where(Store.is_active.is_(True)).order_by(Store.id))
            for store in stores:
                address = storefront_base(store, platforms.get(store.platform_id), scheme=scheme)
                if store.platform_id in platforms and _origin(address) == origin:
                    sitemaps.append(f"{address}{INDEX}")
        lines += ["Allow: /", ""]
        lines += [f"Sitemap: {address}" for address in sitemaps]
        return "\n".join(lines) + "\n"


sitemap_service = SitemapService()


def entries_for_pages(pages: Iterable[Any]) -> list[SitemapEntry]:
    """Published content pages as sitemap entries."""
    return [SitemapEntry(f"pages/{page.slug}", page.updated_at) for page in pages]
