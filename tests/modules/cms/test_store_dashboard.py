"""The store dashboard's page editor: listing, creating, editing, publishing, permissions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.modules.cms.conftest import page_id, storefront

ALL_CMS = ["cms.pages.view", "cms.pages.edit", "cms.pages.publish"]


@pytest.fixture
def shop(factories):
    """A platform with one store (French by default, also German and English)."""
    platform = factories.platform(code="lux")
    store = factories.store(
        platform, code="bakery", languages=["fr", "de", "en"], default_language="fr"
    )
    return platform, store


def page_form(csrf: str, **fields: str) -> dict[str, str]:
    """A filled editor form: a French title by default, published."""
    data = {
        "csrf_token": csrf,
        "slug": "opening-hours",
        "title_fr": "Horaires",
        "body_fr": "Du mardi au dimanche.",
        "show_in_footer": "1",
        "sort_order": "5",
        "status": "published",
    }
    data.update(fields)
    return data


def test_signed_out_visitors_are_sent_to_the_store_login(client, shop):
    """The content list needs a signed-in member of the store."""
    response = client.get("/store/bakery/content", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/store/bakery/login?next=/store/bakery/content")


def test_an_empty_store_is_told_what_to_do_next(client, shop, owner):
    """Without pages, the list explains how to add one and links to the editor."""
    response = client.get("/store/bakery/content?lang=en")

    assert response.status_code == 200
    assert "Your shop has no pages of its own yet." in response.text
    assert "Create a page to tell shoppers" in response.text
    assert 'href="/store/bakery/content/new"' in response.text


def test_the_store_menu_links_to_the_pages(client, shop, owner):
    """The dashboard's menu has a "Pages" entry, marked active on the list."""
    html = client.get("/store/bakery/content?lang=en").text

    assert '<a href="/store/bakery/content" class="active">Pages</a>' in html


