"""Errors of the Orders module: every input problem names its field and a translation key; the
routes translate (the dashboard in the staff member's language, the store API in English)."""

from __future__ import annotations

from dataclasses import dataclass

from orion_server.errors import OrionError, ValidationError
from orion_server.forms import InputError, Problem, WithProblems, field_messages
from orion_server.i18n import t

__all__ = [
    "OrdersError",
    "OrdersInputError",
    "Problem",
    "StatusLabel",
    "TransitionNotAllowedError",
    "field_messages",
]


class OrdersError(OrionError):
    """Base of the Orders module's errors."""


class OrdersInputError(InputError):
    """An order, a status change, a note or a listing filter broke one or more rules (422,
    every field named)."""


@dataclass(frozen=True)
class StatusLabel:
    """A status as a Problem parameter: its name in the language of the message."""

    status: str

    def in_language(self, language: str) -> str:
        return t(f"orders.status.{self.status}", language)


class TransitionNotAllowedError(WithProblems, ValidationError):
    """The status machine refuses to move an order from one status to another (422, field ``to``).

    ``message`` (the API's) names the status codes; the field message names them in words."""

    code = "transition_not_allowed"

    def __init__(self, from_status: str, to_status: str) -> None:
        self.problems = [
            Problem(
                "to",
                "orders.errors.transition",
                {"from_status": StatusLabel(from_status), "to_status": StatusLabel(to_status)},
            )
        ]
        super().__init__(
            f"an order cannot go from {from_status} to {to_status}",
            field="to",
            from_status=from_status,
            to_status=to_status,
        )
        self.from_status = from_status
        self.to_status = to_status
