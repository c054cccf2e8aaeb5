"""Customers: registration, sign-in, sessions, profile, addresses, password reset, notes,
the dashboard's search and GDPR export and erasure.

A customer belongs to one store; every lookup takes the store id, so one store's records are
invisible from another. Guest customers (from a guest checkout) have no password; registering
with a guest's e-mail address turns the guest into an account.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from babel import Locale
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.events import PasswordResetRequested
from modules.customers.exceptions import (
    CustomerInputError,
    Problem,
    ResetTokenInvalidError,
    WrongCredentialsError,
)
from modules.customers.models import (
    Customer,
    CustomerAddress,
    CustomerNote,
    CustomerNumberCounter,
    CustomerSession,
    PasswordResetToken,
)
from orion_server.auth import throttle
from orion_server.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from orion_server.config import SUPPORTED_LANGUAGES, get_settings
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.events import emit
from orion_server.models import Store
from orion_server.pagination import Page

logger = logging.getLogger(__name__)

CUSTOMER_COOKIE = "orion_customer"
RESET_LIFETIME = timedelta(hours=1)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NOTE = 5000
MAX_PASSWORD = 1000
FIELD_LIMITS = {
    "email": 255,
    "first_name": 100,
    "last_name": 100,
    "phone": 50,
    "label": 50,
    "name": 200,
    "street": 300,
    "postal_code": 20,
    "city": 100,
}
PROFILE_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "preferred_language",
    "marketing_consent",
)
ADDRESS_FIELDS = (
    "label",
    "name",
    "street",
    "postal_code",
    "city",
    "country",
    "is_default_shipping",
    "is_default_billing",
)
KEEP: Any = object()
"""Marks a keyword argument of ``update_profile`` that should stay as it is."""

# Verified against when the e-mail is unknown, so a sign-in takes the same time either way.
_DUMMY_HASH = hash_password("not-a-real-password-" + secrets.token_hex(8))


NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"})
"""Two-letter codes Babel names that are no country to ship to: unions (EU, EZ, UN), outlying
Oceania, pseudo-locales, "unknown region" and the exceptionally reserved codes of territories
ISO files under another country (Ascension, Clipperton, Sark, Diego Garcia, Ceuta and Melilla,
the Canary Islands, Tristan da Cunha). Kosovo (XK) stays: shops ship there."""

USUAL_COUNTRIES = ("LU", "DE", "FR", "BE")
"""Listed first: where a Luxembourg shop's customers nearly always live."""


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes Babel knows (regions such as ``150``, the EU and
    pseudo-regions left out)."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isascii() and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES
    )


