"""Platforms, merchants and stores: creating, changing and listing them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write
from orion_server.errors import ConflictError, NotFoundError, ValidationError
from orion_server.models import AuditEntry, Merchant, Platform, Store
from orion_server.revision import bump_revision
from orion_server.slugs import code_problem, domain_problem, subdomain_problem

DEFAULT_STORE_LANGUAGES = ["fr", "de", "en"]


@dataclass(frozen=True)
class Page:
    """One page of a listing."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _language(value: str, field: str) -> str:
    if value not in SUPPORTED_LANGUAGES:
        raise ValidationError(f"choose one of {', '.join(SUPPORTED_LANGUAGES)}", field=field)
    return value


def _audit(db: Session, action: str, target: str, user_id: int | None, platform_id: int | None, **details) -> None:
    db.add(
        AuditEntry(
            actor_id=user_id,
            actor_label=f"user {user_id}" if user_id else "system",
            action=action,
            platform_id=platform_id,
            target=target,
            details=details,
        )
    )


class TenancyService:
    """Business rules of platforms, merchants and stores."""

    # -- platforms --------------------------------------------------------------------------

    def list_platforms(self, db: Session, *, search: str = "", page: int = 1, per_page: int = 50) -> Page:
        """Platforms ordered by code, filtered by code or name."""
        query = select(Platform)
        if search:
            like = f"%{search.strip().lower()}%"
            query = query.where(or_(func.lower(Platform.code).like(like), func.lower(Platform.name).like(like)))
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = list(db.scalars(query.order_by(Platform.code).offset((page - 1) * per_page).limit(per_page)))
        return Page(items, total, page, per_page)

    def get_platform(self, db: Session, code: str) -> Platform:
        """The platform with this code, or NotFoundError."""
        platform = db.scalar(select(Platform).where(Platform.code == code))
        if platform is None:
            raise NotFoundError(f"no platform with code {code!r}")
        return platform

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
        problem = code_problem(code)
        if problem:
            raise ValidationError(problem, field="code")
        if not name:
            raise ValidationError("a name is required", field="name")
        if len(name) > 200:
            raise ValidationError("the name may have at most 200 characters", field="name")
        if domain and (problem := domain_problem(domain)):
            raise ValidationError(problem, field="domain")
        _language(default_language, "default_language")
        begin_write(db)
        if db.scalar(select(Platform.id).where(Platform.code == code)):
            raise ConflictError(f"a platform with code {code!r} already exists", field="code")
        if domain and db.scalar(select(Platform.id).where(Platform.domain == domain)):
            raise ConflictError(f"the domain {domain} is already used by another platform", field="domain")
        platform = Platform(code=code, name=name, domain=domain, default_language=default_language, is_active=True)
        db.add(platform)
        db.flush()
        _audit(db, "platform.create", code, user_id, platform.id, name=name, domain=domain)
        bump_revision(db)
        db.commit()
        return platform

    def update_platform(
        self,
        db: Session,
        code: str,
        *,
        name: str | None = None,
        domain: str | None = None,
        default_language: str | None = None,
        user_id: int | None = None,
    ) -> Platform:
        """Change a platform's name, domain or default language (an empty domain removes it)."""
        begin_write(db)
        platform = self.get_platform(db, code)
        if name is not None:
            name = name.strip()
            if not name:
                raise ValidationError("a name is required", field="name")
            platform.name = name
        if domain is not None:
            domain = domain.strip().lower() or None
            if domain and (problem := domain_problem(domain)):
                raise ValidationError(problem, field="domain")
            if domain and db.scalar(select(Platform.id).where(Platform.domain == domain, Platform.id != platform.id)):
                raise ConflictError(f"the domain {domain} is already used by another platform", field="domain")
            platform.domain = domain
        if default_language is not None:
            platform.default_language = _language(default_language, "default_language")
        _audit(db, "platform.update", code, user_id, platform.id)
        bump_revision(db)
        db.commit()
        return platform

    # -- merchants --------------------------------------------------------------------------

    def create_merchant(
        self, db: Session, *, platform_code: str, name: str, contact_email: str | None = None, user_id: int | None = None
    ) -> Merchant:
        """Create a merchant (a business owning stores) on a platform."""
        name = (name or "").strip()
        if not name:
            raise ValidationError("a name is required", field="name")
        if contact_email and "@" not in contact_email:
            raise ValidationError("enter a valid e-mail address", field="contact_email")
        platform = self.get_platform(db, platform_code)
        merchant = Merchant(platform_id=platform.id, name=name, contact_email=contact_email, is_verified=False)
        db.add(merchant)
        db.flush()
        _audit(db, "merchant.create", name, user_id, platform.id)
        db.commit()
        return merchant

    def list_merchants(self, db: Session, *, platform_code: str) -> list[Merchant]:
        """Merchants of a platform, by name."""
        platform = self.get_platform(db, platform_code)
        return list(db.scalars(select(Merchant).where(Merchant.platform_id == platform.id).order_by(Merchant.name)))

    # -- stores -----------------------------------------------------------------------------

    def list_stores(
        self, db: Session, *, platform_code: str | None = None, search: str = "", page: int = 1, per_page: int = 50
    ) -> Page:
        """Stores ordered by code, optionally of one platform, filtered by code or name."""
        query = select(Store)
        if platform_code:
            query = query.where(Store.platform_id == self.get_platform(db, platform_code).id)
        if search:
            like = f"%{search.strip().lower()}%"
            query = query.where(or_(func.lower(Store.code).like(like), func.lower(Store.name).like(like)))
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = list(db.scalars(query.order_by(Store.code).offset((page - 1) * per_page).limit(per_page)))
        return Page(items, total, page, per_page)

    def get_store(self, db: Session, code: str) -> Store:
        """The store with this code, or NotFoundError."""
        store = db.scalar(select(Store).where(Store.code == code))
        if store is None:
            raise NotFoundError(f"no store with code {code!r}")
        return store

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
    ) -> Store:
        """Create a store on a platform; its subdomain defaults to its code."""
        code = (code or "").strip().lower()
        name = (name or "").strip()
        subdomain = (subdomain or code).strip().lower()
        custom_domain = (custom_domain or "").strip().lower() or None
        languages = list(languages or DEFAULT_STORE_LANGUAGES)
        if problem := code_problem(code):
            raise ValidationError(problem, field="code")
        if not name:
            raise ValidationError("a name is required", field="name")
        if len(name) > 200:
            raise ValidationError("the name may have at most 200 characters", field="name")
        if problem := subdomain_problem(subdomain):
            raise ValidationError(problem, field="subdomain")
        if custom_domain and (problem := domain_problem(custom_domain)):
            raise ValidationError(problem, field="custom_domain")
        for lang in languages:
            _language(lang, "languages")
        _language(default_language, "default_language")
        if default_language not in languages:
            raise ValidationError("the default language must be one of the store's languages", field="default_language")
        begin_write(db)
        platform = self.get_platform(db, platform_code)
        if db.scalar(select(Store.id).where(Store.code == code)):
            raise ConflictError(f"a store with code {code!r} already exists", field="code")
        if db.scalar(select(Store.id).where(Store.platform_id == platform.id, Store.subdomain == subdomain)):
            raise ConflictError(f"the subdomain {subdomain!r} is taken on {platform.code}", field="subdomain")
        if custom_domain and db.scalar(select(Store.id).where(Store.custom_domain == custom_domain)):
            raise ConflictError(f"the domain {custom_domain} is already used", field="custom_domain")
        if merchant_id is not None:
            merchant = db.get(Merchant, merchant_id)
            if merchant is None or merchant.platform_id != platform.id:
                raise ValidationError("choose a merchant of this platform", field="merchant_id")
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
        _audit(db, "store.create", code, user_id, platform.id, name=name, subdomain=subdomain)
        bump_revision(db)
        db.commit()
        return store

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
        user_id: int | None = None,
    ) -> Store:
        """Change a store's name, subdomain, languages or active flag."""
        begin_write(db)
        store = self.get_store(db, code)
        if name is not None:
            if not name.strip():
                raise ValidationError("a name is required", field="name")
            store.name = name.strip()
        if subdomain is not None:
            subdomain = subdomain.strip().lower()
            if problem := subdomain_problem(subdomain):
                raise ValidationError(problem, field="subdomain")
            clash = db.scalar(
                select(Store.id).where(
                    Store.platform_id == store.platform_id, Store.subdomain == subdomain, Store.id != store.id
                )
            )
            if clash:
                raise ConflictError(f"the subdomain {subdomain!r} is taken", field="subdomain")
            store.subdomain = subdomain
        if languages is not None:
            if not languages:
                raise ValidationError("choose at least one language", field="languages")
            for lang in languages:
                _language(lang, "languages")
            store.languages = list(languages)
        if default_language is not None:
            store.default_language = _language(default_language, "default_language")
        if store.default_language not in store.languages:
            raise ValidationError("the default language must be one of the store's languages", field="default_language")
        if is_active is not None:
            store.is_active = is_active
        _audit(db, "store.update", code, user_id, store.platform_id)
        bump_revision(db)
        db.commit()
        return store


tenancy_service = TenancyService()
