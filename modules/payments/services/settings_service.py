"""Each store's gateway settings: which gateways are on, and their keys.

Secret fields (Stripe's secret key and webhook secret, PayPal's client secret, ...) are stored
encrypted with the installation's key (``orion_server.secrets_box``) and decrypted only to build a
gateway. They are never handed back to a page: ``views`` reports only whether a secret is set, and
saving with a secret's field left empty keeps the stored one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.payment_gateway import PaymentGateway
from modules.payments.exceptions import SettingsInputError
from modules.payments.gateways import GATEWAYS, GatewayClass, SettingField
from modules.payments.models import StorePaymentSettings
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, ValidationError
from orion_server.secrets_box import SecretsBoxError, encrypt, reveal

logger = logging.getLogger(__name__)

MAX_SETTING = 500


def secret_names(cls: GatewayClass) -> frozenset[str]:
    """The names of the gateway's secret fields (stored encrypted)."""
    return frozenset(f.name for f in cls.FIELDS if f.secret)


def decrypted(cls: GatewayClass, stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """``stored`` settings with the secrets decrypted (SecretsBoxError when the key changed)."""
    plain = dict(stored or {})
    for name in secret_names(cls):
        if plain.get(name):
            plain[name] = reveal(str(plain[name]))
    return plain


def encrypted(cls: GatewayClass, plain: Mapping[str, Any]) -> dict[str, Any]:
    """``plain`` settings with the secrets encrypted, as they are stored."""
    return {
        name: encrypt(str(value)) if name in secret_names(cls) and value else value
        for name, value in plain.items()
    }


@dataclass(frozen=True)
class GatewaySettingsView:
    """One gateway's settings as a page may show them: plain values, and only *whether* each
    secret is set."""

    code: str
    label_key: str
    enabled: bool
    fields: tuple[SettingField, ...]
    values: dict[str, str] = field(default_factory=dict)
    """Non-secret values only."""
    secrets_set: frozenset[str] = frozenset()
    """Names of secret fields holding a value."""
    requires_staff_confirmation: bool = False


class PaymentSettingsService:
    """Reading and saving a store's gateway settings, and building its gateways."""

    def _rows(self, db: Session, store_id: int) -> dict[str, StorePaymentSettings]:
        rows = db.scalars(
            select(StorePaymentSettings).where(StorePaymentSettings.store_id == store_id)
        )
        return {row.gateway: row for row in rows}

    @staticmethod
    def gateway_class(code: str) -> GatewayClass:
        """The class of gateway ``code``; NotFoundError for an unknown code."""
        cls = GATEWAYS.get(code)
        if cls is None:
            raise NotFoundError(f"no payment gateway {code!r}")
        return cls

    def views(self, db: Session, *, store_id: int) -> list[GatewaySettingsView]:
        """Every gateway with the store's settings, safe to render."""
        rows = self._rows(db, store_id)
        result = []
        for code, cls in GATEWAYS.items():
            row = rows.get(code)
            stored = row.settings if row else {}
            result.append(
                GatewaySettingsView(
                    code=code,
                    label_key=cls.label_key,
                    enabled=bool(row and row.enabled),
                    fields=cls.FIELDS,
                    values={
                        f.name: str(stored.get(f.name) or "") for f in cls.FIELDS if not f.secret
                    },
                    secrets_set=frozenset(
                        f.name for f in cls.FIELDS if f.secret and stored.get(f.name)
                    ),
                    requires_staff_confirmation=cls.requires_staff_confirmation,
                )
            )
        return result

    def enabled_gateways(self, db: Session, *, store_id: int) -> list[GatewaySettingsView]:
        """The gateways a shopper of the store may choose, in the usual order."""
        return [view for view in self.views(db, store_id=store_id) if view.enabled]

    def gateway_for(self, db: Session, *, store_id: int, code: str) -> PaymentGateway:
        """The store's configured gateway ``code``; ValidationError when it is not enabled."""
        cls = GATEWAYS.get(code)
        row = self._rows(db, store_id).get(code) if cls else None
        if cls is None or row is None or not row.enabled:
            raise ValidationError("this payment method is not available", field="gateway")
        return cls.from_settings(self._plain(cls, row))

    def configured_gateway(self, db: Session, *, store_id: int, code: str) -> PaymentGateway:
        """The store's gateway ``code`` built from its settings even if now disabled (webhooks
        and refunds of payments made while it was on); NotFoundError without settings."""
        cls = self.gateway_class(code)
        row = self._rows(db, store_id).get(code)
        if row is None:
            raise NotFoundError(f"gateway {code!r} is not configured")
        return cls.from_settings(self._plain(cls, row))

    def stored_settings(self, db: Session, *, store_id: int, code: str) -> dict[str, Any]:
        """The store's settings of gateway ``code`` with secrets decrypted ({} when none); for
        building clients, never for a page."""
        cls = self.gateway_class(code)
        row = self._rows(db, store_id).get(code)
        return self._plain(cls, row) if row is not None else {}

    @staticmethod
    def _plain(cls: GatewayClass, row: StorePaymentSettings) -> dict[str, Any]:
        try:
            return decrypted(cls, row.settings)
        except SecretsBoxError:
            logger.error(
                "the secrets of gateway %s of store %s cannot be decrypted (the installation "
                "secret key changed); enter them again on the payment settings page",
                row.gateway,
                row.store_id,
            )
            raise ValidationError(
                "the keys of this payment method cannot be read since the installation's secret "
                "key changed; enter them again in the payment settings",
                field="gateway",
            ) from None

    def save(
        self,
        db: Session,
        *,
        store_id: int,
        gateway: str,
        enabled: bool,
        values: Mapping[str, str | None],
        may_set_secrets: bool = True,
    ) -> StorePaymentSettings:
        """Save one gateway's settings. An empty secret keeps the stored secret, unless another
        field of the account changed: then the secret must be typed again (a stored key is
        never reused for an account someone else named). Only callers ``may_set_secrets`` (the
        store's owners) type one. Enabling needs every required field; raises
        SettingsInputError naming each bad field."""
        cls = self.gateway_class(gateway)
        begin_write(db)
        row = self._rows(db, store_id).get(gateway)
        stored = dict(row.settings) if row and row.settings else {}
        for name in secret_names(cls):
            try:
                stored[name] = reveal(str(stored.get(name) or ""))
            except SecretsBoxError:
                stored[name] = ""  # unreadable since the key changed: as if it was never set
        merged: dict[str, str] = {}
        problems: dict[str, str] = {}
        account_changed = any(
            not f.secret and (values.get(f.name) or "").strip() != str(stored.get(f.name) or "")
            for f in cls.FIELDS
        ) and row is not None
        for f in cls.FIELDS:
            given = (values.get(f.name) or "").strip()
            if len(given) > MAX_SETTING:
                problems[f.name] = "payments.errors.too_long"
                continue
            if f.secret and given and not may_set_secrets:
                problems[f.name] = "payments.errors.owner_sets_secrets"
                continue
            if f.secret and not given and stored.get(f.name) and account_changed:
                problems[f.name] = ("payments.errors.secret_again" if may_set_secrets
                                    else "payments.errors.owner_sets_secrets")
                continue
            if f.secret and not given:
                given = str(stored.get(f.name) or "")
            if given:
                merged[f.name] = given
            elif enabled and f.required:
                problems[f.name] = "payments.errors.required"
        for name, key in cls.check_settings(merged).items():
            problems.setdefault(name, key)
        if problems:
            db.rollback()
            raise SettingsInputError(problems)
        if row is None:
            row = StorePaymentSettings(store_id=store_id, gateway=gateway)
            db.add(row)
        row.enabled = enabled
        row.settings = encrypted(cls, merged)
        row.updated_at = utcnow()
        db.commit()
        return row


settings_service = PaymentSettingsService()
