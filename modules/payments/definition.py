"""Definition of the Payments module."""

from modules.contracts.checkout_payments import CheckoutPayments
from modules.contracts.events import OrderPaid
from modules.contracts.subscription_payments import PlatformPayments
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

payments_module = ModuleDefinition(
    code="payments",
    name="Payments",
    description="Payment gateway integrations (Stripe, PayPal, bank transfer).",
    version="1.0.0",
    is_core=True,
    is_internal=False,
    requires=[],
    features=["payment_gateways"],
    permissions=[
        PermissionDefinition(
            id="payments.view",
            label_key="payments.permissions.view",
            description_key="payments.permissions.view_desc",
            category="payments",
        ),
        PermissionDefinition(
            id="payments.manage",
            label_key="payments.permissions.manage",
            description_key="payments.permissions.manage_desc",
            category="payments",
        ),
        PermissionDefinition(
            id="payments.refund",
            label_key="payments.permissions.refund",
            description_key="payments.permissions.refund_desc",
            category="payments",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="payments-list",
                label_key="payments.menu.payments",
                path="/store/{store_code}/payments",
                permission="payments.view",
                icon="credit-card",
                order=45,
            ),
            MenuItem(
                id="payments-settings",
                label_key="payments.menu.settings",
                path="/store/{store_code}/payments/settings",
                permission="payments.manage",
                icon="settings",
                order=90,
            ),
        ],
        FrontendType.ADMIN: [
            MenuItem(
                id="payments-platform",
                label_key="payments.menu.platform",
                path="/admin/payments/platform",
                icon="credit-card",
                order=62,
            ),
        ],
    },
    listeners={OrderPaid: ".listeners:confirm_offline_payment"},
    provides={
        CheckoutPayments: ".providers:PaymentsForCheckout",
        PlatformPayments: ".providers:PaymentsForPlatform",
    },
)
