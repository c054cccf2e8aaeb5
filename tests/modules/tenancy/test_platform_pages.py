"""The platform pages of the admin: list, search, paginate, create, edit, merchants."""

from __future__ import annotations

from orion_server.models import Merchant, Platform
from tests.modules.tenancy.helpers import count


def test_the_platforms_page_lists_platforms_with_their_links(client, csrf, factories):
    """Each platform links to its page, its modules and its stores; the menu marks Platforms."""
    factories.platform(code="letzshop", name="Letzshop Luxembourg")
    response = client.get("/admin/platforms")
    assert response.status_code == 200
    page = response.text
    assert "Letzshop Luxembourg" in page
    assert 'href="/admin/platforms/letzshop"' in page
    assert 'href="/admin/platforms/letzshop/modules"' in page
    assert 'href="/admin/stores?platform=letzshop"' in page
    assert '<a href="/admin/platforms" class="active">Platforms</a>' in page
    assert '<a href="/admin/stores" class="">Stores</a>' in page


def test_a_search_that_matches_nothing_says_what_to_do_next(client, csrf):
    """The empty state names the search and points to clearing it or to the create form."""
    response = client.get("/admin/platforms", params={"q": "zzz"})
    assert response.status_code == 200
    assert "No platform matches “zzz”." in response.text
    assert "clear the search, or create the platform with the form" in response.text
    assert 'href="#create"' in response.text


def test_the_search_keeps_its_term_and_finds_by_name(client, csrf, factories):
    """Searching shows the matching platforms only and keeps the term in the box."""
    factories.platform(code="gare", name="Bazar de la Gare")
    factories.platform(code="other", name="Somewhere else")
    page = client.get("/admin/platforms", params={"q": "bazar"}).text
    assert "Bazar de la Gare" in page and "Somewhere else" not in page
    assert 'value="bazar"' in page


def test_the_platforms_page_paginates_and_tolerates_odd_page_numbers(client, csrf, factories):
    """Twenty platforms per page; page 0, words and far pages show a real page, never an error."""
    for n in range(25):
        factories.platform(code=f"p{n:02d}", name=f"Platform {n:02d}")

    def codes(page: str) -> set[str]:
        return {f"p{n:02d}" for n in range(25) if f'href="/admin/platforms/p{n:02d}"' in page}

    first = client.get("/admin/platforms").text  # main, p00 … p18 by code
    assert codes(first) == {f"p{n:02d}" for n in range(19)}
    assert 'href="/admin/platforms?page=2"' in first
    second = client.get("/admin/platforms", params={"page": 2}).text
    assert codes(second) == {f"p{n:02d}" for n in range(19, 25)}
    assert "2 / 2" in second
    for odd in ("0", "-3", "two"):
        assert codes(client.get("/admin/platforms", params={"page": odd}).text) == codes(first)
    assert codes(client.get("/admin/platforms", params={"page": 99}).text) == codes(second)


