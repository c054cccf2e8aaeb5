"""What search engines read in a storefront page's head: its one address (canonical), its
versions in the store's other languages (``hreflang``), a description, Open Graph and Twitter
card tags, and schema.org structured data (JSON-LD).

The structured data itself is built by the modules that own it (the catalog's products, the
content module's store); this file only writes the addresses and makes JSON-LD safe to put
in a page: ``json_ld`` escapes what could end the script element, and each block's SHA-256
joins the page's Content-Security-Policy (``script_hashes``), so the strict policy (no
``'unsafe-inline'``) still holds and a copy from the page cache, whose body and headers are
kept together, stays valid.

Addresses are absolute. A store with its own domain (``custom_domain``), or on a platform
with a domain, is addressed in host mode (``https://{store domain}/``); any other in path
mode under the base URL (``{base_url}/platforms/{code}/storefront/{store}/``), so every
address a search engine is given is one that also answers without the Host header it came
with. A language other than the store's own is ``?lang=xx`` (which the platform context reads
first and keeps in the cookie); the store's own language is the bare address and the
``x-default``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from orion_server.config import get_settings

HASHES_STATE = "csp_script_hashes"
"""``request.state`` attribute: the ``'sha256-...'`` sources of the JSON-LD blocks of a page."""
KEPT_QUERY = ("page",)
"""Query parameters that make another page of the same address (a listing's page 2)."""
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def storefront_base(store: Any, platform: Any, *, scheme: str | None = None) -> str:
    """The absolute root of ``store``'s storefront (ends with ``/``), host mode when it has a
    domain of its own or its platform has one, else path mode under the base URL."""
    settings = get_settings()
    base = urlsplit(settings.base_url)
    scheme = scheme or base.scheme or "https"
    if getattr(store, "custom_domain", None):
        return f"{scheme}://{store.custom_domain.lower()}/"
    if platform is not None and getattr(platform, "domain", None):
        return f"{scheme}://{store.subdomain.lower()}.{platform.domain.lower()}/"
    code = platform.code if platform is not None else settings.main_platform_code
    return f"{settings.base_url.rstrip('/')}/platforms/{code}/storefront/{store.code}/"


def platform_base(platform: Any, *, scheme: str | None = None) -> str:
    """The absolute root of ``platform``'s own site (ends with ``/``): its domain in host mode,
    else the base URL (the main platform) or ``{base_url}/platforms/{code}/``."""
    settings = get_settings()
    scheme = scheme or urlsplit(settings.base_url).scheme or "https"
    if getattr(platform, "domain", None):
        return f"{scheme}://{platform.domain.lower()}/"
    base = settings.base_url.rstrip("/")
    if platform is None or platform.code == settings.main_platform_code:
        return base + "/"
    return f"{base}/platforms/{platform.code}/"


def _scheme(request: Any) -> str:
    """https when the base URL or this request says so (a trusted proxy's X-Forwarded-Proto)."""
    url = getattr(request, "url", None)
    if get_settings().base_url.startswith("https://") or getattr(url, "scheme", None) == "https":
        return "https"
    return urlsplit(get_settings().base_url).scheme or "http"


def storefront_site(request: Any, platform: Any = None) -> str | None:
    """The absolute root of the request's storefront (None outside one)."""
    store = getattr(request.state, "store", None)
    if store is None:
        return None
    platform = platform or getattr(request.state, "platform", None)
    return storefront_base(store, platform, scheme=_scheme(request))


def platform_site(request: Any) -> str:
    """The absolute root of the request's platform site."""
    return platform_base(getattr(request.state, "platform", None), scheme=_scheme(request))


def language_address(address: str, language: str, store_language: str, query: dict[str, str] | None = None) -> str:
    """``address`` in ``language``: as is in the store's own language, else with ``?lang=``."""
    params = dict(query or {})
    if language != store_language:
        params["lang"] = language
    return f"{address}?{urlencode(params)}" if params else address


@dataclass
class PageHead:
    """The head tags of one storefront page."""

    canonical: str
    alternates: list[tuple[str, str]]
    """``(hreflang, address)`` for each of the store's languages and ``x-default``."""
    site: str
    """The storefront's absolute root."""
    indexable: bool
    og_locale: str
    alternate_locales: list[str] = field(default_factory=list)


OG_LOCALES = {"fr": "fr_LU", "de": "de_LU", "lb": "lb_LU", "en": "en_GB"}


def storefront_head(request: Any, *, languages: list[str], language: str) -> PageHead | None:
    """The canonical address and language alternates of the storefront page ``request`` asks
    for; None outside a storefront."""
    state = request.state
    store = getattr(state, "store", None)
    root = getattr(state, "storefront_root", None)
    if store is None or root is None:
        return None
    site = storefront_base(store, getattr(state, "platform", None), scheme=_scheme(request))
    path = getattr(state, "original_path", None) or request.url.path
    rest = path[len(root):] if path.startswith(root) else ""
    address = site + rest.lstrip("/")
    query = {name: request.query_params[name] for name in KEPT_QUERY if request.query_params.get(name)}
    own = store.default_language if store.default_language in languages else languages[0]
    alternates = [(lang, language_address(address, lang, own, query)) for lang in languages]
    alternates.append(("x-default", language_address(address, own, own, query)))
    return PageHead(
        canonical=language_address(address, language, own, query),
        alternates=alternates,
        site=site,
        indexable=bool(getattr(state, "page_public", False)),
        og_locale=OG_LOCALES.get(language, language),
        alternate_locales=[OG_LOCALES.get(lang, lang) for lang in languages if lang != language],
    )


def platform_head(request: Any, *, languages: list[str], language: str) -> PageHead:
    """The canonical address and language alternates of a platform page. Its bare address
    follows the visitor's browser (a platform has no storefront language to hold it), so each
    language has its ``?lang=`` address and the bare one is the ``x-default``."""
    state = request.state
    site = platform_site(request)
    root = getattr(state, "platform_root", None) or "/"
    path = getattr(state, "original_path", None) or request.url.path
    rest = path[len(root):] if path.startswith(root) else path.lstrip("/")
    address = site + rest.lstrip("/")
    alternates = [(lang, language_address(address, lang, "")) for lang in languages]
    alternates.append(("x-default", address))
    return PageHead(
        canonical=language_address(address, language, ""),
        alternates=alternates,
        site=site,
        indexable=True,
        og_locale=OG_LOCALES.get(language, language),
        alternate_locales=[OG_LOCALES.get(lang, lang) for lang in languages if lang != language],
    )


def absolute(site: str, path: str) -> str:
    """A storefront path (relative to its root, or starting with the request's root) made
    absolute on ``site``."""
    if path.startswith(("http://", "https://")):
        return path
    return site + path.lstrip("/")


def json_ld(data: Any) -> str:
    """``data`` as JSON safe inside ``<script type="application/ld+json">``: no ``</script>``,
    ``<!--`` or line separator can come out of a product's title."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def script_hash(text: str) -> str:
    """The CSP source allowing an inline script element whose content is ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def remember_hash(request: Any, text: str) -> None:
    """Allow ``text`` as an inline script of the page ``request`` renders."""
    hashes: list[str] = getattr(request.state, HASHES_STATE, None) or []
    source = script_hash(text)
    if source not in hashes:
        hashes.append(source)
    setattr(request.state, HASHES_STATE, hashes)


def description_from(text: str | None, limit: int = 160) -> str:
    """A meta description from free text: one line, at most ``limit`` characters, cut at a word."""
    words = " ".join((text or "").split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;:-")
    return cut + "…"
