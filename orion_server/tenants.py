"""A cached directory of platforms and stores, used to resolve every request."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server.models import Platform, Store
from orion_server.revision import MISSING, config_cache


@dataclass(frozen=True)
class PlatformInfo:
    """What a request needs to know about a platform (a snapshot, safe across threads)."""

    id: int
    code: str
    name: str
    domain: str | None
    default_language: str


@dataclass(frozen=True)
class StoreInfo:
    """What a request needs to know about a store."""

    id: int
    code: str
    name: str
    platform_id: int
    subdomain: str
    custom_domain: str | None
    default_language: str
    languages: tuple[str, ...]
    logo_file: str | None = None
    """The logo's file name (it changes with every new logo, so it also busts caches)."""


@dataclass
class TenantDirectory:
    """Every active platform and store, indexed the ways requests look them up."""

    platforms_by_code: dict[str, PlatformInfo] = field(default_factory=dict)
    platforms_by_id: dict[int, PlatformInfo] = field(default_factory=dict)
    platforms_by_domain: dict[str, PlatformInfo] = field(default_factory=dict)
    stores_by_code: dict[str, StoreInfo] = field(default_factory=dict)
    stores_by_subdomain: dict[tuple[int, str], StoreInfo] = field(default_factory=dict)
    stores_by_domain: dict[str, StoreInfo] = field(default_factory=dict)

    def store_in_platform(self, platform: PlatformInfo, code: str) -> StoreInfo | None:
        store = self.stores_by_code.get(code)
        return store if store and store.platform_id == platform.id else None


def _load(db: Session) -> TenantDirectory:
    directory = TenantDirectory()
    for p in db.scalars(select(Platform).where(Platform.is_active.is_(True))):
        info = PlatformInfo(p.id, p.code, p.name, p.domain, p.default_language)
        directory.platforms_by_code[p.code] = info
        directory.platforms_by_id[p.id] = info
        if p.domain:
            directory.platforms_by_domain[p.domain.lower()] = info
    for s in db.scalars(select(Store).where(Store.is_active.is_(True))):
        if s.platform_id not in directory.platforms_by_id:
            continue
        info = StoreInfo(
            s.id,
            s.code,
            s.name,
            s.platform_id,
            s.subdomain,
            s.custom_domain,
            s.default_language,
            tuple(s.languages or ()),
            s.logo_file,
        )
        directory.stores_by_code[s.code] = info
        directory.stores_by_subdomain[(s.platform_id, s.subdomain.lower())] = info
        if s.custom_domain:
            directory.stores_by_domain[s.custom_domain.lower()] = info
    return directory


def tenant_directory(db: Session) -> TenantDirectory:
    """The directory, reloaded when the configuration revision moves."""
    return config_cache.get(db, "tenant_directory", _load)


def known_tenant_directory() -> TenantDirectory | None:
    """The directory when this process's copy is current without asking the database, else None."""
    known = config_cache.peek("tenant_directory")
    return None if known is MISSING else known


def _store_platforms(db: Session) -> dict[int, int]:
    return {store_id: platform_id for store_id, platform_id in db.execute(select(Store.id, Store.platform_id))}


def platform_id_of_store(db: Session, store_id: int) -> int | None:
    """The platform a store (active or not) belongs to, None for an unknown store; cached until
    the revision moves, so asking once per cart line costs nothing."""
    found = config_cache.get(db, "store_platforms", _store_platforms).get(store_id)
    if found is None:  # a store created since, in this transaction: not in the cache yet
        found = db.scalar(select(Store.platform_id).where(Store.id == store_id))
    return found
