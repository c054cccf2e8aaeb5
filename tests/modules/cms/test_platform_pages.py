"""Content pages on a platform's public pages, and the context the module gives them."""

from __future__ import annotations

import pytest

from orion_server.modules import registry
from orion_server.modules.enums import FrontendType


def test_the_main_platform_serves_its_page_at_the_root(client, main_platform, make_page):
    """/pages/{slug} on the main platform shows the page."""
    make_page(main_platform, slug="about", titles={"en": "About Orion", "fr": "À propos d’Orion"})

    response = client.get("/pages/about?lang=fr")

    assert response.status_code == 200
    assert "À propos d’Orion" in response.text


def test_another_platform_serves_its_pages_under_its_path(
    client, main_platform, factories, make_page
):
    """/platforms/{code}/pages/{slug} shows that platform's page, not the main one's."""
    lux = factories.platform(code="lux")
    make_page(main_platform, slug="about", titles={"en": "Main about"})
    make_page(lux, slug="about", titles={"en": "Lux about"})

    html = client.get("/platforms/lux/pages/about?lang=en").text

    assert "Lux about" in html
    assert "Main about" not in html


def test_a_store_page_is_not_a_platform_page(client, main_platform, factories, make_page):
    """A store's own page is not served on the platform's public pages."""
    store = factories.store(main_platform, code="bakery")
    make_page(main_platform, store, slug="opening-hours", titles={"en": "Opening hours"})

    assert client.get("/pages/opening-hours").status_code == 404


def test_a_missing_platform_page_answers_404(client, main_platform):
    """An unknown slug answers the platform's 404 page."""
    response = client.get("/pages/unknown?lang=en")

    assert response.status_code == 404
    assert "This page does not exist." in response.text


def test_the_platform_header_and_footer_list_published_pages(client, main_platform, make_page):
    """Header pages in the header, footer pages in the footer; drafts nowhere."""
    make_page(main_platform, slug="about", titles={"en": "About"}, show_in_header=True)
    make_page(
        main_platform, slug="terms", titles={"en": "Terms"}, show_in_footer=True, is_legal=True
    )
    make_page(
        main_platform,
        slug="draft",
        titles={"en": "Draft page"},
        show_in_header=True,
        status="draft",
    )

    html = client.get("/pages/about?lang=en").text
    header, _, footer = html.partition("</header>")

    assert '<a href="/pages/about">About</a>' in header
    assert '<a href="/pages/terms">Terms</a>' in footer
    assert "Draft page" not in html


def test_a_legal_page_outside_the_footer_is_linked_from_content_pages(
    client, main_platform, make_page
):
    """Legal pages not in the footer still get a link under the page text."""
    make_page(main_platform, slug="about", titles={"en": "About"})
    make_page(main_platform, slug="privacy", titles={"en": "Privacy"}, is_legal=True)

    html = client.get("/pages/about?lang=en").text

    assert 'class="cms-legal"' in html
    assert '<a href="/pages/privacy">Privacy</a>' in html


def test_the_platform_provider_gives_header_footer_and_legal_pages(
    db_session, main_platform, make_page
):
    """The PLATFORM provider returns items with .slug and .title in the request's language."""
    from types import SimpleNamespace

    make_page(
        main_platform, slug="about", titles={"en": "About", "de": "Über uns"}, show_in_header=True
    )
    make_page(
        main_platform,
        slug="imprint",
        titles={"en": "Imprint", "de": "Impressum"},
        show_in_footer=True,
        is_legal=True,
    )
    cms = registry.MODULES["cms"]
    provider = cms.resolve(cms.context_providers[FrontendType.PLATFORM])
    request = SimpleNamespace(state=SimpleNamespace(language="de"))

    context = provider(request, db_session, main_platform)

    assert [(p.slug, p.title) for p in context["header_pages"]] == [("about", "Über uns")]
    assert [(p.slug, p.title) for p in context["footer_pages"]] == [("imprint", "Impressum")]
    assert [p.slug for p in context["legal_pages"]] == ["imprint"]


def test_the_storefront_provider_uses_the_request_store(db_session, factories, make_page):
    """The STOREFRONT provider merges store overrides and is empty without a store."""
    from types import SimpleNamespace

    platform = factories.platform(code="lux")
    store = factories.store(platform, code="bakery")
    make_page(platform, slug="about", titles={"en": "Platform about"}, show_in_header=True)
    make_page(platform, store, slug="about", titles={"en": "Bakery about"}, show_in_header=True)
    cms = registry.MODULES["cms"]
    provider = cms.resolve(cms.context_providers[FrontendType.STOREFRONT])

    with_store = provider(
        SimpleNamespace(state=SimpleNamespace(language="en", store=store)), db_session, platform
    )
    without = provider(SimpleNamespace(state=SimpleNamespace(language="en")), db_session, platform)

    assert [(p.slug, p.title) for p in with_store["header_pages"]] == [("about", "Bakery about")]
    assert without == {"header_pages": [], "footer_pages": []}


@pytest.mark.parametrize("frontend", [FrontendType.PLATFORM, FrontendType.STOREFRONT])
def test_a_failing_cms_provider_does_not_break_the_page(
    client, main_platform, factories, make_page, monkeypatch, frontend
):
    """If the cms provider raises, pages still render, only without the content-page menus."""

    def broken(request, db, platform):
        raise RuntimeError("cms is broken")

    monkeypatch.setitem(registry.MODULES["cms"].context_providers, frontend, broken)
    factories.store(main_platform, code="bakery")
    make_page(main_platform, slug="about", titles={"en": "About"}, show_in_header=True)

    platform_page = client.get("/pages/about?lang=en")
    storefront_page = client.get(
        f"/platforms/{main_platform.code}/storefront/bakery/pages/about?lang=en"
    )

    assert platform_page.status_code == 200
    assert storefront_page.status_code == 200
    broken_page = platform_page if frontend == FrontendType.PLATFORM else storefront_page
    assert 'pages/about">About</a>' not in broken_page.text.partition("</header>")[0]


def test_the_cms_stylesheet_is_served(client, main_platform):
    """The module's static CSS answers 200."""
    response = client.get("/static/modules/cms/shared/css/cms.css")

    assert response.status_code == 200
    assert ".cms-page" in response.text
