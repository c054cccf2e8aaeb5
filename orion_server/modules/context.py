"""Template context: the base every page gets, plus what enabled modules' providers add."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request

from orion_server.auth.csrf import csrf_token_for
from orion_server.config import LANGUAGE_NAMES, get_settings
from orion_server.i18n import t
from orion_server.modules import registry
from orion_server.modules.base import MenuItem
from orion_server.modules.enums import FrontendType
from orion_server.modules.service import module_service
from orion_server.page_cache import CSRF_HOLE, VISITOR_HOLE, VISITOR_TEMPLATE, PageFill
from orion_server.seo import platform_head, storefront_head

PERSONAL_PAGE = "personal_page"
"""A visitor provider answering ``{PERSONAL_PAGE: True}`` has the page made for this visitor."""

logger = logging.getLogger(__name__)


def enabled_codes_for(db: Session, platform: Any) -> list[str]:
    """Enabled module codes in dependency order; without a platform, only the core modules."""
    if platform is not None:
        enabled = module_service.get_enabled_module_codes(db, platform.id)
    else:
        enabled = frozenset(registry.get_core_module_codes())
    return [code for code in registry.MODULES if code in enabled]


def _menu(frontend: FrontendType, codes: list[str], request: Request, language: str) -> list[dict[str, Any]]:
    from orion_server.deps import admin_can

    staff = getattr(request.state, "staff", None)
    user = getattr(request.state, "user", None)
    store = getattr(request.state, "store", None)
    entries: list[tuple[int, dict[str, Any]]] = []
    for code in codes:
        for item in registry.MODULES[code].menu_items.get(frontend, []):
            if not isinstance(item, MenuItem):
                continue
            if item.permission and staff is not None and not staff.can(item.permission):
                continue
            if item.permission and frontend == FrontendType.ADMIN and not admin_can(user, item.permission):
                continue
            path = item.path.format(store_code=store.code if store else "")
            entries.append(
                (item.order, {"id": item.id, "label": t(item.label_key, language), "path": path, "icon": item.icon})
            )
    return [entry for _order, entry in sorted(entries, key=lambda e: e[0])]


def get_context_for_frontend(
    frontend_type: FrontendType, request: Request, db: Session, **extra: Any
) -> dict[str, Any]:
    """The base context plus the providers of every enabled module for ``frontend_type``."""
    settings = get_settings()
    platform = getattr(request.state, "platform", None)
    language = getattr(request.state, "language", None) or settings.default_language
    store = getattr(request.state, "store", None)
    languages = settings.supported_languages
    if store is not None and frontend_type == FrontendType.STOREFRONT:
        languages = [lang for lang in store.languages if lang in languages] or languages
    translate = partial(_translate, language)
    context: dict[str, Any] = {
        "request": request,
        "platform": platform,
        "platform_name": platform.name if platform else settings.project_name,
        "platform_domain": (platform.domain if platform and platform.domain else settings.platform_domain),
        "_": translate,
        "t": translate,
        "current_language": language,
        "SUPPORTED_LANGUAGES": list(languages),
        "LANGUAGE_NAMES": LANGUAGE_NAMES,
        "store": store,
        "frontend": frontend_type.value,
        "user": getattr(request.state, "user", None),
        "staff": getattr(request.state, "staff", None),
        "csrf_token": csrf_token_for(request),
        "project_name": settings.project_name,
    }
    if frontend_type == FrontendType.STOREFRONT:
        context["seo"] = storefront_head(request, languages=list(languages), language=language)
    elif frontend_type == FrontendType.PLATFORM and platform is not None:
        context["seo"] = platform_head(request, languages=list(languages), language=language)
    codes = enabled_codes_for(db, platform)
    context["enabled_modules"] = codes
    context["menu"] = _menu(frontend_type, codes, request, language)
    context.update(_provided("context", frontend_type, request, db, platform, codes))
    visitor = _provided("visitor", frontend_type, request, db, platform, codes)
    if _shared(request, visitor):
        # made for every anonymous shopper: the visitor's header and token go into holes,
        # filled by the page cache for each of them (and for this one)
        request.state.page_fill = PageFill(_visitor_html(translate, language, visitor), context["csrf_token"])
        context.update(csrf_token=CSRF_HOLE, visitor_hole=Markup(VISITOR_HOLE))
    else:
        context.update(visitor)
    context.update(extra)
    return context


def _provided(
    kind: str, frontend_type: FrontendType, request: Request, db: Session, platform: Any, codes: list[str]
) -> dict[str, Any]:
    """What the ``context_providers`` (``kind`` "context") or the ``visitor_providers``
    ("visitor") of the enabled modules add for ``frontend_type``; a failing one adds nothing."""
    context: dict[str, Any] = {}
    for code in codes:
        module = registry.MODULES[code]
        providers = module.context_providers if kind == "context" else module.visitor_providers
        target = providers.get(frontend_type)
        if target is None:
            continue
        try:
            contribution = module.resolve(target)(request, db, platform)
        except Exception:
            logger.warning("%s provider of module %s failed for %s", kind, code, frontend_type.value, exc_info=True)
            db.rollback()
            continue
        if contribution:
            context.update(contribution)
    return context


def _shared(request: Request, visitor: dict[str, Any]) -> bool:
    """Whether this page is made for everyone: the page cache asked for it (an anonymous
    storefront GET), the route is public and no provider called the visitor personal."""
    state = request.state
    return (
        getattr(state, "page_cache_key", None) is not None
        and getattr(state, "page_public", False)
        and not visitor.get(PERSONAL_PAGE)
    )


def _visitor_html(translate: Any, language: str, visitor: dict[str, Any]) -> str:
    from orion_server.templating import environment

    return environment.get_template(VISITOR_TEMPLATE).render(
        t=translate, _=translate, current_language=language, **visitor
    )


def page_fill_for(request: Request) -> PageFill | None:
    """This visitor's header and token for a storefront page served from the page cache, or
    None when a provider calls the visitor personal (the page is then made for them)."""
    from orion_server.database import db as database

    platform = getattr(request.state, "platform", None)
    language = getattr(request.state, "language", None) or get_settings().default_language
    session = database.session()
    try:
        codes = enabled_codes_for(session, platform)
        visitor = _provided("visitor", FrontendType.STOREFRONT, request, session, platform, codes)
        if visitor.get(PERSONAL_PAGE):
            return None
        return PageFill(_visitor_html(partial(_translate, language), language, visitor), csrf_token_for(request))
    finally:
        session.close()


def _translate(language: str, key: str, /, **params: Any) -> str:
    return t(key, language, **params)


def get_platform_context(request: Request, db: Session, **extra: Any) -> dict[str, Any]:
    """Context for public platform pages."""
    return get_context_for_frontend(FrontendType.PLATFORM, request, db, **extra)


def get_admin_context(request: Request, db: Session, **extra: Any) -> dict[str, Any]:
    """Context for platform admin pages."""
    return get_context_for_frontend(FrontendType.ADMIN, request, db, **extra)


def get_store_context(request: Request, db: Session, **extra: Any) -> dict[str, Any]:
    """Context for store dashboard pages."""
    return get_context_for_frontend(FrontendType.STORE, request, db, **extra)


def get_storefront_context(request: Request, db: Session, **extra: Any) -> dict[str, Any]:
    """Context for storefront pages."""
    return get_context_for_frontend(FrontendType.STOREFRONT, request, db, **extra)
