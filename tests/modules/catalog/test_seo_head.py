"""What search engines and link previews read in a storefront page's head: one canonical
address (host mode's when the store has a domain), the store's languages as ``hreflang`` with
``x-default``, a description, Open Graph and Twitter tags, and JSON-LD the strict
Content-Security-Policy allows by its hash, which no product title can break out of."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

from PIL import Image

from modules.catalog.services import catalog_service
from orion_server.config import get_settings
from orion_server.seo import json_ld, script_hash
from tests.modules.catalog.conftest import storefront


class Head(HTMLParser):
    """The head's links, metas and JSON-LD blocks of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.metas: dict[str, list[str]] = {}
        self.blocks: list[str] = []
        self._block: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(values)
        elif tag == "meta" and ("name" in values or "property" in values):
            self.metas.setdefault(values.get("name") or values["property"], []).append(values.get("content", ""))
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._block = []

    def handle_data(self, data):
        if self._block is not None:
            self._block.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._block is not None:
            self.blocks.append("".join(self._block))
            self._block = None

    @property
    def canonical(self) -> str:
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1, found
        return found[0]

    @property
    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if link.get("rel") == "alternate"}

    def data(self, kind: str) -> list[dict]:
        return [item for item in map(json.loads, self.blocks) if item.get("@type") == kind]


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _base() -> str:
    return get_settings().base_url.rstrip("/")


def test_a_product_page_in_path_mode(client, shop, db_session, make_product):
    platform, store = shop
    catalog_service.save_category(db_session, store_id=store.id, slug="pains", names={"fr": "Pains", "en": "Breads"},
                                  default_language="fr")
    category = catalog_service.get_category_by_slug(db_session, store_id=store.id, slug="pains")
    product = make_product(store, "baguette", titles={"fr": "Baguette", "en": "Baguette"},
                           descriptions={"fr": "Une baguette de tradition, croustillante. " * 8},
                           price=250, stock=4, gtin="4006381333931", brand="Dupont", category_id=category.id)
    catalog_service.add_image(db_session, store_id=store.id, product_id=product.id, filename="b.png", data=_picture())

    response = client.get(storefront(platform, store, "products/baguette"))
    assert response.status_code == 200
    head = Head(response.text)
    site = f"{_base()}/platforms/lux/storefront/bakery/"
    assert head.canonical == site + "products/baguette"
    assert head.alternates == {
        "fr": site + "products/baguette",
        "de": site + "products/baguette?lang=de",
        "en": site + "products/baguette?lang=en",
        "x-default": site + "products/baguette",
    }
    description = head.metas["description"][0]
    assert description.startswith("Une baguette de tradition") and len(description) <= 160
    assert head.metas["og:type"] == ["product"] and head.metas["og:url"] == [head.canonical]
    assert head.metas["og:image"][0].startswith(site + "catalog/images/") and "?size=800" in head.metas["og:image"][0]
    assert head.metas["twitter:card"] == ["summary_large_image"]
    assert head.metas["twitter:image"] == head.metas["og:image"]
    assert "robots" not in head.metas  # a public page is indexed

    [item] = head.data("Product")
    assert item["name"] == "Baguette" and item["gtin"] == "4006381333931" and item["brand"]["name"] == "Dupont"
    assert item["offers"] == {
        "@type": "Offer", "url": head.canonical, "priceCurrency": "EUR", "price": "2.50",
        "availability": "https://schema.org/InStock", "itemCondition": "https://schema.org/NewCondition",
        "seller": {"@type": "Organization", "name": store.name},
    }
    assert item["image"] == head.metas["og:image"]
    [crumbs] = head.data("BreadcrumbList")
    assert [(e["position"], e["name"], e["item"]) for e in crumbs["itemListElement"]] == [
        (1, "Tous les produits", site + "products"),
        (2, "Pains", site + "categories/pains"),
        (3, "Baguette", head.canonical),
    ]
    [organization] = head.data("Organization")
    assert organization["name"] == store.name and organization["url"] == site
    # every block is allowed by its hash, and nothing inline besides
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert head.blocks and all(script_hash(block) in policy for block in head.blocks)


def test_the_page_in_another_language_is_its_own_canonical(client, shop, make_product):
    platform, store = shop
    make_product(store, "baguette", titles={"fr": "Baguette", "en": "French stick"}, stock=0)
    head = Head(client.get(storefront(platform, store, "products/baguette?lang=en")).text)
    assert head.canonical.endswith("products/baguette?lang=en")
    assert re.search(r'<html lang="en">', client.get(storefront(platform, store, "products/baguette")).text)
    [item] = head.data("Product")
    assert item["name"] == "French stick" and item["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert "gtin" not in item  # none in the catalog
    assert head.metas["og:locale"] == ["en_GB"] and set(head.metas["og:locale:alternate"]) == {"fr_LU", "de_LU"}


def test_a_store_with_its_own_domain_is_addressed_there(client, shop, factories, make_product):
    platform, _store = shop
    store = factories.store(platform, code="books", custom_domain="livres.lu", languages=["de", "fr"],
                            default_language="de")
    make_product(store, "roman", titles={"de": "Roman"})
    for page in (storefront(platform, store, "products/roman"), "http://livres.lu/products/roman"):
        head = Head(client.get(page).text)
        assert head.canonical == "http://livres.lu/products/roman"
        assert head.alternates == {"de": "http://livres.lu/products/roman", "fr": "http://livres.lu/products/roman?lang=fr",
                                   "x-default": "http://livres.lu/products/roman"}
    listing = Head(client.get("http://livres.lu/products?page=2&sort=price&q=x").text)
    assert listing.canonical == "http://livres.lu/products?page=2"  # a search or a sort is not another page


def test_a_title_cannot_end_the_script(client, shop, make_product):
    platform, store = shop
    evil = '</script><script>alert(1)</script><!--'
    make_product(store, "evil", titles={"fr": evil})
    response = client.get(storefront(platform, store, "products/evil"))
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    head = Head(response.text)
    [item] = head.data("Product")
    assert item["name"] == evil  # intact once parsed
    assert json_ld({"a": "</script>\u2028&"}) == '{"a":"\\u003c/script\\u003e\\u2028\\u0026"}'


def test_pages_for_one_shopper_are_not_indexed(client, shop):
    platform, store = shop
    listing = Head(client.get(storefront(platform, store, "products")).text)
    assert "robots" not in listing.metas
    assert listing.metas["description"][0]  # the store's sentence when the page has no text of its own
    assert listing.data("BreadcrumbList")
    login = Head(client.get(storefront(platform, store, "account/login")).text)
    assert login.metas["robots"] == ["noindex, follow"]
    assert len(login.metas["description"]) == 1


def test_a_content_page_is_described_by_its_search_text(client, shop, db_session):
    from modules.cms.services import content_page_service

    platform, store = shop
    content_page_service.create_page(
        db_session, platform_id=platform.id, store_id=store.id, slug="about", default_language="fr",
        translations={"fr": {"title": "À propos", "body": "Depuis 1920. " * 30, "seo_description": "Pain frais."},
                      "en": {"title": "About", "body": "Since 1920. " * 30, "seo_description": ""}},
        status="published",
    )
    french = Head(client.get(storefront(platform, store, "pages/about")).text)
    assert french.metas["description"] == ["Pain frais."] and french.metas["og:type"] == ["article"]
    english = Head(client.get(storefront(platform, store, "pages/about?lang=en")).text)
    [text] = english.metas["description"]
    assert text.startswith("Since 1920.") and text.endswith("…")  # the body when no search text
