"""Admin JSON API of the tenancy module, mounted at ``/api/v1/admin/tenancy``.

Every route needs a signed-in admin and sees only the platforms in their reach (a platform
admin's assigned ones: the others answer 404 like unknown codes); the framework checks the CSRF
header of unsafe methods and turns the service's errors into JSON (422 validation, 409 conflict,
404 unknown).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Query, Response, status

from modules.tenancy.routes.paths import dashboard_path, storefront_path
from modules.tenancy.schemas import (
    MerchantCreate,
    MerchantOut,
    ModuleChangeOut,
    ModuleOut,
    ModuleToggle,
    PageOut,
    PlatformCreate,
    PlatformOut,
    PlatformUpdate,
    StoreCreate,
    StoreOut,
    StoreUpdate,
)
from orion_server.deps import AdminWith, Reach, SessionDep
from orion_server.models import Merchant, Platform, Store
from orion_server.modules.service import ModuleChange, module_service
from orion_server.routing import ModuleRouter
from orion_server.tenancy import KEEP, Page, tenancy_service

router = ModuleRouter()

PER_PAGE_LIMIT = 100
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=PER_PAGE_LIMIT, description="Items per page.")]
Search = Annotated[str, Query(max_length=100, description="Part of a code or name.")]
PlatformFilter = Annotated[
    str | None, Query(max_length=50, description="Only this platform's (code).")
]


def _store_out(store: Store) -> StoreOut:
    return StoreOut(
        code=store.code,
        name=store.name,
        platform=store.platform.code,
        subdomain=store.subdomain,
        custom_domain=store.custom_domain,
        merchant_id=store.merchant_id,
        merchant=store.merchant.name if store.merchant else None,
        default_language=store.default_language,
        languages=list(store.languages or []),
        is_active=store.is_active,
        storefront_path=storefront_path(store),
        dashboard_path=dashboard_path(store),
        created_at=store.created_at,
        updated_at=store.updated_at,
    )


def _merchant_out(merchant: Merchant, platform_code: str) -> MerchantOut:
    return MerchantOut(
        id=merchant.id,
        platform=platform_code,
        name=merchant.name,
        contact_email=merchant.contact_email,
        contact_phone=merchant.contact_phone,
        website=merchant.website,
        tax_number=merchant.tax_number,
        is_verified=merchant.is_verified,
        created_at=merchant.created_at,
    )


def _page(result: Page, items: list) -> dict:
    return {
        "items": items,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
    }


def _change_out(change: ModuleChange) -> ModuleChangeOut:
    return ModuleChangeOut(
        module=change.module,
        action=change.action,
        changed=list(change.changed),
        dry_run=change.dry_run,
    )


# -- platforms ------------------------------------------------------------------------------


@router.get("/platforms", response_model=PageOut[PlatformOut])
def list_platforms(
    db: SessionDep,
    reach: Reach,
    search: Search = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> dict:
    """The platforms in the admin's reach by code, filtered by part of their code or name."""
    result = tenancy_service.list_platforms(
        db, search=search, page=page, per_page=per_page, within=reach.platform_ids
    )
    return _page(result, [PlatformOut.model_validate(p) for p in result.items])


@router.post("/platforms", response_model=PlatformOut, status_code=status.HTTP_201_CREATED)
def create_platform(
    body: PlatformCreate, db: SessionDep, admin: AdminWith("tenancy.platforms.create"), response: Response
) -> PlatformOut:
    """Create a platform (super admins only)."""
    platform = tenancy_service.create_platform(db, **body.model_dump(), user_id=admin.id)
    response.headers["Location"] = f"/api/v1/admin/tenancy/platforms/{platform.code}"
    return PlatformOut.model_validate(platform)


@router.get("/platforms/{code}", response_model=PlatformOut)
def get_platform(code: str, db: SessionDep, reach: Reach) -> PlatformOut:
    """One platform."""
    return PlatformOut.model_validate(tenancy_service.get_platform(db, code, within=reach.platform_ids))


@router.patch("/platforms/{code}", response_model=PlatformOut)
def update_platform(
    code: str, body: PlatformUpdate, db: SessionDep, admin: AdminWith("tenancy.platforms.manage"), reach: Reach
) -> PlatformOut:
    """Change a platform's name, domain (null removes it) or default language."""
    given = body.model_fields_set
    platform = tenancy_service.update_platform(
        db,
        code,
        name=body.name if "name" in given else None,
        domain=(body.domain or "") if "domain" in given else None,
        default_language=body.default_language if "default_language" in given else None,
        user_id=admin.id,
        within=reach.platform_ids,
    )
    return PlatformOut.model_validate(platform)


# -- modules of a platform ------------------------------------------------------------------


