"""Acceptance (issue 13): loyalty in a real browser against a real ``orion serve``.

The bakery's owner starts a stamp card and sets a counter PIN on a tablet; a shopper on a phone
registers, joins, buys, and once the owner marks the order paid, the card page shows the stamp
the order earned; at the counter the owner types the card's code and adds a stamp with the PIN.
Screenshots of the card page (phone) and the counter page (tablet) go to
``$ORION_SCREENSHOT_DIR`` (default: a temporary folder).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, STORE, Journey

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the journey needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)

OWNER_EMAIL, OWNER_PASSWORD = "marc@boulangerie-dupont.lu", "Owner-pass-2026"
MEMBER, MEMBER_PASSWORD = "paul.loyal@example.lu", "Paul-loyal-2026"
PIN = "3579"


def test_a_member_earns_a_stamp_online_and_one_at_the_counter(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    # -- the owner, on a tablet: a stamp card, and a PIN for the counter -------------------------
    tablet = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 1366})
    desk = tablet.new_page()
    desk.goto(f"{journey.base}/store/{STORE}/login?lang=en")
    desk.get_by_label("E-mail address").fill(OWNER_EMAIL)
    desk.get_by_label("Password").fill(OWNER_PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_url(f"{journey.base}/store/{STORE}/")
    desk.locator("aside nav").get_by_role("link", name="Loyalty", exact=True).click()
    expect(desk.get_by_text("No loyalty program yet")).to_be_visible()
    desk.get_by_label("Program name").fill("Club Dupont")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_text("The program is saved.")).to_be_visible()
    desk.locator("aside nav").get_by_role("link", name="Loyalty counter").click()
    desk.get_by_label("New PIN", exact=True).fill(PIN)
    desk.get_by_label("New PIN again").fill(PIN)
    desk.get_by_role("button", name="Save my PIN").click()
    expect(desk.get_by_text("Your PIN is saved.")).to_be_visible()

    # -- the shopper, on a phone: an account, the card, an order ---------------------------------
    phone = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    page = phone.new_page()
    page.goto(journey.storefront + "account/register?lang=en")
    page.locator("input[name=email]").fill(MEMBER)
    page.locator("input[name=password]").fill(MEMBER_PASSWORD)
    page.locator("input[name=first_name]").fill("Paul")
    page.locator("input[name=last_name]").fill("Loyal")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="My loyalty card").click()
    page.get_by_role("button", name="Join now").click()
    expect(page.get_by_text("Welcome! Your card is ready.")).to_be_visible()
    code = page.locator(".loyalty-code code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    expect(page.locator(".loyalty-qr svg")).to_be_visible()

    page.goto(journey.storefront + "products?lang=en")
    page.locator("main a[href*='/products/']").first.click()
    page.locator("form[action*='cart/add'] button[type=submit]").first.click()
    page.goto(journey.storefront + "checkout?lang=en")
    for name, value in (("address.name", "Paul Loyal"), ("address.street", "3, rue du Fort"),
                        ("address.postal_code", "L-1234"), ("address.city", "Luxembourg")):
        field = page.locator(f"input[name='{name}']")
        if field.is_visible():
            field.fill(value)
    page.get_by_role("radio", name=re.compile("Bank transfer")).check()
    page.locator("form[action$='checkout/review'] button[type=submit]").last.click()
    page.locator("button.checkout-place-button").click()
    number = re.search(r"(BD-\d{6})", page.locator("main").inner_text()).group(1)

    # -- the owner marks it paid: the order earns its stamp ---------------------------------------
    desk.goto(f"{journey.base}/store/{STORE}/orders/{number}?lang=en")
    desk.get_by_role("button", name="Mark as paid").click()
    expect(desk.get_by_role("button", name="Mark as paid")).to_have_count(0)
    card = journey.storefront + "account/loyalty?lang=en"
    for _attempt in range(50):  # the task consumer delivers the event
        page.goto(card)
        if "Online order" in page.locator("main").inner_text():
            break
        page.wait_for_timeout(200)
    expect(page.locator("main")).to_contain_text("1 stamp")
    expect(page.locator("main")).to_contain_text("Online order")
    journey.shot(page, "loyalty-01-card-phone")

    # -- at the counter: the code typed, a stamp with the PIN ------------------------------------
    desk.goto(f"{journey.base}/store/{STORE}/loyalty/counter?lang=en")
    desk.get_by_label("Card code").fill(code.lower())
    desk.get_by_role("button", name="Open the card").click()
    expect(desk.get_by_role("heading", name="Paul Loyal")).to_be_visible()
    desk.locator("#pin-stamp").fill("0000")
    desk.get_by_role("button", name="Stamp", exact=True).click()
    expect(desk.get_by_text("Wrong PIN: 4 tries left before it locks.")).to_be_visible()
    desk.locator("#pin-stamp").fill(PIN)
    desk.get_by_role("button", name="Stamp", exact=True).click()
    expect(desk.get_by_text("Stamp added.")).to_be_visible()
    expect(desk.locator(".loyalty-at-counter")).to_contain_text("2 stamps")
    journey.shot(desk, "loyalty-02-counter-tablet")

    page.goto(card)
    expect(page.locator("main")).to_contain_text("2 stamps")
    expect(page.locator("main")).to_contain_text("Stamp at the counter")
    tablet.close()
    phone.close()
