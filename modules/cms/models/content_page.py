"""Content pages (platform-wide or per store) and their text per language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import Base, TimestampMixin, UTCDateTime

FALLBACK_LANGUAGE = "en"


class ContentPage(TimestampMixin, Base):
    """A page such as "about" or "legal-notice".

    A platform page has no ``store_id``; a store page with the same slug overrides it in that
    store's storefront. A page is shown once ``is_published``; an unpublished page with a
    ``published_at`` in the future is *scheduled* and gets published by a periodic task.
    """

    __tablename__ = "content_pages"
    __table_args__ = (
        UniqueConstraint("platform_id", "store_id", "slug"),
        # NULL store ids never clash in a unique constraint: platform pages need their own index.
        Index(
            "uq_content_pages_platform_slug",
            "platform_id",
            "slug",
            unique=True,
            sqlite_where=text("store_id IS NULL"),
            postgresql_where=text("store_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(100), nullable=False)
    show_in_header: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    show_in_footer: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_legal: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_published: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    translations: Mapped[list[ContentPageTranslation]] = relationship(
        back_populates="page",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ContentPageTranslation.language",
    )

    def translation_for(self, language: str | None) -> ContentPageTranslation | None:
        """The text in ``language``, else English, else the first language that has one."""
        by_language = {tr.language: tr for tr in self.translations}
        for candidate in (language, FALLBACK_LANGUAGE, *SUPPORTED_LANGUAGES):
            if candidate in by_language:
                return by_language[candidate]
        return next(iter(by_language.values()), None)

    def title_for(self, language: str | None) -> str:
        """The title in ``language`` (with the same fallback), or the slug when there is none."""
        translation = self.translation_for(language)
        return translation.title if translation and translation.title else self.slug

    @property
    def status(self) -> str:
        """``published``, ``scheduled`` (not yet published, with a date) or ``draft``."""
        if self.is_published:
            return "published"
        if self.published_at is not None:
            return "scheduled"
        return "draft"


class ContentPageTranslation(TimestampMixin, Base):
    """The title, body and SEO description of a page in one language."""

    __tablename__ = "content_page_translations"
    __table_args__ = (UniqueConstraint("page_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(
        ForeignKey("content_pages.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, default="", nullable=False)
    seo_description: Mapped[str] = mapped_column(String(300), default="", nullable=False)

    page: Mapped[ContentPage] = relationship(back_populates="translations")