def test_an_owner_creates_a_published_page_that_shoppers_see(client, shop, owner):
    """Posting the editor creates the page, redirects to the list and publishes it."""
    response = client.post(
        "/store/bakery/content/new?lang=en", data=page_form(owner), follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/store/bakery/content?done=created"
    listing = client.get("/store/bakery/content?done=created&lang=en").text
    assert "The page was created." in listing
    assert "opening-hours" in listing
    assert "Published" in listing
    page = client.get(storefront(*shop, "pages/opening-hours?lang=fr"))
    assert page.status_code == 200
    assert "Horaires" in page.text


def test_missing_title_and_bad_slug_come_back_with_messages(client, shop, owner):
    """Invalid input re-renders the form (422) with a message per field and keeps the input."""
    form = page_form(
        owner, slug="Opening Hours!", title_fr="", body_fr="Texte sans titre", title_en="Hours"
    )

    response = client.post("/store/bakery/content/new?lang=en", data=form)

    assert response.status_code == 422
    assert 'id="e-slug"' in response.text
    assert "Use up to 100 lowercase letters" in response.text
    assert 'id="e-title_fr"' in response.text
    assert "Give this text a title, or empty its fields." in response.text
    assert "Texte sans titre" in response.text
    assert 'value="Hours"' in response.text


def test_the_default_language_title_is_required(client, shop, owner):
    """A page with an English title only is refused: the store's default language is French."""
    form = page_form(owner, title_fr="", body_fr="", title_en="Hours")

    response = client.post("/store/bakery/content/new?lang=en", data=form)

    assert response.status_code == 422
    assert 'id="e-title_fr"' in response.text
    assert "A title in the default language is required." in response.text


def test_validation_messages_follow_the_dashboard_language(client, shop, owner):
    """In a German dashboard the field messages are German."""
    response = client.post("/store/bakery/content/new?lang=de", data=page_form(owner, slug=""))

    assert response.status_code == 422
    assert "Geben Sie die Seitenadresse ein" in response.text


def test_a_duplicate_slug_is_refused_with_409(client, shop, owner):
    """Two pages of one store cannot share a slug."""
    client.post("/store/bakery/content/new", data=page_form(owner))

    response = client.post(
        "/store/bakery/content/new?lang=en", data=page_form(owner, title_fr="Autre")
    )

    assert response.status_code == 409
    assert "Another page already uses the address “opening-hours”." in response.text


def test_a_store_may_reuse_a_platform_slug_to_override_it(client, shop, owner, make_page):
    """The list offers to replace a platform page; saving it overrides the page in the storefront."""
    platform, _store = shop
    make_page(platform, slug="about", titles={"en": "About the platform", "fr": "À propos"})
    listing = client.get("/store/bakery/content?lang=en").text
    assert "Platform pages in your shop" in listing
    assert 'href="/store/bakery/content/new?slug=about"' in listing
    assert 'value="about"' in client.get("/store/bakery/content/new?slug=about").text

    client.post(
        "/store/bakery/content/new",
        data=page_form(owner, slug="about", title_fr="Notre boulangerie"),
    )

    assert "Notre boulangerie" in client.get(storefront(*shop, "pages/about?lang=fr")).text
    assert "replaces the platform page" in client.get("/store/bakery/content?lang=en").text


def test_editing_a_page_shows_its_values_and_saves_changes(client, shop, owner, db_session):
    """The edit form is pre-filled; posting it changes the page."""
    client.post("/store/bakery/content/new", data=page_form(owner))
    pid = page_id(db_session, "opening-hours")

    form = client.get(f"/store/bakery/content/{pid}/edit?lang=en")
    assert form.status_code == 200
    assert 'value="Horaires"' in form.text
    response = client.post(
        f"/store/bakery/content/{pid}/edit",
        data=page_form(owner, title_fr="Nos horaires", title_de="Öffnungszeiten"),
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/store/bakery/content?done=saved"
    assert "Nos horaires" in client.get(storefront(*shop, "pages/opening-hours?lang=fr")).text
    assert "Öffnungszeiten" in client.get(storefront(*shop, "pages/opening-hours?lang=de")).text


def test_unpublishing_and_publishing_take_the_page_offline_and_back(
    client, shop, owner, db_session
):
    """The row actions toggle what shoppers see."""
    client.post("/store/bakery/content/new", data=page_form(owner))
    pid = page_id(db_session, "opening-hours")

    client.post(f"/store/bakery/content/{pid}/unpublish", data={"csrf_token": owner})
    assert client.get(storefront(*shop, "pages/opening-hours")).status_code == 404

    client.post(f"/store/bakery/content/{pid}/publish", data={"csrf_token": owner})
    assert client.get(storefront(*shop, "pages/opening-hours")).status_code == 200


def test_deleting_a_page_removes_it(client, shop, owner, db_session):
    """Delete removes the page and confirms it."""
    client.post("/store/bakery/content/new", data=page_form(owner))
    pid = page_id(db_session, "opening-hours")

    response = client.post(
        f"/store/bakery/content/{pid}/delete?lang=en", data={"csrf_token": owner}
    )

    assert "The page was deleted." in response.text
    assert client.get(storefront(*shop, "pages/opening-hours")).status_code == 404


def test_scheduling_needs_a_future_date(client, shop, owner):
    """A scheduled page without a future date is refused with a message on the date field."""
    response = client.post(
        "/store/bakery/content/new?lang=en",
        data=page_form(owner, status="scheduled", publish_at="2000-01-01T10:00"),
    )

    assert response.status_code == 422
    assert 'id="e-publish_at"' in response.text
    assert "Choose a moment in the future" in response.text


def test_a_scheduled_page_is_listed_as_scheduled_and_hidden_until_then(client, shop, owner):
    """Scheduling for tomorrow keeps the page offline and shows the date in the list."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        "/store/bakery/content/new", data=page_form(owner, status="scheduled", publish_at=tomorrow)
    )

    assert response.status_code == 200
    assert "Scheduled for" in client.get("/store/bakery/content?lang=en").text
    assert client.get(storefront(*shop, "pages/opening-hours")).status_code == 404


def test_the_form_refuses_a_post_without_the_csrf_token(client, shop, owner):
    """A forged form is rejected with 403."""
    form = page_form(owner)
    form.pop("csrf_token")

    assert client.post("/store/bakery/content/new", data=form).status_code == 403


def test_staff_without_the_view_permission_are_refused(client, factories, shop):
    """cms.pages.view gates the list."""
    user = factories.staff(shop[1], permissions=["billing.view"])
    factories.login(client, user)

    assert client.get("/store/bakery/content").status_code == 403


def test_staff_who_may_view_but_not_edit_see_no_editor_links(client, factories, shop):
    """Read-only staff get the list without "New page" and cannot open the editor."""
    user = factories.staff(shop[1], permissions=["cms.pages.view"])
    factories.login(client, user)

    listing = client.get("/store/bakery/content?lang=en")

    assert listing.status_code == 200
    assert "/store/bakery/content/new" not in listing.text
    assert "Ask the store owner" in listing.text
    assert client.get("/store/bakery/content/new").status_code == 403


def test_editors_without_publish_permission_create_drafts(client, factories, shop):
    """Without cms.pages.publish there is no status field and new pages stay drafts."""
    user = factories.staff(shop[1], permissions=["cms.pages.view", "cms.pages.edit"])
    csrf = factories.login(client, user)

    form = client.get("/store/bakery/content/new?lang=en").text
    assert 'name="status"' not in form
    client.post("/store/bakery/content/new", data=page_form(csrf, status="published"))

    assert "Draft" in client.get("/store/bakery/content?lang=en").text
    assert client.get(storefront(*shop, "pages/opening-hours")).status_code == 404


def test_publishing_needs_the_publish_permission(client, factories, shop, make_page):
    """POST publish answers 403 to an editor without cms.pages.publish."""
    page = make_page(shop[0], shop[1], slug="news", titles={"fr": "Nouvelles"}, status="draft")
    user = factories.staff(shop[1], permissions=["cms.pages.view", "cms.pages.edit"])
    csrf = factories.login(client, user)

    assert (
        client.post(
            f"/store/bakery/content/{page.id}/publish", data={"csrf_token": csrf}
        ).status_code
        == 403
    )


def test_another_stores_page_cannot_be_edited(client, factories, shop, owner, make_page):
    """Page ids of other stores and of the platform answer 404."""
    platform, _store = shop
    other_store = factories.store(platform, code="books")
    foreign = make_page(platform, other_store, slug="about", titles={"en": "Books"})
    platform_page = make_page(platform, slug="terms", titles={"en": "Terms"})

    assert client.get(f"/store/bakery/content/{foreign.id}/edit").status_code == 404
    assert client.get(f"/store/bakery/content/{platform_page.id}/edit").status_code == 404
    response = client.post(f"/store/bakery/content/{foreign.id}/delete", data={"csrf_token": owner})
    assert response.status_code == 404


def test_members_of_another_store_cannot_see_the_list(client, factories, shop):
    """A member of another store gets 404, as if the store did not exist."""
    other = factories.store(shop[0], code="books")
    user = factories.staff(other, role="owner")
    factories.login(client, user)

    assert client.get("/store/bakery/content").status_code == 404


def test_the_editor_offers_the_store_languages_default_first(client, shop, owner):
    """The form has one section per store language, French (the default) first."""
    html = client.get("/store/bakery/content/new").text

    languages = re.findall(r'name="title_(\w+)"', html)
    assert languages == ["fr", "de", "en"]


def test_a_missing_page_shows_the_translated_404_page(client, shop, owner):
    """An unknown page id answers the dashboard's 404 page in the user's language."""
    response = client.get("/store/bakery/content/999/edit?lang=de")

    assert response.status_code == 404
    assert "Diese Seite gibt es nicht." in response.text
    assert "no page" not in response.text
