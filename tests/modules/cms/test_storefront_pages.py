"""Content pages in a storefront: what shoppers see, in their language."""

from __future__ import annotations

from modules.cms.services import content_page_service
from tests.modules.cms.conftest import storefront


def test_a_platform_page_shows_in_every_storefront_of_the_platform(client, factories, make_page):
    """A published platform page is readable in a store's storefront."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="delivery", titles={"en": "Delivery"})

    response = client.get(storefront(platform, store, "pages/delivery?lang=en"))

    assert response.status_code == 200
    assert '<h1 class="cms-page-title">Delivery</h1>' in response.text
    assert "Delivery text." in response.text


def test_a_store_page_replaces_the_platform_page_with_the_same_slug(client, factories, make_page):
    """The store's own "about" page wins over the platform's in that store only."""
    platform = factories.platform(code="lux")
    bakery = factories.store(platform, code="bakery")
    books = factories.store(platform, code="books")
    make_page(platform, slug="about", titles={"en": "About the platform"})
    make_page(platform, bakery, slug="about", titles={"en": "About the bakery"})

    assert (
        "About the bakery" in client.get(storefront(platform, bakery, "pages/about?lang=en")).text
    )
    other = client.get(storefront(platform, books, "pages/about?lang=en")).text
    assert "About the platform" in other
    assert "About the bakery" not in other


def test_the_page_comes_in_the_shoppers_language_with_fallback_to_english(
    client, factories, make_page
):
    """German when asked and available; English when the page has no French text."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="about", titles={"en": "About us", "de": "Über uns"})

    assert "Über uns" in client.get(storefront(platform, store, "pages/about?lang=de")).text
    french = client.get(storefront(platform, store, "pages/about?lang=fr"))
    assert french.status_code == 200
    assert "About us" in french.text
    assert 'lang="en"' in french.text


def test_a_page_without_english_falls_back_to_any_language(client, factories, make_page):
    """A page written only in Luxembourgish still shows to a French reader."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery", languages=["fr", "lb"], default_language="fr")
    make_page(platform, slug="iwwer-eis", titles={"lb": "Iwwer eis"})

    response = client.get(storefront(platform, store, "pages/iwwer-eis"))

    assert response.status_code == 200
    assert "Iwwer eis" in response.text


def test_a_missing_page_answers_404_with_the_error_page(client, factories):
    """An unknown slug shows the storefront's 404 page."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")

    response = client.get(storefront(platform, store, "pages/nothing-here?lang=en"))

    assert response.status_code == 404
    assert "This page does not exist." in response.text


def test_an_unpublished_page_is_not_shown(client, factories, make_page):
    """A draft answers 404 and is missing from the menus."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="secret", titles={"en": "Secret"}, status="draft", show_in_header=True)

    assert client.get(storefront(platform, store, "pages/secret?lang=en")).status_code == 404
    assert "Secret" not in client.get(storefront(platform, store, "pages/secret?lang=en")).text


def test_a_draft_store_page_does_not_hide_the_platform_page(client, factories, make_page):
    """Until the store publishes its override, shoppers keep seeing the platform's page."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="about", titles={"en": "About the platform"})
    make_page(platform, store, slug="about", titles={"en": "Bakery draft"}, status="draft")

    response = client.get(storefront(platform, store, "pages/about?lang=en"))

    assert "About the platform" in response.text
    assert "Bakery draft" not in response.text


def test_header_and_footer_menus_list_the_pages_by_placement(client, factories, make_page):
    """Header pages appear in the header nav, footer pages in the footer, titled in the language."""
    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(
        platform, slug="about", titles={"en": "About us", "fr": "À propos"}, show_in_header=True
    )
    make_page(
        platform,
        slug="legal-notice",
        titles={"en": "Legal notice", "fr": "Mentions légales"},
        show_in_footer=True,
        is_legal=True,
    )

    html = client.get(storefront(platform, store, "pages/about?lang=fr")).text
    header, _, footer = html.partition("</header>")

    assert 'href="/platforms/lux/storefront/bakery/pages/about">À propos</a>' in header
    assert "Mentions légales" not in header
    assert (
        'href="/platforms/lux/storefront/bakery/pages/legal-notice">Mentions légales</a>' in footer
    )


def test_the_body_is_escaped_and_split_into_paragraphs(client, factories, db_session):
    """HTML typed into a page is shown as text; blank lines make paragraphs."""
    from modules.cms.services import content_page_service

    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    content_page_service.create_page(
        db_session,
        platform_id=platform.id,
        slug="hours",
        translations={
            "en": {"title": "Hours", "body": "Mon–Fri 7–18\nSat 7–12\n\n<script>alert(1)</script>"}
        },
        status="published",
    )

    html = client.get(storefront(platform, store, "pages/hours?lang=en")).text

    assert "<p>Mon–Fri 7–18<br>Sat 7–12</p>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_seo_description_becomes_the_meta_description(client, factories, db_session):
    """The page's search description is in the head."""
    from modules.cms.services import content_page_service

    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    content_page_service.create_page(
        db_session,
        platform_id=platform.id,
        slug="about",
        translations={
            "en": {"title": "About", "body": "Hi", "seo_description": "Fresh bread daily."}
        },
        status="published",
    )

    html = client.get(storefront(platform, store, "pages/about?lang=en")).text

    assert '<meta name="description" content="Fresh bread daily.">' in html
    assert "/static/modules/cms/shared/css/cms.css" in html


def test_a_page_of_another_platform_is_not_reachable(client, factories, make_page):
    """Pages belong to their platform: another platform's storefront answers 404."""
    lux = factories.platform(code="lux")
    other = factories.platform(code="other")
    store = factories.store(other, code="shop")
    make_page(lux, slug="about", titles={"en": "Lux about"})

    assert client.get(storefront(other, store, "pages/about")).status_code == 404


def test_the_kept_navigation_follows_every_change_to_a_page(client, factories, make_page, db_session):
    """Header and footer links are kept per process until the configuration revision moves;
    each change to a page moves it (so every server process drops its copy within a second)."""
    from orion_server.revision import config_cache

    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    page = make_page(platform, slug="about", titles={"en": "About us"}, show_in_header=True)
    home = storefront(platform, store, "?lang=en")

    def header() -> str:
        return client.get(home).text.partition("</header>")[0]

    assert ">About us</a>" in header()
    before = config_cache.current(db_session)
    content_page_service.update_page(
        db_session, page_id=page.id, store_id=None, platform_id=platform.id, slug="about",
        translations={"en": {"title": "Our story", "body": "Since 1920."}}, default_language="en",
        show_in_header=True, status="published")
    assert ">Our story</a>" in header() and "About us" not in header()
    content_page_service.unpublish(db_session, page_id=page.id, store_id=None, platform_id=platform.id)
    assert "Our story" not in header()
    config_cache.invalidate()
    assert config_cache.current(db_session) >= before + 2
