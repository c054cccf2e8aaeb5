"""What billing adds to the platform's public pages: the tiers, with prices and limits."""

from __future__ import annotations

from typing import Any

from modules.billing.config import config
from modules.billing.models import TierCode, tier_summary


def platform_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """The tiers with prices, limits and features, and the trial length, for public pages."""
    return {
        "tiers": [tier_summary(code) for code in TierCode],
        "trial_days": config.trial_days,
        "billing_currency": config.currency,
    }