def _sort_key(name: str) -> str:
    """``Österreich`` sorts with ``O``: accents folded, case ignored."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()


def country_options(language: str) -> list[tuple[str, str]]:
    """``(code, name)`` pairs of every country in ``language``: Luxembourg, Germany, France and
    Belgium first, then the others sorted by their name in ``language``."""
    try:
        names = Locale.parse(language).territories
    except Exception:  # pragma: no cover - every supported language is known to Babel
        names = Locale("en").territories
    codes = country_codes()
    first = [(c, names.get(c, c)) for c in USUAL_COUNTRIES if c in codes]
    rest = sorted(
        ((c, names.get(c, c)) for c in codes if c not in USUAL_COUNTRIES),
        key=lambda item: _sort_key(item[1]),
    )
    return first + rest


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str | None) -> str:
    """The e-mail address as stored: trimmed and lower-case."""
    return (email or "").strip().lower()


class CustomerService:
    """Everything a store's customers can do, and what staff may do with them."""

    # -- validation ----------------------------------------------------------------------

    @staticmethod
    def _text(problems: list[Problem], name: str, value: Any, *, required: bool = False) -> str:
        text = str(value or "").strip()
        if required and not text:
            problems.append(Problem(name, f"customers.errors.{name}_required"))
        limit = FIELD_LIMITS.get(name)
        if limit and len(text) > limit:
            problems.append(Problem(name, "customers.errors.too_long", {"max": limit}))
        return text

    def _email(self, problems: list[Problem], email: str | None) -> str:
        value = normalise_email(email)
        if not value:
            problems.append(Problem("email", "customers.errors.email_required"))
        elif len(value) > FIELD_LIMITS["email"] or not EMAIL_PATTERN.match(value):
            problems.append(Problem("email", "customers.errors.email_invalid"))
        return value

    @staticmethod
    def _password(problems: list[Problem], password: str | None, field: str = "password") -> str:
        value = password or ""
        if len(value) < MIN_PASSWORD_LENGTH:
            problems.append(
                Problem(field, "customers.errors.password_short", {"min": MIN_PASSWORD_LENGTH})
            )
        elif len(value) > MAX_PASSWORD:
            problems.append(Problem(field, "customers.errors.too_long", {"max": MAX_PASSWORD}))
        return value

    @staticmethod
    def _language(problems: list[Problem], language: str | None, default: str) -> str:
        value = (language or "").strip().lower() or default
        if value not in SUPPORTED_LANGUAGES:
            problems.append(Problem("preferred_language", "customers.errors.language_invalid"))
        return value

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

    def list_customers(
        self,
        db: Session,
        *,
        store_id: int,
        query: str = "",
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        """The store's customers, newest first, filtered by name, e-mail or customer number."""
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        statement = select(Customer).where(Customer.store_id == store_id)
        text = (query or "").strip()[:100]
        if text:
            like = f"%{text.lower()}%"
            full_name = func.lower(Customer.first_name + " " + Customer.last_name)
            statement = statement.where(
                or_(
                    func.lower(Customer.email).like(like),
                    func.lower(Customer.customer_number).like(like),
                    func.lower(Customer.first_name).like(like),
                    func.lower(Customer.last_name).like(like),
                    full_name.like(like),
                )
            )
        total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
        items = list(
            db.scalars(
                statement.order_by(Customer.created_at.desc(), Customer.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    # -- registration and sign-in ---------------------------------------------------------

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
        """Create a customer account (or give a guest of that address a password)."""
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

    def authenticate(
        self, db: Session, *, store_id: int, email: str, password: str, address: str | None = None
    ) -> Customer:
        """The store's customer with these credentials, or WrongCredentialsError.

        Unknown addresses, guests and erased customers cost one password check too, so the
        answer takes as long whether or not the address exists. Guessing is throttled per
        account of this store and per client ``address`` (``orion_server.auth.throttle``):
        TooManyAttemptsError (429) once either is locked out.
        """
        with throttle.guard(db, throttle.Attempt("storefront", f"{store_id}|{email}", address)):
            customer = self.find_by_email(db, store_id=store_id, email=email)
            if customer is None or customer.password_hash is None or customer.is_erased:
                verify_password(_DUMMY_HASH, password or "")
                raise WrongCredentialsError()
            if not verify_password(customer.password_hash, password or ""):
                raise WrongCredentialsError()
        if needs_rehash(customer.password_hash):
            begin_write(db)
            customer.password_hash = hash_password(password)
            db.commit()
        return customer

    # -- sessions ------------------------------------------------------------------------

    def start_session(self, db: Session, *, customer: Customer, days: int | None = None) -> str:
        """A new session for ``customer``; returns the cookie token (fresh at every sign-in)."""
        token = secrets.token_urlsafe(32)
        begin_write(db)
        now = utcnow()
        db.add(
            CustomerSession(
                token_hash=_hash_token(token),
                customer_id=customer.id,
                created_at=now,
                expires_at=now + timedelta(days=days or get_settings().session_days),
            )
        )
        customer.last_login_at = now
        db.commit()
        return token

    def load_session(self, db: Session, token: str | None) -> CustomerSession | None:
        """The live session of a cookie token, or None (unknown, revoked, expired, erased)."""
        if not token or len(token) > 200:
            return None
        found = db.scalar(
            select(CustomerSession).where(CustomerSession.token_hash == _hash_token(token))
        )
        if found is None or found.revoked_at is not None or found.expires_at <= utcnow():
            return None
        if found.customer.is_erased or found.customer.password_hash is None:
            return None
        return found

    def revoke_session(self, db: Session, *, token: str | None) -> None:
        """End the session of this cookie token (nothing happens for an unknown one)."""
        if not token:
            return
        begin_write(db)
        db.execute(
            update(CustomerSession)
            .where(
                CustomerSession.token_hash == _hash_token(token),
                CustomerSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )
        db.commit()

    def _revoke_all(self, db: Session, customer_id: int) -> None:
        db.execute(
            update(CustomerSession)
            .where(CustomerSession.customer_id == customer_id, CustomerSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

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
    ) -> Customer:
        """Change the given profile fields (left out ones stay as they are)."""
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
            other = self.find_by_email(db, store_id=store_id, email=changes["email"])
            if other is not None:
                raise CustomerInputError([Problem("email", "customers.errors.email_taken")])
        for name, value in changes.items():
            setattr(customer, name, value)
        if marketing_consent is not KEEP and bool(marketing_consent) != customer.marketing_consent:
            customer.marketing_consent = bool(marketing_consent)
            customer.marketing_consent_at = utcnow() if marketing_consent else None
        self._commit_unique(db)
        return customer

    def change_password(
        self,
        db: Session,
        *,
        store_id: int,
        customer_id: int,
        current_password: str,
        new_password: str,
    ) -> Customer:
        """Replace the password after checking the current one."""
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
        db.commit()
        return customer

    # -- addresses -----------------------------------------------------------------------

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

    # -- password reset ------------------------------------------------------------------

    def reset_link(self, *, platform_code: str, store_code: str, token: str) -> str:
        """The absolute link of a reset token, from the configured base URL (never the Host)."""
        base = get_settings().base_url.rstrip("/")
        return (
            f"{base}/platforms/{platform_code}/storefront/{store_code}/account/reset?token={token}"
        )

    def request_password_reset(self, db: Session, *, store_id: int, email: str) -> str | None:
        """Make a reset token for the store's customer with this address and announce it
        (``PasswordResetRequested``: messaging e-mails the link); returns the token, or None
        when no account has that address."""
        customer = self.find_by_email(db, store_id=store_id, email=email)
        if customer is None or customer.password_hash is None or customer.is_erased:
            return None
        begin_write(db)
        store = self._store(db, store_id)
        token = secrets.token_urlsafe(32)
        now = utcnow()
        db.add(
            PasswordResetToken(
                customer_id=customer.id,
                token_hash=_hash_token(token),
                created_at=now,
                expires_at=now + RESET_LIFETIME,
            )
        )
        link = self.reset_link(
            platform_code=store.platform.code, store_code=store.code, token=token
        )
        emit(
            db,
            PasswordResetRequested(
                platform_id=store.platform_id,
                store_id=store.id,
                customer_id=customer.id,
                email=customer.email,
                customer_name=customer.full_name or customer.email,
                language=customer.preferred_language,
                link=link,
                expires_hours=int(RESET_LIFETIME.total_seconds() // 3600) or 1,
            ),
        )
        db.commit()
        return token

    def check_reset_token(self, db: Session, *, store_id: int, token: str | None) -> Customer:
        """The customer a usable reset token belongs to, or ResetTokenInvalidError."""
        if not token or len(token) > 200:
            raise ResetTokenInvalidError()
        found = db.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash_token(token))
        )
        if (
            found is None
            or found.used_at is not None
            or found.expires_at <= utcnow()
            or found.customer.store_id != store_id
            or found.customer.is_erased
        ):
            raise ResetTokenInvalidError()
        return found.customer

    def reset_password(
        self, db: Session, *, store_id: int, token: str, new_password: str
    ) -> Customer:
        """Set a new password with a reset token; the token (and every other) is then spent and
        every session of the customer ends."""
        problems: list[Problem] = []
        new_password = self._password(problems, new_password)
        begin_write(db)
        customer = self.check_reset_token(db, store_id=store_id, token=token)
        if problems:
            raise CustomerInputError(problems)
        now = utcnow()
        db.execute(
            update(PasswordResetToken)
            .where(
                PasswordResetToken.customer_id == customer.id,
                PasswordResetToken.used_at.is_(None),
            )
            .values(used_at=now)
        )
        customer.password_hash = hash_password(new_password)
        self._revoke_all(db, customer.id)
        db.commit()
        return customer

    # -- notes ---------------------------------------------------------------------------

    def add_note(
        self, db: Session, *, store_id: int, customer_id: int, author_user_id: int | None, text: str
    ) -> CustomerNote:
        """Add a staff note to a customer."""
        body = (text or "").replace("\r\n", "\n").strip()
        if not body:
            raise CustomerInputError([Problem("text", "customers.errors.note_required")])
        if len(body) > MAX_NOTE:
            raise CustomerInputError(
                [Problem("text", "customers.errors.too_long", {"max": MAX_NOTE})]
            )
        begin_write(db)
        customer = self.get_customer(db, store_id=store_id, customer_id=customer_id)
        note = CustomerNote(author_user_id=author_user_id, text=body, created_at=utcnow())
        customer.notes.append(note)
        db.commit()
        return note

    # -- GDPR ----------------------------------------------------------------------------

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


customer_service = CustomerService()
