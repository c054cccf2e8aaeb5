"""Shoppers register, sign in and out, and manage their profile and addresses in a storefront."""

from __future__ import annotations

from sqlalchemy import select

from modules.customers.models import Customer, CustomerAddress
from tests.modules.customers.conftest import PASSWORD, anonymous_csrf, make_customer, sf, sign_in


def register_form(csrf: str, **fields: str) -> dict[str, str]:
    """A filled registration form."""
    data = {
        "csrf_token": csrf,
        "email": "Anna@Example.com",
        "password": PASSWORD,
        "first_name": "Anna",
        "last_name": "Muller",
        "preferred_language": "de",
        "marketing_consent": "1",
    }
    data.update(fields)
    return data


def test_registration_creates_a_numbered_account_and_signs_it_in(client, shop, db_session):
    """The form creates customer C000001 of the store, sets the cookie and shows the account."""
    _platform, bakery, _books = shop
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/register"), data=register_form(csrf), follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == sf(bakery, "account/?done=registered")
    customer = db_session.scalar(select(Customer).where(Customer.email == "anna@example.com"))
    assert customer.customer_number == "C000001"
    assert customer.store_id == bakery.id
    assert customer.password_hash.startswith("$argon2id$")
    assert customer.marketing_consent is True
    page = client.get(sf(bakery, "account/?done=registered&lang=en"))
    assert page.status_code == 200
    assert "Customer number C000001" in page.text
    assert "Welcome! Your account is ready." in page.text


def test_customer_numbers_count_per_store(client, shop, db_session):
    """Each store numbers its own customers from C000001."""
    _platform, bakery, books = shop
    first = make_customer(db_session, bakery, "a@example.com")
    second = make_customer(db_session, bakery, "b@example.com")
    other = make_customer(db_session, books, "a@example.com")

    assert (first.customer_number, second.customer_number) == ("C000001", "C000002")
    assert other.customer_number == "C000001"


def test_a_duplicate_email_is_a_field_error_and_the_form_keeps_what_was_typed(
    client, shop, db_session
):
    """Registering an address twice in one store re-renders the form with the message."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery, "anna@example.com")
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/register?lang=en"), data=register_form(csrf, first_name="Annette")
    )

    assert response.status_code == 422
    assert "An account with this e-mail address exists already." in response.text
    assert 'value="Annette"' in response.text
    assert "orion_customer" not in response.cookies


def test_registration_validates_email_and_password_length(client, shop):
    """A bad address and a short password are both reported, in the shopper's language."""
    _platform, bakery, _books = shop
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/register?lang=de"),
        data=register_form(csrf, email="not-an-address", password="short"),
    )

    assert response.status_code == 422
    assert "Dies ist keine gültige E-Mail-Adresse." in response.text
    assert "Das Passwort braucht mindestens 10 Zeichen." in response.text


def test_registration_without_the_csrf_token_is_refused(client, shop):
    """A form posted from elsewhere (no token) is rejected with 403."""
    _platform, bakery, _books = shop
    anonymous_csrf(client, bakery)

    response = client.post(sf(bakery, "account/register"), data=register_form("wrong"))

    assert response.status_code == 403


