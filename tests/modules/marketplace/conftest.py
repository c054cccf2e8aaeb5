"""Helpers of the marketplace module's tests."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest


@pytest.fixture
def shop(factories):
    """A platform with the catalogue and the marketplace on (and the inventory they need) and a
    French store that also sells in German and English."""
    store = factories.shop(modules=("catalog", "marketplace"), code="bakery", languages=["fr", "de", "en"],
                           default_language="fr")
    return store.platform, store


def feed_url(platform: Any, store: Any, token: str, language: str = "fr") -> str:
    """The path-mode address of a store's feed."""
    return f"/platforms/{platform.code}/storefront/{store.code}/marketplace/feed/{token}/letzshop_{language}.tsv"


def parse_feed(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a TSV feed."""
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture
def letzshop(factories, db_session, monkeypatch):
    """A store with the catalogue, orders and marketplace on, connected to a fake Letzshop API
    on 127.0.0.1 (plain http and that host allowed, half a second to answer, two orders a
    page); yields ``(fake, store)``."""
    from modules.marketplace.config import config
    from modules.marketplace.services import letzshop_client
    from modules.marketplace.services.letzshop_orders import letzshop_orders
    from tests.modules.marketplace.fake_letzshop import KEY, FakeLetzshop, serve

    monkeypatch.setattr(config, "letzshop_allow_http", True)
    monkeypatch.setattr(config, "letzshop_hosts", "127.0.0.1")
    monkeypatch.setattr(config, "letzshop_timeout", 0.5)
    monkeypatch.setattr(letzshop_client, "PAGE_SIZE", 2)
    store = factories.shop(modules=("catalog", "orders", "marketplace"), code="bakery", languages=["fr", "de", "en"],
                           default_language="fr")
    fake = FakeLetzshop()
    server, thread = serve(fake)
    letzshop_orders.save_connection(db_session, store_id=store.id, endpoint=fake.url, api_key=KEY)
    try:
        yield fake, store
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
