"""The public pricing page and the billing context provider behind it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from modules.billing.models import TierCode
from orion_server.i18n import format_money
from orion_server.modules import registry
from orion_server.modules.enums import FrontendType

NBSP = "\xa0"


def cards(html: str) -> dict[str, str]:
    """The HTML of each tier card, by tier code."""
    result = {}
    for code in TierCode:
        start = html.index(f'id="tier-{code.value}"')
        end = html.find("</article>", start)
        result[code.value] = html[start:end]
    return result


def test_the_pricing_page_shows_the_four_tiers(client, main_platform):
    """Essential, Professional, Business and Enterprise, with prices and the trial."""
    response = client.get("/pricing?lang=en")

    assert response.status_code == 200
    tiers = cards(response.text)
    assert "Essential" in tiers["essential"] and "€49.00" in tiers["essential"]
    assert "or €490.00 per year" in tiers["essential"]
    assert "€99.00" in tiers["professional"] and "€990.00" in tiers["professional"]
    assert "€199.00" in tiers["business"] and "€1,990.00" in tiers["business"]
    assert "from €399.00" in tiers["enterprise"]
    assert "Price on request" in tiers["enterprise"]
    assert "2 months free" in tiers["essential"]
    assert "Every shop starts with a free 30-day trial." in response.text


@pytest.mark.parametrize(
    ("language", "essential", "enterprise"),
    [
        ("de", f"49,00{NBSP}€", f"ab 399,00{NBSP}€"),
        ("fr", f"49,00{NBSP}€", f"à partir de 399,00{NBSP}€"),
        ("lb", f"49,00{NBSP}€", f"vun 399,00{NBSP}€ un"),
    ],
)
def test_prices_are_formatted_for_the_visitors_locale(
    client, main_platform, language, essential, enterprise
):
    """German, French and Luxembourgish visitors see "49,00 €" style prices."""
    html = client.get(f"/pricing?lang={language}").text
    tiers = cards(html)

    assert essential in tiers["essential"]
    assert enterprise in tiers["enterprise"]
    # Thousands grouping is the locale's (framework) choice: compare with its formatter.
    assert format_money(199_000, language) in tiers["business"]
    assert "1,990.00" not in tiers["business"]


def test_the_french_page_is_in_french(client, main_platform):
    """Labels follow the language: title, period and limits."""
    html = client.get("/pricing?lang=fr").text

    assert "<h1>Tarifs</h1>" in html
    assert "par mois" in html
    assert "100 commandes par mois" in cards(html)["essential"]


def test_each_card_lists_the_tiers_limits(client, main_platform):
    """Orders, products and staff per tier, "unlimited" where there is no limit."""
    tiers = cards(client.get("/pricing?lang=en").text)

    assert "100 orders per month" in tiers["essential"]
    assert "200 products" in tiers["essential"]
    assert "1 staff user" in tiers["essential"]
    assert "500 orders per month" in tiers["professional"]
    assert "Unlimited products" in tiers["professional"]
    assert "3 staff users" in tiers["professional"]
    assert "2,000 orders per month" in tiers["business"]
    assert "10 staff users" in tiers["business"]
    assert "Unlimited orders" in tiers["enterprise"]
    assert "Unlimited staff users" in tiers["enterprise"]


def test_features_unlock_by_minimum_tier(client, main_platform):
    """Each card lists the features of its tier and of every cheaper tier."""
    tiers = cards(client.get("/pricing?lang=en").text)

    assert "Basic sales statistics" in tiers["essential"]
    assert "Analytics dashboard" not in tiers["essential"]
    assert "Analytics dashboard" in tiers["professional"]
    assert "Advanced analytics" not in tiers["professional"]
    assert "Advanced analytics" in tiers["business"]
    assert "Custom reports" not in tiers["business"]
    assert all(
        f in tiers["enterprise"]
        for f in ("Basic sales", "Analytics dashboard", "Advanced", "Custom reports")
    )


def test_platform_pages_link_to_pricing(client, main_platform):
    """The shared platform header links to the pricing page with its translated title."""
    html = client.get("/pricing?lang=de").text

    assert '<a href="/pricing">Preise</a>' in html.partition("</header>")[0]


def test_another_platform_has_its_pricing_page_under_its_path(client, main_platform, factories):
    """/platforms/{code}/pricing works like the main platform's /pricing."""
    factories.platform(code="lux")

    assert "€49.00" in client.get("/platforms/lux/pricing?lang=en").text


def test_the_provider_gives_tiers_and_trial_days(db_session, main_platform):
    """The PLATFORM provider returns tier dicts with prices in cents, limits and features."""
    module = registry.MODULES["billing"]
    provider = module.resolve(module.context_providers[FrontendType.PLATFORM])

    context = provider(
        SimpleNamespace(state=SimpleNamespace(language="en")), db_session, main_platform
    )

    assert context["trial_days"] == 30
    assert [tier["code"] for tier in context["tiers"]] == [
        "essential",
        "professional",
        "business",
        "enterprise",
    ]
    essential = context["tiers"][0]
    assert set(essential) >= {
        "code",
        "name",
        "price_monthly_cents",
        "price_annual_cents",
        "limits",
        "features",
    }
    assert essential["price_monthly_cents"] == 4900
    assert essential["price_annual_cents"] == 49000
    assert essential["limits"] == {"orders_per_month": 100, "products": 200, "staff_users": 1}
    assert essential["features"] == ["basic_analytics"]
    assert context["tiers"][3]["limits"] == {
        "orders_per_month": None,
        "products": None,
        "staff_users": None,
    }


def test_the_trial_length_comes_from_the_billing_config(client, main_platform, monkeypatch):
    """BILLING_TRIAL_DAYS (the config object) changes what the page promises."""
    from modules.billing.config import config

    monkeypatch.setattr(config, "trial_days", 14)

    assert "free 14-day trial" in client.get("/pricing?lang=en").text


def test_a_failing_billing_provider_does_not_break_the_page(client, main_platform, monkeypatch):
    """If the provider raises, /pricing still answers 200 and says prices are unavailable."""

    def broken(request, db, platform):
        raise RuntimeError("billing is broken")

    monkeypatch.setitem(
        registry.MODULES["billing"].context_providers, FrontendType.PLATFORM, broken
    )

    response = client.get("/pricing?lang=en")

    assert response.status_code == 200
    assert "Prices cannot be shown right now." in response.text
    assert "€49.00" not in response.text


def test_a_failing_cms_provider_leaves_the_prices(client, main_platform, monkeypatch):
    """Another module's broken provider does not take the tiers with it."""

    def broken(request, db, platform):
        raise RuntimeError("cms is broken")

    monkeypatch.setitem(registry.MODULES["cms"].context_providers, FrontendType.PLATFORM, broken)

    response = client.get("/pricing?lang=en")

    assert response.status_code == 200
    assert "€49.00" in response.text


def test_the_billing_stylesheet_is_served(client, main_platform):
    """The pricing page links the module's CSS, which answers 200."""
    assert "/static/modules/billing/shared/css/billing.css" in client.get("/pricing").text
    assert client.get("/static/modules/billing/shared/css/billing.css").status_code == 200
