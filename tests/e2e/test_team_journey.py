"""Acceptance (issue 9): a store's team in a real browser against a real ``orion serve``.

The bakery's owner invites Léa by e-mail (it arrives at a local SMTP server, aiosmtpd); Léa
opens the link, chooses her password and lands in the store with the built-in ``staff`` role;
her menu shows only what that role opens, a direct address to the team page answers 403; she
changes her password and her other session is signed out. Screenshots of the team page, the
role editor and the profile page go to ``$ORION_SCREENSHOT_DIR`` (default: a temporary folder).
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
INVITEE = "lea@boulangerie-dupont.lu"
LEA_PASSWORD, LEA_NEW_PASSWORD = "Lea-first-2026", "Lea-second-2026"


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/store/{STORE}/login?lang=en")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/store/{STORE}/")


def _menu(page: Any) -> set[str]:
    return {text.strip() for text in page.locator("aside nav a").all_inner_texts()}


def test_an_owner_invites_a_member_who_joins_with_the_staff_role(journey: Journey, browser: Any) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    base = journey.base
    owner = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(owner, base, OWNER_EMAIL, OWNER_PASSWORD)

    # -- the owner invites Léa with the staff role ------------------------------------------------
    owner.locator("aside nav").get_by_role("link", name="Team", exact=True).click()
    expect(owner.get_by_role("heading", name="Members")).to_be_visible()
    owner.get_by_label("E-mail address").fill(INVITEE)
    owner.get_by_label("Name (optional)").fill("Léa Muller")
    owner.get_by_label("Staff").check()
    owner.get_by_label("Language of the e-mail").select_option(label="English")
    owner.get_by_role("button", name="Send the invitation").click()
    expect(owner.get_by_text("The invitation is on its way.")).to_be_visible()
    expect(owner.locator("table").get_by_text(INVITEE)).to_be_visible()
    journey.shot(owner, "team-01-team-page")

    owner.get_by_role("link", name="Roles", exact=True).click()
    owner.get_by_role("link", name="New role").click()
    expect(owner.get_by_role("group", name="Orders")).to_be_visible()
    journey.shot(owner, "team-02-role-editor")

    # -- the e-mail, and Léa joining from it ---------------------------------------------------------
    mail = journey.mail_to(INVITEE, "Marc Dupont invites you to the team of")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/join\?token=\S+", text).group(0)
    assert link.startswith(base)
    lea_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    lea = lea_context.new_page()
    lea.goto(link)
    expect(lea.get_by_role("heading", name="Join")).to_be_visible()
    lea.get_by_label("Choose a password").fill(LEA_PASSWORD)
    lea.get_by_label("New password again").fill(LEA_PASSWORD)
    lea.get_by_role("button", name="Accept and sign in").click()
    lea.wait_for_url(f"{base}/store/{STORE}/")

    # -- the staff role's menu, and a forbidden page ---------------------------------------------------
    menu = _menu(lea)
    assert {"Overview", "Products", "Orders", "Inventory", "Customers"} <= menu, menu
    assert not {"Team", "Settings", "Audit log", "Payment methods", "Plan & billing"} & menu, menu
    forbidden = lea.goto(f"{base}/store/{STORE}/team")
    assert forbidden is not None and forbidden.status == 403

    # -- a second session, then a password change that ends it ---------------------------------------
    elsewhere = browser.new_context(locale="en-GB").new_page()
    _sign_in(elsewhere, base, INVITEE, LEA_PASSWORD)
    lea.goto(f"{base}/store/{STORE}/profile")
    journey.shot(lea, "team-03-profile")
    lea.get_by_label("Current password").fill(LEA_PASSWORD)
    lea.get_by_label("New password", exact=True).fill(LEA_NEW_PASSWORD)
    lea.get_by_label("New password again").fill(LEA_NEW_PASSWORD)
    lea.get_by_role("button", name="Change password").click()
    expect(lea.get_by_role("status")).to_be_visible()
    elsewhere.goto(f"{base}/store/{STORE}/orders")
    assert "/login" in elsewhere.url  # signed out there
    _sign_in(elsewhere, base, INVITEE, LEA_NEW_PASSWORD)
