"""A storefront's ``robots.txt`` and sitemaps, assembled from every enabled ``SitemapSource``.

The sitemaps are files in the data folder (``sitemaps/{store id}/``), made by a task when a
module announces ``StorefrontContentChanged`` (``modules.cms.tasks.sitemaps``), never while a
search engine waits: only the very first request of a store, before any task ran, makes them
once. There is one sitemap per language of the store (the store's own language at the bare
address, the others with ``?lang=``, as ``orion_server.seo`` writes their canonical
addresses), each split past ``MAX_URLS`` addresses, and an index listing them all.

The files keep ``SITE`` where the storefront's address goes: it is put in when a file is
served, so the same files answer in path mode and host mode with the addresses the pages
themselves call canonical.
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
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.sitemap import SitemapEntry, sitemap_entries
from orion_server.config import get_settings
from orion_server.models import Store
from orion_server.seo import language_address

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
        folder = _folder(store)
        entries = sitemap_entries(db, platform_id=store.platform_id, store_id=store.id)
        languages = list(store.languages or []) or [store.default_language]
        own = store.default_language if store.default_language in languages else languages[0]
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
        _write(
            folder / INDEX,
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n{index}</sitemapindex>\n',
        )
        os.utime(folder / INDEX, (began, began))
        names = {INDEX, *(name for name, _ in written)}
        for path in folder.glob("*.xml"):
            if path.name not in names:  # a language dropped, a split undone
                path.unlink(missing_ok=True)
        return [INDEX, *(name for name, _ in written)]

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
        if not path.is_file():
            if name != INDEX:
                return None
            self.rebuild(db, store_id=store_id)
            if not path.is_file():
                return None
        text = path.read_text(encoding="utf-8")
        return text.replace(SITE, escape(site)).encode("utf-8")

    def robots(self, *, root: str, site: str) -> str:
        """``robots.txt`` of a storefront whose pages start at the path ``root`` and whose
        canonical address is ``site``: its sitemap, and the pages made for one shopper kept out."""
        disallowed = dict.fromkeys([*(root + path for path in DISALLOWED), *DISALLOWED_EVERYWHERE])
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed), f"Allow: {root}", ""]
        lines.append(f"Sitemap: {site}{INDEX}")
        return "\n".join(lines) + "\n"


sitemap_service = SitemapService()


def entries_for_pages(pages: Iterable[Any]) -> list[SitemapEntry]:
    """Published content pages as sitemap entries."""
    return [SitemapEntry(f"pages/{page.slug}", page.updated_at) for page in pages]
