"""Admin pages of the tenancy module: platforms, their modules, merchants and stores.

Mounted at ``/admin``. Every page needs a platform admin (anonymous visitors are sent to the
sign-in form by the framework). Forms post back, show field errors in place with what was
typed, and on success redirect (Post/Redirect/Get) to a page showing a one-time message.
Module toggles go through a confirmation page that lists the whole cascade of a dry run.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import Response

from modules.tenancy.routes.admin_views import (
    PER_PAGE,
    field_errors,
    format_names,
    language_options,
    page_link_base,
    redirect_with_flash,
    render_admin,
    tr,
)
from modules.tenancy.routes.paths import dashboard_path, storefront_path
from orion_server.config import get_settings
from orion_server.deps import AdminReach, AdminWith, Reach, SessionDep, admin_can
from orion_server.errors import ConflictError, ValidationError
from orion_server.models import Merchant, Platform
from orion_server.modules import registry
from orion_server.modules.service import CoreModuleError, ModuleChange, module_service
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.tenancy import DEFAULT_STORE_LANGUAGES, CascadeChangedError, Page, tenancy_service

router = ModuleRouter()

TextField = Annotated[str, Form()]
PLATFORM_FIELDS = {"code", "name", "domain", "default_language"}
MERCHANT_FIELDS = {"name", "contact_email", "contact_phone", "website", "tax_number"}
STORE_FIELDS = {
    "platform",
    "code",
    "name",
    "subdomain",
    "merchant_id",
    "default_language",
    "languages",
    "is_active",
}
TIERS = ("core", "optional", "internal")


def _module_text(request: Request, code: str, what: str) -> str:
    """A module's translated name or description (the definition's English as fallback)."""
    module = registry.get_module(code)
    if module is None:
        return code
    key = f"{module.package_name}.{what}"
    text = tr(request, key)
    return text if text != key else getattr(module, what)


def _merchant_choice(value: str) -> int | None:
    """The merchant id a select sent; an unusable value becomes an id no merchant has."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 12 else -1


# -- platforms ------------------------------------------------------------------------------


def _platform_form_defaults() -> dict[str, Any]:
    return {
        "code": "",
        "name": "",
        "domain": "",
        "default_language": get_settings().default_language,
    }


