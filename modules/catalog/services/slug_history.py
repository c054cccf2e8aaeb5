"""Old slugs of products and categories, answered with a permanent redirect; the addresses of
deleted products, answered with 410 Gone (a row leading nowhere) until a new product takes them."""

from __future__ import annotations

from sqlalchemy import delete, select, update
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


def forget_product(db: Session, *, store_id: int, product: Product) -> None:
    """In the transaction that deletes ``product``: its address and every old one it answered
    now say the product is gone (410), so search engines drop them instead of retrying."""
    db.execute(update(SlugRedirect).where(SlugRedirect.product_id == product.id).values(product_id=None))
    db.execute(delete(SlugRedirect).where(
        SlugRedirect.store_id == store_id, SlugRedirect.kind == "product", SlugRedirect.old_slug == product.slug
    ))
    db.add(SlugRedirect(store_id=store_id, kind="product", old_slug=product.slug, product_id=None))


def is_gone(db: Session, *, store_id: int, kind: str, slug: str) -> bool:
    """Whether ``slug`` was the address of a product deleted since (and not taken again)."""
    return db.scalar(select(SlugRedirect.id).where(
        SlugRedirect.store_id == store_id, SlugRedirect.kind == kind, SlugRedirect.old_slug == slug,
        SlugRedirect.product_id.is_(None), SlugRedirect.category_id.is_(None),
    )) is not None
