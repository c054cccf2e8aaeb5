"""A platform's own site for search engines, in path mode and host mode: robots.txt names its
sitemaps (and at the root of a host, those of the storefronts served there in path mode), each
language's sitemap lists the home, pricing and published pages, every address answers with its
canonical address and language alternates; a page taken offline leaves the sitemaps once the
task ran; the files carry Last-Modified and answer 304 to a crawler's If-Modified-Since."""

from __future__ import annotations

import os
import time
from email.utils import formatdate

import pytest
from sqlalchemy import select

from modules.cms.services import content_page_service
from modules.cms.services import sitemap_service as sitemaps
from modules.cms.tasks.sitemaps import run_rebuild_platform_sitemaps
from orion_server.config import get_settings
from orion_server.models import Store
from orion_server.modules.service import module_service
from tests.modules.catalog.test_seo_head import Head
from tests.modules.cms.test_sitemaps import NS, _get, _xml

LANGUAGES = ("en", "de", "fr", "lb")


@pytest.fixture
def platforms(factories, db_session):
    """The main platform (at the root, path mode) with a published page ``about`` and a draft
    ``secret``, its store ``bakery`` in path mode; platform ``lux`` on its own domain
    ``shops.lu`` with a page ``terms``."""
    main = factories.platform(code=get_settings().main_platform_code, default_language="fr")
    lux = factories.platform(code="lux", domain="shops.lu", default_language="de")
    module_service.enable_module(db_session, main.id, "catalog")
    factories.store(main, code="bakery", languages=["fr", "en"], default_language="fr")
    for platform, slug, status in ((main, "about", "published"), (main, "secret", "draft"),
                                   (lux, "terms", "published")):
        content_page_service.create_page(
            db_session, platform_id=platform.id, slug=slug, default_language=platform.default_language,
            translations={platform.default_language: {"title": slug.title(), "body": "Text.", "seo_description": ""}},
            status=status,
        )
    return main, lux


def _crawl(client, robots_path: str, headers: dict[str, str]) -> tuple[str, dict[str, list[str]]]:
    """robots.txt, then the platform's index (the first sitemap named), every sitemap and
    every page listed: each answers 200 with its address as canonical and the alternates."""
    robots = client.get(robots_path, headers=headers)
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    named = [line.removeprefix("Sitemap: ") for line in robots.text.splitlines() if line.startswith("Sitemap: ")]
    index = _xml(_get(client, named[0]))
    assert index.tag.endswith("}sitemapindex")
    found: dict[str, list[str]] = {}
    for sitemap in index.findall("s:sitemap/s:loc", NS):
        urlset = _xml(_get(client, sitemap.text))
        addresses = [loc.text for loc in urlset.findall("s:url/s:loc", NS)]
        found[sitemap.text.rsplit("/", 1)[1]] = addresses
        for address in addresses:
            page = _get(client, address)
            assert page.status_code == 200, (address, page.status_code)
            head = Head(page.text)
            assert head.canonical == address
            alternates = head.alternates
            assert set(alternates) == {*LANGUAGES, "x-default"} and address in alternates.values()
    return robots.text, found


def test_path_mode_the_root_robots_names_the_platform_and_its_storefronts(client, platforms):
    base = get_settings().base_url.rstrip("/")
    robots, found = _crawl(client, "/robots.txt", {})
    assert "Disallow: /admin/" in robots and "Disallow: /store/" in robots
    assert "Disallow: /platforms/*/storefront/*/checkout" in robots
    assert f"Sitemap: {base}/sitemap.xml" in robots
    assert f"Sitemap: {base}/platforms/main/storefront/bakery/sitemap.xml" in robots
    assert "shops.lu" not in robots  # another host's sitemaps are named by its own robots.txt
    assert sorted(found) == sorted(f"{lang}-1.xml" for lang in LANGUAGES)
    assert sorted(found["fr-1.xml"]) == sorted(
        f"{base}/{path}?lang=fr" for path in ("", "pricing", "pages/about"))
    assert not any("secret" in a for addresses in found.values() for a in addresses)


def test_host_mode_the_platform_domain_answers_with_its_own_addresses(client, platforms):
    robots, found = _crawl(client, "/robots.txt", {"host": "shops.lu"})
    assert "Sitemap: http://shops.lu/sitemap.xml" in robots
    assert "http://shops.lu/pages/terms?lang=de" in found["de-1.xml"]
    assert "http://shops.lu/pricing?lang=en" in found["en-1.xml"]
    # the same platform in path mode still names its domain
    index = client.get("/platforms/lux/sitemap.xml").text
    assert "<loc>http://shops.lu/sitemaps/de-1.xml</loc>" in index


def test_a_page_taken_offline_leaves_the_platform_sitemap_after_the_task(client, platforms, db_session):
    main, _lux = platforms
    assert client.get("/sitemap.xml").status_code == 200
    assert "pages/about?lang=en<" in client.get("/sitemaps/en-1.xml").text
    [about] = [p for p in content_page_service.list_platform_pages(db_session, platform_id=main.id)
               if p.slug == "about"]
    content_page_service.unpublish(db_session, page_id=about.id, store_id=None, platform_id=main.id)  # the task runs after commit
    listed = client.get("/sitemaps/en-1.xml").text
    assert "pages/about" not in listed and "pricing?lang=en<" in listed


def test_the_files_carry_last_modified_and_answer_304(client, platforms, db_session):
    main, _lux = platforms
    run_rebuild_platform_sitemaps(main.id)
    settled = time.time() - 5  # a file made this very second carries no date yet
    folder = sitemaps._platform_folder(db_session.get(type(main), main.id))
    for path in folder.glob("*.xml"):
        os.utime(path, (settled, settled))
    first = client.get("/sitemaps/fr-1.xml")
    assert first.headers["last-modified"] == formatdate(int(settled), usegmt=True)
    again = client.get("/sitemaps/fr-1.xml", headers={"if-modified-since": first.headers["last-modified"]})
    assert again.status_code == 304 and again.content == b""
    older = formatdate(int(settled) - 60, usegmt=True)
    assert client.get("/sitemaps/fr-1.xml", headers={"if-modified-since": older}).status_code == 200
    assert client.get("/sitemaps/fr-1.xml", headers={"if-modified-since": "yesterday"}).status_code == 200
    # remade now: no date until the second is over, so nobody keeps a copy the new file shares a date with
    run_rebuild_platform_sitemaps(main.id)
    fresh = client.get("/sitemaps/fr-1.xml", headers={"if-modified-since": first.headers["last-modified"]})
    assert fresh.status_code == 200 and "last-modified" not in fresh.headers
    assert client.get("/sitemaps/xx-1.xml").status_code == 404


def test_a_store_sitemap_carries_last_modified_too(client, platforms, db_session):
    main, _lux = platforms
    index = client.get("/platforms/main/storefront/bakery/sitemap.xml")
    assert index.status_code == 200
    settled = time.time() - 5
    store_folder = sitemaps._folder(db_session.scalar(select(Store).where(Store.code == "bakery")))
    for path in store_folder.glob("*.xml"):
        os.utime(path, (settled, settled))
    listed = client.get("/platforms/main/storefront/bakery/sitemaps/fr-1.xml")
    assert listed.headers["last-modified"] == formatdate(int(settled), usegmt=True)
    unchanged = client.get("/platforms/main/storefront/bakery/sitemaps/fr-1.xml",
                           headers={"if-modified-since": listed.headers["last-modified"]})
    assert unchanged.status_code == 304
