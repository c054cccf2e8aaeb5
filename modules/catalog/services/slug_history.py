"""Old slugs of products and categories, answered with a permanent redirect."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from modules.catalog.models import Category, Product, SlugRedirect


def remember_slug(
    db: Session, *, store_id: int, kind: str, old: str | None, new: str, target_id: int | None
) -> None:
    """In the transaction of a change: ``new`` is live (no redirect may claim it any more),
    and ``old``, when it differs, leads to ``target_id`` from now on."""
    db.execute(delete(SlugRedirect).where(
        SlugRedirect.store_id == store_id, SlugRedirect.kind == kind, SlugRedirect.old_slug == new
    ))
    if not old or old == new or target_id is None:
        return
    db.execute(delete(SlugRedirect).where(
        SlugRedirect.store_id == store_id, SlugRedirect.kind == kind, SlugRedirect.old_slug == old
    ))
    target = {"product_id": target_id} if kind == "product" else {"category_id": target_id}
    db.add(SlugRedirect(store_id=store_id, kind=kind, old_slug=old, **target))


def current_slug(db: Session, *, store_id: int, kind: str, slug: str) -> str | None:
    """The slug now used by what was at ``slug``; None when nothing was (or it is gone, or a
    product is not published)."""
    if kind == "product":
        query = (
            select(Product.slug)
            .join(SlugRedirect, SlugRedirect.product_id == Product.id)
            .where(Product.status == "published")
        )
    else:
        query = select(Category.slug).join(SlugRedirect, SlugRedirect.category_id == Category.id)
    return db.scalar(query.where(
        SlugRedirect.store_id == store_id, SlugRedirect.kind == kind, SlugRedirect.old_slug == slug
    ))