@router.get("/platforms/{code}/modules", response_model=list[ModuleOut])
def list_platform_modules(code: str, db: SessionDep, reach: Reach) -> list[ModuleOut]:
    """Every module with its tier, requirements and state on the platform."""
    platform = tenancy_service.get_platform(db, code, within=reach.platform_ids)
    return [
        ModuleOut(
            code=m.code,
            name=m.name,
            description=m.description,
            tier=m.tier,
            requires=list(m.requires),
            enabled=m.enabled,
        )
        for m in module_service.get_platform_modules(db, platform.id)
    ]


@router.post("/platforms/{code}/modules/{module}/enable", response_model=ModuleChangeOut)
def enable_module(
    code: str,
    module: str,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
    body: Annotated[ModuleToggle | None, Body()] = None,
) -> ModuleChangeOut:
    """Enable a module with everything it requires; ``dry_run`` only reports the cascade."""
    dry_run = body.dry_run if body else False
    change = tenancy_service.change_module(
        db, code, module, "enable", user_id=admin.id, dry_run=dry_run, within=reach.platform_ids
    )
    return _change_out(change)


@router.post("/platforms/{code}/modules/{module}/disable", response_model=ModuleChangeOut)
def disable_module(
    code: str,
    module: str,
    db: SessionDep,
    admin: AdminWith("tenancy.platforms.manage"),
    reach: Reach,
    body: Annotated[ModuleToggle | None, Body()] = None,
) -> ModuleChangeOut:
    """Disable a module with everything that depends on it (their data is kept); core modules
    answer 409; ``dry_run`` only reports the cascade."""
    dry_run = body.dry_run if body else False
    change = tenancy_service.change_module(
        db, code, module, "disable", user_id=admin.id, dry_run=dry_run, within=reach.platform_ids
    )
    return _change_out(change)


# -- merchants ------------------------------------------------------------------------------


@router.get("/merchants", response_model=PageOut[MerchantOut])
def list_merchants(
    db: SessionDep,
    admin: AdminWith("tenancy.merchants.manage"),
    reach: Reach,
    platform: PlatformFilter = None,
    search: Search = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> dict:
    """Merchants by name, optionally of one platform."""
    result = tenancy_service.search_merchants(
        db, platform_code=platform, search=search, page=page, per_page=per_page, within=reach.platform_ids
    )
    codes = {p.id: p.code for p in tenancy_service.all_platforms(db)}
    return _page(result, [_merchant_out(m, codes[m.platform_id]) for m in result.items])


@router.post("/merchants", response_model=MerchantOut, status_code=status.HTTP_201_CREATED)
def create_merchant(
    body: MerchantCreate, db: SessionDep, admin: AdminWith("tenancy.merchants.manage"), reach: Reach
) -> MerchantOut:
    """Create a merchant on a platform."""
    fields = body.model_dump()
    merchant = tenancy_service.create_merchant(
        db, platform_code=fields.pop("platform"), **fields, user_id=admin.id, within=reach.platform_ids
    )
    return _merchant_out(merchant, db.get(Platform, merchant.platform_id).code)


# -- stores ---------------------------------------------------------------------------------


@router.get("/stores", response_model=PageOut[StoreOut])
def list_stores(
    db: SessionDep,
    admin: AdminWith("tenancy.stores.view"),
    reach: Reach,
    platform: PlatformFilter = None,
    search: Search = "",
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> dict:
    """Stores by code, optionally of one platform, filtered by part of their code or name."""
    result = tenancy_service.list_stores(
        db, platform_code=platform, search=search, page=page, per_page=per_page, within=reach.platform_ids
    )
    return _page(result, [_store_out(s) for s in result.items])


@router.post("/stores", response_model=StoreOut, status_code=status.HTTP_201_CREATED)
def create_store(
    body: StoreCreate, db: SessionDep, admin: AdminWith("tenancy.stores.manage"), reach: Reach, response: Response
) -> StoreOut:
    """Create a store on a platform."""
    fields = body.model_dump()
    store = tenancy_service.create_store(
        db, platform_code=fields.pop("platform"), **fields, user_id=admin.id, within=reach.platform_ids
    )
    response.headers["Location"] = f"/api/v1/admin/tenancy/stores/{store.code}"
    return _store_out(store)


@router.get("/stores/{code}", response_model=StoreOut)
def get_store(code: str, db: SessionDep, admin: AdminWith("tenancy.stores.view"), reach: Reach) -> StoreOut:
    """One store."""
    return _store_out(tenancy_service.get_store(db, code, within=reach.platform_ids))


@router.patch("/stores/{code}", response_model=StoreOut)
def update_store(
    code: str, body: StoreUpdate, db: SessionDep, admin: AdminWith("tenancy.stores.manage"), reach: Reach
) -> StoreOut:
    """Change a store's name, subdomain, languages, merchant (null detaches it) or active flag."""
    given = body.model_fields_set
    store = tenancy_service.update_store(
        db,
        code,
        name=body.name,
        subdomain=body.subdomain,
        default_language=body.default_language,
        languages=body.languages,
        is_active=body.is_active,
        merchant_id=body.merchant_id if "merchant_id" in given else KEEP,
        user_id=admin.id,
        within=reach.platform_ids,
    )
    return _store_out(store)
