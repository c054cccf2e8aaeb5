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
