"""An order's invoice and packing slip as PDF files (``orion_server.pdf``), showing what the
printable pages (``orders/store/invoice.html``, ``packing_slip.html``) show: the seller, the
customer and the addresses, the lines, VAT per rate and the totals (the packing slip: no prices).
Texts are in the reader's language, money, numbers and dates in its conventions."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from modules.contracts.checkout_payments import method_label
from modules.orders.models import Order, OrderLine
from modules.orders.services.order_service import order_service
from orion_server.i18n import country_name, format_date, format_money, format_number, t
from orion_server.models import Merchant, Store
from orion_server.pdf import (
    DocumentColumn,
    DocumentFact,
    DocumentLine,
    DocumentParty,
    DocumentTable,
    DocumentTotal,
    PdfDocument,
    render_pdf,
)

CHECKBOX = "\u2610"
"""An empty box the packer ticks by hand (DejaVu Sans has it)."""
PACKED = "\u2713"


@dataclass(frozen=True)
class OrderPdf:
    """A rendered document: the PDF's bytes and the file name to offer it under."""

    content: bytes
    filename: str


# -- the parts both documents share -----------------------------------------------------------


def seller_party(store: Store | None, language: str) -> DocumentParty:
    """The store's block as the printable pages show it: the merchant's name, the store's name,
    then the merchant's address, e-mail, phone and VAT number where they are known."""
    merchant: Merchant | None = store.merchant if store is not None else None
    store_name = store.name if store is not None else ""
    if merchant is None:
        return DocumentParty(name=store_name)
    lines: list[str] = [store_name]
    lines += (merchant.business_address or "").splitlines()
    lines += [merchant.contact_email or "", merchant.contact_phone or ""]
    if merchant.tax_number:
        lines.append(f"{t('orders.document.vat_number', language)}: {merchant.tax_number}")
    return DocumentParty(name=merchant.name, lines=tuple(line for line in lines if line.strip()))


def seller_footer(seller: DocumentParty, store: Store | None, language: str) -> str:
    """The line under every page: the seller's name and VAT number."""
    merchant = store.merchant if store is not None else None
    parts = [seller.name]
    if merchant is not None and merchant.tax_number:
        parts.append(f"{t('orders.document.vat_number', language)} {merchant.tax_number}")
    return " · ".join(part for part in parts if part)


def address_party(
    heading: str, address: Mapping[str, Any] | None, language: str, extra: Sequence[str] = ()
) -> DocumentParty:
    """An address block (name, company, street, postal code and town, country in words, phone)
    under ``heading``; no address says so, as the printable pages do."""
    if not address:
        return DocumentParty(heading=heading, name="", lines=(t("orders.detail.no_address", language), *extra))
    town = " ".join(str(address.get(key) or "").strip() for key in ("postal_code", "city")).strip()
    lines = [
        address.get("company"),
        address.get("street"),
        address.get("street2"),
        town,
        country_name(address.get("country"), language),
        address.get("phone"),
        *extra,
    ]
    return DocumentParty(
        heading=heading,
        name=str(address.get("name") or ""),
        lines=tuple(str(line) for line in lines if line and str(line).strip()),
    )


def product_text(line: OrderLine) -> str:
    """The line's title with its options under it (``Größe: M · Farbe: rot``)."""
    options = " · ".join(f"{name}: {value}" for name, value in line.shown_options)
    return f"{line.title}\n{options}" if options else line.title


def _money(order: Order, language: str) -> Callable[[int], str]:
    """Cents in the order's currency, written the ``language``'s way."""
    return lambda cents: format_money(cents, language, order.currency)


def percent_text(rate: int | str, language: str) -> str:
    """A whole-percent VAT rate as the pages write it: ``17 %``."""
    return f"{format_number(Decimal(str(rate)), language)} %"


# -- the invoice ------------------------------------------------------------------------------


def invoice_facts(db: Session, order: Order, language: str) -> tuple[DocumentFact, ...]:
    """Invoice number (the order number), date, payment date and means of payment."""
    facts = [
        DocumentFact(t("orders.invoice.number", language), order.number),
        DocumentFact(t("orders.invoice.date", language), format_date(order.placed_at, language)),
    ]
    if order.paid_at:
        facts.append(DocumentFact(t("orders.invoice.paid_on", language), format_date(order.paid_at, language)))
    if order.payment_method_code:
        label = method_label(db, order.store_id, order.payment_method_code, language)
        facts.append(DocumentFact(t("orders.detail.payment_method", language), label or order.payment_method_code))
    return tuple(facts)


def invoice_lines(order: Order, language: str) -> DocumentTable:
    """Every line with its unit price, VAT rate and total, then shipping as a line of its own."""
    money = _money(order, language)
    columns = (
        DocumentColumn(t("orders.field.sku", language), 1.5),
        DocumentColumn(t("orders.field.product", language), 3.6),
        DocumentColumn(t("orders.field.quantity", language), 1.1, "right"),
        DocumentColumn(t("orders.field.unit_price", language), 1.6, "right"),
        DocumentColumn(t("orders.vat.rate", language), 1.4, "right"),
        DocumentColumn(t("orders.field.line_total", language), 1.5, "right"),
    )
    lines = [
        DocumentLine((
            line.sku,
            product_text(line),
            format_number(line.quantity, language),
            money(line.unit_price_cents),
            percent_text(line.vat_rate, language),
            money(line.line_total_cents),
        ))
        for line in order.lines
    ]
    if order.shipping_cents:
        label = t("orders.totals.shipping", language)
        if order.shipping_method_label:
            label = f"{label} – {order.shipping_method_label}"
        shipping = money(order.shipping_cents)
        lines.append(DocumentLine(("", label, format_number(1, language), shipping, "", shipping)))
    return DocumentTable(columns=columns, lines=tuple(lines))


