"""Each store's gateway settings: which gateways are on, and their keys.

Secrets are stored as given and never handed back to a page: ``views`` reports only whether a
secret is set, and saving with a secret's field left empty keeps the stored one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.payment_gateway import PaymentGateway
from modules.payments.exceptions import SettingsInputError
from modules.payments.gateways import GATEWAYS, GatewayClass, SettingField
from modules.payments.models import StorePaymentSettings
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, ValidationError

MAX_SETTING = 500


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
        return cls.from_settings(row.settings or {})

    def configured_gateway(self, db: Session, *, store_id: int, code: str) -> PaymentGateway:
        """The store's gateway ``code`` built from its settings even if now disabled (webhooks
        and refunds of payments made while it was on); NotFoundError without settings."""
        cls = self.gateway_class(code)
        row = self._rows(db, store_id).get(code)
        if row is None:
            raise NotFoundError(f"gateway {code!r} is not configured")
        return cls.from_settings(row.settings or {})

    def save(
        self,
        db: Session,
        *,
        store_id: int,
        gateway: str,
        enabled: bool,
        values: Mapping[str, str | None],
    ) -> StorePaymentSettings:
        """Save one gateway's settings. An empty secret keeps the stored secret; enabling needs
        every required field; raises SettingsInputError naming each bad field."""
        cls = self.gateway_class(gateway)
        begin_write(db)
        row = self._rows(db, store_id).get(gateway)
        stored = dict(row.settings) if row and row.settings else {}
        merged: dict[str, str] = {}
        problems: dict[str, str] = {}
        for f in cls.FIELDS:
            given = (values.get(f.name) or "").strip()
            if len(given) > MAX_SETTING:
                problems[f.name] = "payments.errors.too_long"
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
        row.settings = merged
        row.updated_at = utcnow()
        db.commit()
        return row


settings_service = PaymentSettingsService()
