"""A subscription invoice as a PDF file (``orion_server.pdf``): the platform as seller, the
store with its VAT number as buyer, the lines, VAT per rate and the total, and how to pay
while it is open. Texts in the reader's language; the line descriptions as issued."""

from __future__ import annotations

from dataclasses import dataclass

from modules.billing.models import InvoiceStatus, SubscriptionInvoice
from orion_server.i18n import format_date, format_money, t
from orion_server.pdf import (
    DocumentColumn,
    DocumentFact,
    DocumentLine,
    DocumentParty,
    DocumentTable,
    DocumentTotal,
    PdfDocument,
    render_pdf,
    safe_filename,
)


@dataclass(frozen=True)
class InvoicePdf:
    """A rendered invoice: the bytes and the file name to offer them under."""

    content: bytes
    filename: str


def _party(details: dict, language: str, heading: str = "") -> DocumentParty:
    lines = [*(details.get("address") or "").splitlines()]
    if details.get("store") and details.get("store") != details.get("name"):
        lines.insert(0, details["store"])
    if details.get("email"):
        lines.append(details["email"])
    if details.get("vat_number"):
        lines.append(f"{t('billing.invoice.vat_number', language)}: {details['vat_number']}")
    return DocumentParty(name=details.get("name") or "", lines=tuple(line for line in lines if line.strip()),
                         heading=heading)


def invoice_document(invoice: SubscriptionInvoice, language: str) -> PdfDocument:
    """The invoice as the PDF engine lays it out."""
    def money(cents: int) -> str:
        return format_money(cents, language, invoice.currency)

    facts = [
        DocumentFact(t("billing.invoices.number", language), invoice.number),
        DocumentFact(t("billing.invoices.date", language), format_date(invoice.issued_at, language)),
        DocumentFact(t("billing.invoices.period", language),
                     f"{format_date(invoice.period_start, language)} – {format_date(invoice.period_end, language)}"),
    ]
    notes: list[str] = []
    if invoice.status == InvoiceStatus.PAID and invoice.paid_at is not None:
        facts.append(DocumentFact(t("billing.invoice.paid_on", language), format_date(invoice.paid_at, language)))
    else:
        facts.append(DocumentFact(t("billing.invoices.due", language), format_date(invoice.due_at, language)))
        if invoice.seller.get("iban"):
            notes.append(t("billing.invoice.pay_by_transfer", language, total=money(invoice.total_cents),
                           iban=invoice.seller["iban"], bic=invoice.seller.get("bic") or "–",
                           reference=invoice.number, date=format_date(invoice.due_at, language)))
    notes.append(t("billing.invoice.net_note", language))
    seller = _party(invoice.seller, language)
    footer = " · ".join(part for part in (
        invoice.seller.get("name"),
        f"{t('billing.invoice.vat_number', language)} {invoice.seller['vat_number']}" if invoice.seller.get("vat_number") else "",
    ) if part)
    return PdfDocument(
        title=t("billing.invoice.heading", language),
        number=invoice.number,
        seller=seller,
        facts=tuple(facts),
        parties=(_party(invoice.buyer, language, heading=t("billing.invoice.bill_to", language)),),
        table=DocumentTable(
            columns=(
                DocumentColumn(t("billing.invoice.description", language), 5),
                DocumentColumn(t("billing.invoice.quantity", language), 1, "right"),
                DocumentColumn(t("billing.invoice.amount", language), 2, "right"),
            ),
            lines=tuple(DocumentLine((line["description"], str(line["quantity"]), money(line["net_cents"])))
                        for line in invoice.lines),
        ),
        vat=DocumentTable(
            heading=t("billing.invoice.vat_heading", language),
            columns=(
                DocumentColumn(t("billing.invoice.vat_rate", language)),
                DocumentColumn(t("billing.invoice.net", language), 1, "right"),
                DocumentColumn(t("billing.invoice.vat_amount", language), 1, "right"),
            ),
            lines=(DocumentLine((f"{invoice.vat_rate} %", money(invoice.net_cents), money(invoice.vat_cents))),),
        ),
        totals=(
            DocumentTotal(t("billing.invoice.net", language), money(invoice.net_cents)),
            DocumentTotal(t("billing.invoice.vat", language, rate=invoice.vat_rate), money(invoice.vat_cents)),
            DocumentTotal(t("billing.invoice.total", language), money(invoice.total_cents), strong=True),
        ),
        notes=tuple(notes),
        footer=footer,
        language=language,
        author=invoice.seller.get("name") or "",
    )


def invoice_pdf(invoice: SubscriptionInvoice, language: str) -> InvoicePdf:
    """The invoice rendered, with a file name such as ``Invoice-LUX-000042.pdf``."""
    filename = safe_filename(f"{t('billing.invoice.heading', language)}-{invoice.number}")
    return InvoicePdf(content=render_pdf(invoice_document(invoice, language)), filename=filename)