def test_the_session_cookie_is_http_only_and_same_site_lax(client, shop, db_session):
    """Signing in sets ``orion_customer`` with HttpOnly and SameSite=Lax."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)

    response = sign_in(client, bakery)

    assert response.status_code == 303
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("orion_customer=")
    )
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie


def test_each_sign_in_gets_a_new_session_token(client, shop, db_session):
    """Signing in again replaces the token (no session fixation) and ends the old session."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    first = sign_in(client, bakery).cookies["orion_customer"]
    second = sign_in(client, bakery).cookies["orion_customer"]

    assert first != second
    client.cookies.set("orion_customer", first)
    assert client.get(sf(bakery, "account/"), follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_email_get_the_same_answer(client, shop, db_session):
    """The login form does not tell which of the two was wrong."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)

    wrong = sign_in(client, bakery, password="wrong-password-1")
    unknown = sign_in(client, bakery, email="nobody@example.com")

    assert wrong.status_code == unknown.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in wrong.text
    assert "Adresse e-mail ou mot de passe incorrect." in unknown.text


def test_the_account_page_needs_a_signed_in_customer(client, shop):
    """Signed-out visitors are sent to the storefront's login form with a way back."""
    _platform, bakery, _books = shop

    response = client.get(sf(bakery, "account/"), follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == sf(bakery, "account/login") + "?next=" + sf(
        bakery, "account/"
    )


def test_login_returns_to_the_page_the_shopper_wanted(client, shop, db_session):
    """The ``next`` field inside the storefront is followed; an outside one is ignored."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    csrf = anonymous_csrf(client, bakery)
    data = {"csrf_token": csrf, "email": "anna@example.com", "password": PASSWORD}

    inside = client.post(
        sf(bakery, "account/login"),
        data={**data, "next": sf(bakery, "account/addresses/new")},
        follow_redirects=False,
    )
    outside = client.post(
        sf(bakery, "account/login"),
        data={**data, "next": "https://evil.example/"},
        follow_redirects=False,
    )

    assert inside.headers["location"] == sf(bakery, "account/addresses/new")
    assert outside.headers["location"] == sf(bakery, "account/")


def test_logout_ends_the_session(client, shop, db_session):
    """After signing out, the old cookie no longer opens the account."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    token = sign_in(client, bakery).cookies["orion_customer"]
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/logout"), data={"csrf_token": csrf}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == sf(bakery)
    client.cookies.set("orion_customer", token)
    assert client.get(sf(bakery, "account/"), follow_redirects=False).status_code == 303


def test_a_customer_of_one_store_is_not_signed_in_at_another(client, shop, db_session):
    """The bakery's session cookie does not open the bookshop's account page or API."""
    _platform, bakery, books = shop
    make_customer(db_session, bakery)
    sign_in(client, bakery)

    assert client.get(sf(bakery, "account/")).status_code == 200
    assert client.get(sf(books, "account/"), follow_redirects=False).status_code == 303
    assert client.get(sf(books, "api/v1/customers/me")).status_code == 401


def test_the_customer_preferred_language_wins_on_the_account_page(client, shop, db_session):
    """A German-speaking customer sees the account in German without choosing it again."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery, preferred_language="de")
    sign_in(client, bakery)

    assert "Mein Konto" in client.get(sf(bakery, "account/")).text


def test_the_profile_form_saves_and_reports_problems(client, shop, db_session):
    """Saving the profile changes the name; an empty last name is sent back with a message."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery, preferred_language="en")
    sign_in(client, bakery)
    csrf = anonymous_csrf(client, bakery)
    form = {
        "csrf_token": csrf,
        "email": "anna@example.com",
        "first_name": "Anne",
        "last_name": "Muller",
        "phone": "+352 621 000 000",
        "preferred_language": "en",
    }

    saved = client.post(sf(bakery, "account/profile"), data=form, follow_redirects=False)
    bad = client.post(sf(bakery, "account/profile"), data={**form, "last_name": " "})

    assert saved.status_code == 303
    db_session.rollback()
    db_session.expire_all()
    db_session.refresh(customer)
    assert customer.first_name == "Anne"
    assert customer.phone == "+352 621 000 000"
    assert bad.status_code == 422
    assert "Enter your last name." in bad.text


def test_addresses_are_added_validated_edited_and_deleted(client, shop, db_session):
    """The address book checks the country code and the postal code, and keeps one default."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery, preferred_language="en")
    sign_in(client, bakery)
    csrf = anonymous_csrf(client, bakery)
    address = {
        "csrf_token": csrf,
        "label": "Home",
        "name": "Anna Muller",
        "street": "12 rue de la Gare",
        "postal_code": "L-1611",
        "city": "Luxembourg",
        "country": "LU",
    }

    bad = client.post(
        sf(bakery, "account/addresses/new"), data={**address, "country": "XX", "postal_code": ""}
    )
    added = client.post(sf(bakery, "account/addresses/new"), data=address, follow_redirects=False)
    second = client.post(
        sf(bakery, "account/addresses/new"),
        data={**address, "label": "Office", "country": "be", "is_default_shipping": "1"},
        follow_redirects=False,
    )

    assert bad.status_code == 422
    assert "Choose a country from the list." in bad.text
    assert "Enter the postal code." in bad.text
    assert 'value="12 rue de la Gare"' in bad.text
    assert added.status_code == second.status_code == 303
    rows = list(
        db_session.scalars(
            select(CustomerAddress)
            .where(CustomerAddress.customer_id == customer.id)
            .order_by(CustomerAddress.id)
        )
    )
    assert [(a.label, a.country, a.is_default_shipping, a.is_default_billing) for a in rows] == [
        ("Home", "LU", False, True),
        ("Office", "BE", True, False),
    ]
    page = client.get(sf(bakery, "account/"))
    assert "12 rue de la Gare" in page.text and "Belgium" in page.text

    edited = client.post(
        sf(bakery, f"account/addresses/{rows[0].id}/edit"),
        data={**address, "city": "Esch-sur-Alzette"},
        follow_redirects=False,
    )
    deleted = client.post(
        sf(bakery, f"account/addresses/{rows[1].id}/delete"),
        data={"csrf_token": csrf},
        follow_redirects=False,
    )

    assert edited.status_code == deleted.status_code == 303
    db_session.rollback()
    db_session.expire_all()
    remaining = list(
        db_session.scalars(
            select(CustomerAddress).where(CustomerAddress.customer_id == customer.id)
        )
    )
    assert [a.city for a in remaining] == ["Esch-sur-Alzette"]


def test_another_customers_address_cannot_be_edited(client, shop, db_session):
    """Address ids of other customers answer 404."""
    _platform, bakery, _books = shop
    from modules.customers.services import customer_service

    other = make_customer(db_session, bakery, "other@example.com")
    theirs = customer_service.add_address(
        db_session,
        store_id=bakery.id,
        customer_id=other.id,
        values={"name": "B", "street": "S", "postal_code": "1", "city": "C", "country": "LU"},
    )
    make_customer(db_session, bakery)
    sign_in(client, bakery)

    assert client.get(sf(bakery, f"account/addresses/{theirs.id}/edit")).status_code == 404
