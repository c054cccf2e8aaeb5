"""Loyalty: models."""

from modules.loyalty.models.card import LoyaltyCard, LoyaltyStaffPin, LoyaltyTransaction
from modules.loyalty.models.program import LoyaltyProgram, LoyaltyReward

__all__ = ["LoyaltyCard", "LoyaltyProgram", "LoyaltyReward", "LoyaltyStaffPin", "LoyaltyTransaction"]
