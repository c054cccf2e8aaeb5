"""Resolve the platform, store, frontend and language of every request.

Both URL modes are served at once. The host is recognised first (a store's own domain, a
``{subdomain}.{platform domain}`` storefront, a platform's domain); otherwise the path decides
(``/platforms/{code}/storefront/{store}/``, ``/platforms/{code}/``, ``/store/{code}/``, ``/admin``,
the main platform at the root). Storefront and platform pages are routed internally under
``/_sf`` and ``/_pf``, so module authors write each route once, relative to its root.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orion_server.config import Settings
from orion_server.database import db
from orion_server.i18n import LANGUAGE_COOKIE, choose_language, normalise_language
from orion_server.logs import bind_request, unbind_request
from orion_server.modules.enums import FrontendType
from orion_server.tenants import (
    PlatformInfo,
    StoreInfo,
    TenantDirectory,
    known_tenant_directory,
    tenant_directory,
)

logger = logging.getLogger(__name__)

STOREFRONT_PREFIX = "/_sf"
PLATFORM_PREFIX = "/_pf"
ERROR_PATH = "/_error"
INTERNAL_PREFIXES = (STOREFRONT_PREFIX, PLATFORM_PREFIX, ERROR_PATH)
PASS_THROUGH = ("/static/", "/health", "/metrics")
GLOBAL_PREFIXES = ("/admin", "/store/", "/api/v1/admin", "/api/v1/store/")
DOCS_PATHS = ("/docs", "/openapi.json")


@dataclass
class Resolution:
    """Where a request goes and in whose context."""

    path: str
    frontend: FrontendType | None = None
    platform: PlatformInfo | None = None
    store: StoreInfo | None = None
    is_api: bool = False
    storefront_root: str | None = None
    platform_root: str = "/"
    error: tuple[int, str] | None = None
    redirect: str | None = None


def _is_trusted(client_host: str | None, trusted: list[str]) -> bool:
    return bool(client_host) and _trusted(client_host, tuple(trusted))


@functools.lru_cache(maxsize=4096)
def _trusted(client_host: str, trusted: tuple[str, ...]) -> bool:
    """Whether ``client_host`` is in one of the ``trusted`` networks; remembered per address,
    as parsing the address and every network cost each request 17 µs and more."""
    try:
        address = ipaddress.ip_address(client_host)
    except ValueError:
        return False
    for entry in trusted:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _without_port(host: str) -> str:
    """``shop.lu:8000`` -> ``shop.lu``; ``[::1]:8000`` -> ``[::1]``."""
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.split(":")[0]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _is_other_computer(client: tuple[str, int] | None) -> bool:
    """Whether the request comes from another computer (an address that is not loopback).
    A client without an IP address (a Unix socket, the test client) is this computer."""
    if not client:
        return False
    try:
        return not ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


def _this_computer_names() -> set[str]:
    names = {"localhost"}
    try:
        name = socket.gethostname().lower()
    except OSError:
        return names
    if name:
        names |= {name, f"{name}.local", f"{name}.lan", f"{name}.home"}
    return names


def _starts(path: str, prefix: str) -> bool:
    return path == prefix.rstrip("/") or path.startswith(prefix.rstrip("/") + "/")


class PlatformContextMiddleware:
    """Fills ``request.state`` with platform, store, frontend and language; rewrites paths."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.fixed_hosts = _this_computer_names() | {h.lower() for h in settings.allowed_hosts}
        base_host = urlsplit(settings.base_url).hostname
        if base_host:
            self.fixed_hosts.add(base_host.lower())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = self._apply_proxy_headers(scope, headers)
        path = scope["path"]
        state = scope.setdefault("state", {})
        state["original_path"] = path
        if any(path.startswith(p) for p in PASS_THROUGH) and not path.startswith("/static/modules/_"):
            await self.app(scope, receive, send)
            return
        try:
            directory = known_tenant_directory() or await run_in_threadpool(self._directory)
        except Exception:
            logger.exception("cannot read platforms and stores from the database")
            directory = None
        if directory is None:
            resolution = Resolution(path=path, error=(503, "errors.database_unavailable"))
            resolution.is_api = path.startswith("/api/")
        elif not self.host_known(host, directory):
            resolution = Resolution(path=path, error=(400, "errors.unknown_host"), is_api=path.startswith("/api/"))
        elif (
            (any(_starts(path, p) for p in GLOBAL_PREFIXES) or self._is_docs(path))
            and not self.settings.staff_from_lan
            and _is_other_computer(scope.get("client"))
        ):
            resolution = Resolution(path=path, error=(403, "errors.staff_local_only"), is_api=path.startswith("/api/"))
        elif self._is_docs(path):  # the API's description (ORION_ENABLE_DOCS): FastAPI serves it
            await self.app(scope, receive, send)
            return
        else:
            resolution = self.resolve(path, host, directory)
        if resolution.redirect:
            await self._redirect(resolution.redirect, scope, send)
            return
        language, explicit, chosen = self._language(scope, headers, resolution)
        state.update(
            platform=resolution.platform,
            store=resolution.store,
            frontend=resolution.frontend,
            is_api=resolution.is_api,
            storefront_root=resolution.storefront_root,
            platform_root=resolution.platform_root,
            language=language,
            language_chosen=chosen,
            language_explicit=explicit,
            resolution_error=resolution.error,
        )
        new_path = ERROR_PATH if resolution.error else resolution.path
        if new_path != path:
            scope["path"] = new_path
            scope["raw_path"] = new_path.encode()
        if explicit:
            send = self._with_language_cookie(send, language)
        # what is logged while serving it says for which platform and store (the logs page filters on it)
        bound = bind_request(getattr(resolution.platform, "code", None), getattr(resolution.store, "code", None))
        try:
            await self.app(scope, receive, send)
        finally:
            unbind_request(bound)

    def _is_docs(self, path: str) -> bool:
        """The OpenAPI document and its viewer, served only when the settings enable them."""
        return self.settings.enable_docs and (path in DOCS_PATHS or path.startswith("/docs/"))

    def _directory(self) -> TenantDirectory:
        session = db.session()
        try:
            return tenant_directory(session)
        finally:
            session.close()

    def _apply_proxy_headers(self, scope: Scope, headers: Headers) -> str:
        host = (headers.get("host") or "").lower()
        client = scope.get("client")
        if not _is_trusted(client[0] if client else None, self.settings.trusted_proxies):
            return _without_port(host)
        forwarded_for = headers.get("x-forwarded-for")
        if forwarded_for:
            hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
            # The right-most address that is not a trusted proxy is the real client.
            for hop in reversed(hops):
                if not _is_trusted(hop, self.settings.trusted_proxies):
                    scope["client"] = (hop, 0)
                    break
        proto = headers.get("x-forwarded-proto")
        if proto in ("http", "https"):
            scope["scheme"] = proto
        forwarded_host = headers.get("x-forwarded-host")
        if forwarded_host:
            host = forwarded_host.split(",")[0].strip().lower()
        return _without_port(host)

    def host_known(self, host: str, directory: TenantDirectory) -> bool:
        """Whether ``host`` names this server: an IP address, this computer, the base URL, a
        platform's domain (and its store subdomains) or a store's own domain. A page asked for
        under any other name was reached through a name someone else controls (DNS rebinding)."""
        if not host or _is_ip(host) or host in self.fixed_hosts or host.endswith(".localhost"):
            return True
        if host in directory.stores_by_domain:
            return True
        main = directory.platforms_by_code.get(self.settings.main_platform_code)
        for platform in directory.platforms_by_id.values():
            domain = self._domain_of(platform, main)
            if domain and (host == domain or host.endswith("." + domain)):
                return True
        return False

    # -- resolution -----------------------------------------------------------------------

    def resolve(self, path: str, host: str, directory: TenantDirectory) -> Resolution:
        """Decide platform, store, frontend and internal path for ``path`` on ``host``."""
        if any(_starts(path, p) for p in INTERNAL_PREFIXES):
            return Resolution(path=path, error=(404, "errors.page_not_found"))
        main = directory.platforms_by_code.get(self.settings.main_platform_code)
        store, platform = self._by_host(host, directory, main)
        if store is not None:
            return self._storefront(path, store, directory.platforms_by_id[store.platform_id], "/")
        if host and platform is None and self._store_host_unknown(host, directory, main):
            return Resolution(path=path, error=(404, "errors.store_not_found"), is_api=path.startswith("/api/"))
        if path.startswith("/platforms/"):
            return self._platform_path(path, directory)
        if any(_starts(path, p) for p in GLOBAL_PREFIXES):
            return self._global(path, directory, main)
        platform = platform or main
        if platform is None:
            return Resolution(path=path, error=(503, "errors.not_initialised"), is_api=path.startswith("/api/"))
        return Resolution(
            path=PLATFORM_PREFIX + path,
            frontend=FrontendType.PLATFORM,
            platform=platform,
            is_api=path.startswith("/api/"),
            platform_root="/",
        )

    def _domain_of(self, platform: PlatformInfo, main: PlatformInfo | None) -> str | None:
        if platform.domain:
            return platform.domain.lower()
        if main is not None and platform.id == main.id:
            return self.settings.platform_domain.lower()
        return None

    def _by_host(
        self, host: str, directory: TenantDirectory, main: PlatformInfo | None
    ) -> tuple[StoreInfo | None, PlatformInfo | None]:
        if not host:
            return None, None
        store = directory.stores_by_domain.get(host)
        if store is not None:
            return store, None
        for platform in directory.platforms_by_id.values():
            domain = self._domain_of(platform, main)
            if not domain:
                continue
            if host == domain:
                return None, platform
            if host.endswith("." + domain):
                sub = host[: -len(domain) - 1]
                if "." not in sub:
                    found = directory.stores_by_subdomain.get((platform.id, sub))
                    if found is not None:
                        return found, None
        return None, None

    def _store_host_unknown(self, host: str, directory: TenantDirectory, main: PlatformInfo | None) -> bool:
        """A ``sub.{platform domain}`` host whose subdomain names no store."""
        for platform in directory.platforms_by_id.values():
            domain = self._domain_of(platform, main)
            if domain and host.endswith("." + domain) and "." not in host[: -len(domain) - 1]:
                return host[: -len(domain) - 1] != "www"
        return False

    def _storefront(self, rest: str, store: StoreInfo, platform: PlatformInfo, root: str) -> Resolution:
        inner = rest if rest.startswith("/") else "/" + rest
        return Resolution(
            path=STOREFRONT_PREFIX + inner,
            frontend=FrontendType.STOREFRONT,
            platform=platform,
            store=store,
            is_api=inner.startswith("/api/"),
            storefront_root=root,
            platform_root="/" if root == "/" else self._platform_root(platform),
        )

    def _platform_root(self, platform: PlatformInfo) -> str:
        if platform.code == self.settings.main_platform_code:
            return "/"
        return f"/platforms/{platform.code}/"

    def _platform_path(self, path: str, directory: TenantDirectory) -> Resolution:
        parts = path.split("/", 3)  # ['', 'platforms', code, rest]
        code = parts[2] if len(parts) > 2 else ""
        rest = "/" + parts[3] if len(parts) > 3 else ""
        is_api = "/api/" in rest
        platform = directory.platforms_by_code.get(code)
        if platform is None:
            return Resolution(path=path, error=(404, "errors.platform_not_found"), is_api=is_api)
        if not rest:
            return Resolution(path=path, redirect=f"/platforms/{code}/")
        if rest.startswith("/storefront/"):
            sub = rest.split("/", 3)  # ['', 'storefront', store, rest]
            store_code = sub[2] if len(sub) > 2 else ""
            store = directory.store_in_platform(platform, store_code)
            if store is None:
                return Resolution(path=path, error=(404, "errors.store_not_found"), is_api=is_api)
            if len(sub) < 4:
                return Resolution(path=path, redirect=f"/platforms/{code}/storefront/{store_code}/")
            root = f"/platforms/{code}/storefront/{store_code}/"
            return self._storefront("/" + sub[3], store, platform, root)
        return Resolution(
            path=PLATFORM_PREFIX + rest,
            frontend=FrontendType.PLATFORM,
            platform=platform,
            is_api=rest.startswith("/api/"),
            platform_root=f"/platforms/{code}/",
        )

    def _global(self, path: str, directory: TenantDirectory, main: PlatformInfo | None) -> Resolution:
        is_api = path.startswith("/api/")
        if _starts(path, "/store/") or _starts(path, "/api/v1/store/"):
            segments = path.split("/")
            code = segments[4] if is_api else segments[2]
            store = directory.stores_by_code.get(code) if len(segments) > (4 if is_api else 2) else None
            if store is None:
                return Resolution(path=path, error=(404, "errors.store_not_found"), is_api=is_api)
            platform = directory.platforms_by_id[store.platform_id]
            return Resolution(
                path=path,
                frontend=FrontendType.STORE,
                platform=platform,
                store=store,
                is_api=is_api,
                platform_root=self._platform_root(platform),
            )
        if main is None:
            return Resolution(path=path, error=(503, "errors.not_initialised"), is_api=is_api)
        return Resolution(path=path, frontend=FrontendType.ADMIN, platform=main, is_api=is_api)

    # -- language ---------------------------------------------------------------------------

    def _language(self, scope: Scope, headers: Headers, resolution: Resolution) -> tuple[str, bool, bool]:
        """The language, whether the URL asked for it, and whether the URL or the cookie did
        (else a signed-in user's own language may decide: see ``deps.get_optional_user``).

        A storefront follows REFERENCE.md's order: the signed-in customer's preference (applied
        by ``deps.storefront_shopper_language``, as only the customers module knows the shopper),
        the cookie, the store's own language, then the browser's: an English browser opening a
        French store sees French until the shopper picks another language (``?lang=``, which
        the switcher sends and the cookie then keeps)."""
        allowed: list[str] | tuple[str, ...] = self.settings.supported_languages
        default = self.settings.default_language
        store_language = None
        if resolution.store is not None and resolution.frontend == FrontendType.STOREFRONT:
            allowed = [lang for lang in resolution.store.languages if lang in allowed] or allowed
            store_language = default = resolution.store.default_language
        elif resolution.frontend == FrontendType.ADMIN:
            default = "en"  # the admin speaks English unless asked otherwise
        elif resolution.platform is not None:
            default = resolution.platform.default_language
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        url_language = normalise_language((query.get("lang") or [None])[0], allowed)
        cookies = headers.get("cookie", "")
        cookie_language = None
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name == LANGUAGE_COOKIE:
                cookie_language = value
        language = choose_language(
            allowed=allowed,
            url_language=url_language,
            cookie_language=cookie_language,
            store_language=store_language,
            accept_language=headers.get("accept-language"),
            default=default,
            fallback=self.settings.default_language,
        )
        chosen = url_language is not None or normalise_language(cookie_language, allowed) is not None
        return language, url_language is not None, chosen

    def _with_language_cookie(self, send: Send, language: str) -> Send:
        secure = "; Secure" if self.settings.secure_cookies else ""

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(
                    "set-cookie", f"{LANGUAGE_COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
                )
            await send(message)

        return wrapped

    async def _redirect(self, location: str, scope: Scope, send: Send) -> None:
        query = scope.get("query_string", b"")
        if query:
            location = f"{location}?{query.decode('latin-1')}"
        await send(
            {
                "type": "http.response.start",
                "status": 308,
                "headers": [(b"location", location.encode()), (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