def test_creating_a_platform_through_the_form_redirects_with_a_success_message(
    client, csrf, db_session
):
    """Post/Redirect/Get: 303 to the new platform, a message once, gone on reload."""
    response = client.post(
        "/admin/platforms",
        data={
            "code": "letzshop",
            "name": "Letzshop",
            "domain": "",
            "default_language": "fr",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/platforms/letzshop"
    shown = client.get("/admin/platforms/letzshop")
    assert "Platform “Letzshop” created. Next, choose its modules and add its stores." in shown.text
    again = client.get("/admin/platforms/letzshop")
    assert "created. Next" not in again.text
    assert count(db_session, Platform, Platform.code == "letzshop") == 1


def test_an_invalid_platform_form_shows_every_error_and_keeps_the_input(client, csrf, db_session):
    """The form comes back with a message under each wrong field and what was typed."""
    before = count(db_session, Platform)
    response = client.post(
        "/admin/platforms",
        data={
            "code": "Bad Code!",
            "name": "",
            "domain": "http://shop.lu",
            "default_language": "de",
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="new-code-error">Use 1 to 50 lowercase letters' in page
    assert 'id="new-name-error">Enter a name.' in page
    assert 'id="new-domain-error">Enter a domain name such as shop.example.lu' in page
    assert 'value="Bad Code!"' in page and 'value="http://shop.lu"' in page
    assert '<option value="de" selected>' in page
    assert 'aria-invalid="true"' in page
    assert count(db_session, Platform) == before


def test_a_duplicate_code_in_the_form_is_shown_on_the_code_field(client, csrf, db_session):
    """A taken code answers 409 with the message under the code field."""
    response = client.post(
        "/admin/platforms",
        data={"code": "main", "name": "Again", "default_language": "fr", "csrf_token": csrf},
    )
    assert response.status_code == 409
    assert 'id="new-code-error">A platform with the code “main” already exists.' in response.text
    assert 'value="Again"' in response.text
    assert count(db_session, Platform) == 1


def test_the_platform_page_shows_its_stores_merchants_and_modules_link(client, csrf, factories):
    """A platform's page has its settings form, its stores, its merchants and a modules link."""
    platform = factories.platform(code="letzshop", name="Letzshop")
    factories.store(platform, code="bakery", name="Boulangerie Dupont")
    page = client.get("/admin/platforms/letzshop").text
    assert 'value="Letzshop"' in page
    assert 'href="/admin/stores/bakery"' in page and "Boulangerie Dupont" in page
    assert 'href="/admin/platforms/letzshop/modules"' in page
    assert 'href="/admin/stores?platform=letzshop#create"' in page
    assert "No merchants yet." in page


def test_editing_a_platform_saves_and_shows_a_message(client, csrf, factories, db_session):
    """The settings form saves and redirects back with a confirmation."""
    factories.platform(code="letzshop", name="Letzshop")
    response = client.post(
        "/admin/platforms/letzshop",
        data={
            "name": "Letzshop.lu",
            "domain": "letzshop.lu",
            "default_language": "lb",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Changes to “Letzshop.lu” saved." in page
    db_session.rollback()
    platform = db_session.query(Platform).filter_by(code="letzshop").one()
    assert (platform.name, platform.domain, platform.default_language) == (
        "Letzshop.lu",
        "letzshop.lu",
        "lb",
    )


def test_an_invalid_platform_edit_shows_errors_and_changes_nothing(
    client, csrf, factories, db_session
):
    """An empty name and a bad domain are shown in place; the platform keeps its values."""
    factories.platform(code="letzshop", name="Letzshop")
    response = client.post(
        "/admin/platforms/letzshop",
        data={"name": "", "domain": "bad domain", "default_language": "fr", "csrf_token": csrf},
    )
    assert response.status_code == 422
    assert 'id="edit-name-error">Enter a name.' in response.text
    assert 'id="edit-domain-error">' in response.text
    assert 'value="bad domain"' in response.text
    db_session.rollback()
    assert db_session.query(Platform).filter_by(code="letzshop").one().name == "Letzshop"


def test_adding_a_merchant_on_the_platform_page(client, csrf, factories, db_session):
    """The merchant form adds a merchant, or shows what is wrong without adding one."""
    factories.platform(code="letzshop", name="Letzshop")
    bad = client.post(
        "/admin/platforms/letzshop/merchants",
        data={
            "name": "Dupont",
            "contact_email": "nope",
            "website": "dupont.lu",
            "csrf_token": csrf,
        },
    )
    assert bad.status_code == 422
    assert 'id="merchant-contact_email-error">Enter a valid e-mail address' in bad.text
    assert 'id="merchant-website-error">Enter a web address starting with https://.' in bad.text
    assert 'value="Dupont"' in bad.text
    assert count(db_session, Merchant) == 0
    good = client.post(
        "/admin/platforms/letzshop/merchants",
        data={"name": "Dupont SARL", "contact_email": "hello@dupont.lu", "csrf_token": csrf},
    )
    assert good.status_code == 200  # followed the redirect
    assert "Merchant “Dupont SARL” added to Letzshop." in good.text
    assert "hello@dupont.lu" in good.text
    assert count(db_session, Merchant) == 1


def test_an_unknown_platform_page_is_404(client, csrf):
    """A code no platform has shows the not-found page."""
    assert client.get("/admin/platforms/nope").status_code == 404
    assert client.get("/admin/platforms/nope/modules").status_code == 404


def test_a_forged_success_message_is_not_shown(client, csrf):
    """The one-time message cookie must carry this session's signature."""
    import base64
    import json

    payload = base64.urlsafe_b64encode(
        json.dumps(
            {"key": "tenancy.flash.platform_saved", "kind": "ok", "params": {"name": "EVIL"}}
        ).encode()
    ).decode()
    client.cookies.set("orion_tenancy_flash", f"{payload}.0000", path="/admin")
    assert "EVIL" not in client.get("/admin/platforms").text