def vat_table(order: Order, language: str) -> DocumentTable:
    """Net, VAT and gross per rate, highest rate first."""
    money = _money(order, language)
    return DocumentTable(
        heading=t("orders.vat.heading", language),
        columns=(
            DocumentColumn(t("orders.vat.rate", language), 1.1),
            DocumentColumn(t("orders.vat.net", language), 1, "right"),
            DocumentColumn(t("orders.vat.vat", language), 1, "right"),
            DocumentColumn(t("orders.vat.gross", language), 1, "right"),
        ),
        lines=tuple(
            DocumentLine((percent_text(rate, language), money(row["net"]), money(row["vat"]), money(row["gross"])))
            for rate, row in order.vat_rows
        ),
    )


def invoice_totals(order: Order, language: str) -> tuple[DocumentTotal, ...]:
    """Subtotal, shipping and discount where there are any, the total, the VAT it includes."""
    money = _money(order, language)
    totals = [DocumentTotal(t("orders.totals.subtotal", language), money(order.subtotal_cents))]
    if order.shipping_cents:
        totals.append(DocumentTotal(t("orders.totals.shipping", language), money(order.shipping_cents)))
    if order.discount_cents:
        totals.append(DocumentTotal(t("orders.totals.discount", language), f"−{money(order.discount_cents)}"))
    totals.append(DocumentTotal(t("orders.totals.total", language), money(order.total_cents), strong=True))
    totals.append(DocumentTotal(t("orders.totals.vat_included", language), money(order.vat_cents)))
    return tuple(totals)


def invoice_document(db: Session, order: Order, store: Store | None, language: str) -> PdfDocument:
    """The invoice of ``order`` (its number is the order number), in ``language``."""
    seller = seller_party(store, language)
    billing_extra = (order.customer_email,) if order.customer_email else ()
    return PdfDocument(
        title=t("orders.invoice.heading", language),
        number=order.number,
        seller=seller,
        facts=invoice_facts(db, order, language),
        parties=(
            address_party(t("orders.invoice.bill_to", language), order.billing_address, language, billing_extra),
            address_party(t("orders.detail.shipping_address", language), order.shipping_address, language),
        ),
        table=invoice_lines(order, language),
        vat=vat_table(order, language),
        totals=invoice_totals(order, language),
        notes=(t("orders.invoice.prices_include_vat", language),),
        footer=seller_footer(seller, store, language),
        language=language,
    )


# -- the packing slip -------------------------------------------------------------------------


def packing_slip_document(order: Order, store: Store | None, language: str) -> PdfDocument:
    """What goes in the parcel of ``order`` and where it goes: no prices."""
    seller = seller_party(store, language)
    facts = [
        DocumentFact(t("orders.field.number", language), order.number),
        DocumentFact(t("orders.invoice.date", language), format_date(order.placed_at, language)),
    ]
    method = order.shipping_method_label or order.shipping_method_code
    if method:
        facts.append(DocumentFact(t("orders.detail.shipping_method", language), method))
    phone = (order.customer_phone,) if order.customer_phone else ()
    columns = (
        DocumentColumn(PACKED, 0.6, "center"),
        DocumentColumn(t("orders.field.sku", language), 1.6),
        DocumentColumn(t("orders.field.product", language), 5.4),
        DocumentColumn(t("orders.field.quantity", language), 1.0, "right"),
    )
    lines = tuple(
        DocumentLine((CHECKBOX, line.sku, product_text(line), format_number(line.quantity, language)))
        for line in order.lines
    )
    return PdfDocument(
        title=t("orders.packing.heading", language),
        number=order.number,
        seller=seller,
        facts=tuple(facts),
        parties=(address_party(t("orders.packing.ship_to", language), order.shipping_address, language, phone),),
        table=DocumentTable(columns=columns, lines=lines),
        notes=(t("orders.packing.units", language, count=order.item_count),),
        footer=seller_footer(seller, store, language),
        language=language,
    )


# -- rendered ---------------------------------------------------------------------------------


class OrderDocuments:
    """The store's order documents as PDF files, found by order number within the store."""

    def invoice_pdf(self, db: Session, *, store_id: int, number: str, language: str) -> OrderPdf:
        """The invoice of the store's order ``number``; NotFoundError for another store's."""
        order = order_service.get_by_number(db, store_id=store_id, number=number)
        document = invoice_document(db, order, db.get(Store, store_id), language)
        filename = t("orders.invoice.filename", language, number=order.number)
        return OrderPdf(content=render_pdf(document), filename=filename)

    def packing_slip_pdf(self, db: Session, *, store_id: int, number: str, language: str) -> OrderPdf:
        """The packing slip of the store's order ``number``; NotFoundError for another store's."""
        order = order_service.get_by_number(db, store_id=store_id, number=number)
        document = packing_slip_document(order, db.get(Store, store_id), language)
        filename = t("orders.packing.filename", language, number=order.number)
        return OrderPdf(content=render_pdf(document), filename=filename)


order_documents = OrderDocuments()
