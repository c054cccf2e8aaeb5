"""Tenancy services: platforms, merchants and stores."""

from modules.tenancy.services.tenancy_service import (
    DEFAULT_STORE_LANGUAGES,
    KEEP,
    MAX_PER_PAGE,
    Page,
    Problem,
    TenancyService,
    tenancy_service,
)

__all__ = [
    "DEFAULT_STORE_LANGUAGES",
    "KEEP",
    "MAX_PER_PAGE",
    "Page",
    "Problem",
    "TenancyService",
    "tenancy_service",
]
