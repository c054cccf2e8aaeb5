"""Importing a store's catalogue file: its Letzshop feed (Google Shopping's columns, tab- or
comma-separated) or Orion's own CSV export, in one language.

Staff upload the file; a background task reads it in batches of ``BATCH`` rows, creating or
updating each row's product by SKU through the catalog's ``ProductImport`` contract (a row
that changes nothing writes nothing, so importing the same file twice changes nothing),
fetching pictures by URL only from allowed public hosts. Each product is written whole or not
at all; a bad row is recorded (row, column, message) and the others go on. Progress (rows
done of total) is kept on the import; a cancelled import stops before its next batch.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modules.contracts.product_catalog import (
    AVAILABILITIES,
    CONDITIONS,
    ImportedProduct,
    ProductImport,
)
from modules.marketplace.config import config
from modules.marketplace.exceptions import MarketplaceInputError, Problem
from modules.marketplace.models import CatalogueImport
from modules.marketplace.services.remote_images import ImageRefused, fetch_image
from orion_server.config import get_settings
from orion_server.database import begin_write, session_scope, utcnow
from orion_server.errors import NotFoundError
from orion_server.forms import InputError
from orion_server.i18n import t
from orion_server.money import MoneyError, parse_amount
from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store

logger = logging.getLogger(__name__)

BATCH = 100
"""Rows per transaction of progress (and between two looks at a cancellation)."""
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
IMPORT_LANGUAGES = ("fr", "de", "en")
MAX_PRICE_CENTS = 100_000_000
ACTIVE = ("queued", "running")
FIELD_COLUMNS = {
    "price_cents": "price",
    "sale_price_cents": "sale_price",
    "brand": "brand",
    "gtin": "gtin",
    "condition": "condition",
    "availability": "availability",
    "slug": "title",
    "image": "image_link",
}
"""The file's column for each field the catalogue names in a refusal (Letzshop's names)."""

Fetcher = Callable[[str], tuple[str, bytes]]


class RowRefused(Exception):
    """A row that cannot be read: the column and the translation key of why."""

    def __init__(self, column: str, key: str, **params: Any) -> None:
        super().__init__(key)
        self.column, self.key, self.params = column, key, params


def import_path(import_id: int) -> Path:
    """Where an uploaded file waits for its import."""
    return get_settings().data_dir / "marketplace" / "imports" / f"{import_id}.csv"


# -- reading the file ----------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedFile:
    kind: str
    """``letzshop`` (Google Shopping's columns) or ``orion`` (Orion's CSV export)."""
    header: list[str]
    rows: list[list[str]]


def parse_file(data: bytes) -> ParsedFile:
    """The header and rows of a catalogue file; MarketplaceInputError when it is none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MarketplaceInputError([Problem("file", "marketplace.import.errors.file_encoding")]) from None
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ";", ","), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        raise MarketplaceInputError([Problem("file", "marketplace.import.errors.file_unreadable")]) from None
    if "id" in header and "title" in header and "price" in header:
        kind = "letzshop"
    elif "sku" in header and "price" in header and any(name.startswith("title_") for name in header):
        kind = "orion"
    else:
        raise MarketplaceInputError([Problem("file", "marketplace.import.errors.file_columns")])
    if not rows:
        raise MarketplaceInputError([Problem("file", "marketplace.import.errors.file_empty")])
    if len(rows) > MAX_ROWS:
        raise MarketplaceInputError([Problem("file", "marketplace.import.errors.file_rows", {"max": MAX_ROWS})])
    return ParsedFile(kind, header, rows)


def _price(value: str, column: str) -> int | None:
    text = (value or "").strip()
    found = re.fullmatch(r"(.*?)\s*([A-Za-z]{3}|€)?", text)
    number, currency = (found.group(1), found.group(2)) if found else (text, None)
    if currency and currency.upper() not in ("EUR", "€"):
        raise RowRefused(column, "marketplace.import.errors.currency", currency=currency)
    try:
        return parse_amount(number, maximum_cents=MAX_PRICE_CENTS)
    except MoneyError:
        raise RowRefused(column, "marketplace.import.errors.price") from None


