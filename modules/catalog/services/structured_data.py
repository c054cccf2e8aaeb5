"""schema.org data of the catalog's storefront pages (JSON-LD, written by
``orion_server.seo``): a product with its offer, and the breadcrumb to it."""

from __future__ import annotations

from typing import Any

from modules.catalog.services.views import ProductView

SCHEMA = "https://schema.org"
CURRENCY = "EUR"


def _price(cents: int) -> str:
    """``1250`` -> ``"12.50"`` (schema.org prices are plain decimals with a dot)."""
    return f"{cents // 100}.{cents % 100:02d}"


def _availability(product: ProductView) -> str:
    return f"{SCHEMA}/InStock" if product.available else f"{SCHEMA}/OutOfStock"


def image_addresses(product: ProductView, site: str) -> list[str]:
    """The product's pictures (their 800 px copies) as absolute addresses."""
    return [f"{site}catalog/images/{image.id}/{image.file_name}?size=800" for image in product.images]


def product_data(product: ProductView, *, site: str, address: str, store_name: str) -> dict[str, Any]:
    """``Product`` with its ``Offer`` (or ``AggregateOffer`` when variants differ in price):
    price in euros, availability, GTIN, brand, SKU, pictures."""
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": address,
        "priceCurrency": CURRENCY,
        "price": _price(product.price_min),
        "availability": _availability(product),
        "itemCondition": f"{SCHEMA}/NewCondition",
        "seller": {"@type": "Organization", "name": store_name},
    }
    if product.price_max != product.price_min:
        offer.update(
            {"@type": "AggregateOffer", "lowPrice": _price(product.price_min),
             "highPrice": _price(product.price_max), "offerCount": len(product.variants)}
        )
        offer.pop("price")
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.title,
        "url": address,
        "offers": offer,
    }
    if product.description:
        data["description"] = product.description
    images = image_addresses(product, site)
    if images:
        data["image"] = images
    if len(product.variants) == 1:
        data["sku"] = product.variants[0].sku
    if product.gtin:
        data["gtin"] = product.gtin
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    if product.category_name:
        data["category"] = product.category_name
    return data


def breadcrumb_data(trail: list[tuple[str, str]]) -> dict[str, Any]:
    """``BreadcrumbList`` of ``(name, absolute address)`` from the top down."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": address}
            for position, (name, address) in enumerate(trail, start=1)
        ],
    }
