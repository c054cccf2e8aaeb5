"""Tenancy services: platforms, merchants and stores."""

from modules.tenancy.services.tenancy_service import Page, TenancyService, tenancy_service

__all__ = ["Page", "TenancyService", "tenancy_service"]
