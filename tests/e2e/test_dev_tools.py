"""Developer Tools in a real browser: the component library and the module explorer render
under the strict Content-Security-Policy, light and dark side by side; the copy buttons copy;
screenshots of both (ORION_SCREENSHOT_DIR keeps them)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, Journey

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the check needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.lu", "Admin-pass-2026"


def test_the_library_and_the_explorer_in_a_browser(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=journey.base)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{journey.base}/admin/login?lang=en")
    page.get_by_label("E-mail address").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{journey.base}/admin/")

    page.get_by_role("link", name="Component library").click()
    expect(page.locator("h1")).to_have_text("Component library")
    dark = page.locator('[data-theme="dark"]').first
    light = page.locator('[data-theme="light"]').first
    assert dark.evaluate("e => getComputedStyle(e).backgroundColor") != light.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    # the icons of the set are drawn (the sprite loads under the policy)
    assert page.locator(".dt-rendered svg.icon").first.bounding_box()["width"] == 16
    journey.shot(page, "dev-tools-components")
    page.locator("#c-shared-macros-forms-html-field").screenshot(
        path=str(journey.screens / "dev-tools-components-field.png"))

    button = page.locator('[data-copy="c-shared-macros-forms-html-field-3"]')
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith("{{ forms.field('email'")

    page.goto(f"{journey.base}/admin/dev-tools/icons?lang=en")
    journey.shot(page, "dev-tools-icons")
    page.goto(f"{journey.base}/admin/dev-tools/icons?lang=en&q=cart")
    page.locator('[data-copy-text="shopping-cart"]').click()
    assert page.evaluate("navigator.clipboard.readText()") == "shopping-cart"

    page.goto(f"{journey.base}/admin/dev-tools/modules?lang=en")
    page.locator("#module-graph").screenshot(path=str(journey.screens / "dev-tools-module-graph.png"))
    journey.shot(page, "dev-tools-modules")
    page.locator("#node-checkout").click()
    page.wait_for_url(f"{journey.base}/admin/dev-tools/modules/checkout")
    expect(page.locator("#validation")).to_contain_text("orion validate")
    journey.shot(page, "dev-tools-module-checkout")

    signed_in = context.storage_state()
    phone = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844}, storage_state=signed_in)
    small = phone.new_page()
    small.goto(f"{journey.base}/admin/dev-tools/components?lang=en")
    journey.shot(small, "dev-tools-components-phone")
    small.goto(f"{journey.base}/admin/dev-tools/modules?lang=en")
    journey.shot(small, "dev-tools-modules-phone")
    # a system in dark mode: the whole explorer follows it
    night = browser.new_context(locale="en-GB", viewport={"width": 1440, "height": 900}, color_scheme="dark",
                                storage_state=signed_in).new_page()
    night.goto(f"{journey.base}/admin/dev-tools/modules/cart?lang=en")
    night.locator("#module-graph").screenshot(path=str(journey.screens / "dev-tools-module-graph-dark.png"))
    assert refused == []
