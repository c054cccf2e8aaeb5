"""What customers provides to other modules: who is signed in at a storefront
(``modules.contracts.storefront_customer.ShopperResolver``) and who the customers are
(``modules.contracts.customer_directory.CustomerDirectory``), both declared in the definition."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import func, or_, select

from modules.contracts.customer_directory import CustomerSummary
from modules.contracts.storefront_customer import CurrentShopper
from modules.customers.models import Customer
from modules.customers.services.rules import CUSTOMER_COOKIE, normalise_email

LOGIN_PATH = "account/login"


class CustomerSessionResolver:
    """The shopper of the ``orion_customer`` cookie, signed in at the request's store."""

    login_path = LOGIN_PATH
    session_cookie = CUSTOMER_COOKIE

    def current(self, request: Any, db: Any) -> CurrentShopper | None:
        """The customer signed in at the request's store, or None."""
        from modules.customers.deps import get_optional_customer

        customer = get_optional_customer(request, db)
        if customer is None:
            return None
        return CurrentShopper(
            customer_id=customer.id,
            store_id=customer.store_id,
            email=customer.email,
            name=customer.full_name,
            language=customer.preferred_language,
        )


class CustomerRecords:
    """Customers as other modules may see them (``modules.contracts.customer_directory``)."""

    def describe(self, db: Any, *, customer_ids: Collection[int]) -> Mapping[int, CustomerSummary]:
        """Each existing customer of ``customer_ids``."""
        ids = sorted({int(i) for i in customer_ids})
        if not ids:
            return {}
        return {c.id: _summary(c) for c in db.scalars(select(Customer).where(Customer.id.in_(ids)))}

    def search(self, db: Any, *, store_ids: Collection[int], text: str, limit: int) -> list[CustomerSummary]:
        """Customers of ``store_ids`` matching ``text`` by name, e-mail or number, newest first."""
        like = f"%{(text or '').strip()[:100].lower()}%"
        full_name = func.lower(Customer.first_name + " " + Customer.last_name)
        statement = (
            select(Customer)
            .where(Customer.store_id.in_(list(store_ids)), Customer.erased_at.is_(None))
            .where(or_(func.lower(Customer.email).like(like), func.lower(Customer.customer_number).like(like),
                       full_name.like(like)))
            .order_by(Customer.created_at.desc(), Customer.id.desc())
            .limit(max(1, min(limit, 200)))
        )
        return [_summary(c) for c in db.scalars(statement)]

    def find(self, db: Any, *, store_id: int, text: str) -> CustomerSummary | None:
        """The store's customer with this e-mail address or customer number."""
        value = (text or "").strip()[:255]
        if not value:
            return None
        customer = db.scalar(
            select(Customer).where(
                Customer.store_id == store_id,
                Customer.erased_at.is_(None),
                or_(Customer.email == normalise_email(value), func.upper(Customer.customer_number) == value.upper()),
            )
        )
        return _summary(customer) if customer is not None else None


def _summary(customer: Customer) -> CustomerSummary:
    return CustomerSummary(
        id=customer.id,
        store_id=customer.store_id,
        number=customer.customer_number,
        email="" if customer.erased_at else customer.email,
        name=customer.full_name,
        language=customer.preferred_language,
        is_guest=customer.is_guest,
    )
