"""The Content-Security-Policy in a real browser: Chromium refuses nothing on the pages (it would
log "Refused to apply inline style..." / "Refused to execute inline script..."), and the
progressive-enhancement scripts still work under it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, STAFF_EMAIL, STAFF_PASSWORD, STORE, Journey

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the check needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)


def _watch(page: Any) -> list[str]:
    """Every console message and page error the policy could cause."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    return seen


def _refusals(messages: list[str]) -> list[str]:
    # older Chromium: "Refused to apply inline style ..."; newer: "Applying inline style violates
    # the following Content Security Policy directive ..."
    return [m for m in messages if re.search(r"Content Security Policy|Refused to", m)]


def test_pages_break_no_policy_rule_and_their_scripts_work(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    shopper = browser.new_context(locale="fr-LU", viewport={"width": 1280, "height": 900})
    page = shopper.new_page()
    messages = _watch(page)

    # the language switcher switches on change (orion.js, no inline handler)
    response = page.goto(journey.storefront)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.get_by_label("Langue").select_option(label="English")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Products", exact=True).first.click()
    page.locator("main a[href*='/products/']").first.click()
    page.locator("form.catalog-buy-form button[type=submit]").click()
    page.goto(journey.storefront + "cart")
    page.goto(journey.storefront + "checkout")
    # checkout.js hides the billing address while "same address" is ticked, and shows it again
    billing = page.locator("#checkout-billing")
    expect(billing).to_be_hidden()
    page.locator("#checkout-billing-same").uncheck()
    expect(billing).to_be_visible()
    journey.shot(page, "csp-checkout-billing-open")

    # the store dashboard: sign-in page, home, the category tree, an invoice with its print button
    desk = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    desk_messages = _watch(desk)
    desk.goto(f"{journey.base}/store/{STORE}/")
    desk.locator("#email").fill(STAFF_EMAIL)
    desk.locator("#password").fill(STAFF_PASSWORD)
    desk.locator("main.login button[type=submit]").click()
    expect(desk.locator(".store-welcome")).to_be_visible()
    desk.goto(f"{journey.base}/store/{STORE}/orders")
    desk.locator("main a[href*='/orders/BD-']").first.click()
    desk.goto(desk.url.split("?")[0] + "/invoice")
    expect(desk.locator("button[data-print]")).to_be_visible()
    journey.shot(desk, "csp-invoice")

    admin = browser.new_context(locale="en-GB").new_page()
    admin_messages = _watch(admin)
    admin.goto(f"{journey.base}/admin/login")
    expect(admin.locator(".login-language select[data-autosubmit]")).to_be_visible()

    for seen in (messages, desk_messages, admin_messages):
        assert not _refusals(seen), _refusals(seen)
    shopper.close()
