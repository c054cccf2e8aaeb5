"""Helpers of the Content module's tests."""

from __future__ import annotations

from typing import Any

import pytest

from modules.cms.services import content_page_service


@pytest.fixture
def make_page(db_session):
    """Create a content page: ``make_page(platform, store=None, slug=..., titles={"en": ...})``."""

    def make(
        platform: Any,
        store: Any = None,
        *,
        slug: str = "about",
        titles: dict[str, str] | None = None,
        status: str = "published",
        **fields: Any,
    ):
        titles = titles or {"en": "About us"}
        translations = {
            lang: {"title": title, "body": f"{title} text."} for lang, title in titles.items()
        }
        return content_page_service.create_page(
            db_session,
            platform_id=platform.id,
            store_id=store.id if store is not None else None,
            slug=slug,
            translations=translations,
            default_language=next(iter(titles)),
            status=status,
            **fields,
        )

    return make


def storefront(platform: Any, store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront."""
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"


def page_id(db: Any, slug: str) -> int | None:
    """The id of the (first) page with ``slug``, read in a fresh transaction."""
    from sqlalchemy import select

    from modules.cms.models import ContentPage

    db.rollback()
    return db.scalar(
        select(ContentPage.id).where(ContentPage.slug == slug).order_by(ContentPage.id)
    )
