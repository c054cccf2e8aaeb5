"""The Letzshop product feed: a tab-separated file per language in the Google Shopping format,
written by a background task when products or stock change and served from the data folder.

The feed reads the catalogue only through the ``ProductCatalog`` contract
(``modules.contracts.product_catalog``): one row per published variant.
"""

from __future__ import annotations

import csv
import logging
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.product_catalog import FeedItem, catalog_of
from modules.marketplace.models import MarketplaceFeed
from orion_server.config import get_settings
from orion_server.database import begin_write, utcnow
from orion_server.models import Platform, Store

logger = logging.getLogger(__name__)

FEED_LANGUAGES = ("en", "fr", "de")
"""The languages Letzshop reads a feed in."""
COLUMNS = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "price",
    "sale_price",
    "availability",
    "brand",
    "gtin",
    "condition",
    "item_group_id",
)
"""The feed's columns, in order (Google Shopping's names)."""
MAX_TITLE = 150
MAX_DESCRIPTION = 5000
MAX_ADDITIONAL_IMAGES = 10
"""Google Shopping's limits."""
REGENERATE_DELAY = 30
"""Seconds a change waits before the feed is written again, so a burst of changes (an import,
a rush of orders) writes it once."""


def feed_dir(store_id: int) -> Path:
    """Where a store's feed files are kept."""
    return get_settings().data_dir / "marketplace" / "feeds" / str(store_id)


def feed_path(store_id: int, language: str) -> Path:
    """The file of a store's feed in one language."""
    return feed_dir(store_id) / f"letzshop_{language}.tsv"


def money_text(cents: int) -> str:
    """``1250`` -> ``12.50 EUR``, as Google Shopping writes a price."""
    return f"{cents // 100}.{cents % 100:02d} EUR"


def availability_of(item: FeedItem) -> str:
    """What staff set, else ``in_stock`` while units can be sold (always for digital
    products), else ``out_of_stock``."""
    if item.availability:
        return item.availability
    return "in_stock" if item.stock is None or item.stock > 0 else "out_of_stock"


def _clean(text: str, limit: int) -> str:
    """One line of text without tabs, at most ``limit`` characters."""
    return " ".join((text or "").split())[:limit]


def storefront_root(db: Session, store_id: int) -> str:
    """The absolute address of the store's storefront, ending with ``/``."""
    store = db.get(Store, store_id)
    platform = db.get(Platform, store.platform_id)
    base = get_settings().base_url.rstrip("/")
    return f"{base}/platforms/{platform.code}/storefront/{store.code}/"


def feed_row(item: FeedItem, *, root: str, language: str) -> list[str]:
    """The feed's columns for one variant; links are absolute, in the feed's language."""
    images = [root + path for path in item.image_paths]
    return [
        item.sku,
        _clean(item.title, MAX_TITLE),
        _clean(item.description, MAX_DESCRIPTION),
        f"{root}{item.product_url_path}?lang={language}",
        images[0] if images else "",
        ",".join(images[1 : 1 + MAX_ADDITIONAL_IMAGES]),
        money_text(item.price_cents),
        money_text(item.sale_price_cents) if item.sale_price_cents is not None else "",
        availability_of(item),
        _clean(item.brand, 70),
        item.gtin,
        item.condition,
        str(item.product_id),
    ]


@dataclass(frozen=True)
class FeedStatus:
    """What the dashboard shows of a store's feed."""

    token: str
    generated_at: datetime | None
    row_count: int
    duration_ms: int | None
    stale: bool


