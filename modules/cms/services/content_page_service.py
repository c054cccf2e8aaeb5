"""Content pages: listing them for navigation, reading one in a language, editing, publishing.

A platform page (no store) is shown on the platform's public pages and in every storefront of
the platform; a store page with the same slug replaces it in that store's storefront.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.cms.exceptions import PageInputError, Problem, SlugTakenError
from modules.cms.models import ContentPage, ContentPageTranslation
from modules.contracts.events import StorefrontContentChanged
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, ValidationError
from orion_server.events import emit
from orion_server.models import Store
from orion_server.revision import bump_revision, config_cache

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""Zone of dates typed without an offset (the dashboards show Luxembourg time)."""
MAX_TITLE = 200
MAX_SEO_DESCRIPTION = 300
MAX_BODY = 100_000
SORT_ORDER_LIMIT = 9999
STATUSES = ("draft", "published", "scheduled")
TRANSLATION_FIELDS = ("title", "body", "seo_description")


@dataclass(frozen=True)
class PageLink:
    """A page as navigation shows it: where it lives and its title in the current language."""

    id: int
    slug: str
    title: str
    is_legal: bool
    store_id: int | None


@dataclass(frozen=True)
class PageView:
    """One page in one language, ready to render."""

    id: int
    slug: str
    language: str
    """The language the text is in (the one asked for, or the fallback used)."""
    title: str
    body: str
    seo_description: str
    is_legal: bool
    store_id: int | None
    published_at: datetime | None
    updated_at: datetime

    @property
    def paragraphs(self) -> list[list[str]]:
        """The body as paragraphs (split at blank lines), each a list of lines."""
        text = self.body.replace("\r\n", "\n").replace("\r", "\n")
        result = []
        for block in re.split(r"\n\s*\n", text):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if lines:
                result.append(lines)
        return result


