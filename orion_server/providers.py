"""Providers: the implementation of a contract protocol that an enabled module offers.

A module declares what it provides in its definition, e.g.
``provides={ProductCatalog: ".offers:CatalogOffers"}`` (a factory, called once per process);
a consumer asks for the implementation on a platform and gets None where the providing
module is off::

    catalog = get_provider(db, ProductCatalog, platform_id=store.platform_id)
    if catalog is not None:
        offer = catalog.offer(db, store_id=store.id, sku=sku, language=language)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from orion_server.modules import hooks

# The registry and the module service are imported where used: module definitions import the
# protocols of modules.contracts, which import this file while the registry discovers them.

T = TypeVar("T")


class _Providers:
    """Implementations made from the definitions' ``provides``, one per module and protocol."""

    def __init__(self) -> None:
        self._instances: dict[tuple[str, type], Any] = {}
        self._overrides: dict[type, list[Any]] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Make the implementations again on next use (the registry was reloaded)."""
        with self._lock:
            self._instances.clear()

    def offering(self, protocol: type) -> list[str]:
        """Codes of the modules that declare ``protocol``, in dependency order."""
        from orion_server.modules import registry

        return [code for code, module in registry.MODULES.items() if protocol in module.provides]

    def instance(self, code: str, protocol: type) -> Any:
        """The implementation module ``code`` provides for ``protocol`` (made once)."""
        key = (code, protocol)
        with self._lock:
            if key in self._instances:
                return self._instances[key]
        from orion_server.modules import registry

        module = registry.MODULES[code]
        made = module.resolve(module.provides[protocol])()
        with self._lock:
            return self._instances.setdefault(key, made)


_providers = _Providers()
hooks.on_registry_reload(_providers.reset)


def get_providers(db: Session, protocol: type[T], *, platform_id: int | None) -> list[T]:
    """Every implementation of ``protocol`` offered by a module enabled on the platform, in
    dependency order; without a platform, those of core modules."""
    from orion_server.modules import registry
    from orion_server.modules.service import module_service

    overridden = _providers._overrides.get(protocol)
    if overridden is not None:
        return list(overridden)
    codes = _providers.offering(protocol)
    if not codes:
        return []
    if platform_id is None:
        enabled: frozenset[str] | set[str] = registry.get_core_module_codes()
    else:
        enabled = module_service.get_enabled_module_codes(db, platform_id)
    return [_providers.instance(code, protocol) for code in codes if code in enabled]


def implementations_of(protocol: type[T]) -> list[T]:
    """Every implementation of ``protocol`` any discovered module offers, enabled on a platform
    or not (for what must be known before a platform's modules are read: a cookie's name)."""
    overridden = _providers._overrides.get(protocol)
    if overridden is not None:
        return list(overridden)
    return [_providers.instance(code, protocol) for code in _providers.offering(protocol)]


def get_provider(db: Session, protocol: type[T], *, platform_id: int | None) -> T | None:
    """The implementation of ``protocol`` on the platform (the first module offering it, in
    dependency order), or None where no enabled module offers it."""
    found = get_providers(db, protocol, platform_id=platform_id)
    return found[0] if found else None


@contextmanager
def override(protocol: type[T], *implementations: T) -> Iterator[None]:
    """For tests: hand out ``implementations`` for ``protocol`` everywhere (none: nobody
    provides it) until the block ends."""
    with _providers._lock:
        previous = _providers._overrides.get(protocol)
        _providers._overrides[protocol] = list(implementations)
    try:
        yield
    finally:
        with _providers._lock:
            if previous is None:
                _providers._overrides.pop(protocol, None)
            else:
                _providers._overrides[protocol] = previous


def providers_of(protocol: type) -> list[str]:
    """Codes of the modules that declare ``protocol`` (for tools such as the module explorer)."""
    return _providers.offering(protocol)
