"""Definition of the Catalog module."""

from modules.contracts.product_catalog import ProductCatalog, ProductCategories, ProductImport
from modules.contracts.sitemap import SitemapSource
from modules.contracts.tier_limits import PlanUsage
from orion_server.modules.base import MenuItem, ModuleDefinition, PermissionDefinition
from orion_server.modules.enums import FrontendType

catalog_module = ModuleDefinition(
    code="catalog",
    name="Catalog",
    description="Customer-facing product browsing.",
    version="1.0.0",
    is_core=False,
    is_internal=False,
    requires=["inventory"],
    features=["products", "categories", "product_search"],
    permissions=[
        PermissionDefinition(
            id="catalog.view",
            label_key="catalog.permissions.view",
            description_key="catalog.permissions.view_desc",
            category="catalog",
        ),
        PermissionDefinition(
            id="catalog.create",
            label_key="catalog.permissions.create",
            description_key="catalog.permissions.create_desc",
            category="catalog",
        ),
        PermissionDefinition(
            id="catalog.edit",
            label_key="catalog.permissions.edit",
            description_key="catalog.permissions.edit_desc",
            category="catalog",
        ),
        PermissionDefinition(
            id="catalog.delete",
            label_key="catalog.permissions.delete",
            description_key="catalog.permissions.delete_desc",
            category="catalog",
        ),
        PermissionDefinition(
            id="catalog.export",
            label_key="catalog.permissions.export",
            description_key="catalog.permissions.export_desc",
            category="catalog",
        ),
    ],
    menu_items={
        FrontendType.STORE: [
            MenuItem(
                id="catalog-products",
                label_key="catalog.menu.products",
                path="/store/{store_code}/products",
                permission="catalog.view",
                icon="package",
                order=20,
            ),
            MenuItem(
                id="catalog-categories",
                label_key="catalog.menu.categories",
                path="/store/{store_code}/categories",
                permission="catalog.view",
                icon="folder",
                order=20,
            ),
        ],
    },
    provides={
        ProductCatalog: ".offers:CatalogOffers",
        ProductCategories: ".categories_of:CatalogCategories",
        ProductImport: ".imports:CatalogImport",
        PlanUsage: ".usage:ProductPlanUsage",
        SitemapSource: ".sitemap:CatalogSitemap",
    },
    widget_provider=".dashboard:CatalogWidgets",
    metrics_provider=".dashboard:CatalogMetrics",
)
