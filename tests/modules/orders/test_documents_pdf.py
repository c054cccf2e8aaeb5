"""The invoice and the packing slip as PDF files: what the printable pages show, read back from
the PDF, guarded like them, linked from the order and from the printable pages."""

from __future__ import annotations

import html
import io

from pypdf import PdfReader

from modules.orders.services.documents import order_documents
from orion_server.i18n import format_money, t
from orion_server.tenancy import tenancy_service
from tests.modules.orders.conftest import BREAD

SHIRT = {"sku": "TS-M", "title": "T-Shirt", "quantity": 1, "unit_price_cents": 1500, "vat_rate": 17,
         "options": {"Größe": "M"}}


def pdf_text(response) -> str:
    """The text of every page of a PDF answer (a no-break space reads as a space)."""
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def page_text(response) -> str:
    """A page's HTML as text (entities resolved, no-break spaces as spaces)."""
    assert response.status_code == 200
    return html.unescape(response.text).replace("\xa0", " ")


def test_the_invoice_pdf_shows_what_the_printable_invoice_shows(client, shop, owner, place, db_session):
    """Number, customer, each line, VAT per rate and the total, written as the page writes them."""
    order = place(shop[1], lines=[BREAD, {**BREAD, "sku": "BOOK-1", "title": "De Klenge Prënz", "quantity": 3,
                                          "unit_price_cents": 515, "vat_rate": 3}, SHIRT])

    response = client.get(f"/store/bakery/orders/{order.number}/invoice.pdf?lang=fr")
    text = pdf_text(response)
    printable = page_text(client.get(f"/store/bakery/orders/{order.number}/invoice?lang=fr"))

    assert response.headers["content-disposition"] == f'inline; filename="facture-{order.number}.pdf"'
    for expected in ("Facture", "Facture n°", order.number, "Boulangerie Test", "Marie Weber", "marie@example.lu",
                     "12, rue de la Gare", "L-1611 Luxembourg", "Virement bancaire", "Livraison"):
        assert expected in text, expected
    assert "BREAD-1 Pain de campagne 2 11,70 € 17 % 23,40 €" in text
    assert "BOOK-1 De Klenge Prënz 3 5,15 € 3 % 15,45 €" in text
    assert "TS-M T-Shirt\nGröße: M\n1 15,00 € 17 % 15,00 €" in text  # the option under the title
    for rate, row in order.vat_rows:
        vat_row = " ".join(format_money(row[part], "fr").replace("\xa0", " ") for part in ("net", "vat", "gross"))
        assert f"{rate} % {vat_row}" in text
        assert format_money(row["vat"], "fr").replace("\xa0", " ") in printable
    total = format_money(order.total_cents, "fr").replace("\xa0", " ")
    assert total in printable and f"{t('orders.totals.total', 'fr')} {total}" in text
    assert "Tous les prix s'entendent TVA comprise aux taux indiqués." in text


def test_the_packing_slip_pdf_lists_lines_and_quantities_without_prices(client, shop, owner, place):
    """What goes in the parcel and where it goes; no money anywhere."""
    order = place(shop[1], lines=[BREAD, SHIRT])

    response = client.get(f"/store/bakery/orders/{order.number}/packing-slip.pdf?lang=en")
    text = pdf_text(response)

    assert response.headers["content-disposition"] == f'inline; filename="packing-slip-{order.number}.pdf"'
    assert "Packing slip" in text and order.number in text and "DELIVER TO" in text
    assert "☐ BREAD-1 Pain de campagne 2" in text
    assert "☐ TS-M T-Shirt\nGröße: M\n1" in text
    assert "3 items in total" in text
    assert "€" not in text and "EUR" not in text


def test_the_packing_slip_file_name_is_plain_ascii_in_luxembourgish(client, shop, owner, place):
    """``Liwwerschäin`` names the file without its umlaut; the document keeps it."""
    order = place(shop[1])

    response = client.get(f"/store/bakery/orders/{order.number}/packing-slip.pdf?lang=lb")

    assert response.headers["content-disposition"] == f'inline; filename="Liwwerschain-{order.number}.pdf"'
    assert "Liwwerschäin" in pdf_text(response)


def test_a_store_name_in_any_language_survives(client, factories, main_platform, shop, place, db_session):
    """The seller's names with umlauts, accents and dashes, as typed."""
    merchant = tenancy_service.create_merchant(
        db_session, platform_code=main_platform.code, name="Boulangerie Müller – Éclair", tax_number="LU12345613"
    )
    store = factories.store(main_platform, code="eclair", name="Pâtisserie Ëmmer", merchant_id=merchant.id)
    factories.owner(client, store)
    order = place(store)

    text = pdf_text(client.get(f"/store/eclair/orders/{order.number}/invoice.pdf?lang=de"))

    assert "Boulangerie Müller – Éclair" in text and "Pâtisserie Ëmmer" in text
    assert "USt-IdNr.: LU12345613" in text


def test_other_stores_and_strangers_are_turned_away_as_from_the_printable_pages(
    client, shop, other_shop, factories, place
):
    """Another store's staff get 404, a member without orders.view 403, nobody signed in what
    the printable page answers."""
    order = place(shop[1])
    paths = ("invoice", "packing-slip")

    anonymous = {path: client.get(f"/store/bakery/orders/{order.number}/{path}", follow_redirects=False).status_code
                 for path in paths}
    for path in paths:
        response = client.get(f"/store/bakery/orders/{order.number}/{path}.pdf", follow_redirects=False)
        assert response.status_code == anonymous[path] and response.status_code in (302, 303, 401, 403, 404)

    factories.login(client, factories.staff(other_shop, role="owner"))
    for path in paths:
        assert client.get(f"/store/bookshop/orders/{order.number}/{path}.pdf").status_code == 404
        assert client.get(f"/store/bakery/orders/{order.number}/{path}.pdf").status_code == 404

    factories.login(client, factories.staff(shop[1], permissions=["orders.edit"]))
    for path in paths:
        assert client.get(f"/store/bakery/orders/{order.number}/{path}").status_code == 403
        assert client.get(f"/store/bakery/orders/{order.number}/{path}.pdf").status_code == 403


def test_an_unknown_order_number_is_404(client, shop, owner):
    assert client.get("/store/bakery/orders/BAK-999999/invoice.pdf").status_code == 404
    assert client.get("/store/bakery/orders/BAK-999999/packing-slip.pdf").status_code == 404


def test_the_order_and_the_printable_pages_link_to_the_pdfs(client, shop, owner, place):
    """Download links beside the print links, in the page's language."""
    order = place(shop[1])
    base = f"/store/bakery/orders/{order.number}"

    detail = client.get(f"{base}?lang=de").text
    invoice = client.get(f"{base}/invoice?lang=fr").text
    slip = client.get(f"{base}/packing-slip?lang=en").text

    assert f'href="{base}/invoice.pdf" download>Rechnung (PDF)</a>' in detail
    assert f'href="{base}/packing-slip.pdf" download>Lieferschein (PDF)</a>' in detail
    assert f'href="{base}/invoice.pdf" download>Télécharger le PDF</a>' in invoice
    assert f'href="{base}/packing-slip.pdf" download>Download PDF</a>' in slip


def test_the_service_renders_without_a_request(shop, place, db_session):
    """The documents are the service's work: a route, a task or the console may ask for them."""
    order = place(shop[1])

    document = order_documents.invoice_pdf(db_session, store_id=shop[1].id, number=order.number, language="en")

    assert document.content.startswith(b"%PDF-") and document.filename == f"invoice-{order.number}"
