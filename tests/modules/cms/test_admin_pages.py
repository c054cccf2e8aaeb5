"""The platform admin's page editor: pages of the main platform or of another platform."""

from __future__ import annotations

import pytest

from tests.modules.cms.conftest import page_id


@pytest.fixture
def admin_csrf(client, factories, main_platform):
    """A signed-in super admin; returns the CSRF token."""
    return factories.login(client, factories.admin())


def admin_form(csrf: str, **fields: str) -> dict[str, str]:
    """A filled editor form for a platform page (the platform's default language is French)."""
    data = {
        "csrf_token": csrf,
        "slug": "terms",
        "title_fr": "Conditions générales",
        "title_en": "Terms and conditions",
        "body_en": "Be nice.",
        "show_in_footer": "1",
        "is_legal": "1",
        "status": "published",
    }
    data.update(fields)
    return data


def test_the_admin_menu_and_list_show_the_main_platforms_pages(
    client, main_platform, admin_csrf, make_page
):
    """/admin/content lists the main platform's pages with their status."""
    make_page(main_platform, slug="about", titles={"en": "About"})
    make_page(main_platform, slug="draft", titles={"en": "Work in progress"}, status="draft")

    html = client.get("/admin/content?lang=en").text

    assert '<a href="/admin/content" class="active">Pages</a>' in html
    assert "About" in html and "Work in progress" in html
    assert "Published" in html and "Draft" in html


def test_an_empty_platform_is_told_where_to_start(client, main_platform, admin_csrf):
    """Without pages the admin list says what to create first."""
    html = client.get("/admin/content?lang=en").text

    assert "has no pages yet." in html
    assert "Start with an “About” page and the legal notice" in html


def test_store_pages_are_not_listed_for_the_admin(
    client, main_platform, factories, admin_csrf, make_page
):
    """The admin list holds platform pages only."""
    store = factories.store(main_platform, code="bakery")
    make_page(main_platform, store, slug="bakery-only", titles={"en": "Bakery only"})

    assert "Bakery only" not in client.get("/admin/content?lang=en").text


def test_an_admin_creates_a_platform_page_shown_publicly_and_in_storefronts(
    client, main_platform, factories, admin_csrf
):
    """Posting the admin editor publishes a platform page everywhere on the platform."""
    factories.store(main_platform, code="bakery")

    response = client.post(
        "/admin/content/new", data=admin_form(admin_csrf), follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/content?platform=main&done=created"
    assert "Terms and conditions" in client.get("/pages/terms?lang=en").text
    footer = client.get("/platforms/main/storefront/bakery/pages/terms?lang=fr").text.partition(
        "</header>"
    )[2]
    assert "Conditions générales</a>" in footer


def test_the_admin_can_manage_another_platform(client, main_platform, factories, admin_csrf):
    """?platform=code switches the list and the editor to that platform."""
    factories.platform(code="lux", name="Letzshop")

    listing = client.get("/admin/content?platform=lux&lang=en").text
    assert "Letzshop has no pages yet." in listing
    client.post("/admin/content/new?platform=lux", data=admin_form(admin_csrf))

    assert client.get("/platforms/lux/pages/terms?lang=en").status_code == 200
    assert client.get("/pages/terms").status_code == 404


def test_an_unknown_platform_answers_404(client, main_platform, admin_csrf):
    """?platform= naming no platform is a 404."""
    assert client.get("/admin/content?platform=nope").status_code == 404


def test_admin_validation_errors_come_back_in_the_form(client, main_platform, admin_csrf):
    """A missing default-language title is a 422 with the message on that field."""
    response = client.post("/admin/content/new?lang=en", data=admin_form(admin_csrf, title_fr=""))

    assert response.status_code == 422
    assert 'id="e-title_fr"' in response.text
    assert 'value="Terms and conditions"' in response.text


def test_a_duplicate_platform_slug_is_refused(client, main_platform, admin_csrf, make_page):
    """Two platform pages cannot share a slug (409 with the message on the slug)."""
    make_page(main_platform, slug="terms", titles={"fr": "Conditions"})

    response = client.post("/admin/content/new?lang=en", data=admin_form(admin_csrf))

    assert response.status_code == 409
    assert 'id="e-slug"' in response.text


def test_the_admin_edits_unpublishes_and_deletes_a_page(
    client, main_platform, admin_csrf, db_session
):
    """The full life of a platform page through the admin."""
    client.post("/admin/content/new", data=admin_form(admin_csrf))
    pid = page_id(db_session, "terms")

    assert 'value="Terms and conditions"' in client.get(f"/admin/content/{pid}/edit").text
    client.post(f"/admin/content/{pid}/edit", data=admin_form(admin_csrf, title_en="Terms of sale"))
    assert "Terms of sale" in client.get("/pages/terms?lang=en").text

    client.post(f"/admin/content/{pid}/unpublish", data={"csrf_token": admin_csrf})
    assert client.get("/pages/terms").status_code == 404
    client.post(f"/admin/content/{pid}/publish", data={"csrf_token": admin_csrf})
    assert client.get("/pages/terms").status_code == 200

    response = client.post(f"/admin/content/{pid}/delete?lang=en", data={"csrf_token": admin_csrf})
    assert "The page was deleted." in response.text
    assert client.get("/pages/terms").status_code == 404


def test_the_admin_cannot_edit_a_store_page_by_id(
    client, main_platform, factories, admin_csrf, make_page
):
    """Store pages are edited in the store dashboard, not through /admin/content."""
    store = factories.store(main_platform, code="bakery")
    page = make_page(main_platform, store, slug="hours", titles={"en": "Hours"})

    assert client.get(f"/admin/content/{page.id}/edit").status_code == 404


def test_store_staff_cannot_open_the_admin_editor(client, main_platform, factories):
    """Only platform admins may use /admin/content."""
    store = factories.store(main_platform, code="bakery")
    factories.login(client, factories.staff(store, role="owner"))

    assert client.get("/admin/content").status_code == 403


def test_a_missing_platform_page_id_shows_the_404_page(client, main_platform, admin_csrf):
    """An unknown page id answers 404 with the translated message."""
    response = client.post("/admin/content/999/delete?lang=en", data={"csrf_token": admin_csrf})

    assert response.status_code == 404
    assert "This page does not exist." in response.text