def _platforms_page(
    request: Request,
    db: SessionDep,
    reach: AdminReach,
    *,
    q: str = "",
    page: str | None = "1",
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    q = (q or "").strip()[:100]
    number = page_number(page)
    within = reach.platform_ids
    result = tenancy_service.list_platforms(db, search=q, page=number, per_page=PER_PAGE, within=within)
    if number > result.pages:
        result = tenancy_service.list_platforms(db, search=q, page=result.pages, per_page=PER_PAGE, within=within)
    return render_admin(
        request,
        db,
        "tenancy/admin/platforms.html",
        active="platforms",
        title=tr(request, "tenancy.platforms.title"),
        status_code=status_code,
        result=result,
        q=q,
        store_counts=tenancy_service.store_counts(db),
        page_base=page_link_base("/admin/platforms", q=q),
        form=form or _platform_form_defaults(),
        errors=errors or {},
        language_options=language_options(),
        can_create=admin_can(reach.user, "tenancy.platforms.create"),
    )


@router.get("/platforms")
def platforms(request: Request, db: SessionDep, reach: Reach, q: str = "", page: str = "1") -> Response:
    """The platforms in the admin's reach with search, pagination and (for super admins) the
    form to create one."""
    return _platforms_page(request, db, reach, q=q, page=page)


@router.post("/platforms")
def create_platform(
    request: Request,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.create"),
    reach: Reach,
    code: TextField = "",
    name: TextField = "",
    domain: TextField = "",
    default_language: TextField = "",
) -> Response:
    """Create a platform, then show it."""
    form = {"code": code, "name": name, "domain": domain, "default_language": default_language}
    try:
        platform = tenancy_service.create_platform(
            db,
            code=code,
            name=name,
            domain=domain,
            default_language=default_language,
            user_id=admin.id,
        )
    except (ValidationError, ConflictError) as exc:
        errors = field_errors(request, exc, PLATFORM_FIELDS)
        return _platforms_page(request, db, reach, form=form, errors=errors, status_code=exc.status)
    return redirect_with_flash(
        request,
        f"/admin/platforms/{platform.code}",
        "tenancy.flash.platform_created",
        name=platform.name,
    )


def _platform_page(
    request: Request,
    db: SessionDep,
    platform: Platform,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    merchant_form: dict[str, Any] | None = None,
    merchant_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    stores = tenancy_service.list_stores(db, platform_code=platform.code, per_page=10)
    modules = module_service.get_platform_modules(db, platform.id)
    optional_on = [m for m in modules if m.tier == "optional" and m.enabled]
    return render_admin(
        request,
        db,
        "tenancy/admin/platform_detail.html",
        active="platforms",
        title=platform.name,
        status_code=status_code,
        target=platform,
        form=form
        or {
            "name": platform.name,
            "domain": platform.domain or "",
            "default_language": platform.default_language,
        },
        errors=errors or {},
        merchant_form=merchant_form or {k: "" for k in MERCHANT_FIELDS},
        merchant_errors=merchant_errors or {},
        merchants=tenancy_service.list_merchants(db, platform_code=platform.code),
        stores=stores,
        modules_on=[_module_text(request, m.code, "name") for m in optional_on],
        modules_optional=sum(1 for m in modules if m.tier == "optional"),
        language_options=language_options(),
        public_path="/"
        if platform.code == get_settings().main_platform_code
        else f"/platforms/{platform.code}/",
    )


@router.get("/platforms/{code}")
def platform_detail(request: Request, code: str, db: SessionDep, reach: Reach) -> Response:
    """One platform: its settings, merchants, stores and a link to its modules."""
    return _platform_page(request, db, tenancy_service.get_platform(db, code, within=reach.platform_ids))


@router.post("/platforms/{code}")
def update_platform(
    request: Request,
    code: str,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
    name: TextField = "",
    domain: TextField = "",
    default_language: TextField = "",
) -> Response:
    """Save a platform's settings."""
    platform = tenancy_service.get_platform(db, code, within=reach.platform_ids)
    form = {"name": name, "domain": domain, "default_language": default_language}
    try:
        tenancy_service.update_platform(
            db, code, name=name, domain=domain, default_language=default_language, user_id=admin.id,
            within=reach.platform_ids,
        )
    except (ValidationError, ConflictError) as exc:
        platform = tenancy_service.get_platform(db, code)
        errors = field_errors(request, exc, PLATFORM_FIELDS)
        return _platform_page(
            request, db, platform, form=form, errors=errors, status_code=exc.status
        )
    return redirect_with_flash(
        request, f"/admin/platforms/{code}", "tenancy.flash.platform_saved", name=platform.name
    )


@router.post("/platforms/{code}/merchants")
def create_merchant(
    request: Request,
    code: str,
    db: SessionDep,
    admin: AdminWith("tenancy.merchants.manage"),
    reach: Reach,
    name: TextField = "",
    contact_email: TextField = "",
    contact_phone: TextField = "",
    website: TextField = "",
    tax_number: TextField = "",
) -> Response:
    """Add a merchant to the platform."""
    platform = tenancy_service.get_platform(db, code, within=reach.platform_ids)
    form = {
        "name": name,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "website": website,
        "tax_number": tax_number,
    }
    try:
        merchant = tenancy_service.create_merchant(
            db, platform_code=code, **form, user_id=admin.id, within=reach.platform_ids
        )
    except (ValidationError, ConflictError) as exc:
        platform = tenancy_service.get_platform(db, code)
        errors = field_errors(request, exc, MERCHANT_FIELDS)
        return _platform_page(
            request,
            db,
            platform,
            merchant_form=form,
            merchant_errors=errors,
            status_code=exc.status,
        )
    return redirect_with_flash(
        request,
        f"/admin/platforms/{code}#merchants",
        "tenancy.flash.merchant_created",
        name=merchant.name,
        platform=platform.name,
    )


# -- modules of a platform ------------------------------------------------------------------


@router.get("/platforms/{code}/modules")
def platform_modules(request: Request, code: str, db: SessionDep, reach: Reach) -> Response:
    """The platform's modules by tier: core locked on, optional and internal with toggles."""
    platform = tenancy_service.get_platform(db, code, within=reach.platform_ids)
    groups: dict[str, list[dict[str, Any]]] = {tier: [] for tier in TIERS}
    for state in module_service.get_platform_modules(db, platform.id):
        groups[state.tier].append(
            {
                "code": state.code,
                "name": _module_text(request, state.code, "name"),
                "description": _module_text(request, state.code, "description"),
                "enabled": state.enabled,
                "requires": [_module_text(request, c, "name") for c in state.requires],
                "needed_by": [
                    _module_text(request, c, "name") for c in registry.dependents_of(state.code)
                ],
            }
        )
    for modules in groups.values():
        modules.sort(key=lambda m: m["name"].lower())
    return render_admin(
        request,
        db,
        "tenancy/admin/platform_modules.html",
        active="platforms",
        title=tr(request, "tenancy.modules.title", platform=platform.name),
        target=platform,
        groups=[(tier, groups[tier]) for tier in TIERS if groups[tier]],
    )


def _confirm_page(
    request: Request,
    db: SessionDep,
    platform: Platform,
    module: str,
    action: str,
    change: ModuleChange,
    *,
    stale: bool = False,
) -> Response:
    names = {c: _module_text(request, c, "name") for c in registry.MODULES}
    if action == "enable":
        related = [c for c in registry.requirements_of(module) if c not in change.changed]
    else:
        related = []
    return render_admin(
        request,
        db,
        "tenancy/admin/module_confirm.html",
        active="platforms",
        title=tr(request, f"tenancy.modules.confirm_{action}_title", module=names[module]),
        status_code=409 if stale else 200,
        target=platform,
        action=action,
        module={"code": module, "name": names[module]},
        changes=[
            {
                "code": c,
                "name": names[c],
                "tier": registry.MODULES[c].tier.value,
                "asked": c == module,
            }
            for c in change.changed
        ],
        cascade_text=format_names(request, [names[c] for c in change.cascaded]),
        already_on=[names[c] for c in related],
        expected=",".join(change.changed),
        stale=stale,
    )


def _core_locked(request: Request, code: str, module: str) -> Response:
    return redirect_with_flash(
        request,
        f"/admin/platforms/{code}/modules",
        "tenancy.flash.core_locked",
        kind="error",
        module=_module_text(request, module, "name"),
    )


def _confirm(request: Request, code: str, module: str, action: str, db: SessionDep, reach: AdminReach) -> Response:
    platform = tenancy_service.get_platform(db, code, within=reach.platform_ids)
    try:
        change = tenancy_service.change_module(db, code, module, action, dry_run=True, within=reach.platform_ids)
    except CoreModuleError:
        return _core_locked(request, code, module)
    return _confirm_page(request, db, platform, module, action, change)


def _apply(
    request: Request,
    code: str,
    module: str,
    action: str,
    expected: str,
    db: SessionDep,
    reach: AdminReach,
) -> Response:
    confirmed = [c for c in expected.split(",") if c]
    try:
        change = tenancy_service.change_module(
            db, code, module, action, user_id=reach.user.id, expected=confirmed, within=reach.platform_ids
        )
    except CoreModuleError:
        return _core_locked(request, code, module)
    except CascadeChangedError as exc:
        # The states moved since the confirmation page was shown: show the new cascade instead.
        platform = tenancy_service.get_platform(db, code)
        return _confirm_page(request, db, platform, module, action, exc.change, stale=True)
    back = f"/admin/platforms/{code}/modules"
    if not change.changed:
        return redirect_with_flash(request, back, "tenancy.flash.modules_unchanged", kind="info")
    platform = tenancy_service.get_platform(db, code)
    return redirect_with_flash(
        request,
        back,
        f"tenancy.flash.modules_{action}d",
        modules=format_names(request, [_module_text(request, c, "name") for c in change.changed]),
        platform=platform.name,
    )


@router.get("/platforms/{code}/modules/{module}/enable")
def confirm_enable(
    request: Request, code: str, module: str, db: SessionDep, admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
) -> Response:
    """What enabling the module would switch on (a dry run), with a button to apply it."""
    return _confirm(request, code, module, "enable", db, reach)


@router.post("/platforms/{code}/modules/{module}/enable")
def apply_enable(
    request: Request,
    code: str,
    module: str,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
    expected: TextField = "",
) -> Response:
    """Enable the module and what it requires, if that is still what the admin confirmed."""
    return _apply(request, code, module, "enable", expected, db, reach)


@router.get("/platforms/{code}/modules/{module}/disable")
def confirm_disable(
    request: Request, code: str, module: str, db: SessionDep, admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
) -> Response:
    """What disabling the module would switch off (a dry run), with a button to apply it."""
    return _confirm(request, code, module, "disable", db, reach)


@router.post("/platforms/{code}/modules/{module}/disable")
def apply_disable(
    request: Request,
    code: str,
    module: str,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
    expected: TextField = "",
) -> Response:
    """Disable the module and what depends on it, if that is still what the admin confirmed."""
    return _apply(request, code, module, "disable", expected, db, reach)


# -- stores ---------------------------------------------------------------------------------


def _merchant_groups(
    db: SessionDep, platforms: list[Platform], reach: AdminReach
) -> list[tuple[Platform, list[Merchant]]]:
    by_platform: dict[int, list[Merchant]] = {}
    for merchant in tenancy_service.list_merchants(db, within=reach.platform_ids):
        by_platform.setdefault(merchant.platform_id, []).append(merchant)
    return [(p, by_platform[p.id]) for p in platforms if p.id in by_platform]


def _store_form_defaults(platform_filter: str, platforms: list[Platform]) -> dict[str, Any]:
    main = get_settings().main_platform_code
    codes = [p.code for p in platforms]
    return {
        "platform": platform_filter or (main if main in codes or not codes else codes[0]),
        "code": "",
        "name": "",
        "subdomain": "",
        "merchant_id": "",
        "default_language": DEFAULT_STORE_LANGUAGES[0],
        "languages": list(DEFAULT_STORE_LANGUAGES),
    }


def _stores_page(
    request: Request,
    db: SessionDep,
    reach: AdminReach,
    *,
    q: str = "",
    platform: str = "",
    page: str | None = "1",
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    q = (q or "").strip()[:100]
    platform = (platform or "").strip()[:50]
    number = page_number(page)
    filter_error = ""
    try:
        result = tenancy_service.list_stores(
            db, platform_code=platform or None, search=q, page=number, per_page=PER_PAGE,
            within=reach.platform_ids,
        )
        if number > result.pages:
            result = tenancy_service.list_stores(
                db, platform_code=platform or None, search=q, page=result.pages, per_page=PER_PAGE,
                within=reach.platform_ids,
            )
    except ValidationError as exc:
        filter_error = field_errors(request, exc).get("platform", exc.message)
        result = Page([], 0, 1, PER_PAGE)
        status_code = 422 if status_code == 200 else status_code
    platforms = tenancy_service.all_platforms(db, within=reach.platform_ids)
    return render_admin(
        request,
        db,
        "tenancy/admin/stores.html",
        active="stores",
        title=tr(request, "tenancy.stores.title"),
        status_code=status_code,
        result=result,
        q=q,
        platform_filter=platform,
        filter_error=filter_error,
        platforms=platforms,
        platform_codes={p.id: p.code for p in platforms},
        merchant_groups=_merchant_groups(db, platforms, reach),
        page_base=page_link_base("/admin/stores", q=q, platform=platform),
        form=form or _store_form_defaults(platform if not filter_error else "", platforms),
        errors=errors or {},
        language_options=language_options(),
    )


@router.get("/stores")
def stores(
    request: Request,
    db: SessionDep,
    admin: AdminWith("tenancy.stores.view"),
    reach: Reach,
    q: str = "",
    platform: str = "",
    page: str = "1",
) -> Response:
    """Stores with search, a platform filter, pagination and the form to create one."""
    return _stores_page(request, db, reach, q=q, platform=platform, page=page)


@router.post("/stores")
def create_store(
    request: Request,
    db: SessionDep,
    admin: AdminWith("tenancy.stores.manage"),
    reach: Reach,
    platform: TextField = "",
    code: TextField = "",
    name: TextField = "",
    subdomain: TextField = "",
    merchant_id: TextField = "",
    default_language: TextField = "",
    languages: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Create a store, then show it."""
    form = {
        "platform": platform,
        "code": code,
        "name": name,
        "subdomain": subdomain,
        "merchant_id": merchant_id,
        "default_language": default_language,
        "languages": languages,
    }
    try:
        store = tenancy_service.create_store(
            db,
            platform_code=platform,
            code=code,
            name=name,
            subdomain=subdomain or None,
            merchant_id=_merchant_choice(merchant_id),
            default_language=default_language,
            languages=languages,
            user_id=admin.id,
            within=reach.platform_ids,
        )
    except (ValidationError, ConflictError) as exc:
        errors = field_errors(request, exc, STORE_FIELDS)
        return _stores_page(request, db, reach, form=form, errors=errors, status_code=exc.status)
    return redirect_with_flash(
        request, f"/admin/stores/{store.code}", "tenancy.flash.store_created", name=store.name
    )


def _store_page(
    request: Request,
    db: SessionDep,
    code: str,
    reach: AdminReach,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    store = tenancy_service.get_store(db, code, within=reach.platform_ids)
    return render_admin(
        request,
        db,
        "tenancy/admin/store_detail.html",
        active="stores",
        title=store.name,
        status_code=status_code,
        target=store,
        form=form
        or {
            "name": store.name,
            "subdomain": store.subdomain,
            "merchant_id": str(store.merchant_id or ""),
            "default_language": store.default_language,
            "languages": list(store.languages or []),
            "is_active": store.is_active,
        },
        errors=errors or {},
        merchants=tenancy_service.list_merchants(db, platform_code=store.platform.code),
        subdomain_host=_subdomain_host(store),
        language_options=language_options(),
        storefront_path=storefront_path(store),
        dashboard_path=dashboard_path(store),
    )


def _subdomain_host(store: Any) -> str | None:
    """The host the storefront answers on in host mode, if its platform has a domain."""
    settings = get_settings()
    domain = store.platform.domain or (
        settings.platform_domain if store.platform.code == settings.main_platform_code else None
    )
    return f"{store.subdomain}.{domain}" if domain else None


@router.get("/stores/{code}")
def store_detail(
    request: Request, code: str, db: SessionDep, admin: AdminWith("tenancy.stores.view"), reach: Reach
) -> Response:
    """One store: its settings and links to its storefront and dashboard."""
    return _store_page(request, db, code, reach)


@router.post("/stores/{code}")
def update_store(
    request: Request,
    code: str,
    db: SessionDep,
    admin: AdminWith("tenancy.stores.manage"),
    reach: Reach,
    name: TextField = "",
    subdomain: TextField = "",
    merchant_id: TextField = "",
    default_language: TextField = "",
    languages: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    is_active: TextField = "",
) -> Response:
    """Save a store's settings."""
    tenancy_service.get_store(db, code, within=reach.platform_ids)
    form = {
        "name": name,
        "subdomain": subdomain,
        "merchant_id": merchant_id,
        "default_language": default_language,
        "languages": languages,
        "is_active": bool(is_active),
    }
    try:
        store = tenancy_service.update_store(
            db,
            code,
            name=name,
            subdomain=subdomain,
            default_language=default_language,
            languages=languages,
            is_active=bool(is_active),
            merchant_id=_merchant_choice(merchant_id),
            user_id=admin.id,
            within=reach.platform_ids,
        )
    except (ValidationError, ConflictError) as exc:
        errors = field_errors(request, exc, STORE_FIELDS)
        return _store_page(request, db, code, reach, form=form, errors=errors, status_code=exc.status)
    return redirect_with_flash(
        request, f"/admin/stores/{code}", "tenancy.flash.store_saved", name=store.name
    )
