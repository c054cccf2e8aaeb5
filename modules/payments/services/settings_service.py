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
from modules.payments.models import PlatformPaymentSettings, StorePaymentSettings
from orion_server import audit
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


def merge_settings(
    cls: GatewayClass,
    stored_settings: Mapping[str, Any] | None,
    values: Mapping[str, str | None],
    *,
    enabled: bool,
    may_set_secrets: bool,
    existing: bool,
) -> dict[str, Any]:
    """The settings to store (secrets encrypted) after a form typed ``values`` over
    ``stored_settings``: an empty secret keeps the stored one unless another field of the
    account changed; raises SettingsInputError naming each bad field. Shared by the stores'
    and the platforms' accounts."""
    stored = dict(stored_settings or {})
    for name in secret_names(cls):
        try:
            stored[name] = reveal(str(stored.get(name) or ""))
        except SecretsBoxError:
            stored[name] = ""  # unreadable since the key changed: as if it was never set
    merged: dict[str, str] = {}
    problems: dict[str, str] = {}
    account_changed = existing and any(
        not f.secret and (values.get(f.name) or "").strip() != str(stored.get(f.name) or "")
        for f in cls.FIELDS
    )
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
        raise SettingsInputError(problems)
    return encrypted(cls, merged)


def settings_view(cls: GatewayClass, row: Any) -> GatewaySettingsView:
    """One gateway's stored settings (a store's or a platform's row, or None), safe to render."""
    stored = row.settings if row else {}
    return GatewaySettingsView(
        code=cls.code,
        label_key=cls.label_key,
        enabled=bool(row and row.enabled),
        fields=cls.FIELDS,
        values={f.name: str(stored.get(f.name) or "") for f in cls.FIELDS if not f.secret},
        secrets_set=frozenset(f.name for f in cls.FIELDS if f.secret and stored.get(f.name)),
        requires_staff_confirmation=cls.requires_staff_confirmation,
    )


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


class _GatewayAccounts:
    """What a store's and a platform's gateway accounts share: the rows by gateway code, views
    safe to render, gateways built from the decrypted settings, and saving through
    ``merge_settings``. Subclasses name the table, its owner column and the gateways allowed."""

    model: type[StorePaymentSettings] | type[PlatformPaymentSettings]
    owner: str
    """The owner column: ``store_id`` or ``platform_id``."""
    codes: tuple[str, ...]
    """The gateways this owner may use, in the usual order."""

    def _rows(self, db: Session, owner_id: int) -> dict[str, Any]:
        rows = db.scalars(select(self.model).where(getattr(self.model, self.owner) == owner_id))
        return {row.gateway: row for row in rows}

    def gateway_class(self, code: str) -> GatewayClass:
        """The class of gateway ``code``; NotFoundError for a code this owner may not use."""
        if code not in self.codes:
            raise NotFoundError(f"no payment gateway {code!r}")
        return GATEWAYS[code]

    def _views(self, db: Session, owner_id: int) -> list[GatewaySettingsView]:
        rows = self._rows(db, owner_id)
        return [settings_view(GATEWAYS[code], rows.get(code)) for code in self.codes]

    def _plain(self, cls: GatewayClass, row: Any) -> dict[str, Any]:
        try:
            return decrypted(cls, row.settings)
        except SecretsBoxError:
            logger.error(
                "the secrets of gateway %s of %s %s cannot be decrypted (the installation secret key "
                "changed); enter them again on its payment settings page",
                row.gateway, self.owner.removesuffix("_id"), getattr(row, self.owner),
            )
            raise ValidationError(
                "the keys of this payment method cannot be read since the installation's secret "
                "key changed; enter them again in the payment settings",
                field="gateway",
            ) from None

    def _gateway_for(self, db: Session, owner_id: int, code: str) -> PaymentGateway:
        cls = GATEWAYS.get(code) if code in self.codes else None
        row = self._rows(db, owner_id).get(code) if cls else None
        if cls is None or row is None or not row.enabled:
            raise ValidationError("this payment method is not available", field="gateway")
        return cls.from_settings(self._plain(cls, row))

    def _configured(self, db: Session, owner_id: int, code: str) -> PaymentGateway:
        cls = self.gateway_class(code)
        row = self._rows(db, owner_id).get(code)
        if row is None:
            raise NotFoundError(f"gateway {code!r} is not configured")
        return cls.from_settings(self._plain(cls, row))

    def _save(self, db: Session, owner_id: int, gateway: str, enabled: bool, values: Mapping[str, str | None],
              may_set_secrets: bool) -> tuple[Any, GatewaySettingsView, dict[str, Any]]:
        """Merge and store one account in a write transaction the caller commits; returns the
        row, its view before, and the merged settings. SettingsInputError names each bad field."""
        cls = self.gateway_class(gateway)
        begin_write(db)
        row = self._rows(db, owner_id).get(gateway)
        before = settings_view(cls, row)
        try:
            merged = merge_settings(cls, row.settings if row else None, values, enabled=enabled,
                                    may_set_secrets=may_set_secrets, existing=row is not None)
        except SettingsInputError:
            db.rollback()
            raise
        if row is None:
            row = self.model(**{self.owner: owner_id, "gateway": gateway})
            db.add(row)
        row.enabled = enabled
        row.settings = merged
        row.updated_at = utcnow()
        return row, before, merged


