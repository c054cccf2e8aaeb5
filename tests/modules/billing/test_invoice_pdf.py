"""A subscription invoice as PDF: what an accountant checks (number, seller and buyer with
their VAT numbers, lines, VAT, total, how to pay), read back from the PDF's text."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from modules.billing.services import invoicing_service, plan_service

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(factories, db_session):
    platform = factories.platform(code="lux", name="Lux Shops")
    store = factories.store(platform, code="bakery", name="Boulangerie Müller – Éclair")
    store.address, store.vat_number = "14, Grand-Rue\nL-1660 Luxembourg", "LU12345613"
    db_session.commit()
    invoicing_service.save_profile(db_session, platform_id=platform.id, values={
        "seller_name": "Lux Shops SARL", "seller_address": "1, rue de la Gare\nL-1611 Luxembourg",
        "seller_vat_number": "LU99999999", "seller_email": "billing@lux.lu", "iban": "LU280019400644750000",
        "bic": "BCEELULL", "vat_rate": "17", "payment_terms_days": "14", "grace_days": "14"})
    return store


def text_of(content: bytes) -> str:
    """The PDF's text with every run of white space as one space (wrapped lines joined)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_invoice_pdf_has_what_an_accountant_checks(client, factories, db_session, store):
    change = plan_service.change(db_session, store_id=store.id, tier="professional", cycle="annual", now=NOW)
    factories.owner(client, store)

    response = client.get(f"/store/bakery/billing/invoices/{change.invoice.number}.pdf?lang=en")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="Invoice-LUX-000001.pdf"'
    text = text_of(response.content)
    for expected in ("Invoice", "LUX-000001", "Lux Shops SARL", "VAT number: LU99999999",
                     "Boulangerie Müller – Éclair", "14, Grand-Rue", "VAT number: LU12345613",
                     "Professional plan (annual), 7 Dec 2026 – 7 Dec 2027", "€990.00", "17 %", "€168.30",
                     "€1,158.30", "IBAN LU280019400644750000", "21 Dec 2026"):
        assert expected in text, expected


def test_the_pdf_speaks_the_readers_language(client, factories, db_session, store):
    change = plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    factories.owner(client, store)

    text = text_of(client.get(f"/store/bakery/billing/invoices/{change.invoice.number}.pdf?lang=de").content)

    assert "Rechnung" in text and "USt-IdNr.: LU12345613" in text and "57,33 €" in text


def test_another_stores_invoice_pdf_is_not_found_and_the_admin_gets_it(client, factories, db_session, store, main_platform):
    other = factories.store(store.platform, code="florist")
    change = plan_service.change(db_session, store_id=other.id, tier="essential", cycle="monthly", now=NOW)
    factories.owner(client, store)
    assert client.get(f"/store/bakery/billing/invoices/{change.invoice.number}.pdf").status_code == 404

    factories.login(client, factories.admin())
    pdf = client.get(f"/admin/billing/subscriptions/florist/invoices/{change.invoice.id}/pdf?platform=lux&lang=en")
    assert pdf.status_code == 200 and change.invoice.number in text_of(pdf.content)
    assert client.get(f"/admin/billing/subscriptions/bakery/invoices/{change.invoice.id}/pdf?platform=lux").status_code == 404
