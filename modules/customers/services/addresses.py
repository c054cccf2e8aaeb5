"""A customer's addresses, with one default for shipping and one for billing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from modules.customers.exceptions import CustomerInputError, Problem
from modules.customers.models import Customer, CustomerAddress
from modules.customers.services.countries import country_codes
from orion_server.database import begin_write
from orion_server.errors import NotFoundError


class Addresses:
    """A customer's addresses, with one default for shipping and one for billing."""

    def _clean_address(self, values: Mapping[str, Any]) -> dict[str, Any]:
        problems: list[Problem] = []
        data: dict[str, Any] = {
            "label": self._text(problems, "label", values.get("label")),
            "name": self._text(problems, "name", values.get("name"), required=True),
            "street": self._text(problems, "street", values.get("street"), required=True),
            "postal_code": self._text(
                problems, "postal_code", values.get("postal_code"), required=True
            ),
            "city": self._text(problems, "city", values.get("city"), required=True),
        }
        country = str(values.get("country") or "LU").strip().upper()
        if country not in country_codes():
            problems.append(Problem("country", "customers.errors.country_invalid"))
        data["country"] = country
        data["is_default_shipping"] = bool(values.get("is_default_shipping"))
        data["is_default_billing"] = bool(values.get("is_default_billing"))
        if problems:
            raise CustomerInputError(problems)
        return data

    @staticmethod
    def _apply_defaults(customer: Customer, address: CustomerAddress) -> None:
        for other in customer.addresses:
            if other is address:
                continue
            if address.is_default_shipping:
                other.is_default_shipping = False
            if address.is_default_billing:
                other.is_default_billing = False

    def get_address(
        self, db: Session, *, store_id: int, customer_id: int, address_id: int
    ) -> CustomerAddress:
        """One of the customer's addresses; others look like they do not exist."""
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        address = db.get(CustomerAddress, address_id)
        if address is None or address.customer_id != customer.id:
            raise NotFoundError(f"no address {address_id}")
        return address

    def add_address(
        self, db: Session, *, store_id: int, customer_id: int, values: Mapping[str, Any]
    ) -> CustomerAddress:
        """Add an address; the first one becomes the default for shipping and billing."""
        data = self._clean_address(values)
        begin_write(db)
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        if not customer.addresses:
            data["is_default_shipping"] = data["is_default_billing"] = True
        address = CustomerAddress(**data)
        customer.addresses.append(address)
        self._apply_defaults(customer, address)
        db.commit()
        return address

    def update_address(
        self,
        db: Session,
        *,
        store_id: int,
        customer_id: int,
        address_id: int,
        values: Mapping[str, Any],
    ) -> CustomerAddress:
        """Replace an address's fields."""
        data = self._clean_address(values)
        begin_write(db)
        address = self.get_address(
            db, store_id=store_id, customer_id=customer_id, address_id=address_id
        )
        for name, value in data.items():
            setattr(address, name, value)
        self._apply_defaults(address.customer, address)
        db.commit()
        return address

    def delete_address(
        self, db: Session, *, store_id: int, customer_id: int, address_id: int
    ) -> None:
        """Remove an address."""
        begin_write(db)
        address = self.get_address(
            db, store_id=store_id, customer_id=customer_id, address_id=address_id
        )
        customer = address.customer
        customer.addresses.remove(address)
        db.commit()