def local_to_utc(value: datetime) -> datetime:
    """A naive date typed in a form (Luxembourg time) as an aware UTC datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_ZONE)
    return value.astimezone(ZoneInfo("UTC"))


def parse_local_datetime(value: str | datetime | None) -> datetime | None:
    """``2026-05-01T09:30`` (Luxembourg time) or an ISO timestamp with offset -> UTC; ValueError."""
    if value is None or isinstance(value, datetime):
        return local_to_utc(value) if value is not None else None
    value = value.strip()
    if not value:
        return None
    return local_to_utc(datetime.fromisoformat(value))


@dataclass
class _CleanInput:
    slug: str
    translations: dict[str, dict[str, str]]
    show_in_header: bool
    show_in_footer: bool
    is_legal: bool
    sort_order: int
    status: str | None
    publish_at: datetime | None


def _changed(db: Session, page: ContentPage) -> None:
    """Announce that a storefront's pages changed (a platform page: every store's)."""
    emit(db, StorefrontContentChanged(platform_id=page.platform_id, store_id=page.store_id, source="cms"))


class ContentPageService:
    """Business rules of content pages."""

    # -- reading ----------------------------------------------------------------------------

    def _select(self, *, platform_id: int, store_ids: list[int | None], include_unpublished: bool):
        query = select(ContentPage).where(ContentPage.platform_id == platform_id)
        conditions = []
        if None in store_ids:
            conditions.append(ContentPage.store_id.is_(None))
        real = [s for s in store_ids if s is not None]
        if real:
            conditions.append(ContentPage.store_id.in_(real))
        query = query.where(or_(*conditions))
        if not include_unpublished:
            query = query.where(ContentPage.is_published.is_(True))
        return query.order_by(ContentPage.sort_order, ContentPage.slug)

    @staticmethod
    def _placed(
        pages: list[ContentPage], *, header_only: bool, footer_only: bool, legal_only: bool
    ) -> list[ContentPage]:
        return [
            p
            for p in pages
            if (not header_only or p.show_in_header)
            and (not footer_only or p.show_in_footer)
            and (not legal_only or p.is_legal)
        ]

    def list_platform_pages(
        self,
        db: Session,
        *,
        platform_id: int | None,
        header_only: bool = False,
        footer_only: bool = False,
        legal_only: bool = False,
        include_unpublished: bool = False,
    ) -> list[ContentPage]:
        """The platform's own pages (no store pages), by sort order then slug."""
        if platform_id is None:
            return []
        query = self._select(
            platform_id=platform_id, store_ids=[None], include_unpublished=include_unpublished
        )
        pages = list(db.scalars(query))
        return self._placed(
            pages, header_only=header_only, footer_only=footer_only, legal_only=legal_only
        )

    def list_pages_for_store(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int,
        header_only: bool = False,
        footer_only: bool = False,
        legal_only: bool = False,
        include_unpublished: bool = False,
    ) -> list[ContentPage]:
        """What the store's storefront shows: platform pages, each replaced by the store's page
        of the same slug when it has one; placement filters apply to the result."""
        query = self._select(
            platform_id=platform_id,
            store_ids=[None, store_id],
            include_unpublished=include_unpublished,
        )
        by_slug: dict[str, ContentPage] = {}
        for page in db.scalars(query):
            if page.slug not in by_slug or page.store_id is not None:
                by_slug[page.slug] = page
        pages = sorted(by_slug.values(), key=lambda p: (p.sort_order, p.slug))
        return self._placed(
            pages, header_only=header_only, footer_only=footer_only, legal_only=legal_only
        )

    def list_store_pages(
        self, db: Session, *, platform_id: int, store_id: int
    ) -> list[ContentPage]:
        """The store's own pages, published or not (the dashboard's list)."""
        query = self._select(
            platform_id=platform_id, store_ids=[store_id], include_unpublished=True
        )
        return list(db.scalars(query))

    def navigation(
        self, db: Session, *, platform_id: int, store_id: int | None, language: str | None
    ) -> dict[str, list[PageLink]]:
        """The header, footer and legal links of a store's storefront (``store_id``) or of the
        platform's pages (None), titled in ``language``. Kept per process until the configuration
        revision moves (every change to a page moves it): every page showed them, read anew."""

        def load(session: Session) -> dict[str, list[PageLink]]:
            if store_id is None:
                pages = self.list_platform_pages(session, platform_id=platform_id)
            else:
                pages = self.list_pages_for_store(session, platform_id=platform_id, store_id=store_id)
            return {
                "header_pages": self.links([p for p in pages if p.show_in_header], language),
                "footer_pages": self.links([p for p in pages if p.show_in_footer], language),
                "legal_pages": self.links([p for p in pages if p.is_legal], language),
            }

        return config_cache.get(db, ("cms.navigation", platform_id, store_id, language), load)

    @staticmethod
    def links(pages: list[ContentPage], language: str | None) -> list[PageLink]:
        """Navigation entries for ``pages`` with titles in ``language`` (falling back)."""
        return [
            PageLink(p.id, p.slug, p.title_for(language), p.is_legal, p.store_id) for p in pages
        ]

    @staticmethod
    def view(page: ContentPage, language: str | None) -> PageView:
        """``page`` in ``language``, else English, else any language it has."""
        translation = page.translation_for(language)
        return PageView(
            id=page.id,
            slug=page.slug,
            language=translation.language if translation else (language or "en"),
            title=translation.title if translation else page.slug,
            body=translation.body if translation else "",
            seo_description=translation.seo_description if translation else "",
            is_legal=page.is_legal,
            store_id=page.store_id,
            published_at=page.published_at,
            updated_at=page.updated_at,
        )

    def get_platform_page(
        self,
        db: Session,
        *,
        platform_id: int,
        slug: str,
        language: str | None = None,
        include_unpublished: bool = False,
    ) -> PageView:
        """The platform page with this slug, in ``language``; NotFoundError when missing or unpublished."""
        query = self._select(
            platform_id=platform_id, store_ids=[None], include_unpublished=include_unpublished
        )
        page = db.scalar(query.where(ContentPage.slug == slug))
        if page is None:
            raise NotFoundError(f"no page {slug!r}")
        return self.view(page, language)

    def get_page_for_store(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int,
        slug: str,
        language: str | None = None,
        include_unpublished: bool = False,
    ) -> PageView:
        """The store's page with this slug, else the platform's; NotFoundError when neither is shown."""
        query = self._select(
            platform_id=platform_id,
            store_ids=[None, store_id],
            include_unpublished=include_unpublished,
        )
        pages = list(db.scalars(query.where(ContentPage.slug == slug)))
        if not pages:
            raise NotFoundError(f"no page {slug!r}")
        page = next((p for p in pages if p.store_id is not None), pages[0])
        return self.view(page, language)

    def get_page(
        self, db: Session, *, page_id: int, store_id: int | None, platform_id: int | None = None
    ) -> ContentPage:
        """A page to edit, owned by ``store_id`` (None: a platform page) and ``platform_id`` when
        given; pages of other owners look like they do not exist."""
        page = db.get(ContentPage, page_id)
        if (
            page is None
            or page.store_id != store_id
            or (platform_id is not None and page.platform_id != platform_id)
        ):
            raise NotFoundError(f"no page {page_id}")
        return page

    # -- writing ----------------------------------------------------------------------------

    def _clean(
        self,
        *,
        slug: str,
        translations: Mapping[str, Mapping[str, str | None]],
        default_language: str,
        show_in_header: bool,
        show_in_footer: bool,
        is_legal: bool,
        sort_order: int | str,
        status: str | None,
        publish_at: datetime | str | None,
        now: datetime,
    ) -> _CleanInput:
        problems: list[Problem] = []
        slug = (slug or "").strip().lower()
        if not slug:
            problems.append(Problem("slug", "cms.errors.slug_required"))
        elif not SLUG_PATTERN.match(slug):
            problems.append(Problem("slug", "cms.errors.slug_invalid"))

        cleaned: dict[str, dict[str, str]] = {}
        for language, values in translations.items():
            if language not in SUPPORTED_LANGUAGES:
                problems.append(
                    Problem("language", "cms.errors.language_unknown", {"language": language})
                )
                continue
            title = (values.get("title") or "").strip()
            body = (values.get("body") or "").replace("\r\n", "\n").strip()
            seo = (values.get("seo_description") or "").strip()
            if not (title or body or seo):
                continue
            if not title:
                problems.append(Problem(f"title_{language}", "cms.errors.title_missing"))
            elif len(title) > MAX_TITLE:
                problems.append(
                    Problem(f"title_{language}", "cms.errors.title_too_long", {"max": MAX_TITLE})
                )
            if len(body) > MAX_BODY:
                problems.append(
                    Problem(f"body_{language}", "cms.errors.body_too_long", {"max": MAX_BODY})
                )
            if len(seo) > MAX_SEO_DESCRIPTION:
                problems.append(
                    Problem(
                        f"seo_description_{language}",
                        "cms.errors.seo_too_long",
                        {"max": MAX_SEO_DESCRIPTION},
                    )
                )
            cleaned[language] = {"title": title, "body": body, "seo_description": seo}
        if default_language not in SUPPORTED_LANGUAGES:
            default_language = "en"
        if default_language not in cleaned and not any(
            p.field == f"title_{default_language}" for p in problems
        ):
            problems.append(Problem(f"title_{default_language}", "cms.errors.title_required"))

        order = 0
        try:
            order = int(str(sort_order).strip() or "0")
            if abs(order) > SORT_ORDER_LIMIT:
                raise ValueError
        except ValueError:
            problems.append(
                Problem("sort_order", "cms.errors.sort_order_invalid", {"max": SORT_ORDER_LIMIT})
            )

        when: datetime | None = None
        if status is not None and status not in STATUSES:
            problems.append(Problem("status", "cms.errors.status_invalid"))
        try:
            when = parse_local_datetime(publish_at)
        except ValueError:
            problems.append(Problem("publish_at", "cms.errors.publish_at_invalid"))
        else:
            if status == "scheduled":
                if when is None:
                    problems.append(Problem("publish_at", "cms.errors.publish_at_required"))
                elif when <= now:
                    problems.append(Problem("publish_at", "cms.errors.publish_at_past"))

        if problems:
            raise PageInputError(problems)
        return _CleanInput(
            slug=slug,
            translations=cleaned,
            show_in_header=bool(show_in_header),
            show_in_footer=bool(show_in_footer),
            is_legal=bool(is_legal),
            sort_order=order,
            status=status,
            publish_at=when,
        )

    @staticmethod
    def _apply_status(
        page: ContentPage, status: str | None, publish_at: datetime | None, now: datetime
    ) -> None:
        if status is None:
            return
        if status == "draft":
            page.is_published = False
            page.published_at = None
        elif status == "published":
            if not page.is_published:
                page.is_published = True
                page.published_at = now
        elif status == "scheduled":
            page.is_published = False
            page.published_at = publish_at

    @staticmethod
    def _apply_translations(page: ContentPage, translations: dict[str, dict[str, str]]) -> None:
        existing = {tr.language: tr for tr in page.translations}
        for language, tr in existing.items():
            if language not in translations:
                page.translations.remove(tr)
        for language, values in translations.items():
            tr = existing.get(language)
            if tr is None:
                page.translations.append(ContentPageTranslation(language=language, **values))
            else:
                tr.title, tr.body, tr.seo_description = (
                    values["title"],
                    values["body"],
                    values["seo_description"],
                )

    def _slug_taken(
        self, db: Session, *, platform_id: int, store_id: int | None, slug: str, page_id: int | None
    ) -> bool:
        query = select(ContentPage.id).where(
            ContentPage.platform_id == platform_id, ContentPage.slug == slug
        )
        query = query.where(
            ContentPage.store_id.is_(None) if store_id is None else ContentPage.store_id == store_id
        )
        if page_id is not None:
            query = query.where(ContentPage.id != page_id)
        return db.scalar(query) is not None

    def _commit(self, db: Session, slug: str) -> None:
        bump_revision(db)  # navigation links are kept per process until the revision moves
        try:
            db.commit()
        except IntegrityError as exc:  # two writers raced for the same slug (PostgreSQL)
            db.rollback()
            raise SlugTakenError(slug) from exc

    def create_page(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None = None,
        slug: str,
        translations: Mapping[str, Mapping[str, str | None]],
        default_language: str = "en",
        show_in_header: bool = False,
        show_in_footer: bool = False,
        is_legal: bool = False,
        sort_order: int | str = 0,
        status: str | None = None,
        publish_at: datetime | str | None = None,
    ) -> ContentPage:
        """Create a page of the platform (``store_id`` None) or of a store.

        ``translations`` maps a language to its ``title``, ``body`` and ``seo_description``;
        a title is required in ``default_language``. ``status`` is ``draft`` (the default),
        ``published`` or ``scheduled`` (with ``publish_at`` in the future; a date without an
        offset is Luxembourg time).
        """
        now = utcnow()
        data = self._clean(
            slug=slug,
            translations=translations,
            default_language=default_language,
            show_in_header=show_in_header,
            show_in_footer=show_in_footer,
            is_legal=is_legal,
            sort_order=sort_order,
            status=status,
            publish_at=publish_at,
            now=now,
        )
        begin_write(db)
        if store_id is not None:
            store = db.get(Store, store_id)
            if store is None:
                raise NotFoundError(f"no store {store_id}")
            if store.platform_id != platform_id:
                raise ValidationError("the store belongs to another platform", field="store_id")
        if self._slug_taken(
            db, platform_id=platform_id, store_id=store_id, slug=data.slug, page_id=None
        ):
            raise SlugTakenError(data.slug)
        page = ContentPage(
            platform_id=platform_id,
            store_id=store_id,
            slug=data.slug,
            show_in_header=data.show_in_header,
            show_in_footer=data.show_in_footer,
            is_legal=data.is_legal,
            sort_order=data.sort_order,
            is_published=False,
            published_at=None,
        )
        self._apply_translations(page, data.translations)
        self._apply_status(page, data.status or "draft", data.publish_at, now)
        db.add(page)
        _changed(db, page)
        self._commit(db, data.slug)
        return page

    def update_page(
        self,
        db: Session,
        *,
        page_id: int,
        store_id: int | None,
        platform_id: int | None = None,
        slug: str,
        translations: Mapping[str, Mapping[str, str | None]],
        default_language: str = "en",
        show_in_header: bool = False,
        show_in_footer: bool = False,
        is_legal: bool = False,
        sort_order: int | str = 0,
        status: str | None = None,
        publish_at: datetime | str | None = None,
    ) -> ContentPage:
        """Replace a page's slug, placement and text; ``status`` None leaves publication alone.

        Languages missing from ``translations`` (or left empty) are removed from the page.
        """
        now = utcnow()
        data = self._clean(
            slug=slug,
            translations=translations,
            default_language=default_language,
            show_in_header=show_in_header,
            show_in_footer=show_in_footer,
            is_legal=is_legal,
            sort_order=sort_order,
            status=status,
            publish_at=publish_at,
            now=now,
        )
        begin_write(db)
        page = self.get_page(db, page_id=page_id, store_id=store_id, platform_id=platform_id)
        if data.slug != page.slug and self._slug_taken(
            db,
            platform_id=page.platform_id,
            store_id=page.store_id,
            slug=data.slug,
            page_id=page.id,
        ):
            raise SlugTakenError(data.slug)
        page.slug = data.slug
        page.show_in_header = data.show_in_header
        page.show_in_footer = data.show_in_footer
        page.is_legal = data.is_legal
        page.sort_order = data.sort_order
        self._apply_translations(page, data.translations)
        self._apply_status(page, data.status, data.publish_at, now)
        page.updated_at = now
        _changed(db, page)
        self._commit(db, data.slug)
        return page

    def delete_page(
        self, db: Session, *, page_id: int, store_id: int | None, platform_id: int | None = None
    ) -> str:
        """Delete a page with its translations; returns its slug."""
        begin_write(db)
        page = self.get_page(db, page_id=page_id, store_id=store_id, platform_id=platform_id)
        slug = page.slug
        _changed(db, page)
        db.delete(page)
        bump_revision(db)
        db.commit()
        return slug

    def publish(
        self,
        db: Session,
        *,
        page_id: int,
        store_id: int | None,
        platform_id: int | None = None,
        at: datetime | None = None,
    ) -> ContentPage:
        """Publish now, or schedule for ``at`` when it lies in the future."""
        now = utcnow()
        when = local_to_utc(at) if at is not None else None
        begin_write(db)
        page = self.get_page(db, page_id=page_id, store_id=store_id, platform_id=platform_id)
        if when is not None and when > now:
            self._apply_status(page, "scheduled", when, now)
        else:
            self._apply_status(page, "published", None, now)
        page.updated_at = now
        _changed(db, page)
        bump_revision(db)
        db.commit()
        return page

    def unpublish(
        self, db: Session, *, page_id: int, store_id: int | None, platform_id: int | None = None
    ) -> ContentPage:
        """Take a page offline (a scheduled page loses its date)."""
        now = utcnow()
        begin_write(db)
        page = self.get_page(db, page_id=page_id, store_id=store_id, platform_id=platform_id)
        self._apply_status(page, "draft", None, now)
        page.updated_at = now
        _changed(db, page)
        bump_revision(db)
        db.commit()
        return page

    def publish_due_pages(self, db: Session, *, now: datetime | None = None) -> list[int]:
        """Publish every scheduled page whose date has come; returns their ids."""
        now = now or utcnow()
        begin_write(db)
        due = list(
            db.scalars(
                select(ContentPage).where(
                    ContentPage.is_published.is_(False),
                    ContentPage.published_at.is_not(None),
                    ContentPage.published_at <= now,
                )
            )
        )
        for page in due:
            page.is_published = True
            page.updated_at = now
            _changed(db, page)
        if due:
            bump_revision(db)
        db.commit()
        return [page.id for page in due]


content_page_service = ContentPageService()
