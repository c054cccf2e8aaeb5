"""Customer accounts: finding them, registering (or a guest for checkout), the profile and the
password."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.customers.exceptions import CustomerInputError, Problem
from modules.customers.models import Customer, CustomerNumberCounter
from modules.customers.services.rules import KEEP, normalise_email
from orion_server.auth.passwords import hash_password, verify_password
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store


class Accounts:
    """Customer accounts: finding them, registering (or a guest for checkout), the profile and
    the password."""

    # -- reading -------------------------------------------------------------------------

    def get_customer(self, db: Session, *, store_id: int, customer_id: int) -> Customer:
        """A customer of ``store_id``; customers of other stores look like they do not exist."""
        customer = db.get(Customer, customer_id)
        if customer is None or customer.store_id != store_id:
            raise NotFoundError(f"no customer {customer_id}")
        return customer

    def find_by_email(self, db: Session, *, store_id: int, email: str) -> Customer | None:
        """The store's customer with this e-mail address, or None."""
        return db.scalar(
            select(Customer).where(
                Customer.store_id == store_id, Customer.email == normalise_email(email)
            )
        )

    # -- registration --------------------------------------------------------------------

    def _next_number(self, db: Session, store_id: int) -> str:
        """The store's next customer number, counted in the caller's write transaction."""
        counter = db.scalar(
            select(CustomerNumberCounter)
            .where(CustomerNumberCounter.store_id == store_id)
            .with_for_update()
        )
        if counter is None:
            try:
                with db.begin_nested():
                    counter = CustomerNumberCounter(store_id=store_id, last_value=0)
                    db.add(counter)
            except IntegrityError:  # another writer created it first (PostgreSQL)
                counter = db.scalar(
                    select(CustomerNumberCounter)
                    .where(CustomerNumberCounter.store_id == store_id)
                    .with_for_update()
                )
                assert counter is not None
        counter.last_value += 1
        db.flush()
        return f"C{counter.last_value:06d}"

    def _store(self, db: Session, store_id: int) -> Store:
        store = db.get(Store, store_id)
        if store is None:
            raise NotFoundError(f"no store {store_id}")
        return store

    def register(
        self,
        db: Session,
        *,
        store_id: int,
        email: str,
        password: str,
        first_name: str = "",
        last_name: str = "",
        phone: str = "",
        preferred_language: str | None = None,
        marketing_consent: bool = False,
    ) -> Customer:
        """Create a customer account (or give a guest of that address a password: the orders
        placed as that guest join the account once the link e-mailed to the address is opened,
        so typing someone's address is not enough to read their orders)."""
        problems: list[Problem] = []
        email = self._email(problems, email)
        password = self._password(problems, password)
        first = self._text(problems, "first_name", first_name, required=True)
        last = self._text(problems, "last_name", last_name, required=True)
        phone = self._text(problems, "phone", phone)
        language = self._language(problems, preferred_language, "fr")
        if problems:
            raise CustomerInputError(problems)
        begin_write(db)
        store = self._store(db, store_id)
        if preferred_language is None:
            language = store.default_language
        existing = self.find_by_email(db, store_id=store_id, email=email)
        if existing is not None and (existing.password_hash is not None or existing.is_erased):
            raise CustomerInputError([Problem("email", "customers.errors.email_taken")])
        now = utcnow()
        customer = existing
        if customer is None:
            customer = Customer(
                store_id=store_id, customer_number=self._next_number(db, store_id), email=email
            )
            db.add(customer)
        customer.password_hash = hash_password(password)
        customer.first_name, customer.last_name, customer.phone = first, last, phone
        customer.preferred_language = language
        customer.marketing_consent = bool(marketing_consent)
        customer.marketing_consent_at = now if marketing_consent else None
        customer.created_at = customer.created_at or now
        self._commit_unique(db)
        if existing is not None:
            self.send_confirmation(db, customer=customer, purpose="orders")
        return customer

    def get_or_create_guest(
        self,
        db: Session,
        *,
        store_id: int,
        email: str,
        first_name: str = "",
        last_name: str = "",
        phone: str = "",
        preferred_language: str | None = None,
    ) -> Customer:
        """The store's customer with this address, or a new guest (no password) for checkout."""
        problems: list[Problem] = []
        email = self._email(problems, email)
        first = self._text(problems, "first_name", first_name)
        last = self._text(problems, "last_name", last_name)
        phone = self._text(problems, "phone", phone)
        if problems:
            raise CustomerInputError(problems)
        begin_write(db)
        store = self._store(db, store_id)
        existing = self.find_by_email(db, store_id=store_id, email=email)
        if existing is not None:
            return existing
        language = preferred_language if preferred_language in SUPPORTED_LANGUAGES else None
        customer = Customer(
            store_id=store_id,
            customer_number=self._next_number(db, store_id),
            email=email,
            first_name=first,
            last_name=last,
            phone=phone,
            preferred_language=language or store.default_language,
            marketing_consent=False,
            created_at=utcnow(),
        )
        db.add(customer)
        self._commit_unique(db)
        return customer

    def _commit_unique(self, db: Session) -> None:
        try:
            db.commit()
        except IntegrityError as exc:  # two registrations raced for one address (PostgreSQL)
            db.rollback()
            raise CustomerInputError([Problem("email", "customers.errors.email_taken")]) from exc

    # -- profile -------------------------------------------------------------------------

    def update_profile(
        self,
        db: Session,
        *,
        store_id: int,
        customer_id: int,
        email: Any = KEEP,
        first_name: Any = KEEP,
        last_name: Any = KEEP,
        phone: Any = KEEP,
        preferred_language: Any = KEEP,
        marketing_consent: Any = KEEP,
        email_password: str | None = None,
    ) -> Customer:
        """Change the given profile fields (left out ones stay as they are). A new e-mail address
        takes the current password (``email_password``): a session left open on a shared computer must not be enough
        to move the account (and its password resets) to someone else's address. Nor does it take
        effect at once: a link goes to the new address, and the account moves when it is opened
        (``pending_email`` says which address waits)."""
        problems: list[Problem] = []
        changes: dict[str, Any] = {}
        if email is not KEEP:
            changes["email"] = self._email(problems, email)
        for name, value, required in (
            ("first_name", first_name, True),
            ("last_name", last_name, True),
            ("phone", phone, False),
        ):
            if value is not KEEP:
                changes[name] = self._text(problems, name, value, required=required)
        if preferred_language is not KEEP:
            changes["preferred_language"] = self._language(problems, preferred_language, "")
        if problems:
            raise CustomerInputError(problems)
        begin_write(db)
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        if customer.is_erased:
            raise NotFoundError(f"no customer {customer_id}")
        if "email" in changes and changes["email"] != customer.email:
            if customer.password_hash is None or not verify_password(customer.password_hash, email_password or ""):
                db.rollback()
                raise CustomerInputError([Problem("email_password", "customers.errors.password_for_email")])
            other = self.find_by_email(db, store_id=store_id, email=changes["email"])
            if other is not None:
                raise CustomerInputError([Problem("email", "customers.errors.email_taken")])
        new_email = changes.pop("email", customer.email)
        for name, value in changes.items():
            setattr(customer, name, value)
        if marketing_consent is not KEEP and bool(marketing_consent) != customer.marketing_consent:
            customer.marketing_consent = bool(marketing_consent)
            customer.marketing_consent_at = utcnow() if marketing_consent else None
        self._commit_unique(db)
        if new_email != customer.email:
            self.send_confirmation(db, customer=customer, purpose="email_change", email=new_email)
        return customer

    def change_password(
        self,
        db: Session,
        *,
        store_id: int,
        customer_id: int,
        current_password: str,
        new_password: str,
        keep_session_token: str | None = None,
    ) -> Customer:
        """Replace the password after checking the current one; every other session of the
        customer ends (the one of ``keep_session_token``, the browser that changed it, stays)."""
        problems: list[Problem] = []
        new_password = self._password(problems, new_password, "new_password")
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        if customer.password_hash is None or not verify_password(
            customer.password_hash, current_password or ""
        ):
            problems.insert(0, Problem("current_password", "customers.errors.password_wrong"))
        if problems:
            raise CustomerInputError(problems)
        begin_write(db)
        customer.password_hash = hash_password(new_password)
        self._revoke_all(db, customer.id, keep_token=keep_session_token)
        db.commit()
        return customer
