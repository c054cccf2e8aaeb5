"""Definition of the Orders module."""

from modules.contracts.channel_orders import ChannelOrders
from modules.contracts.customer_stats import CustomerOrderStatsProvider
from modules.contracts.events import CustomerOrdersConfirmed, PaymentStatusChanged
from modules.contracts.order_reports import OrderReports
from modules.contracts.tier_limits import PlanUsage
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

orders_module = ModuleDefinition(
    code="orders",
    name="Orders",
    description="Orders of every channel: statuses, history, notes, invoices and packing slips.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=[],
    features=["order_management", "invoices_print"],
    permissions=[
        PermissionDefinition(
            id="orders.view",
            label_key="orders.permissions.view",
            description_key="orders.permissions.view_desc",
            category="orders",
        ),
        PermissionDefinition(
            id="orders.edit",
            label_key="orders.permissions.edit",
            description_key="orders.permissions.edit_desc",
            category="orders",
        ),
        PermissionDefinition(
            id="orders.cancel",
            label_key="orders.permissions.cancel",
            description_key="orders.permissions.cancel_desc",
            category="orders",
        ),
        PermissionDefinition(
            id="orders.refund",
            label_key="orders.permissions.refund",
            description_key="orders.permissions.refund_desc",
            category="orders",
        ),
    ],
    menu_items={
        FrontendType.STOREFRONT: [
            MenuItem(id="orders-account", label_key="orders.account.title", path="account/orders", icon="package",
                     order=10),
        ],
        FrontendType.STORE: [
            MenuItem(
                id="orders",
                label_key="orders.menu.orders",
                path="/store/{store_code}/orders",
                permission="orders.view",
                icon="shopping-bag",
                order=20,
            ),
        ],
    },
    listeners={
        PaymentStatusChanged: ".listeners:on_payment_status_changed",
        CustomerOrdersConfirmed: ".listeners:on_customer_orders_confirmed",
    },
    provides={
        ChannelOrders: ".providers:ChannelOrdersProvider",
        CustomerOrderStatsProvider: ".providers:OrderStatsProvider",
        PlanUsage: ".providers:OrderPlanUsage",
        OrderReports: ".reports:OrderReportsProvider",
    },
    widget_provider=".dashboard:OrdersWidgets",
    metrics_provider=".dashboard:OrdersMetrics",
)
