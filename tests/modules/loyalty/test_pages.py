"""Loyalty as its people meet it over HTTP: a customer joins from their account and sees their
card with its QR code; the card page shows what a paid order earned; staff stamp at the counter
with their PIN; managers set the program up, find members, correct and void; the store
dashboard shows the widgets. Loyalty off on a platform: none of it there, and nothing earned."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from fastapi.testclient import TestClient

from modules.loyalty.models import LoyaltyCard, LoyaltyTransaction
from modules.loyalty.services import cards
from orion_server.modules.service import module_service
from orion_server.testing.factories import CUSTOMER_PASSWORD
from tests.modules.loyalty.conftest import PIN, PROGRAM, assert_ledger_holds, enable, pay_order

pytestmark = pytest.mark.usefixtures("clean_db")


def sf(path: str, platform: str = "lux", store: str = "bakery") -> str:
    sep = "&" if "?" in path else "?"
    return f"/platforms/{platform}/storefront/{store}/{path}{sep}lang=en"


def sign_in(client, email: str = "anna@example.com", **where: str) -> None:
    client.get(sf("account/login", **where))
    signed = client.post(sf("account/login", **where), data={
        "csrf_token": client.cookies["orion_csrf"], "email": email, "password": CUSTOMER_PASSWORD},
        follow_redirects=False)
    assert signed.status_code == 303, signed.text


def test_a_customer_joins_and_sees_their_card_with_what_an_order_earned(client, club, factories, db_session):
    newcomer = factories.customer(club.store, "ben@example.com", first_name="Ben")
    db_session.commit()
    assert client.get(sf("account/loyalty"), follow_redirects=False).status_code == 303  # sign in first
    sign_in(client, "ben@example.com")
    account = client.get(sf("account/")).text
    assert 'href="/platforms/lux/storefront/bakery/account/loyalty' in account  # the account's menu
    offer = client.get(sf("account/loyalty"))
    assert offer.status_code == 200 and "Join now" in offer.text

    joined = client.post(sf("account/loyalty/join"), data={"csrf_token": client.cookies["orion_csrf"]},
                         follow_redirects=True)
    assert joined.status_code == 200 and "Welcome! Your card is ready." in joined.text
    card = db_session.query(LoyaltyCard).filter_by(customer_id=newcomer.id).one()
    assert cards.shown_code(card.code) in joined.text
    svg = re.search(r"<svg.*?</svg>", joined.text, re.S).group(0)
    ElementTree.fromstring(svg)  # a well-formed QR drawing
    assert "9 more to the next reward" in joined.text or "10 more to the next reward" in joined.text

    pay_order(factories, club, customer=newcomer)
    page = client.get(sf("account/loyalty")).text
    assert "1 stamp" in page and "76 points" in page and "Online order" in page
    assert 'class="on"' in page  # the first stamp is drawn filled

    # joining twice keeps the one card
    client.post(sf("account/loyalty/join"), data={"csrf_token": client.cookies["orion_csrf"]})
    assert db_session.query(LoyaltyCard).filter_by(customer_id=newcomer.id).count() == 1


def test_the_program_page_speaks_the_shoppers_language(client, club):
    english = client.get(sf("loyalty"))
    assert english.status_code == 200
    assert "Boulangerie club" in english.text and "One card per person." in english.text
    french = client.get(sf("loyalty").replace("lang=en", "lang=fr")).text
    assert "Une carte par personne." in french and "Cumulez des tampons" in french


def test_staff_stamp_at_the_counter_with_their_pin(client, club, factories, db_session):
    csrf = factories.login(client, club.clerk)
    page = client.get(f"/store/bakery/loyalty/counter?code={cards.shown_code(club.card.code).lower()}&lang=en")
    assert page.status_code == 200 and "Anna Muller" in page.text

    wrong = client.post("/store/bakery/loyalty/counter/stamp?lang=en",
                        data={"csrf_token": csrf, "code": club.card.code, "pin": "0000"})
    assert wrong.status_code == 422 and "Wrong PIN: 4 tries left" in wrong.text
    done = client.post("/store/bakery/loyalty/counter/stamp?lang=en",
                       data={"csrf_token": csrf, "code": club.card.code, "pin": PIN}, follow_redirects=True)
    assert done.status_code == 200 and "Stamp added." in done.text and "1 stamp" in done.text
    again = client.post("/store/bakery/loyalty/counter/stamp?lang=en",
                        data={"csrf_token": csrf, "code": club.card.code, "pin": PIN})
    assert again.status_code == 422 and "try again in 15 minutes" in again.text

    unknown = client.get("/store/bakery/loyalty/counter?code=NOPE-NOPE&lang=en")
    assert "No card of this program has that code." in unknown.text
    points = client.post("/store/bakery/loyalty/counter/points?lang=en",
                         data={"csrf_token": csrf, "code": club.card.code, "amount": "abc", "pin": PIN})
    assert points.status_code == 422 and "Enter the amount paid" in points.text

    db_session.commit()  # a new transaction: it sees what the requests committed
    entry = db_session.query(LoyaltyTransaction).one()
    assert (entry.kind, entry.staff_user_id, entry.store_id) == ("stamp", club.clerk.id, club.store.id)
    assert entry.client_address and entry.user_agent
    # the clerk may not manage the program
    assert client.post("/store/bakery/loyalty", data={"csrf_token": csrf, **PROGRAM}).status_code == 403
    assert_ledger_holds(db_session)


def test_staff_enrol_a_customer_at_the_counter(client, club, factories, db_session):
    factories.customer(club.store, "carla@example.com", first_name="Carla")
    db_session.commit()
    csrf = factories.login(client, club.clerk)
    assert client.get("/store/bakery/loyalty/counter?lang=en").status_code == 200
    missing = client.post("/store/bakery/loyalty/counter/enrol?lang=en",
                          data={"csrf_token": csrf, "customer": "nobody@example.com"})
    assert missing.status_code == 422 and "No customer of this store" in missing.text
    enrolled = client.post("/store/bakery/loyalty/counter/enrol?lang=en",
                           data={"csrf_token": csrf, "customer": "CARLA@example.com"}, follow_redirects=True)
    assert "The customer has a card now." in enrolled.text and "Carla" in enrolled.text


def test_a_manager_sets_up_finds_corrects_and_voids(client, club, factories, db_session):
    csrf = factories.owner(client, club.store)
    bad = client.post("/store/bakery/loyalty?lang=en", data={**PROGRAM, "csrf_token": csrf, "name": "",
                                                            "daily_stamp_cap": "500"})
    assert bad.status_code == 422
    assert "Give the program a name." in bad.text and "Enter a number from 1 to 50." in bad.text
    saved = client.post("/store/bakery/loyalty?lang=en", data={**PROGRAM, "csrf_token": csrf, "is_active": "1",
                                                              "stamps_enabled": "1", "points_enabled": "1",
                                                              "stamps_goal": "8"}, follow_redirects=True)
    assert "The program is saved." in saved.text
    reward = client.post("/store/bakery/loyalty/rewards?lang=en", data={
        "csrf_token": csrf, "kind": "free_item", "currency": "stamps", "cost": "8", "name_en": "A free croissant",
        "name_fr": "Un croissant offert", "is_active": "1"}, follow_redirects=True)
    assert "A free croissant" in reward.text and "8 stamps" in reward.text

    found = client.get("/store/bakery/loyalty/members?q=anna&lang=en").text
    assert "Anna Muller" in found and "1 member" in found
    assert "No member matches" in client.get("/store/bakery/loyalty/members?q=zebra&lang=en").text
    base = f"/store/bakery/loyalty/members/{club.card.id}"
    adjusted = client.post(f"{base}/adjust?lang=en", data={"csrf_token": csrf, "stamps": "3", "points": "",
                                                           "reason": "Paper card"}, follow_redirects=True)
    assert "The correction is recorded." in adjusted.text and "Paper card" in adjusted.text
    db_session.commit()  # a new transaction: it sees what the requests committed
    entry = db_session.query(LoyaltyTransaction).one()
    unexplained = client.post(f"{base}/void/{entry.id}?lang=en", data={"csrf_token": csrf, "reason": ""})
    assert unexplained.status_code == 422 and "Say why." in unexplained.text
    voided = client.post(f"{base}/void/{entry.id}?lang=en", data={"csrf_token": csrf, "reason": "Typo"},
                         follow_redirects=True)
    assert "The transaction is voided." in voided.text and "voided" in voided.text
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(LoyaltyCard, club.card.id).stamps_balance == 0
    overview = client.get("/store/bakery/loyalty?lang=en").text
    assert "Last 30 days" in overview and "A free croissant" in overview
    home = client.get("/store/bakery/?lang=en").text
    assert "Loyalty members" in home and "Rewards this month" in home
    assert client.get("/store/bakery/loyalty/members/999999?lang=en").status_code == 404
    assert_ledger_holds(db_session)


def test_loyalty_off_on_one_platform_hides_it_there_and_earns_nothing(client, club, factories, db_session):
    """Loyalty is on at ``lux``; ``beta`` has the same set-up with loyalty switched off after."""
    from modules.loyalty.services import programs

    beta = factories.platform(code="beta")
    enable(db_session, beta)
    store = factories.store(beta, code="beta-shop", languages=["en"], default_language="en")
    program = programs.save_program(db_session, store_id=store.id, values=PROGRAM)
    customer = factories.customer(store, "dora@example.com")
    card, _ = cards.join(db_session, program=program, store_id=store.id, customer_id=customer.id)
    module_service.disable_module(db_session, beta.id, "loyalty")
    db_session.commit()

    factories.order(store, paid=True, customer={"id": customer.id, "email": customer.email, "name": "Dora"})
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(LoyaltyCard, card.id).stamps_balance == 0
    pay_order(factories, club)
    assert db_session.get(LoyaltyCard, club.card.id).stamps_balance == 1

    owner = factories.staff(store, role="owner")
    factories.login(client, owner)
    for path in ("", "/members", "/counter", f"/members/{card.id}"):
        assert client.get(f"/store/beta-shop/loyalty{path}?lang=en").status_code == 404, path
    home = client.get("/store/beta-shop/?lang=en").text
    assert "Loyalty members" not in home and "/loyalty" not in home
    assert client.get(sf("loyalty", platform="beta", store="beta-shop")).status_code == 404
    with TestClient(client.app) as shopper:
        sign_in(shopper, "dora@example.com", platform="beta", store="beta-shop")
        assert shopper.get(sf("account/loyalty", platform="beta", store="beta-shop")).status_code == 404
        assert "account/loyalty" not in shopper.get(sf("account/", platform="beta", store="beta-shop")).text


def test_the_counter_leads_to_the_overview_while_no_programme_runs(client, factories, main_platform, db_session):
    """The menu's counter link, before the programme is set up: the overview, saying why."""
    from orion_server.modules.service import module_service

    module_service.enable_module(db_session, main_platform.id, "loyalty")
    store = factories.store(main_platform, code="nocounter", name="Sans programme")
    db_session.commit()
    factories.owner(client, store)
    page = client.get("/store/nocounter/loyalty/counter?lang=en", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/store/nocounter/loyalty?done=no_program"
    overview = client.get(page.headers["location"] + "&lang=en")
    assert overview.status_code == 200
    assert "The counter opens once the store&#39;s loyalty programme is set up and running." in overview.text
