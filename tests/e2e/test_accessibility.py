"""Acceptance (issue 17): axe-core finds no WCAG 2.0/2.1 A or AA violation on any page type.

axe-core comes from its npm package (pinned in tests/e2e/package-lock.json, installed by
``npm ci``) and runs in Debian's Chromium, driven by Playwright, against a real ``orion serve``
of the demo installation. Every page type is checked in the light and in the dark theme
(``prefers-color-scheme``):

- the storefront: home, listing, category, search (with and without results), product, empty
  and filled cart, checkout (and checkout with its field errors), sign-in, registration, a
  CMS page, the not-found page; a new customer's account, orders, address form and messages;
  the loyalty programme and card pages; the platform's home and pricing pages;
- the store dashboard: sign-in, every page its menu links to (home, products, categories,
  orders, customers, inventory, settings, ...), and the forms and details behind them (product
  form, product edit, category edit, order detail, customer detail, profile, the loyalty
  programme's settings and counter);
- the admin: sign-in and every page its menu links to.

The listing and product page are also photographed at phone and desktop widths in both themes
(``$ORION_SCREENSHOT_DIR``, default ``<tmp>/journey-screens``), and never scroll sideways.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import (
    CHROMIUM,
    PLATFORM,
    STORE,
    Journey,
    axe_violations,
    describe,
)

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the check needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)

OWNER_EMAIL, OWNER_PASSWORD = "marc@boulangerie-dupont.lu", "Owner-pass-2026"
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.lu", "Admin-pass-2026"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


class Audit:
    """Visits pages in one browser context and keeps every violation found, page by page."""

    def __init__(self, page: Any, script: str, theme: str) -> None:
        self.page, self.script, self.theme = page, script, theme
        self.checked: list[str] = []
        self.found: dict[str, list[str]] = {}

    def check(self, label: str) -> None:
        """Check the page as it is now."""
        self.checked.append(label)
        lines = describe(axe_violations(self.page, self.script))
        if lines:
            self.found[f"{self.theme} {label} ({self.page.url})"] = lines

    def visit(self, url: str, label: str | None = None, *, status: int | None = 200) -> None:
        """Open ``url`` (answering ``status``; any status below 500 when None) and check it."""
        response = self.page.goto(url)
        assert response is not None, url
        assert response.status == status if status else response.status < 500, (url, response.status)
        self.check(label or url)

    def visit_menu(self, base: str) -> None:
        """Every page the dashboard's menu links to (the loyalty counter leads to the loyalty
        overview while the store runs no programme)."""
        hrefs = self.page.eval_on_selector_all(".sidebar nav a", "links => links.map(a => a.getAttribute('href'))")
        assert len(hrefs) >= 5, hrefs
        for href in dict.fromkeys(hrefs):
            self.visit(base + href, status=None)

    def visit_first(self, base: str, listing: str, selector: str, label: str) -> None:
        """The first page a list links to (a product, an order, a customer)."""
        self.page.goto(base + listing)
        href = self.page.locator(selector).first.get_attribute("href")
        assert href, f"no {label} on {listing}"
        self.visit(href if href.startswith("http") else base + href, label)


def sign_in(page: Any, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main.login button[type=submit]").click()
    page.wait_for_load_state()
    assert "login" not in page.url, page.url


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_type_passes_axe_in_both_themes(journey: Journey, browser: Any, axe_script: str,
                                                   theme: str) -> None:
    base, shop = journey.base, journey.storefront
    context = browser.new_context(locale="en-GB", color_scheme=theme, viewport=DESKTOP)
    page = context.new_page()
    audit = Audit(page, axe_script, theme)

    # -- the storefront, anonymous -------------------------------------------------------------
    audit.visit(shop, "storefront home")
    audit.visit(shop + "products", "listing")
    category = page.locator("main a[href*='/categories/']").first.get_attribute("href")
    audit.visit(base + category, "category")
    audit.visit(shop + "products?q=brot", "search")
    audit.visit(shop + "products?q=no-such-thing-at-all", "search without results")
    audit.visit(shop + "cart", "empty cart")
    audit.visit_first(base, shop.removeprefix(base) + "products", "main a[href*='/products/']", "product")
    product_url = page.url
    page.locator("form.catalog-buy-form button[type=submit]").click()
    page.wait_for_load_state()
    audit.visit(shop + "cart", "cart")
    audit.visit(shop + "checkout", "checkout")
    page.locator("form.checkout-form button[type=submit]").click()  # nothing filled in
    page.wait_for_load_state()
    assert page.locator("#checkout-errors").count() == 1
    audit.check("checkout with field errors")
    audit.visit(shop + "account/login", "sign-in")
    audit.visit(shop + "account/register", "registration")
    cms = page.locator("footer a[href*='/pages/']").first.get_attribute("href")
    audit.visit(base + cms, "CMS page")
    audit.visit(shop + "products/no-such-product", "not found", status=404)
    audit.visit(f"{base}/platforms/{PLATFORM}/", "platform home")
    audit.visit(f"{base}/platforms/{PLATFORM}/pricing", "platform pricing")

    # -- the storefront, signed in: a new customer's account pages -------------------------------
    page.goto(shop + "account/register")
    page.locator("input[name=email]").fill(f"a11y-{theme}@example.lu")
    page.locator("input[name=password]").fill("A11y-pass-2026")
    page.locator("input[name=first_name]").fill("Ada")
    page.locator("input[name=last_name]").fill("Access")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/account/register" not in page.url, page.url
    for path, label in (("account/", "account home"), ("account/orders", "account orders (none yet)"),
                        ("account/addresses/new", "address form"), ("account/messages", "messages (none yet)"),
                        ("account/messages/new", "new message form")):
        audit.visit(shop + path, label)

    # the listing and a product, at phone and desktop widths
    for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        for name, url in (("listing", shop + "products"), ("product", product_url)):
            page.goto(url)
            audit.check(f"{name} at {size} width")
            # nothing wider than the screen: no sideways scrolling (WCAG 1.4.10, reflow)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"], (name, size, width)
            journey.shot(page, f"a11y-{name}-{size}-{theme}")
    page.set_viewport_size(DESKTOP)

    # -- the store dashboard --------------------------------------------------------------------
    desk = f"/store/{STORE}"
    audit.visit(f"{base}{desk}/login", "store sign-in")
    sign_in(page, f"{base}{desk}/", OWNER_EMAIL, OWNER_PASSWORD)
    audit.check("store dashboard home")
    audit.visit_menu(base)
    audit.visit(f"{base}{desk}/products/new", "product form")
    audit.visit_first(base, f"{desk}/products", "main a[href$='/edit']", "product edit")
    audit.visit_first(base, f"{desk}/categories", "main a[href$='/edit']", "category edit")
    audit.visit_first(base, f"{desk}/orders", "main a[href*='/orders/BD-']", "order detail")
    audit.visit_first(base, f"{desk}/customers", "main a[href*='/customers/']:not([href*='segments'])",
                      "customer detail")
    audit.visit(f"{base}{desk}/profile", "profile")
    # loyalty: the programme set up (the first theme's run saves it, the second finds it), then its
    # counter, and the programme and card pages the storefront shows once it runs
    page.goto(f"{base}{desk}/loyalty")
    if page.locator("input[name=name]").input_value() == "":
        page.locator("input[name=name]").fill("Club Dupont")
        page.locator("form.loyalty-form button[type=submit]").click()
        page.wait_for_load_state()
    audit.check("loyalty programme settings")
    audit.visit(f"{base}{desk}/loyalty/counter", "loyalty counter")
    audit.visit(shop + "loyalty", "storefront loyalty programme")
    audit.visit(shop + "account/loyalty", "loyalty card (join offer)")

    # -- the admin ------------------------------------------------------------------------------
    admin = browser.new_context(locale="en-GB", color_scheme=theme, viewport=DESKTOP)
    audit.page = admin.new_page()
    audit.visit(f"{base}/admin/login", "admin sign-in")
    sign_in(audit.page, f"{base}/admin/login", ADMIN_EMAIL, ADMIN_PASSWORD)
    audit.check("admin home")
    audit.visit_menu(base)

    assert len(audit.checked) >= 50, audit.checked
    report = "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in audit.found.items())
    assert not audit.found, f"axe-core found violations on {len(audit.found)} pages:\n{report}"
    admin.close()
    context.close()
