"""Factories for a test's world: the framework's records (platforms, stores, users, sign-ins) and,
per domain, a shop with its modules on, its owner signed in, products, customers and orders,
all made through the real services so a test reads as what it needs."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from orion_server.auth.sessions import SESSION_COOKIE, start_session
from orion_server.models import Platform, Store, User, UserRole

DEFAULT_PASSWORD = "correct-horse-battery"
CUSTOMER_PASSWORD = "a-long-secret-1"
ORDER_LINES = (
    {"sku": "BREAD-1", "title": "Pain de campagne", "quantity": 2, "unit_price_cents": 1170, "vat_rate": 17},
    {"sku": "BOOK-1", "title": "De Klenge Prënz", "quantity": 3, "unit_price_cents": 515, "vat_rate": 3},
)
ORDER_ADDRESS = {
    "name": "Marie Weber",
    "street": "12, rue de la Gare",
    "postal_code": "L-1611",
    "city": "Luxembourg",
    "country": "LU",
}
_counter = itertools.count(1)


class Factories:
    """Create records with sensible defaults; every keyword can be overridden."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def platform(self, **fields: Any) -> Platform:
        from orion_server.tenancy import tenancy_service

        n = next(_counter)
        fields.setdefault("code", f"platform-{n}")
        fields.setdefault("name", f"Platform {n}")
        return tenancy_service.create_platform(self.db, **fields)

    def store(self, platform: Platform | None = None, **fields: Any) -> Store:
        from orion_server.tenancy import tenancy_service

        platform = platform or self.platform()
        n = next(_counter)
        fields.setdefault("code", f"store-{n}")
        fields.setdefault("name", f"Store {n}")
        return tenancy_service.create_store(self.db, platform_code=platform.code, **fields)

    def user(self, role: UserRole = UserRole.STORE_USER, **fields: Any) -> User:
        from orion_server.accounts import create_user

        n = next(_counter)
        fields.setdefault("email", f"user{n}@example.com")
        fields.setdefault("password", DEFAULT_PASSWORD)
        return create_user(self.db, role=role, **fields)

    def admin(self, **fields: Any) -> User:
        return self.user(role=UserRole.SUPER_ADMIN, **fields)

    def platform_admin(self, *platforms: Platform, **fields: Any) -> User:
        """A platform admin assigned to ``platforms`` (at least one)."""
        return self.user(role=UserRole.PLATFORM_ADMIN, platform_codes=[p.code for p in platforms], **fields)

    def staff(
        self, store: Store, role: str | None = None, permissions: list[str] | None = None, **fields: Any
    ) -> User:
        """A member of ``store``: with a built-in ``role``, and/or exactly ``permissions`` through
        a store role made for them; with neither, the built-in staff role."""
        from orion_server.accounts import add_store_member
        from orion_server.models import StoreRole

        if role is None and permissions is None:
            role = "staff"
        user = self.user(**fields)
        role_ids = []
        if permissions is not None:
            custom = StoreRole(store_id=store.id, name=f"Role of {user.email}", permissions=list(permissions))
            self.db.add(custom)
            self.db.flush()
            role_ids.append(custom.id)
        add_store_member(self.db, store_code=store.code, user_id=user.id, role=role, role_ids=role_ids)
        return user

    def login(self, client: Any, user: User) -> str:
        """Sign ``user`` in on ``client``; returns the session's CSRF token for unsafe requests."""
        token = start_session(self.db, user=user, days=1)
        client.cookies.set(SESSION_COOKIE, token)
        from orion_server.auth.sessions import load_session

        return load_session(self.db, token).csrf_token

    # -- per domain ------------------------------------------------------------------------

    def shop(
        self, platform: Platform | None = None, *, modules: tuple[str, ...] = (), **fields: Any
    ) -> Store:
        """A store (``bakery`` unless named) on ``platform`` (a new one if None) with ``modules``
        enabled there, and what they require."""
        from orion_server.modules.service import module_service

        platform = platform or self.platform()
        for code in modules:
            module_service.enable_module(self.db, platform.id, code)
        fields.setdefault("code", "bakery")
        return self.store(platform, **fields)

    def owner(self, client: Any, store: Store, **fields: Any) -> str:
        """Sign a new owner of ``store`` in on ``client``; returns the CSRF token."""
        return self.login(client, self.staff(store, role="owner", **fields))

    def product(
        self,
        store: Store,
        slug: str,
        *,
        price: int = 250,
        stock: int | None = None,
        titles: dict[str, str] | None = None,
        descriptions: dict[str, str] | None = None,
        sku: str | None = None,
        variants: list[dict[str, Any]] | None = None,
        status: str = "published",
        **fields: Any,
    ) -> Any:
        """A product of ``store`` (published, one variant whose SKU is the slug in capitals,
        titled after the slug in the store's language unless ``titles`` says otherwise)."""
        from modules.catalog.services import catalog_service

        titles = titles or {store.default_language: slug.replace("-", " ").title()}
        descriptions = descriptions or {}
        translations = {
            language: {"title": title, "description": descriptions.get(language, "")}
            for language, title in titles.items()
        }
        if variants is None:
            variant: dict[str, Any] = {"sku": sku or slug.upper()[:60], "options": {}}
            if stock is not None:
                variant["stock"] = stock
            variants = [variant]
        return catalog_service.create_product(
            self.db, store_id=store.id, slug=slug, translations=translations, variants=variants,
            price_cents=price, status=status, **fields,
        )

    def customer(self, store: Store, email: str = "anna@example.com", *, password: str = CUSTOMER_PASSWORD,
                 **fields: Any) -> Any:
        """A registered customer of ``store`` (Anna Muller unless named)."""
        from modules.customers.services import customer_service

        fields.setdefault("first_name", "Anna")
        fields.setdefault("last_name", "Muller")
        return customer_service.register(self.db, store_id=store.id, email=email, password=password, **fields)

    def order(self, store: Store, *, paid: bool = False, **overrides: Any) -> Any:
        """An order placed at ``store`` (two loaves of bread and three books, shipped to Marie
        Weber, by bank transfer unless overridden); ``paid=True`` moves it to paid."""
        from modules.orders.services import order_service

        fields: dict[str, Any] = {
            "store_id": store.id,
            "lines": [dict(line) for line in ORDER_LINES],
            "customer": {"email": "marie@example.lu", "name": "Marie Weber", "language": "fr"},
            "addresses": {"shipping": dict(ORDER_ADDRESS)},
            "shipping": {"code": "flat", "label": "Livraison", "price_cents": 500, "vat_rate": 17},
            "payment_method": "bank_transfer",
        }
        fields.update(overrides)
        order = order_service.create_order(self.db, **fields)
        if paid:
            order = order_service.change_status(self.db, order_id=order.id, store_id=store.id, to="paid")
        return order
