"""Acceptance (issue 3): a shopper's journey through a real running Orion, in a real browser.

Debian's Chromium (never a downloaded browser) drives ``orion serve`` (with its task consumer)
on a fresh ``orion init`` + ``orion demo`` installation whose demo platform e-mails through a
local SMTP server (aiosmtpd):

1. a shopper opens the bakery's storefront (path mode), switches to German, searches, opens a
   product, adds two products (one in a chosen variant) and checks out as a guest, paying by
   bank transfer; the confirmation shows the order number;
2. the confirmation e-mail arrives in German with the right total (``de_LU``);
3. a staff member signs in to the store dashboard, finds the order, marks it paid (the
   "payment received" e-mail follows), starts processing and marks it shipped;
4. the shopper's status page (the link from the e-mail) says "Versandt".

Every step saves a screenshot into ``$ORION_SCREENSHOT_DIR`` (default: ``<tmp>/journey-screens``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from orion_server.i18n import format_money
from tests.e2e.support import (
    CHROMIUM,
    SHOPPER,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    STORE,
    STORE_NAME,
    Journey,
)

pytestmark = pytest.mark.slow

# Demo prices (modules/catalog/demo.py): rye bread 1 kg and the butter croissant.
RYE_1KG_CENTS, CROISSANT_CENTS = 780, 150

if not CHROMIUM.exists():
    pytest.skip("the journey needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)


def money(cents: int) -> str:
    """The amount as a German page shows it (``16,70 €``, de_LU)."""
    return format_money(cents, "de")


def cents_of(text: str) -> int:
    """``5,90 €`` -> 590."""
    match = re.search(r"(\d+(?:\.\d{3})*,\d{2})", text)
    assert match, f"no amount in {text!r}"
    return int(Decimal(match.group(1).replace(".", "").replace(",", ".")) * 100)


def test_a_guest_buys_in_german_and_follows_the_order_to_shipped(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    shopper = browser.new_context(locale="fr-LU", viewport={"width": 1280, "height": 900})
    page = shopper.new_page()

    # -- the storefront, in French first, then German ------------------------------------------
    page.goto(journey.storefront)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name=STORE_NAME)).to_be_visible()
    journey.shot(page, "01-storefront-fr")
    page.get_by_label("Langue").select_option(label="Deutsch")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_text(f"Willkommen bei {STORE_NAME}.")).to_be_visible()
    journey.shot(page, "02-storefront-de")

    # -- search, open a product, choose its variant -------------------------------------------
    page.get_by_role("link", name="Produkte", exact=True).click()
    expect(page.get_by_role("heading", name="Produkte")).to_be_visible()
    page.get_by_label("Produkte suchen").fill("Roggen")
    page.get_by_role("button", name="Suchen").click()
    results = page.locator("main")
    expect(results.get_by_role("link", name="Roggenbrot", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Buttercroissant")).to_have_count(0)
    journey.shot(page, "03-search-roggen")
    results.get_by_role("link", name="Roggenbrot", exact=True).click()
    expect(page.get_by_role("heading", name="Roggenbrot")).to_be_visible()
    variant = page.locator("form.catalog-buy-form").get_by_role("combobox")
    one_kilo = next(o for o in variant.locator("option").all_inner_texts() if o.startswith("1 kg"))
    assert money(RYE_1KG_CENTS) in one_kilo
    variant.select_option(label=one_kilo)
    journey.shot(page, "04-product-variant")
    page.get_by_role("button", name="In den Warenkorb").click()
    expect(page.get_by_role("link", name="Warenkorb (1)")).to_be_visible()

    # -- a second product, two of them --------------------------------------------------------
    page.get_by_role("link", name="Produkte", exact=True).first.click()
    page.get_by_label("Produkte suchen").fill("Buttercroissant")
    page.get_by_role("button", name="Suchen").click()
    page.locator("main").get_by_role("link", name="Buttercroissant").first.click()
    expect(page.get_by_role("heading", name="Buttercroissant")).to_be_visible()
    page.get_by_label("Menge").fill("2")
    page.get_by_role("button", name="In den Warenkorb").click()

    # -- the cart -------------------------------------------------------------------------------
    page.get_by_role("link", name="Warenkorb (3)").click()
    expect(page.get_by_role("heading", name="Ihr Warenkorb")).to_be_visible()
    subtotal = RYE_1KG_CENTS + 2 * CROISSANT_CENTS
    cart = page.locator("main")
    expect(cart).to_contain_text("Roggenbrot (1 kg)")
    expect(cart).to_contain_text("Buttercroissant")
    expect(cart.get_by_role("row").filter(has_text="Zwischensumme")).to_contain_text(money(subtotal))
    journey.shot(page, "05-cart")

    # -- checkout as a guest, delivery, bank transfer --------------------------------------------
    page.get_by_role("link", name="Zur Kasse").click()
    expect(page.get_by_role("heading", name="Kasse")).to_be_visible()
    page.get_by_label("E-Mail").fill(SHOPPER)
    page.get_by_label("Vorname").fill("Anna")
    page.get_by_label("Nachname").fill("Weber")
    page.get_by_label("Name in der Adresse").first.fill("Anna Weber")
    page.get_by_label("Straße und Hausnummer").first.fill("12, rue de la Gare")
    page.get_by_label("Postleitzahl").first.fill("L-1611")
    page.get_by_role("textbox", name="Ort", exact=True).first.fill("Luxembourg")
    delivery = page.get_by_role("radio", name=re.compile(r"^Lieferung"))
    delivery.check()
    shipping = cents_of(page.locator("label.checkout-choice", has=delivery).inner_text())
    page.get_by_role("radio", name=re.compile("Banküberweisung")).check()
    journey.shot(page, "06-checkout-form")
    page.get_by_role("button", name="Bestellung prüfen").click()

    total = subtotal + shipping
    expect(page.get_by_role("heading", name="Bestellung prüfen")).to_be_visible()
    expect(page.locator("main")).to_contain_text(money(total))
    journey.shot(page, "07-review")
    page.get_by_role("button", name=f"Zahlungspflichtig bestellen ({money(total)})").click()

    # -- the confirmation ------------------------------------------------------------------------
    expect(page.get_by_role("heading", name="Vielen Dank für Ihre Bestellung")).to_be_visible()
    number = re.search(r"Ihre Bestellung (\S+) ist eingegangen", page.locator("main").inner_text()).group(1)
    assert re.fullmatch(r"BD-\d{6}", number) and f"/checkout/done/{number}?token=" in page.url
    expect(page.locator("main")).to_contain_text(f"Bitte überweisen Sie {money(total)}")
    journey.shot(page, "08-confirmation")
    expect(page.get_by_role("link", name="Warenkorb (0)")).to_be_visible()

    # -- the confirmation e-mail, in German -----------------------------------------------------
    mail = journey.mail_to(SHOPPER, f"Ihre Bestellung {number} bei ")
    assert str(mail["Subject"]) == f"Ihre Bestellung {number} bei {STORE_NAME}"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Hallo Anna Weber," in text and "vielen Dank für Ihre Bestellung" in text
    assert f"1 × Roggenbrot (1 kg): {money(RYE_1KG_CENTS)}" in text
    assert f"2 × Buttercroissant: {money(2 * CROISSANT_CENTS)}" in text
    assert f"Versand: {money(shipping)}" in text
    assert f"Gesamtbetrag (inkl. MwSt.): {money(total)}" in text
    status_link = re.search(r"https?://\S+/orders/" + re.escape(number) + r"/status\?token=\w+", text).group(0)
    assert status_link.startswith(journey.storefront)

    # -- staff: sign in, find the order, paid -> processing -> shipped ---------------------------
    staff = browser.new_context(locale="de-LU", viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.goto(f"{journey.base}/store/{STORE}/")
    desk.get_by_label("E-Mail-Adresse").fill(STAFF_EMAIL)
    desk.get_by_label("Passwort").fill(STAFF_PASSWORD)
    journey.shot(desk, "09-staff-login")
    desk.get_by_role("button", name="Anmelden").click()
    expect(desk.get_by_text("Willkommen, Claire Staff")).to_be_visible()
    desk.get_by_role("link", name="Bestellungen").first.click()
    desk.get_by_label("Bestellnummer").fill(number)
    desk.get_by_role("button", name="Filtern").click()
    row = desk.get_by_role("row").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Anna Weber")
    expect(row).to_contain_text("Zahlung ausstehend")
    expect(row).to_contain_text(money(total))
    journey.shot(desk, "10-dashboard-orders")
    row.get_by_role("link", name=number).click()
    history = desk.locator("main")
    for button, word, shot in (("Als bezahlt markieren", "Bezahlt", "11-marked-paid"),
                               ("Bearbeitung beginnen", "In Bearbeitung", "12-processing"),
                               ("Als versandt markieren", "Versandt", "13-shipped")):
        desk.get_by_role("button", name=button).click()
        expect(desk.get_by_role("button", name=button)).to_have_count(0)
        expect(history).to_contain_text(f"{word} · {STAFF_EMAIL}")
        journey.shot(desk, shot)

    # the payment received e-mail followed the staff's "paid"
    paid = journey.mail_to(SHOPPER, f"Zahlung für Ihre Bestellung {number} bei ")
    paid_text = paid.get_body(preferencelist=("plain",)).get_content()
    assert f"Zahlung über {money(total)} für die Bestellung {number} erhalten" in paid_text

    # -- the shopper's status page, from the e-mail's link --------------------------------------
    page.goto(status_link)
    expect(page.get_by_role("heading", name=f"Bestellung {number}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Status: Versandt")
    expect(page.locator("main")).to_contain_text(money(total))
    journey.shot(page, "14-status-shipped")
    staff.close()
    shopper.close()