class FeedService:
    """Tokens, generation and reading of the stores' feeds."""

    # -- state ----------------------------------------------------------------------------

    def feed_of(self, db: Session, *, store_id: int) -> MarketplaceFeed | None:
        return db.scalar(select(MarketplaceFeed).where(MarketplaceFeed.store_id == store_id))

    def ensure_feed(self, db: Session, *, store_id: int) -> MarketplaceFeed:
        """The store's feed, made with a new secret token the first time."""
        feed = self.feed_of(db, store_id=store_id)
        if feed is not None:
            return feed
        begin_write(db)
        feed = self.feed_of(db, store_id=store_id)
        if feed is None:
            feed = MarketplaceFeed(store_id=store_id, token=secrets.token_urlsafe(24), row_count=0)
            db.add(feed)
            try:
                db.commit()
            except IntegrityError:  # made by another request meanwhile (PostgreSQL)
                db.rollback()
                feed = self.feed_of(db, store_id=store_id)
                assert feed is not None
        else:
            db.commit()
        return feed

    def status(self, db: Session, *, store_id: int) -> FeedStatus:
        feed = self.ensure_feed(db, store_id=store_id)
        return FeedStatus(
            token=feed.token,
            generated_at=feed.generated_at,
            row_count=feed.row_count,
            duration_ms=feed.duration_ms,
            stale=feed.stale_since is not None,
        )

    def new_token(self, db: Session, *, store_id: int) -> str:
        """Replace the store's token: the old feed addresses answer 404 from now on."""
        self.ensure_feed(db, store_id=store_id)
        begin_write(db)
        feed = self.feed_of(db, store_id=store_id)
        assert feed is not None
        feed.token = secrets.token_urlsafe(24)
        db.commit()
        return feed.token

    def store_for_token(self, db: Session, *, store_id: int, token: str) -> bool:
        """Whether ``token`` is the store's feed token (compared in constant time)."""
        feed = self.feed_of(db, store_id=store_id)
        return feed is not None and secrets.compare_digest(feed.token.encode(), (token or "").encode())

    def mark_stale(self, db: Session, *, store_id: int) -> bool:
        """Record that the store's feed is out of date; True when it was up to date until
        now (the caller schedules one generation), False when one is already due or the store
        has no feed (nobody asked for one: nothing to keep up to date)."""
        begin_write(db)
        changed = db.execute(
            update(MarketplaceFeed)
            .where(MarketplaceFeed.store_id == store_id, MarketplaceFeed.stale_since.is_(None))
            .values(stale_since=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        db.commit()
        return changed == 1

    def stale_store_ids(self, db: Session, *, before: datetime) -> list[int]:
        """Stores whose feed went out of date before ``before`` (a lost scheduled run)."""
        return list(
            db.scalars(
                select(MarketplaceFeed.store_id).where(
                    MarketplaceFeed.stale_since.is_not(None), MarketplaceFeed.stale_since < before
                )
            )
        )

    # -- generation -----------------------------------------------------------------------

    def generate(self, db: Session, *, store_id: int) -> int:
        """Write the store's feed in every feed language; the number of rows (published
        variants). Each file is written beside the old one and moved over it, so a fetch
        never reads half a file. Without a catalogue on the platform the feed is empty."""
        feed = self.ensure_feed(db, store_id=store_id)
        begin_write(db)
        # changes from now on need another run: clear the mark before reading
        db.execute(
            update(MarketplaceFeed)
            .where(MarketplaceFeed.id == feed.id)
            .values(stale_since=None)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        started = time.monotonic()
        catalog = catalog_of(db, store_id=store_id)
        root = storefront_root(db, store_id)
        folder = feed_dir(store_id)
        folder.mkdir(parents=True, exist_ok=True)
        rows = 0
        for language in FEED_LANGUAGES:
            items: Iterable[FeedItem] = (
                catalog.feed_items(db, store_id=store_id, language=language) if catalog else ()
            )
            rows = self._write(feed_path(store_id, language), items, root=root, language=language)
            db.rollback()  # end the read: writers are not kept waiting between languages
        duration = int((time.monotonic() - started) * 1000)
        begin_write(db)
        db.execute(
            update(MarketplaceFeed)
            .where(MarketplaceFeed.id == feed.id)
            .values(generated_at=utcnow(), row_count=rows, duration_ms=duration)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        logger.info("letzshop feed of store %s written: %d rows in %d ms", store_id, rows, duration)
        return rows

    @staticmethod
    def _write(path: Path, items: Iterable[FeedItem], *, root: str, language: str) -> int:
        partial = path.with_name(f"{path.name}.{secrets.token_hex(6)}.partial")  # one per writer
        count = 0
        with partial.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(COLUMNS)
            for item in items:
                writer.writerow(feed_row(item, root=root, language=language))
                count += 1
        os.replace(partial, path)
        return count

    def read(self, db: Session, *, store_id: int, language: str) -> Path | None:
        """The file of the store's feed in ``language``, written once first when the feed has
        never been generated; None for a language Letzshop does not read."""
        if language not in FEED_LANGUAGES:
            return None
        feed = self.feed_of(db, store_id=store_id)
        path = feed_path(store_id, language)
        # a file without a generation on record is not this feed's (a store deleted before)
        if feed is None or feed.generated_at is None or not path.is_file():
            self.generate(db, store_id=store_id)
        return path if path.is_file() else None


feed_service = FeedService()
