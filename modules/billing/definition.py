"""Definition of the Billing & Subscriptions module."""

from __future__ import annotations

from modules.contracts.events import PaymentStatusChanged
from modules.contracts.sitemap import PlatformSitemapSource
from modules.contracts.store_standing import StandingProvider
from modules.contracts.tier_limits import TierLimits
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

billing_module = ModuleDefinition(
    code="billing",
    name="Billing & Subscriptions",
    description="Platform subscriptions, tier limits and store invoices.",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=["payments"],
    features=["subscriptions", "tier_limits", "invoices"],
    permissions=[
        PermissionDefinition(
            id="billing.view",
            label_key="billing.permissions.view",
            description_key="billing.permissions.view_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.manage",
            label_key="billing.permissions.manage",
            description_key="billing.permissions.manage_desc",
            category="billing",
        ),
        PermissionDefinition(
            id="billing.usage.view",
            label_key="billing.permissions.usage_view",
            description_key="billing.permissions.usage_view_desc",
            category="billing",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="billing",
                label_key="billing.menu.billing",
                path="/store/{store_code}/billing",
                permission="billing.view",
                icon="credit-card",
                order=90,
            ),
        ],
        FrontendType.ADMIN: [
            MenuItem(
                id="billing-subscriptions",
                label_key="billing.menu.subscriptions",
                path="/admin/billing/subscriptions",
                icon="credit-card",
                order=60,
            ),
            MenuItem(
                id="billing-profile",
                label_key="billing.menu.profile",
                path="/admin/billing/profile",
                icon="file-text",
                order=61,
            ),
        ],
    },
    context_providers={
        FrontendType.PLATFORM: ".context:platform_context",
    },
    listeners={PaymentStatusChanged: ".listeners:on_payment_status_changed"},
    provides={
        TierLimits: ".limits:BillingTierLimits",
        StandingProvider: ".limits:BillingStanding",
        PlatformSitemapSource: ".sitemap:PricingSitemap",
    },
)
