"""GDPR: every piece of a customer's personal data exported, or erased."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from modules.customers.models import Customer, CustomerSession, PasswordResetToken
from orion_server.database import begin_write, utcnow


class Gdpr:
    """GDPR: every piece of a customer's personal data exported, or erased."""

    def export_data(self, db: Session, *, store_id: int, customer_id: int) -> dict[str, Any]:
        """Every piece of personal data held about the customer, ready for ``json.dumps``."""
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        store = self._store(db, store_id)

        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "format": "orion-customer-export/1",
            "exported_at": utcnow().isoformat(),
            "store": {"code": store.code, "name": store.name},
            "profile": {
                "customer_number": customer.customer_number,
                "email": customer.email,
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "phone": customer.phone,
                "preferred_language": customer.preferred_language,
                "has_account": customer.password_hash is not None,
                "created_at": when(customer.created_at),
                "last_login_at": when(customer.last_login_at),
                "erased_at": when(customer.erased_at),
            },
            "consents": {
                "marketing": customer.marketing_consent,
                "marketing_given_at": when(customer.marketing_consent_at),
            },
            "addresses": [
                {
                    "label": a.label,
                    "name": a.name,
                    "street": a.street,
                    "postal_code": a.postal_code,
                    "city": a.city,
                    "country": a.country,
                    "is_default_shipping": a.is_default_shipping,
                    "is_default_billing": a.is_default_billing,
                }
                for a in customer.addresses
            ],
            "notes": [{"text": n.text, "created_at": when(n.created_at)} for n in customer.notes],
        }

    def erase(self, db: Session, *, store_id: int, customer_id: int) -> Customer:
        """Anonymise the customer (name, e-mail, phone, addresses, notes), remove the password,
        sessions and reset tokens; the row and its number stay so orders keep their link."""
        begin_write(db)
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        now = utcnow()
        customer.email = f"erased-{customer.id}@erased.invalid"
        customer.first_name = ""
        customer.last_name = ""
        customer.phone = ""
        customer.password_hash = None
        customer.marketing_consent = False
        customer.marketing_consent_at = None
        customer.last_login_at = None
        customer.erased_at = customer.erased_at or now
        customer.addresses.clear()
        customer.notes.clear()
        db.execute(delete(CustomerSession).where(CustomerSession.customer_id == customer.id))
        db.execute(delete(PasswordResetToken).where(PasswordResetToken.customer_id == customer.id))
        db.commit()
        return customer
