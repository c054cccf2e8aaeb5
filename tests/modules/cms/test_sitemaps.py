"""robots.txt and the sitemaps of a storefront, in path mode and host mode: a search engine
follows every sitemap and finds each address answering with its canonical address, its
language alternates and its structured data; a product taken offline leaves the sitemaps
once the task made them again."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from modules.catalog.models import Product
from modules.catalog.services import catalog_service
from modules.cms.services import content_page_service
from modules.cms.services import sitemap_service as sitemaps
from modules.cms.tasks.sitemaps import run_rebuild_sitemaps
from orion_server.config import get_settings
from orion_server.modules.service import module_service
from tests.modules.catalog.test_seo_head import Head

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def stores(factories, db_session):
    """Platform ``lux`` with the catalog: ``bakery`` (path mode, fr/de/en) and ``books`` on
    its own domain ``livres.lu`` (host mode, de/fr), each with products, a category and a page."""
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "catalog")
    bakery = factories.store(platform, code="bakery", languages=["fr", "de", "en"], default_language="fr")
    books = factories.store(platform, code="books", custom_domain="livres.lu", languages=["de", "fr"],
                            default_language="de")
    for store, slugs in ((bakery, ("baguette", "croissant", "brioche")), (books, ("roman", "atlas"))):
        catalog_service.save_category(db_session, store_id=store.id, slug="top", names={store.default_language: "Top"},
                                      default_language=store.default_language)
        for slug in slugs:
            factories.product(store, slug, gtin="4006381333931" if slug == "baguette" else "")
        factories.product(store, "secret", status="draft")
        content_page_service.create_page(
            db_session, platform_id=platform.id, store_id=store.id, slug="about",
            default_language=store.default_language,
            translations={store.default_language: {"title": "About", "body": "Since 1920.", "seo_description": ""}},
            status="published",
        )
    return platform, bakery, books


def _xml(response) -> ElementTree.Element:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def _local(address: str) -> tuple[str, dict[str, str]]:
    """The path (and Host header) the test client asks for an absolute address."""
    parts = urlsplit(address)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    base = urlsplit(get_settings().base_url)
    if parts.netloc == base.netloc:
        return path, {}
    return path, {"host": parts.netloc}


def _get(client, address: str):
    path, host = _local(address)
    return client.get(path, headers=host)


def _crawl(client, robots_path: str, headers: dict[str, str]) -> dict[str, list[str]]:
    """Read robots.txt, the index, every sitemap and every page listed; check each page."""
    robots = client.get(robots_path, headers=headers)
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    [index_address] = re.findall(r"^Sitemap: (\S+)$", robots.text, re.M)
    index = _xml(_get(client, index_address))
    assert index.tag.endswith("}sitemapindex")
    by_sitemap: dict[str, list[str]] = {}
    for sitemap in index.findall("s:sitemap/s:loc", NS):
        urlset = _xml(_get(client, sitemap.text))
        addresses = [loc.text for loc in urlset.findall("s:url/s:loc", NS)]
        by_sitemap[sitemap.text.rsplit("/", 1)[1]] = addresses
        for address in addresses:
            page = _get(client, address)
            assert page.status_code == 200, (address, page.status_code)
            head = Head(page.text)
            assert head.canonical == address
            assert "x-default" in head.alternates and address in head.alternates.values()
            kinds = {json.loads(block)["@type"] for block in head.blocks}
            assert "Organization" in kinds, address
            if "/products/" in address:
                assert {"Product", "BreadcrumbList"} <= kinds
    return by_sitemap


def test_path_mode_sitemaps_list_every_page_in_every_language(client, stores):
    _platform, bakery, _books = stores
    robots = client.get("/platforms/lux/storefront/bakery/robots.txt").text
    assert "Disallow: /platforms/lux/storefront/bakery/cart" in robots
    assert "Disallow: /platforms/lux/storefront/bakery/checkout" in robots
    assert "Disallow: /platforms/lux/storefront/bakery/account/" in robots
    assert "Disallow: /store/" in robots and "Disallow: /admin/" in robots
    site = get_settings().base_url.rstrip("/") + "/platforms/lux/storefront/bakery/"
    assert f"Sitemap: {site}sitemap.xml" in robots

    found = _crawl(client, "/platforms/lux/storefront/bakery/robots.txt", {})
    assert sorted(found) == ["de-1.xml", "en-1.xml", "fr-1.xml"]
    assert sorted(found["fr-1.xml"]) == sorted(site + path for path in (
        "", "products", "categories/top", "products/baguette", "products/croissant", "products/brioche", "pages/about"))
    assert site + "products/baguette?lang=de" in found["de-1.xml"]
    assert not any("secret" in address for addresses in found.values() for address in addresses)


def test_host_mode_sitemaps_use_the_store_domain(client, stores):
    found = _crawl(client, "/robots.txt", {"host": "livres.lu"})
    assert sorted(found) == ["de-1.xml", "fr-1.xml"]
    assert "http://livres.lu/products/roman" in found["de-1.xml"]
    assert "http://livres.lu/products/roman?lang=fr" in found["fr-1.xml"]
    robots = client.get("/robots.txt", headers={"host": "livres.lu"}).text
    assert "Disallow: /cart" in robots and "Sitemap: http://livres.lu/sitemap.xml" in robots
    # the same store reached in path mode still names its own domain
    index = client.get("/platforms/lux/storefront/books/sitemap.xml").text
    assert "<loc>http://livres.lu/sitemaps/de-1.xml</loc>" in index


def test_a_product_taken_offline_leaves_the_sitemap_after_the_task(client, stores, db_session):
    _platform, bakery, _books = stores
    fr = "/platforms/lux/storefront/bakery/sitemaps/fr-1.xml"
    assert "products/croissant<" in client.get(fr).text
    product = db_session.scalar(select(Product).where(Product.store_id == bakery.id, Product.slug == "croissant"))
    catalog_service.unpublish(db_session, store_id=bakery.id, product_id=product.id)  # the task runs after commit
    listed = client.get(fr).text
    assert "products/croissant<" not in listed and "products/baguette<" in listed
    assert client.get("/platforms/lux/storefront/bakery/products/croissant").status_code == 404


def test_the_files_are_read_not_made_per_request(client, stores, db_session, monkeypatch):
    _platform, bakery, _books = stores
    assert client.get("/platforms/lux/storefront/bakery/sitemap.xml").status_code == 200
    calls = []
    monkeypatch.setattr(sitemaps.SitemapService, "rebuild", lambda *a, **k: calls.append(1) or [])
    for _ in range(3):
        assert client.get("/platforms/lux/storefront/bakery/sitemap.xml").status_code == 200
    assert calls == []
    assert client.get("/platforms/lux/storefront/bakery/sitemaps/xx-1.xml").status_code == 404
    assert client.get("/platforms/lux/storefront/bakery/sitemaps/..%2Forion.db").status_code == 404


def test_a_big_catalogue_is_split(client, stores, db_session, monkeypatch):
    _platform, bakery, _books = stores
    monkeypatch.setattr(sitemaps, "MAX_URLS", 3)
    names = run_rebuild_sitemaps(bakery.id)
    assert names == ["sitemap.xml", "fr-1.xml", "fr-2.xml", "fr-3.xml", "de-1.xml", "de-2.xml", "de-3.xml",
                     "en-1.xml", "en-2.xml", "en-3.xml"]
    index = _xml(client.get("/platforms/lux/storefront/bakery/sitemap.xml"))
    assert len(index.findall("s:sitemap", NS)) == 9
    counts = [len(_xml(client.get(f"/platforms/lux/storefront/bakery/sitemaps/fr-{n}.xml")).findall("s:url", NS))
              for n in (1, 2, 3)]
    assert counts == [3, 3, 1]
    lastmods = [e.text for e in index.findall("s:sitemap/s:lastmod", NS)]
    assert lastmods and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in lastmods)
    monkeypatch.setattr(sitemaps, "MAX_URLS", 50_000)
    run_rebuild_sitemaps(bakery.id)
    assert client.get("/platforms/lux/storefront/bakery/sitemaps/fr-2.xml").status_code == 404  # the split undone


def test_a_task_finds_files_made_after_its_change_current(stores, db_session):
    _platform, bakery, _books = stores
    before = time.time()
    assert run_rebuild_sitemaps(bakery.id)  # made now
    assert run_rebuild_sitemaps(bakery.id, before) == []  # the change is in them already
    assert run_rebuild_sitemaps(bakery.id, time.time() + 1)  # a later change makes them again
