"""The country list of address forms: real countries only, the usual ones first, then by name
in the shopper's language."""

from __future__ import annotations

import unicodedata

import pytest

from modules.customers.services.customer_service import country_codes, country_options

NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


def _folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def test_only_countries_are_codes():
    codes = country_codes()
    assert not codes & NOT_COUNTRIES
    assert all(len(code) == 2 and code.isascii() and code.isalpha() and code.isupper() for code in codes)
    assert {"LU", "DE", "FR", "BE", "PT", "AT", "US", "XK"} <= codes
    assert 240 <= len(codes) <= 252


@pytest.mark.parametrize("language", ["en", "de", "fr", "lb"])
def test_the_list_starts_with_the_usual_countries_then_goes_by_name(language):
    options = country_options(language)
    codes = [code for code, _name in options]
    names = [name for _code, name in options]

    assert codes[:4] == ["LU", "DE", "FR", "BE"]
    assert len(codes) == len(set(codes)) == len(country_codes())
    assert [_folded(n) for n in names[4:]] == sorted(_folded(n) for n in names[4:])
    for bad in ("Europäische Union", "Eurozone", "Pseudo-Akzente", "Pseudo-Bidi", "Unbekannte Region",
                "European Union", "Unknown Region", "Union européenne", "Région indéterminée"):
        assert bad not in names


def test_names_are_in_the_shoppers_language_with_umlauts_sorted_in_place():
    german = dict(country_options("de"))
    names = [name for _code, name in country_options("de")]

    assert german["LU"] == "Luxemburg" and german["AT"] == "Österreich"
    # Österreich among the O's, not after Z
    assert names.index("Oman") < names.index("Österreich") < names.index("Pakistan")
    assert dict(country_options("lb"))["LU"] == "Lëtzebuerg"


def test_addresses_show_the_country_in_words_to_the_shopper_and_to_staff(client, factories, shop, db_session):
    from modules.customers.services import customer_service
    from tests.modules.customers.conftest import make_customer, sf, sign_in

    bakery = shop[1]
    customer = make_customer(db_session, bakery, preferred_language="de")
    customer_service.add_address(
        db_session, store_id=bakery.id, customer_id=customer.id,
        values={"name": "Anna Muller", "street": "1 Grand-Rue", "postal_code": "L-1660",
                "city": "Luxembourg", "country": "BE"},
    )
    assert sign_in(client, bakery).status_code == 303
    account = client.get(sf(bakery, "account?lang=de")).text
    client.cookies.clear()
    factories.login(client, factories.staff(bakery, role="owner"))
    staff = client.get(f"/store/bakery/customers/{customer.id}?lang=fr").text

    assert "Belgien" in account and "<br>BE" not in account
    assert "Belgique" in staff and "<br>BE" not in staff
