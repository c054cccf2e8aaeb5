"""Definition of the Loyalty module: stamp cards and points, earned by paid orders (the orders'
events) and at the counter (staff with a PIN), spent on rewards; it plugs in only through what
is declared here."""

from modules.contracts.checkout_discounts import CheckoutDiscountProvider
from modules.contracts.events import OrderPaid, OrderStatusChanged
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

loyalty_module = ModuleDefinition(
    code="loyalty",
    name="Loyalty",
    description="Stamp and points loyalty programs with wallet integration.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["customers"],
    features=["stamps", "points", "wallet_passes"],
    listeners={
        OrderPaid: ".listeners:on_order_paid",
        OrderStatusChanged: ".listeners:on_order_status_changed",
    },
    provides={CheckoutDiscountProvider: ".discounts:PointsDiscount"},
    widget_provider=".widgets:LoyaltyWidgets",
    permissions=[
        PermissionDefinition(
            id="loyalty.view",
            label_key="loyalty.permissions.view",
            description_key="loyalty.permissions.view_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.counter",
            label_key="loyalty.permissions.counter",
            description_key="loyalty.permissions.counter_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.manage",
            label_key="loyalty.permissions.manage",
            description_key="loyalty.permissions.manage_desc",
            category="loyalty",
        ),
        PermissionDefinition(
            id="loyalty.wallet",
            label_key="loyalty.permissions.wallet",
            description_key="loyalty.permissions.wallet_desc",
            category="loyalty",
            scope="admin",
        ),
    ],
    menu_items={
        FrontendType.ADMIN: [
            MenuItem(
                id="loyalty-wallet",
                label_key="loyalty.menu.wallet",
                path="/admin/loyalty/wallet",
                permission="loyalty.wallet",
                icon="credit-card",
                order=64,
            ),
        ],
        FrontendType.STORE: [
            MenuItem(
                id="loyalty",
                label_key="loyalty.menu.program",
                path="/store/{store_code}/loyalty",
                permission="loyalty.view",
                icon="award",
                order=55,
            ),
            MenuItem(
                id="loyalty-counter",
                label_key="loyalty.menu.counter",
                path="/store/{store_code}/loyalty/counter",
                permission="loyalty.counter",
                icon="check-square",
                order=56,
            ),
        ],
        FrontendType.STOREFRONT: [
            MenuItem(
                id="loyalty-card",
                label_key="loyalty.menu.card",
                path="account/loyalty",
                icon="award",
                order=30,
            ),
        ],
    },
)
