"""The sales report in a real browser: its charts, SVG images drawn on the server, load and are
drawn in light and dark, the page breaks no Content-Security-Policy rule, and screenshots show
it (``ORION_ANALYTICS_SCREENSHOT`` names where the light one is copied, ``-dark`` beside it)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import CHROMIUM, STORE, Journey

pytestmark = pytest.mark.slow

if not CHROMIUM.exists():
    pytest.skip("the check needs Debian's Chromium at /usr/bin/chromium (make setup installs it)",
                allow_module_level=True)

OWNER_EMAIL, OWNER_PASSWORD = "marc@boulangerie-dupont.lu", "Owner-pass-2026"
"""The owner tests/e2e/prepare.py makes (owners see reports)."""


def _report(journey: Journey, browser: Any, scheme: str) -> tuple[Any, list[str]]:
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    seen: list[str] = []
    page.on("console", lambda message: seen.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    page.goto(f"{journey.base}/store/{STORE}/")
    page.locator("#email").fill(OWNER_EMAIL)
    page.locator("#password").fill(OWNER_PASSWORD)
    page.locator("main.login button[type=submit]").click()
    expect(page.locator(".store-welcome")).to_be_visible()
    response = page.goto(f"{journey.base}/store/{STORE}/analytics?lang=en&by=week")
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    chart = page.locator("img[src*='/analytics/charts/sales.svg']")
    expect(chart).to_be_visible()
    page.wait_for_load_state("networkidle")
    return page, seen


def _drawn(page: Any) -> list[dict[str, Any]]:
    """Each chart image: what it loaded (the dark variant in a dark scheme) and its drawn width."""
    return page.eval_on_selector_all(
        "picture.analytics-chart img",
        "images => images.map(i => ({src: i.currentSrc, width: i.naturalWidth, done: i.complete, alt: i.alt}))",
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_draws_its_charts_under_the_policy(journey: Journey, browser: Any, scheme: str) -> None:
    page, seen = _report(journey, browser, scheme)

    images = _drawn(page)
    assert images and all(image["done"] and image["width"] > 0 and image["alt"] for image in images), images
    assert all(("theme=dark" in image["src"]) == (scheme == "dark") for image in images), images
    assert page.locator("#table-sales tbody tr").count() > 0  # the chart's figures as a table
    refusals = [m for m in seen if re.search(r"Content Security Policy|Refused to", m)]
    assert refusals == []
    name = "analytics-report" + ("-dark" if scheme == "dark" else "")
    journey.shot(page, name)
    wanted = os.environ.get("ORION_ANALYTICS_SCREENSHOT")
    if wanted:
        target = Path(wanted)
        if scheme == "dark":
            target = target.with_name(f"{target.stem}-dark{target.suffix}")
        shutil.copyfile(journey.screens / f"{name}.png", target)


def test_the_dashboard_draws_its_sparklines_under_the_policy(journey: Journey, browser: Any) -> None:
    """The analytics dashboard (the demo store is on Business): KPI cards, the two trend images
    drawn, no policy refusal; ``ORION_ANALYTICS_DASHBOARD_SCREENSHOT`` names where its screenshot
    is copied."""
    from playwright.sync_api import expect

    page, seen = _report(journey, browser, "light")
    response = page.goto(f"{journey.base}/store/{STORE}/analytics/dashboard?lang=en")
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(page.locator(".analytics-kpi")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    images = _drawn(page)
    assert len(images) == 2 and all(image["done"] and image["width"] > 0 for image in images), images
    assert [m for m in seen if re.search(r"Content Security Policy|Refused to", m)] == []
    journey.shot(page, "analytics-dashboard")
    wanted = os.environ.get("ORION_ANALYTICS_DASHBOARD_SCREENSHOT")
    if wanted:
        shutil.copyfile(journey.screens / "analytics-dashboard.png", wanted)