def read_row(parsed: ParsedFile, cells: list[str], language: str) -> tuple[ImportedProduct, list[str]]:
    """The product of one row and the URLs of its pictures; RowRefused naming the column."""
    row = {name: (cells[index].strip() if index < len(cells) else "") for index, name in enumerate(parsed.header)}
    if parsed.kind == "letzshop":
        sku, sku_column = row.get("id", ""), "id"
        title, description = row.get("title", ""), row.get("description", "")
        price = _price(row.get("price", ""), "price")
        sale = _price(row.get("sale_price", ""), "sale_price")
        stock = None
        images = [row.get("image_link", "")] + row.get("additional_image_link", "").split(",")
    else:
        sku, sku_column = row.get("sku", ""), "sku"
        title, description = row.get(f"title_{language}", ""), row.get(f"description_{language}", "")
        price = _price(row.get("price", ""), "price")
        sale = _price(row.get("sale_price", ""), "sale_price")
        stock_text = row.get("stock", "")
        stock = int(stock_text) if stock_text.isdigit() else None
        if stock_text and stock is None:
            raise RowRefused("stock", "marketplace.import.errors.stock")
        images = []
    if not sku:
        raise RowRefused(sku_column, "marketplace.import.errors.sku_required")
    if not title:
        raise RowRefused("title" if parsed.kind == "letzshop" else f"title_{language}",
                         "marketplace.import.errors.title_required")
    if price is None:
        raise RowRefused("price", "marketplace.import.errors.price_required")
    condition = (row.get("condition") or "new").lower()
    if condition not in CONDITIONS:
        raise RowRefused("condition", "marketplace.import.errors.condition")
    availability = (row.get("availability") or "").lower().replace(" ", "_") or None
    if availability is not None and availability not in AVAILABILITIES:
        raise RowRefused("availability", "marketplace.import.errors.availability")
    if availability in ("in_stock", "out_of_stock"):
        availability = None  # the stock says it
    given = {"description", "brand", "gtin", "sale_price_cents", "condition", "availability"}
    given = {name for name in given if name.removesuffix("_cents") in row or name == "description"}
    product = ImportedProduct(
        sku=sku, language=language, title=title, description=description, price_cents=price,
        sale_price_cents=sale, brand=row.get("brand", ""), gtin=row.get("gtin", ""), condition=condition,
        availability=availability, stock=stock, given=frozenset(given),
    )
    return product, [url.strip() for url in images if url.strip()]


# -- the service ---------------------------------------------------------------------------


