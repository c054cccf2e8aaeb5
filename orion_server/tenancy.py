"""Platforms, merchants and stores: creating, changing and listing them.

The framework owns them (their tables are in ``orion_server.models.tenancy``): every rule about
what a valid platform, merchant or store is lives here, so the tenancy module's admin API and
pages, the CLI, ``initialise`` and the desktop console all enforce the same ones without the
framework or the console importing a module.

Errors carry, besides the English ``message`` and the ``field``, a translation ``key`` and its
``params`` (for screens in other languages); validation errors also carry every ``problems``
found at once, so a form can mark all its wrong fields in one go.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from orion_server import audit
from orion_server.accounts import EMAIL_PATTERN
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write
from orion_server.errors import ConflictError, NotFoundError, OrionError
from orion_server.forms import InputError, Problem
from orion_server.models import Merchant, Platform, Store, User
from orion_server.modules.service import ModuleChange, module_service
from orion_server.pagination import Page
from orion_server.revision import bump_revision
from orion_server.slugs import RESERVED_CODES, code_problem, domain_problem, subdomain_problem

DEFAULT_STORE_LANGUAGES = ["fr", "de", "en"]
MAX_NAME_LENGTH = 200
MAX_PER_PAGE = 1000
MAX_SEARCH_LENGTH = 100
WEBSITE_PATTERN = re.compile(r"^https?://[^\s/?#]+\.[^\s]+$", re.IGNORECASE)

T = TypeVar("T")


class CascadeChangedError(OrionError):
    """A module change was confirmed for one cascade, but the platform's states moved since."""

    status = 409
    code = "cascade_changed"

    def __init__(self, message: str, *, change: Any, expected: list[str]) -> None:
        super().__init__(
            message,
            key="tenancy.modules.stale",
            params={},
            changed=list(change.changed),
            expected=list(expected),
        )
        self.change = change
        """The ModuleChange preview of what the request would do now."""


