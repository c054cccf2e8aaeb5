"""Definition of the Marketplace module."""

from modules.contracts.background_work import BackgroundWork
from modules.contracts.events import OrderStatusChanged, StockChanged, StorefrontContentChanged
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

marketplace_module = ModuleDefinition(
    code="marketplace",
    name="Marketplace",
    description="Letzshop integration: product import and export, marketplace orders.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    # the feed and the import reach the catalogue through its providers (ProductCatalog,
    # ProductImport): where the catalogue is off the feed is empty and an import fails; Letzshop
    # orders reach the orders module through ChannelOrders (where it is off a sync fails)
    requires=["inventory"],
    # its catalogue imports' progress, which the console shows
    provides={BackgroundWork: ".providers:CatalogueImports"},
    features=["letzshop_export", "letzshop_import", "marketplace_orders"],
    permissions=[
        PermissionDefinition(
            id="marketplace.manage",
            label_key="marketplace.permissions.manage",
            description_key="marketplace.permissions.manage_desc",
            category="marketplace",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="marketplace-letzshop",
                label_key="marketplace.menu.letzshop",
                path="/store/{store_code}/marketplace",
                permission="marketplace.manage",
                icon="share",
                order=70,
            ),
        ],
    },
    # the feed follows the catalogue and the stock: written again shortly after a change; a
    # store connected to Letzshop's API has its changed stock levels pushed there; a Letzshop
    # order cancelled by hand gives back what its unanswered units held
    listeners={
        StorefrontContentChanged: ".listeners:on_listing_changed",
        StockChanged: ".listeners:on_stock_changed",
        OrderStatusChanged: ".listeners:on_order_status_changed",
    },
)