class ImportService:
    """Starting, running, cancelling and reporting catalogue imports."""

    def get(self, db: Session, *, store_id: int, import_id: int) -> CatalogueImport:
        found = db.get(CatalogueImport, import_id) if 0 < import_id < 2**31 else None
        if found is None or found.store_id != store_id:
            raise NotFoundError(f"no import {import_id}")
        return found

    def recent(self, db: Session, *, store_id: int, limit: int = 10) -> list[CatalogueImport]:
        return list(db.scalars(
            select(CatalogueImport).where(CatalogueImport.store_id == store_id)
            .order_by(CatalogueImport.created_at.desc(), CatalogueImport.id.desc()).limit(limit)
        ))

    def stalled(self, db: Session, *, before: Any) -> list[int]:
        """Queued or running imports not moved since ``before``."""
        return list(db.scalars(select(CatalogueImport.id).where(
            CatalogueImport.status.in_(ACTIVE), CatalogueImport.updated_at < before)))

    def start(self, db: Session, *, store_id: int, file_name: str, data: bytes, language: str,
              actor: str | None) -> CatalogueImport:
        """Check and keep an uploaded file, and record its import (``queued``); the caller
        schedules ``run``. MarketplaceInputError for a file or language that cannot be read."""
        problems = []
        if language not in IMPORT_LANGUAGES:
            problems.append(Problem("language", "marketplace.import.errors.language"))
        if not data:
            problems.append(Problem("file", "marketplace.import.errors.file_missing"))
        elif len(data) > MAX_FILE_BYTES:
            problems.append(Problem("file", "marketplace.import.errors.file_size",
                                    {"max": MAX_FILE_BYTES // (1024 * 1024)}))
        if problems:
            raise MarketplaceInputError(problems)
        parsed = parse_file(data)
        begin_write(db)
        record = CatalogueImport(store_id=store_id, file_name=(file_name or "catalogue.csv")[:255],
                                 language=language, status="queued", total_rows=len(parsed.rows),
                                 errors=[], actor=(actor or "")[:255] or None)
        db.add(record)
        db.flush()
        path = import_path(record.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        db.commit()
        return record

    def cancel(self, db: Session, *, store_id: int, import_id: int) -> CatalogueImport:
        """Ask a queued or running import to stop before its next batch (a queued one stops
        at once)."""
        begin_write(db)
        record = self.get(db, store_id=store_id, import_id=import_id)
        if record.status == "queued":
            record.status, record.finished_at = "cancelled", utcnow()
            import_path(record.id).unlink(missing_ok=True)
        elif record.status == "running":
            record.cancel_requested = True
        db.commit()
        return record

    def error_report(self, db: Session, *, store_id: int, import_id: int) -> str:
        """The refused rows as CSV: row (the file's line, the header being 1), column, message."""
        record = self.get(db, store_id=store_id, import_id=import_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["row", "column", "message"])
        for error in record.errors:
            writer.writerow([error["row"], error["column"], error["message"]])
        return buffer.getvalue()

    def run(self, import_id: int, *, fetcher: Fetcher | None = None, batch: int = BATCH,
            after_batch: Callable[[int], None] | None = None) -> str:
        """Import the file of ``import_id`` from where it stopped; the import's final status.
        ``fetcher`` fetches a picture (default: from the allowed hosts); ``after_batch`` is
        called with the rows done after each batch (tests cancel there)."""
        fetch = fetcher or (lambda url: fetch_image(url, allowed_hosts=config.allowed_hosts))
        with session_scope() as db:
            begin_write(db)
            record = db.get(CatalogueImport, import_id)
            if record is None or record.status not in ACTIVE:
                return record.status if record else "missing"
            record.status = "running"
            store_id, language, start, total = record.store_id, record.language, record.done_rows, record.total_rows
            report_language = language
            db.commit()
            importer = get_provider(db, ProductImport, platform_id=platform_id_of_store(db, store_id))
        path = import_path(import_id)
        try:
            parsed = parse_file(path.read_bytes())
        except (OSError, MarketplaceInputError):
            self._finish(import_id, "failed")
            return "failed"
        if importer is None:
            self._finish(import_id, "failed")
            return "failed"
        for first in range(start, total, batch):
            counts = {"created": 0, "updated": 0, "unchanged": 0}
            errors: list[dict[str, Any]] = []
            with session_scope() as db:
                if db.scalar(select(CatalogueImport.cancel_requested).where(CatalogueImport.id == import_id)):
                    break
                for index in range(first, min(first + batch, total)):
                    line = index + 2  # the header is line 1
                    try:
                        product, urls = read_row(parsed, parsed.rows[index], language)
                        if urls and not importer.has_images(db, store_id=store_id, sku=product.sku):
                            images = []
                            for url in urls[:5]:
                                images.append(fetch(url))
                            product = replace(product, images=tuple(images))
                        counts[importer.import_product(db, store_id=store_id, product=product,
                                                       actor="letzshop import")] += 1
                    except RowRefused as refused:
                        errors.append({"row": line, "column": refused.column,
                                       "message": t(refused.key, report_language, **refused.params)})
                    except ImageRefused as refused:
                        errors.append({"row": line, "column": "image_link",
                                       "message": t(refused.key, report_language, **refused.params)})
                    except InputError as refused:
                        db.rollback()
                        for field, message in refused.field_messages(report_language).items():
                            errors.append({"row": line, "column": self._column(field, parsed.kind),
                                           "message": message})
                    except Exception:  # one row's surprise must not stop the file (nor loop forever)
                        db.rollback()
                        logger.exception("import %s: row %s failed", import_id, line)
                        errors.append({"row": line, "column": "",
                                       "message": t("marketplace.import.errors.unexpected", report_language)})
                db.rollback()
                begin_write(db)
                record = db.get(CatalogueImport, import_id, populate_existing=True)
                record.done_rows = min(first + batch, total)
                record.created_count += counts["created"]
                record.updated_count += counts["updated"]
                record.unchanged_count += counts["unchanged"]
                record.error_count += len(errors)
                record.errors = [*record.errors, *errors]
            if after_batch is not None:
                after_batch(min(first + batch, total))
        with session_scope() as db:
            cancelled = db.scalar(select(CatalogueImport.cancel_requested).where(CatalogueImport.id == import_id))
        status = "cancelled" if cancelled else "done"
        self._finish(import_id, status)
        return status

    @staticmethod
    def _column(field: str, kind: str) -> str:
        if field.startswith("translations."):
            return "description" if field.endswith(".description") else "title"
        if field.startswith("variants."):
            return "stock" if field.endswith(".stock") else ("id" if kind == "letzshop" else "sku")
        return FIELD_COLUMNS.get(field, field)

    @staticmethod
    def _finish(import_id: int, status: str) -> None:
        with session_scope() as db:
            begin_write(db)
            db.execute(update(CatalogueImport).where(CatalogueImport.id == import_id)
                       .values(status=status, finished_at=utcnow()).execution_options(synchronize_session=False))
        import_path(import_id).unlink(missing_ok=True)


import_service = ImportService()
