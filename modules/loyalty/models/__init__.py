"""Loyalty: models."""

from modules.loyalty.models.card import LoyaltyCard, LoyaltyStaffPin, LoyaltyTransaction
from modules.loyalty.models.program import LoyaltyProgram, LoyaltyReward
from modules.loyalty.models.wallet import LoyaltyPassRegistration, LoyaltyWalletSettings

__all__ = [
    "LoyaltyCard", "LoyaltyPassRegistration", "LoyaltyProgram", "LoyaltyReward", "LoyaltyStaffPin",
    "LoyaltyTransaction", "LoyaltyWalletSettings",
]
