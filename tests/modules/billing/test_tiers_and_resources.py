"""Tier constants, the billing settings and translations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError as SettingsError

import modules.billing as billing_package
from modules.billing.config import BillingConfig
from modules.billing.models import (
    FEATURE_MIN_TIER,
    TIER_LIMITS,
    TierCode,
    features_for,
    tier_has_feature,
)

MODULE = Path(billing_package.__file__).parent
LANGUAGES = ("en", "de", "fr", "lb")


def test_the_tiers_match_the_published_prices_and_limits():
    """Prices in cents and limits as the pricing reference gives them."""
    expected = {
        TierCode.ESSENTIAL: (4900, 49000, 100, 200, 1),
        TierCode.PROFESSIONAL: (9900, 99000, 500, None, 3),
        TierCode.BUSINESS: (19900, 199000, 2000, None, 10),
        TierCode.ENTERPRISE: (39900, None, None, None, None),
    }
    for code, (monthly, annual, orders, products, staff) in expected.items():
        tier = TIER_LIMITS[code]
        assert (tier["price_monthly_cents"], tier["price_annual_cents"]) == (monthly, annual)
        assert (tier["orders_per_month"], tier["products"], tier["staff_users"]) == (
            orders,
            products,
            staff,
        )


def test_annual_prices_are_two_months_free():
    """Every priced tier costs ten monthly payments a year."""
    for tier in TIER_LIMITS.values():
        if not tier["custom_pricing"]:
            assert tier["price_annual_cents"] == 10 * tier["price_monthly_cents"]


def test_features_unlock_from_their_minimum_tier_upwards():
    """A feature is in its minimum tier and every dearer one, never in a cheaper one."""
    assert features_for(TierCode.ESSENTIAL) == ["basic_analytics"]
    assert features_for(TierCode.ENTERPRISE) == list(FEATURE_MIN_TIER)
    assert tier_has_feature("business", "advanced_analytics")
    assert not tier_has_feature("professional", "advanced_analytics")
    assert not tier_has_feature("enterprise", "teleportation")


def test_the_billing_settings_read_billing_environment_variables(monkeypatch):
    """BILLING_TRIAL_DAYS and BILLING_CURRENCY configure the module; defaults are 30 and EUR."""
    assert BillingConfig().trial_days == 30
    assert BillingConfig().currency == "EUR"
    monkeypatch.setenv("BILLING_TRIAL_DAYS", "14")
    monkeypatch.setenv("BILLING_CURRENCY", "chf")

    config = BillingConfig()

    assert (config.trial_days, config.currency) == (14, "CHF")


@pytest.mark.parametrize(
    ("name", "value"), [("BILLING_TRIAL_DAYS", "0"), ("BILLING_CURRENCY", "euro")]
)
def test_unusable_billing_settings_are_refused(monkeypatch, name, value):
    """A zero-day trial or a currency that is not an ISO code fails loudly."""
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError):
        BillingConfig()


def test_the_module_config_is_discovered():
    """The framework finds config.py through get_module_config."""
    from orion_server.modules.config import get_module_config

    assert get_module_config("billing").trial_days == 30


def test_every_locale_file_has_the_same_keys():
    """en, de, fr and lb define the same keys, none empty, mostly not English copies."""
    catalogues = {
        lang: json.loads((MODULE / "locales" / f"{lang}.json").read_text("utf-8"))
        for lang in LANGUAGES
    }

    for lang, messages in catalogues.items():
        assert set(messages) == set(catalogues["en"]), lang
        assert all(text.strip() for text in messages.values()), lang
        if lang != "en":
            same = [k for k in messages if messages[k] == catalogues["en"][k]]
            assert len(same) < len(messages) * 0.1, (lang, same)


def test_every_key_used_by_templates_and_code_exists():
    """Each billing.* key in templates and Python (and each feature and status) is in en.json."""
    en = json.loads((MODULE / "locales" / "en.json").read_text("utf-8"))
    used: set[str] = set()
    actions: set[str] = set()
    for path in list(MODULE.rglob("*.html")) + list(MODULE.rglob("*.py")):
        text = path.read_text("utf-8")
        used.update(re.findall(r"['\"](billing\.[a-z_]+\.[a-z_]+)['\"]", text))
        actions.update(re.findall(r"record\(\s*db,\s*['\"](billing\.[a-z_.]+)['\"]", text))
    # permission ids, audit actions and keys a template completes (``'billing.cycle.' ~ cycle``)
    used = {key for key in used - actions if not key.startswith("billing.usage.") and not key.endswith("_")}
    used.update(f"billing.feature.{feature}" for feature in FEATURE_MIN_TIER)
    used.update(f"billing.status.{status}" for status in ("trialing", "active", "cancelled"))

    assert sorted(used - set(en)) == []
