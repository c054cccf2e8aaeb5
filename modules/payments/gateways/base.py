"""What every gateway class shares: its settings fields and how it is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from modules.contracts.payment_gateway import PaymentGateway


@dataclass(frozen=True)
class SettingField:
    """One setting a store enters for a gateway."""

    name: str
    label_key: str
    secret: bool = False
    """Stored, never rendered back: the form shows only that it is set."""
    required: bool = True
    """Needed before the gateway can be enabled."""
    help_key: str = ""


class GatewayClass(Protocol):
    """A gateway class: its code, name, settings, and a factory from a store's settings."""

    code: str
    label_key: str
    requires_staff_confirmation: bool
    FIELDS: tuple[SettingField, ...]

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> PaymentGateway: ...

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> dict[str, str]: ...


def text(settings: Mapping[str, Any], name: str) -> str:
    """A setting as stripped text ('' when missing)."""
    value = settings.get(name)
    return str(value).strip() if value is not None else ""