class _Keep:
    """The value of an update argument that was not given, so that None can mean 'remove'."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


class TenancyInputError(InputError):
    """A platform, merchant or store input broke a rule (422, every field named)."""


def _reject(problems: list[Problem | None]) -> None:
    """Raise one TenancyInputError naming every problem found."""
    found = [p for p in problems if p is not None]
    if found:
        raise TenancyInputError(found)


def _conflict(field_name: str, key: str, message: str, **params: Any) -> ConflictError:
    return ConflictError(message, field=field_name, key=key, params=params)


def _writes(method: Callable[..., T]) -> Callable[..., T]:
    """Roll the session back when a change fails (releasing SQLite's write lock at once) and
    turn a lost race on a unique column into a ConflictError: on PostgreSQL two writers can both
    pass the duplicate check before either commits."""

    @functools.wraps(method)
    def wrapper(self: TenancyService, db: Session, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, db, *args, **kwargs)
        except IntegrityError as exc:
            db.rollback()
            raise _conflict(
                "code",
                "tenancy.errors.concurrent_change",
                "the same code, domain or subdomain was saved elsewhere at the same moment; try again",
            ) from exc
        except Exception:
            db.rollback()
            raise

    return wrapper


# -- rules for single inputs ----------------------------------------------------------------


def _slug_problem(
    kind: str, value: str, field_name: str, check: Callable[[str], str | None]
) -> Problem | None:
    """A code or subdomain problem, with a key telling which rule of orion_server.slugs it broke."""
    message = check(value)
    if message is None:
        return None
    if not value:
        reason = "required"
    elif value in RESERVED_CODES:
        reason = "reserved"
    else:
        reason = "format"
    return Problem(field_name, f"tenancy.errors.{kind}_{reason}", {"value": value})


def _name_problem(name: str, field_name: str = "name") -> Problem | None:
    if not name:
        return Problem(
            field_name,
            "tenancy.errors.name_required",
        )
    return _length_problem(name, field_name, MAX_NAME_LENGTH)


def _length_problem(value: str | None, field_name: str, max_length: int) -> Problem | None:
    if value and len(value) > max_length:
        return Problem(
            field_name,
            "tenancy.errors.too_long",
            {"max": max_length},
        )
    return None


def _domain_problem(domain: str | None, field_name: str) -> Problem | None:
    if domain and domain_problem(domain):
        return Problem(field_name, "tenancy.errors.domain_format", {"value": domain})
    return None


def _language_problem(value: str | None, field_name: str) -> Problem | None:
    if value not in SUPPORTED_LANGUAGES:
        choices = ", ".join(SUPPORTED_LANGUAGES)
        return Problem(
            field_name,
            "tenancy.errors.language_unknown",
            {"choices": choices},
        )
    return None


def _languages_problem(languages: list[str]) -> Problem | None:
    if not languages:
        return Problem(
            "languages",
            "tenancy.errors.languages_required",
        )
    for lang in languages:
        if problem := _language_problem(lang, "languages"):
            return problem
    if len(set(languages)) != len(languages):
        return Problem(
            "languages",
            "tenancy.errors.languages_repeated",
        )
    return None


def _default_language_problem(default_language: str, languages: list[str]) -> Problem | None:
    if problem := _language_problem(default_language, "default_language"):
        return problem
    if default_language not in languages:
        return Problem(
            "default_language",
            "tenancy.errors.default_language_not_offered",
        )
    return None


def _email_problem(email: str | None, field_name: str) -> Problem | None:
    if email and not EMAIL_PATTERN.match(email):
        return Problem(
            field_name,
            "tenancy.errors.email_format",
        )
    return _length_problem(email, field_name, 255)


def _website_problem(website: str | None) -> Problem | None:
    if website and not WEBSITE_PATTERN.match(website):
        return Problem(
            "website",
            "tenancy.errors.website_format",
        )
    return _length_problem(website, "website", 255)


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _check_paging(page: int, per_page: int) -> None:
    _reject(
        [
            Problem(
                "page",
                "tenancy.errors.page_invalid",
            )
            if page < 1
            else None,
            Problem(
                "per_page",
                "tenancy.errors.per_page_invalid",
                {"max": MAX_PER_PAGE},
            )
            if not 1 <= per_page <= MAX_PER_PAGE
            else None,
        ]
    )


def _search_filter(columns: list[Any], search: str | None) -> Any | None:
    """A case-insensitive 'contains' over ``columns``; % and _ in the search match themselves."""
    term = (search or "").strip().lower()[:MAX_SEARCH_LENGTH]
    if not term:
        return None
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(func.lower(column).like(f"%{escaped}%", escape="\\") for column in columns))


def _paginate(
    db: Session, query: Any, order_by: list[Any], page: int, per_page: int, *options: Any
) -> Page:
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    page_query = query.order_by(*order_by).offset((page - 1) * per_page).limit(per_page)
    items = list(db.scalars(page_query.options(*options)))
    return Page(items, total, page, per_page)


def _audit(
    db: Session,
    action: str,
    target: str,
    user_id: int | None,
    platform_id: int | None,
    store_id: int | None = None,
    **details: Any,
) -> None:
    audit.record(
        db,
        action,
        target=target,
        actor=db.get(User, user_id) if user_id else None,
        platform_id=platform_id,
        store_id=store_id,
        **details,
    )


Reach = Collection[int] | None
"""The platforms an admin may see and change (their ids); None is every platform (a super
admin, the console and the CLI)."""


def in_reach(platform_id: int | None, within: Reach) -> bool:
    """Whether ``platform_id`` is within ``within``."""
    return within is None or platform_id in within


def _reached(query: Any, column: Any, within: Reach) -> Any:
    return query if within is None else query.where(column.in_(list(within)))


class TenancyService:
    """Business rules of platforms, merchants and stores."""

    # -- platforms --------------------------------------------------------------------------

    def list_platforms(
        self,
        db: Session,
        *,
        search: str = "",
        page: int = 1,
        per_page: int = 50,
        within: Reach = None,
    ) -> Page:
        """Platforms ordered by code, filtered by code or name."""
        _check_paging(page, per_page)
        query = _reached(select(Platform), Platform.id, within)
        condition = _search_filter([Platform.code, Platform.name], search)
        if condition is not None:
            query = query.where(condition)
        return _paginate(db, query, [Platform.code], page, per_page)

    def all_platforms(self, db: Session, *, within: Reach = None) -> list[Platform]:
        """Every platform (in reach), by name (for choosers)."""
        query = _reached(select(Platform), Platform.id, within)
        return list(db.scalars(query.order_by(Platform.name, Platform.code)))

    def get_platform(self, db: Session, code: str, *, within: Reach = None) -> Platform:
        """The platform with this code, or NotFoundError (also for one out of reach)."""
        platform = db.scalar(select(Platform).where(Platform.code == code))
        if platform is None or not in_reach(platform.id, within):
            raise NotFoundError(
                f"no platform with code {code!r}",
                key="tenancy.errors.platform_not_found",
                params={"code": code},
            )
        return platform

    def platform_named_in_input(
        self, db: Session, code: str | None, field_name: str = "platform", *, within: Reach = None
    ) -> Platform:
        """The platform a form field or filter names; TenancyInputError on ``field_name`` if none
        (or one out of reach: it is as unknown as one that does not exist)."""
        code = (code or "").strip().lower()
        platform = db.scalar(select(Platform).where(Platform.code == code)) if code else None
        if platform is not None and in_reach(platform.id, within):
            return platform
        if not code:
            _reject(
                [
                    Problem(
                        field_name,
                        "tenancy.errors.platform_required",
                    )
                ]
            )
        _reject(
            [
                Problem(
                    field_name,
                    "tenancy.errors.platform_unknown",
                    {"code": code},
                )
            ]
        )
        raise AssertionError("unreachable")

    def store_counts(self, db: Session) -> dict[int, int]:
        """Number of stores per platform id."""
        rows = db.execute(
            select(Store.platform_id, func.count(Store.id)).group_by(Store.platform_id)
        )
        return {platform_id: count for platform_id, count in rows}

    @_writes
    def create_platform(
        self,
        db: Session,
        *,
        code: str,
        name: str,
        domain: str | None = None,
        default_language: str = "fr",
        user_id: int | None = None,
    ) -> Platform:
        """Create a platform; its modules start in their tier's default state."""
        code = (code or "").strip().lower()
        name = (name or "").strip()
        domain = (domain or "").strip().lower() or None
        _reject(
            [
                _slug_problem("code", code, "code", code_problem),
                _name_problem(name),
                _domain_problem(domain, "domain"),
                _language_problem(default_language, "default_language"),
            ]
        )
        begin_write(db)
        if db.scalar(select(Platform.id).where(Platform.code == code)):
            raise _conflict(
                "code",
                "tenancy.errors.platform_code_taken",
                f"a platform with code {code!r} already exists",
                code=code,
            )
        if domain and db.scalar(select(Platform.id).where(Platform.domain == domain)):
            raise _conflict(
                "domain",
                "tenancy.errors.platform_domain_taken",
                f"the domain {domain} is already used by another platform",
                domain=domain,
            )
        platform = Platform(
            code=code, name=name, domain=domain, default_language=default_language, is_active=True
        )
        db.add(platform)
        db.flush()
        _audit(db, "platform.create", code, user_id, platform.id, name=name, domain=domain)
        bump_revision(db)
        db.commit()
        return platform

    @_writes
    def update_platform(
        self,
        db: Session,
        code: str,
        *,
        name: str | None = None,
        domain: str | None = None,
        default_language: str | None = None,
        user_id: int | None = None,
        within: Reach = None,
    ) -> Platform:
        """Change a platform's name, domain or default language; None leaves a value as it is,
        an empty domain removes it. Nothing changes unless every value is valid."""
        begin_write(db)
        platform = self.get_platform(db, code, within=within)
        new_name = name.strip() if name is not None else None
        new_domain = (domain.strip().lower() or None) if domain is not None else None
        _reject(
            [
                _name_problem(new_name) if new_name is not None else None,
                _domain_problem(new_domain, "domain"),
                _language_problem(default_language, "default_language")
                if default_language is not None
                else None,
            ]
        )
        if new_domain and db.scalar(
            select(Platform.id).where(Platform.domain == new_domain, Platform.id != platform.id)
        ):
            raise _conflict(
                "domain",
                "tenancy.errors.platform_domain_taken",
                f"the domain {new_domain} is already used by another platform",
                domain=new_domain,
            )
        before = {
            "name": platform.name,
            "domain": platform.domain,
            "default_language": platform.default_language,
        }
        changed: dict[str, Any] = {}
        if new_name is not None and new_name != platform.name:
            changed["name"] = platform.name = new_name
        if domain is not None and new_domain != platform.domain:
            changed["domain"] = platform.domain = new_domain
        if default_language is not None and default_language != platform.default_language:
            changed["default_language"] = platform.default_language = default_language
        if changed:
            _audit(
                db,
                "platform.update",
                platform.code,
                user_id,
                platform.id,
                before={k: before[k] for k in changed},
                after=changed,
            )
            bump_revision(db)
        db.commit()
        return platform

    # -- modules of a platform --------------------------------------------------------------

    def change_module(
        self,
        db: Session,
        platform_code: str,
        module: str,
        action: str,
        *,
        user_id: int | None = None,
        dry_run: bool = False,
        expected: list[str] | None = None,
        within: Reach = None,
    ) -> ModuleChange:
        """Enable or disable ``module`` on the platform with its cascade (ModuleService's rules:
        core modules cannot be disabled, unknown modules are NotFound).

        With ``expected`` (the cascade an admin saw and confirmed), nothing changes and
        CascadeChangedError is raised when the cascade is no longer exactly that one.
        """
        if action not in ("enable", "disable"):
            raise ValueError(f"action must be enable or disable, not {action!r}")
        toggle = (
            module_service.enable_module if action == "enable" else module_service.disable_module
        )
        if dry_run:
            return toggle(db, self.get_platform(db, platform_code, within=within).id, module, dry_run=True)
        try:
            begin_write(db)
            platform = self.get_platform(db, platform_code, within=within)
            if expected is not None:
                preview = toggle(db, platform.id, module, dry_run=True)
                if preview.changed != list(expected):
                    raise CascadeChangedError(
                        "the modules of this platform changed since the change was confirmed",
                        change=preview,
                        expected=list(expected),
                    )
            return toggle(db, platform.id, module, user_id=user_id)
        except Exception:
            db.rollback()
            raise

    # -- merchants --------------------------------------------------------------------------

    @_writes
    def create_merchant(
        self,
        db: Session,
        *,
        platform_code: str,
        name: str,
        contact_email: str | None = None,
        contact_phone: str | None = None,
        website: str | None = None,
        tax_number: str | None = None,
        user_id: int | None = None,
        within: Reach = None,
    ) -> Merchant:
        """Create a merchant (a business owning stores) on a platform; names are unique per platform."""
        name = (name or "").strip()
        contact_email = _clean(contact_email)
        contact_email = contact_email.lower() if contact_email else None
        contact_phone = _clean(contact_phone)
        website = _clean(website)
        tax_number = _clean(tax_number)
        problems: list[Problem | None] = []
        try:
            platform: Platform | None = self.platform_named_in_input(db, platform_code, within=within)
        except TenancyInputError as exc:
            platform = None
            problems.extend(exc.problems)
        problems += [
            _name_problem(name),
            _email_problem(contact_email, "contact_email"),
            _length_problem(contact_phone, "contact_phone", 50),
            _website_problem(website),
            _length_problem(tax_number, "tax_number", 50),
        ]
        _reject(problems)
        assert platform is not None
        begin_write(db)
        taken = db.scalar(
            select(Merchant.id).where(
                Merchant.platform_id == platform.id, func.lower(Merchant.name) == name.lower()
            )
        )
        if taken:
            raise _conflict(
                "name",
                "tenancy.errors.merchant_name_taken",
                f"{platform.code} already has a merchant called {name!r}",
                name=name,
                platform=platform.name,
            )
        merchant = Merchant(
            platform_id=platform.id,
            name=name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            website=website,
            tax_number=tax_number,
            is_verified=False,
        )
        db.add(merchant)
        db.flush()
        _audit(db, "merchant.create", name, user_id, platform.id, merchant_id=merchant.id)
        db.commit()
        return merchant

    def list_merchants(
        self, db: Session, *, platform_code: str | None = None, within: Reach = None
    ) -> list[Merchant]:
        """Merchants of a platform (or of every platform in reach, by platform), by name."""
        query = _reached(
            select(Merchant).join(Platform, Merchant.platform_id == Platform.id), Merchant.platform_id, within
        )
        if platform_code:
            query = query.where(
                Merchant.platform_id == self.platform_named_in_input(db, platform_code, within=within).id
            )
        return list(db.scalars(query.order_by(Platform.code, Merchant.name)))

    def search_merchants(
        self,
        db: Session,
        *,
        platform_code: str | None = None,
        search: str = "",
        page: int = 1,
        per_page: int = 50,
        within: Reach = None,
    ) -> Page:
        """One page of merchants, optionally of one platform, filtered by name or e-mail."""
        _check_paging(page, per_page)
        query = _reached(select(Merchant), Merchant.platform_id, within)
        if platform_code:
            query = query.where(
                Merchant.platform_id == self.platform_named_in_input(db, platform_code, within=within).id
            )
        condition = _search_filter([Merchant.name, Merchant.contact_email], search)
        if condition is not None:
            query = query.where(condition)
        return _paginate(db, query, [Merchant.name, Merchant.id], page, per_page)

    # -- stores -----------------------------------------------------------------------------

    def list_stores(
        self,
        db: Session,
        *,
        platform_code: str | None = None,
        search: str = "",
        page: int = 1,
        per_page: int = 50,
        within: Reach = None,
    ) -> Page:
        """Stores ordered by code, optionally of one platform, filtered by code or name."""
        _check_paging(page, per_page)
        query = _reached(select(Store), Store.platform_id, within)
        if platform_code:
            query = query.where(
                Store.platform_id == self.platform_named_in_input(db, platform_code, within=within).id
            )
        condition = _search_filter([Store.code, Store.name], search)
        if condition is not None:
            query = query.where(condition)
        return _paginate(
            db,
            query,
            [Store.code],
            page,
            per_page,
            selectinload(Store.platform),
            selectinload(Store.merchant),
        )

    def get_store(self, db: Session, code: str, *, within: Reach = None) -> Store:
        """The store with this code, or NotFoundError (also for one out of reach)."""
        store = db.scalar(select(Store).where(Store.code == code))
        if store is None or not in_reach(store.platform_id, within):
            raise NotFoundError(
                f"no store with code {code!r}",
                key="tenancy.errors.store_not_found",
                params={"code": code},
            )
        return store

    def _merchant_problem(
        self, db: Session, merchant_id: int | None, platform_id: int
    ) -> Problem | None:
        if merchant_id is None:
            return None
        # ids are 32-bit on PostgreSQL: a bigger one would fail the query (a 500)
        merchant = db.get(Merchant, merchant_id) if 0 < merchant_id <= 2**31 - 1 else None
        if merchant is None or merchant.platform_id != platform_id:
            return Problem(
                "merchant_id",
                "tenancy.errors.merchant_other_platform",
            )
        return None

    @_writes
    def create_store(
        self,
        db: Session,
        *,
        platform_code: str,
        code: str,
        name: str,
        subdomain: str | None = None,
        merchant_id: int | None = None,
        default_language: str = "fr",
        languages: list[str] | None = None,
        custom_domain: str | None = None,
        user_id: int | None = None,
        within: Reach = None,
    ) -> Store:
        """Create a store on a platform; its subdomain defaults to its code, its languages to
        fr, de and en. Every problem of the input is reported at once."""
        code = (code or "").strip().lower()
        name = (name or "").strip()
        subdomain = ((subdomain or "").strip() or code).lower()
        custom_domain = (custom_domain or "").strip().lower() or None
        languages = list(DEFAULT_STORE_LANGUAGES if languages is None else languages)
        problems: list[Problem | None] = []
        try:
            platform: Platform | None = self.platform_named_in_input(db, platform_code, within=within)
        except TenancyInputError as exc:
            platform = None
            problems.extend(exc.problems)
        languages_problem = _languages_problem(languages)
        problems += [
            _slug_problem("code", code, "code", code_problem),
            _name_problem(name),
            _slug_problem("subdomain", subdomain, "subdomain", subdomain_problem),
            _domain_problem(custom_domain, "custom_domain"),
            languages_problem,
            _default_language_problem(default_language, languages)
            if not languages_problem
            else None,
            self._merchant_problem(db, merchant_id, platform.id) if platform is not None else None,
        ]
        _reject(problems)
        assert platform is not None
        begin_write(db)
        if db.scalar(select(Store.id).where(Store.code == code)):
            raise _conflict(
                "code",
                "tenancy.errors.store_code_taken",
                f"a store with code {code!r} already exists",
                code=code,
            )
        if db.scalar(
            select(Store.id).where(Store.platform_id == platform.id, Store.subdomain == subdomain)
        ):
            raise _conflict(
                "subdomain",
                "tenancy.errors.subdomain_taken",
                f"the subdomain {subdomain!r} is taken on {platform.code}",
                subdomain=subdomain,
                platform=platform.name,
            )
        if custom_domain and db.scalar(
            select(Store.id).where(Store.custom_domain == custom_domain)
        ):
            raise _conflict(
                "custom_domain",
                "tenancy.errors.store_domain_taken",
                f"the domain {custom_domain} is already used",
                domain=custom_domain,
            )
        store = Store(
            platform_id=platform.id,
            merchant_id=merchant_id,
            code=code,
            name=name,
            subdomain=subdomain,
            custom_domain=custom_domain,
            default_language=default_language,
            languages=languages,
            is_active=True,
        )
        db.add(store)
        db.flush()
        _audit(
            db, "store.create", code, user_id, platform.id, store.id, name=name, subdomain=subdomain
        )
        bump_revision(db)
        db.commit()
        return store

    @_writes
    def update_store(
        self,
        db: Session,
        code: str,
        *,
        name: str | None = None,
        subdomain: str | None = None,
        default_language: str | None = None,
        languages: list[str] | None = None,
        is_active: bool | None = None,
        merchant_id: int | None = KEEP,
        contact_email: str | None = KEEP,
        contact_phone: str | None = KEEP,
        address: str | None = KEEP,
        vat_number: str | None = KEEP,
        user_id: int | None = None,
        within: Reach = None,
    ) -> Store:
        """Change a store's name, subdomain, languages, merchant (None detaches it), active
        flag, contact details or VAT number; None (KEEP for the merchant and the contact
        details, where None or "" clears) leaves a value as it is. Nothing changes unless every
        value is valid."""
        begin_write(db)
        store = self.get_store(db, code, within=within)
        contact: dict[str, str | None] = {}
        contact_problems: list[Problem | None] = []
        for field_name, value, limit in (("contact_email", contact_email, 255), ("contact_phone", contact_phone, 50),
                                         ("address", address, 500)):
            if value is KEEP:
                continue
            cleaned = (value or "").strip() or None
            if field_name == "contact_email" and cleaned:
                cleaned = cleaned.lower()
            contact[field_name] = cleaned
            contact_problems.append(_length_problem(cleaned, field_name, limit))
        contact_problems.append(_email_problem(contact.get("contact_email"), "contact_email"))
        if vat_number is not KEEP:
            contact["vat_number"], problem = _vat_number(vat_number)
            contact_problems.append(problem)
        new_name = name.strip() if name is not None else None
        new_subdomain = subdomain.strip().lower() if subdomain is not None else None
        new_languages = list(languages) if languages is not None else list(store.languages or [])
        new_default = default_language if default_language is not None else store.default_language
        languages_problem = _languages_problem(new_languages) if languages is not None else None
        _reject(
            [
                _name_problem(new_name) if new_name is not None else None,
                _slug_problem("subdomain", new_subdomain, "subdomain", subdomain_problem)
                if new_subdomain is not None
                else None,
                languages_problem,
                _default_language_problem(new_default, new_languages)
                if not languages_problem
                else None,
                self._merchant_problem(db, merchant_id, store.platform_id)
                if merchant_id is not KEEP
                else None,
                *contact_problems,
            ]
        )
        if new_subdomain is not None:
            clash = db.scalar(
                select(Store.id).where(
                    Store.platform_id == store.platform_id,
                    Store.subdomain == new_subdomain,
                    Store.id != store.id,
                )
            )
            if clash:
                raise _conflict(
                    "subdomain",
                    "tenancy.errors.subdomain_taken",
                    f"the subdomain {new_subdomain!r} is taken",
                    subdomain=new_subdomain,
                    platform=store.platform.name,
                )
        before = {
            "name": store.name,
            "subdomain": store.subdomain,
            "languages": list(store.languages or []),
            "default_language": store.default_language,
            "is_active": store.is_active,
            "merchant_id": store.merchant_id,
            **{name: getattr(store, name) for name in contact},
        }
        changed: dict[str, Any] = {}
        for name, value in contact.items():
            if value != getattr(store, name):
                setattr(store, name, value)
                changed[name] = value
        if new_name is not None and new_name != store.name:
            changed["name"] = store.name = new_name
        if new_subdomain is not None and new_subdomain != store.subdomain:
            changed["subdomain"] = store.subdomain = new_subdomain
        if languages is not None and new_languages != list(store.languages or []):
            changed["languages"] = store.languages = new_languages
        if new_default != store.default_language:
            changed["default_language"] = store.default_language = new_default
        if is_active is not None and is_active != store.is_active:
            changed["is_active"] = store.is_active = is_active
        if merchant_id is not KEEP and merchant_id != store.merchant_id:
            store.merchant = db.get(Merchant, merchant_id) if merchant_id is not None else None
            changed["merchant_id"] = merchant_id
        if changed:
            _audit(
                db,
                "store.update",
                store.code,
                user_id,
                store.platform_id,
                store.id,
                before={k: before[k] for k in changed},
                after=changed,
            )
            bump_revision(db)
        db.commit()
        return store

    @_writes
    def set_store_logo(self, db: Session, code: str, *, data: bytes, user_id: int | None = None) -> Store:
        """Take an uploaded picture (JPEG, PNG or WebP, at most ``LOGO_MAX_BYTES``) as the
        store's logo: checked with Pillow, stripped of metadata, scaled to ``LOGO_SIDE`` px at
        most and stored as WebP under the data directory; the previous logo file goes."""
        from orion_server import images

        problem = None
        if not data:
            problem = Problem("logo", "tenancy.errors.logo_empty")
        elif len(data) > LOGO_MAX_BYTES:
            problem = Problem("logo", "tenancy.errors.logo_too_large", {"max": LOGO_MAX_BYTES // (1024 * 1024)})
        else:
            try:
                images.check_image(data)
            except images.ImageRejected as exc:
                problem = Problem("logo", f"tenancy.errors.logo_{exc.reason}")
        _reject([problem])
        store = self.get_store(db, code)
        folder = logo_dir(store.id)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"logo-{secrets.token_hex(8)}.webp"
        with images.open_image(data) as picture:
            clean = images.clean_copy(picture, largest=LOGO_SIDE)
            clean.thumbnail((LOGO_SIDE, LOGO_SIDE))
            images.write_atomically(clean, folder / name)
        previous = store.logo_file
        store.logo_file = name
        _audit(db, "store.logo_changed", store.code, user_id, store.platform_id, store.id,
               before={"logo_file": previous}, after={"logo_file": name})
        bump_revision(db)
        db.commit()
        if previous:
            (folder / previous).unlink(missing_ok=True)
        return store

    @_writes
    def remove_store_logo(self, db: Session, code: str, *, user_id: int | None = None) -> Store:
        """Go back to the store's name in place of a logo."""
        store = self.get_store(db, code)
        previous = store.logo_file
        if previous:
            store.logo_file = None
            _audit(db, "store.logo_changed", store.code, user_id, store.platform_id, store.id,
                   before={"logo_file": previous}, after={"logo_file": None})
            bump_revision(db)
            db.commit()
            (logo_dir(store.id) / previous).unlink(missing_ok=True)
        return store


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_SIDE = 512
"""Longest side of a stored logo, in pixels."""


def logo_dir(store_id: int) -> Path:
    """Where a store's logo lives: ``data_dir/media/<store id>/store``."""
    from orion_server.config import get_settings

    return get_settings().data_dir / "media" / str(store_id) / "store"


def logo_path(store_id: int, logo_file: str | None) -> Path | None:
    """The logo file of a store, or None when it has none (or the file went missing)."""
    if not logo_file or "/" in logo_file or "\\" in logo_file:
        return None
    path = logo_dir(store_id) / logo_file
    return path if path.is_file() else None


def _vat_number(value: str | None) -> tuple[str | None, Problem | None]:
    """The compact form of an EU VAT number (``LU 2637 5245`` -> ``LU26375245``), checked for
    its country's format and check digits by python-stdnum; empty clears it."""
    from stdnum.eu import vat
    from stdnum.exceptions import ValidationError as NumberInvalid

    text = (value or "").strip()
    if not text:
        return None, None
    try:
        return vat.validate(text), None
    except NumberInvalid:
        return None, Problem("vat_number", "tenancy.errors.vat_invalid", {"value": text})


tenancy_service = TenancyService()
