"""The store pages of the admin: list, filter, search, paginate, create, edit."""

from __future__ import annotations

import pytest

from orion_server.models import Store
from orion_server.tenancy import tenancy_service
from tests.modules.tenancy.helpers import count


@pytest.fixture
def letzshop(factories, main_platform):
    """A second platform, besides the main one."""
    return factories.platform(code="letzshop", name="Letzshop")


def _store_form(csrf: str, **changes) -> dict:
    form = {
        "platform": "letzshop",
        "code": "bakery",
        "name": "Boulangerie Dupont",
        "subdomain": "",
        "merchant_id": "",
        "default_language": "fr",
        "languages": ["fr", "de"],
        "csrf_token": csrf,
    }
    form.update(changes)
    return form


def test_the_stores_page_filters_by_platform_and_search(
    client, csrf, letzshop, main_platform, factories
):
    """The platform filter and the search narrow the table and stay selected."""
    factories.store(letzshop, code="bakery", name="Boulangerie")
    factories.store(letzshop, code="books", name="Librairie")
    factories.store(main_platform, code="butcher", name="Boucherie")
    everything = client.get("/admin/stores").text
    assert all(
        f'href="/admin/stores/{code}"' in everything for code in ("bakery", "books", "butcher")
    )
    filtered = client.get("/admin/stores", params={"platform": "letzshop", "q": "libr"}).text
    assert 'href="/admin/stores/books"' in filtered
    assert (
        'href="/admin/stores/bakery"' not in filtered
        and 'href="/admin/stores/butcher"' not in filtered
    )
    assert '<option value="letzshop" selected>' in filtered
    assert 'value="libr"' in filtered


def test_a_filter_that_matches_nothing_says_what_to_do_next(client, csrf, letzshop):
    """The empty state offers to clear the filters or create the store."""
    page = client.get("/admin/stores", params={"q": "nothing-like-this"}).text
    assert "No store matches these filters." in page
    assert 'href="/admin/stores">Clear the filters' in page


def test_without_any_store_the_page_explains_how_to_start(client, csrf):
    """With no stores at all the page says how to create the first one."""
    page = client.get("/admin/stores").text
    assert "No stores yet." in page
    assert "Create the first one with the form" in page


def test_an_unknown_platform_filter_is_explained(client, csrf):
    """Filtering by a code no platform has answers 422 with a readable message."""
    response = client.get("/admin/stores", params={"platform": "atlantis"})
    assert response.status_code == 422
    assert "There is no platform with the code “atlantis”." in response.text


def test_the_stores_page_paginates(client, csrf, letzshop, factories):
    """Twenty stores per page, with links that keep the filters."""
    for n in range(23):
        factories.store(letzshop, code=f"s{n:02d}")
    first = client.get("/admin/stores", params={"platform": "letzshop"}).text
    assert 'href="/admin/stores/s19"' in first and 'href="/admin/stores/s20"' not in first
    assert 'href="/admin/stores?platform=letzshop&amp;page=2"' in first
    second = client.get("/admin/stores", params={"platform": "letzshop", "page": 2}).text
    assert 'href="/admin/stores/s22"' in second and 'href="/admin/stores/s00"' not in second


def test_the_create_form_preselects_the_filtered_platform(client, csrf, letzshop):
    """Coming from a platform's 'Add a store' link, that platform is chosen in the form."""
    page = client.get("/admin/stores", params={"platform": "letzshop"}).text
    assert '<option value="letzshop" selected>Letzshop (letzshop)</option>' in page


