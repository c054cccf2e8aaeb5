"""Errors of the Loyalty module: every input problem names its field and a translation key (the
pages translate them into the staff member's or shopper's language)."""

from __future__ import annotations

from orion_server.errors import NotFoundError, OrionError
from orion_server.forms import InputError, Problem, field_messages

__all__ = ["LoyaltyError", "LoyaltyInputError", "NoProgramError", "Problem", "field_messages", "refuse"]


class LoyaltyError(OrionError):
    """Base of the Loyalty module's errors."""


class NoProgramError(NotFoundError, LoyaltyError):
    """The store has no loyalty program (yet), or it is paused; or a card, reward or
    transaction of another program was asked for (pages answer 404)."""

    code = "no_program"


class LoyaltyInputError(InputError):
    """A program, a reward, a counter action or a PIN broke one or more rules (422, every field
    named): a wrong or locked PIN, a cooldown, the daily cap, a balance too small."""


def refuse(field_name: str, key: str, **params: object) -> LoyaltyInputError:
    """The error of one bad field: ``key`` under ``loyalty.errors.``."""
    return LoyaltyInputError([Problem(field_name, f"loyalty.errors.{key}", dict(params))])
