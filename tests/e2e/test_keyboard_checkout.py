"""Acceptance (issue 17): a shopper buys with the keyboard alone.

In Debian's Chromium against a real ``orion serve``: from a product page to the confirmation,
every control is reached with Tab (never a click), each focused control shows a visible focus
ring, the focus moves in the page's order, and a checkout sent with mistakes comes back with the
summary announced (``role="alert"``), the focus on the first field to fix and each message tied
to its field (``aria-invalid`` + ``aria-describedby``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, Journey

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the check needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)

# What the focused element looks like: its place in the document (for the order), whether a
# focus ring is drawn (an outline or a box-shadow), and a name for the messages.
FOCUSED = """(selector) => {
  const el = document.activeElement;
  const all = Array.from(document.querySelectorAll('*'));
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  return {index: all.indexOf(el), ring: ring, matches: el.matches(selector),
          name: el.tagName + (el.id ? '#' + el.id : '') + (el.name ? '[' + el.name + ']' : '')};
}"""


class Keyboard:
    """Tab through a page as a keyboard user does, checking every stop."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until an element matching ``selector`` has the focus; every element on the
        way shows its focus and comes after the one before (the order follows the page)."""
        previous = -1
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            state = self.page.evaluate(FOCUSED, selector)
            assert state["ring"], f"no visible focus on {state['name']} ({self.page.url})"
            assert state["index"] > previous, f"focus went back to {state['name']} ({self.page.url})"
            previous = state["index"]
            if state["matches"]:
                return
        raise AssertionError(f"{selector} not reached with {limit} Tabs on {self.page.url}")

    def fill(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, group: str, value: str) -> None:
        """Tab into a radio group and move with the arrow keys to ``value``."""
        self.tab_to(f"input[name='{group}']")
        for _ in range(10):
            if self.page.evaluate("() => document.activeElement.value") == value:
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no choice {value} in {group}")

    def press_enter(self) -> None:
        """Enter on the focused link or button, waiting for the page it leads to."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def start(self, url: str) -> None:
        self.page.goto(url)
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")


def test_a_shopper_checks_out_with_the_keyboard_alone(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    keys = Keyboard(page)
    shop = journey.storefront

    # a product into the cart
    keys.start(shop + "products/carrot-cake?lang=en")
    keys.tab_to("form.catalog-buy-form button[type=submit]")
    keys.press_enter()
    expect(page.get_by_role("link", name=re.compile(r"\(1\)"))).to_be_visible()

    # the cart, then the checkout
    keys.start(shop + "cart?lang=en")
    keys.tab_to("main a[href$='/checkout']")
    keys.press_enter()
    expect(page.locator("form.checkout-form")).to_be_visible()

    # sent with nothing filled in: announced, focus on the first field to fix, messages tied
    keys.tab_to("form.checkout-form button[type=submit]", limit=120)
    keys.press_enter()
    expect(page.locator("#checkout-errors")).to_have_attribute("role", "alert")
    expect(page.locator("#f-email")).to_be_focused()
    for field in ("#f-email", "#f-first_name", "#f-last_name", "[id='f-address.street']"):
        control = page.locator(field)
        expect(control).to_have_attribute("aria-invalid", "true")
        message = control.get_attribute("aria-describedby").split()[-1]
        expect(page.locator(f"[id='{message}']")).not_to_be_empty()
    journey.shot(page, "keyboard-checkout-errors")

    # corrected with the keyboard: the focus is on the e-mail already
    page.keyboard.type("luc.keyboard@example.lu")
    keys.fill("#f-first_name", "Luc")
    keys.fill("#f-last_name", "Keyboard")
    keys.fill("[id='f-address.name']", "Luc Keyboard")
    keys.fill("[id='f-address.street']", "3, rue du Clavier")
    keys.fill("[id='f-address.postal_code']", "L-1234")
    keys.fill("[id='f-address.city']", "Luxembourg")
    keys.choose("shipping_method", "pickup")
    keys.choose("payment_method", "bank_transfer")
    keys.tab_to("form.checkout-form button[type=submit]", limit=120)
    keys.press_enter()

    # the review, then the order
    keys.tab_to("form.checkout-place button[type=submit]", limit=120)
    journey.shot(page, "keyboard-checkout-review")
    keys.press_enter()
    expect(page.locator("main h1")).to_contain_text("Thank you")
    assert "/checkout/done/" in page.url
    journey.shot(page, "keyboard-checkout-done")
    context.close()