class PaymentSettingsService(_GatewayAccounts):
    """Reading and saving a store's gateway settings, and building its gateways."""

    model = StorePaymentSettings
    owner = "store_id"
    codes = tuple(GATEWAYS)

    def views(self, db: Session, *, store_id: int) -> list[GatewaySettingsView]:
        """Every gateway with the store's settings, safe to render."""
        return self._views(db, store_id)

    def enabled_gateways(self, db: Session, *, store_id: int) -> list[GatewaySettingsView]:
        """The gateways a shopper of the store may choose, in the usual order."""
        return [view for view in self.views(db, store_id=store_id) if view.enabled]

    def gateway_for(self, db: Session, *, store_id: int, code: str) -> PaymentGateway:
        """The store's configured gateway ``code``; ValidationError when it is not enabled."""
        return self._gateway_for(db, store_id, code)

    def configured_gateway(self, db: Session, *, store_id: int, code: str) -> PaymentGateway:
        """The store's gateway ``code`` built from its settings even if now disabled (webhooks
        and refunds of payments made while it was on); NotFoundError without settings."""
        return self._configured(db, store_id, code)

    def stored_settings(self, db: Session, *, store_id: int, code: str) -> dict[str, Any]:
        """The store's settings of gateway ``code`` with secrets decrypted ({} when none); for
        building clients, never for a page."""
        cls = self.gateway_class(code)
        row = self._rows(db, store_id).get(code)
        return self._plain(cls, row) if row is not None else {}

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
        row, _before, _merged = self._save(db, store_id, gateway, enabled, values, may_set_secrets)
        db.commit()
        return row


settings_service = PaymentSettingsService()


PLATFORM_GATEWAYS = ("stripe",)
"""The gateways a platform may collect its stores' subscriptions through: card accounts only
(bank transfer is the invoice's own IBAN and due date)."""


class PlatformPaymentSettingsService(_GatewayAccounts):
    """A platform's own gateway accounts (its stores pay their subscriptions through them):
    stored, encrypted and shown like a store's, saved by platform admins, audited."""

    model = PlatformPaymentSettings
    owner = "platform_id"
    codes = tuple(code for code in PLATFORM_GATEWAYS if code in GATEWAYS)

    def views(self, db: Session, *, platform_id: int) -> list[GatewaySettingsView]:
        """Every gateway a platform may use, with its settings, safe to render."""
        return self._views(db, platform_id)

    def enabled_gateways(self, db: Session, *, platform_id: int) -> list[GatewaySettingsView]:
        """The gateways the platform's stores may pay their invoices through now."""
        return [view for view in self.views(db, platform_id=platform_id) if view.enabled]

    def gateway_for(self, db: Session, *, platform_id: int, code: str) -> PaymentGateway:
        """The platform's enabled gateway ``code``; ValidationError when it is off."""
        return self._gateway_for(db, platform_id, code)

    def configured_gateway(self, db: Session, *, platform_id: int, code: str) -> PaymentGateway:
        """The platform's gateway ``code`` even if now off (webhooks of payments made while it
        was on); NotFoundError without settings."""
        return self._configured(db, platform_id, code)

    def save(
        self,
        db: Session,
        *,
        platform_id: int,
        gateway: str,
        enabled: bool,
        values: Mapping[str, str | None],
        actor: Any = None,
    ) -> PlatformPaymentSettings:
        """Save the platform's account at ``gateway`` (rules of ``merge_settings``), audited:
        the entry names the plain fields before and after and which secrets were typed, never
        a secret's value."""
        row, before, merged = self._save(db, platform_id, gateway, enabled, values, may_set_secrets=True)
        cls = GATEWAYS[gateway]
        audit.record(
            db, "payments.platform_gateway.saved", target=gateway, actor=actor, platform_id=platform_id,
            before={"enabled": before.enabled, **before.values},
            after={"enabled": enabled, **{f.name: str(merged.get(f.name) or "") for f in cls.FIELDS if not f.secret}},
            secrets_typed=sorted(f.name for f in cls.FIELDS if f.secret and (values.get(f.name) or "").strip()),
        )
        db.commit()
        return row


platform_settings_service = PlatformPaymentSettingsService()