def test_creating_a_store_through_the_form_redirects_with_a_success_message(
    client, csrf, letzshop, db_session
):
    """Post/Redirect/Get: the new store's page says it was created and links its storefront."""
    merchant = tenancy_service.create_merchant(
        db_session, platform_code="letzshop", name="Dupont SARL"
    )
    response = client.post(
        "/admin/stores",
        data=_store_form(
            csrf, merchant_id=str(merchant.id), languages=["fr", "lb"], default_language="lb"
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/admin/stores/bakery"
    page = client.get("/admin/stores/bakery").text
    assert "Store “Boulangerie Dupont” created." in page
    db_session.rollback()
    store = db_session.query(Store).filter_by(code="bakery").one()
    assert (store.subdomain, store.languages, store.default_language) == (
        "bakery",
        ["fr", "lb"],
        "lb",
    )
    assert store.merchant_id == merchant.id


def test_an_invalid_store_form_keeps_the_input_and_the_checked_languages(
    client, csrf, letzshop, db_session
):
    """Errors show in place and the form keeps every value, including the checkboxes."""
    response = client.post(
        "/admin/stores",
        data=_store_form(
            csrf, code="Bad Code", subdomain="www", languages=["lb", "en"], default_language="fr"
        ),
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="new-code-error">Use 1 to 50 lowercase letters' in page
    assert 'id="new-subdomain-error">“www” is reserved by Orion' in page
    assert 'id="new-default_language-error">The default language must be one of the store' in page
    assert 'value="Bad Code"' in page and 'value="www"' in page
    assert 'name="languages" value="lb" checked' in page
    assert 'name="languages" value="en" checked' in page
    assert 'name="languages" value="fr">' in page
    assert count(db_session, Store) == 0


def test_a_store_without_languages_is_refused(client, csrf, letzshop, db_session):
    """Unchecking every language asks for at least one."""
    response = client.post("/admin/stores", data=_store_form(csrf, languages=[]))
    assert response.status_code == 422
    assert 'id="new-languages-error">Choose at least one language.' in response.text
    assert count(db_session, Store) == 0


def test_a_taken_store_code_is_shown_on_the_code_field(
    client, csrf, letzshop, factories, db_session
):
    """A duplicate code answers 409 with the message under the code field."""
    factories.store(letzshop, code="bakery")
    response = client.post("/admin/stores", data=_store_form(csrf, subdomain="other"))
    assert response.status_code == 409
    assert 'id="new-code-error">A store with the code “bakery” already exists.' in response.text
    assert count(db_session, Store) == 1


def test_the_store_page_links_its_storefront_and_dashboard(client, csrf, letzshop, factories):
    """The store page opens the storefront and the dashboard, and the storefront answers."""
    factories.store(letzshop, code="bakery", name="Boulangerie Dupont")
    page = client.get("/admin/stores/bakery").text
    assert 'href="/platforms/letzshop/storefront/bakery/"' in page
    assert 'href="/store/bakery/"' in page
    assert client.get("/platforms/letzshop/storefront/bakery/").status_code == 200


def test_editing_a_store_saves_and_can_close_it(client, csrf, letzshop, factories, db_session):
    """The settings form saves; leaving 'open' unchecked closes the store."""
    factories.store(letzshop, code="bakery", name="Bakery")
    response = client.post(
        "/admin/stores/bakery",
        data={
            "name": "Bakery Kirchberg",
            "subdomain": "kirchberg",
            "merchant_id": "",
            "default_language": "de",
            "languages": ["de", "fr"],
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/admin/stores/bakery").text
    assert "Changes to “Bakery Kirchberg” saved." in page
    db_session.rollback()
    store = db_session.query(Store).filter_by(code="bakery").one()
    assert (store.name, store.subdomain, store.default_language, store.is_active) == (
        "Bakery Kirchberg",
        "kirchberg",
        "de",
        False,
    )


def test_an_invalid_store_edit_shows_errors_and_changes_nothing(
    client, csrf, letzshop, factories, db_session
):
    """An empty name and no languages are shown in place; the store keeps its values."""
    factories.store(letzshop, code="bakery", name="Bakery")
    response = client.post(
        "/admin/stores/bakery",
        data={
            "name": "",
            "subdomain": "bakery",
            "default_language": "fr",
            "is_active": "1",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 422
    assert 'id="edit-name-error">Enter a name.' in response.text
    assert 'id="edit-languages-error">Choose at least one language.' in response.text
    db_session.rollback()
    store = db_session.query(Store).filter_by(code="bakery").one()
    assert (store.name, store.languages) == ("Bakery", ["fr", "de", "en"])


def test_an_unknown_store_page_is_404(client, csrf):
    """A code no store has shows the not-found page."""
    assert client.get("/admin/stores/nope").status_code == 404
