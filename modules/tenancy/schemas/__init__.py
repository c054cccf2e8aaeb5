"""Tenancy: schemas of the admin API."""

from modules.tenancy.schemas.admin import (
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

__all__ = [
    "MerchantCreate",
    "MerchantOut",
    "ModuleChangeOut",
    "ModuleOut",
    "ModuleToggle",
    "PageOut",
    "PlatformCreate",
    "PlatformOut",
    "PlatformUpdate",
    "StoreCreate",
    "StoreOut",
    "StoreUpdate",
]
