"""The PDF engine: documents read back as text, long tables over pages with their header on
each, blocks left out, every character of Orion's languages, and the response around it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from orion_server.pdf import (
    DocumentColumn,
    DocumentFact,
    DocumentLine,
    DocumentParty,
    DocumentTable,
    DocumentTotal,
    PdfDocument,
    pdf_response,
    render_pdf,
    safe_filename,
)

COLUMNS = (
    DocumentColumn("Description", 4),
    DocumentColumn("Quantity", 1, "right"),
    DocumentColumn("Amount", 1.5, "right"),
)
VAT = DocumentTable(
    heading="VAT",
    columns=(DocumentColumn("Rate"), DocumentColumn("Net", 1, "right"), DocumentColumn("VAT", 1, "right")),
    lines=(DocumentLine(("17 %", "€24.79", "€4.21")),),
)
TOTALS = (DocumentTotal("Subtotal", "€29.00"), DocumentTotal("Total", "€29.00", strong=True))


def pages_of(content: bytes) -> list[str]:
    """The text of each page (a no-break space reads as a space)."""
    return [page.extract_text().replace("\xa0", " ") for page in PdfReader(io.BytesIO(content)).pages]


def subscription_invoice(lines: int = 1, **fields) -> PdfDocument:
    """What billing will print: the platform sells a plan to a store."""
    document = {
        "title": "Invoice",
        "number": "INV-2025-0001",
        "seller": DocumentParty(name="Orion Platform S.A.", lines=("1, rue du Fort", "L-2419 Luxembourg")),
        "facts": (DocumentFact("Invoice no.", "INV-2025-0001"), DocumentFact("Date", "1 Mar 2025")),
        "parties": (DocumentParty(heading="Billed to", name="Boulangerie Test", lines=("VAT no.: LU12345613",)),),
        "table": DocumentTable(
            columns=COLUMNS,
            lines=tuple(DocumentLine((f"Plan Essential, month {n}", "1", "€29.00")) for n in range(1, lines + 1)),
        ),
        "vat": VAT,
        "totals": TOTALS,
        "notes": ("Paid by card.",),
        "footer": "Orion Platform S.A. · VAT no. LU99999999",
    }
    document.update(fields)
    return PdfDocument(**document)


def test_a_document_reads_back_with_every_block():
    """Seller, title, facts, buyer with VAT number, lines, VAT per rate, totals, notes, footer."""
    content = render_pdf(subscription_invoice())
    reader = PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()

    assert content.startswith(b"%PDF-")
    for expected in ("Orion Platform S.A.", "L-2419 Luxembourg", "Invoice", "Invoice no.", "INV-2025-0001",
                     "1 Mar 2025", "BILLED TO", "Boulangerie Test", "VAT no.: LU12345613",
                     "Plan Essential, month 1", "€29.00", "17 %", "€24.79", "€4.21", "Subtotal", "Total",
                     "Paid by card.", "VAT no. LU99999999", "INV-2025-0001 · 1 / 1"):
        assert expected in text, expected
    assert reader.metadata.title == "Invoice INV-2025-0001"
    assert reader.metadata.author == "Orion Platform S.A."


def test_many_lines_run_over_pages_with_the_table_header_on_each():
    """Every line once, in order; each page starts its part of the table with the header and
    is numbered; VAT and totals come after the last line."""
    pages = pages_of(render_pdf(subscription_invoice(lines=120)))
    text = "\n".join(pages)

    assert len(pages) >= 3
    for page in pages:
        assert "Description" in page and "Quantity" in page and "Amount" in page
    assert [int(n) for n in re.findall(r"month (\d+) 1 €29\.00", text)] == list(range(1, 121))
    assert [f"{n} / {len(pages)}" in page for n, page in enumerate(pages, start=1)] == [True] * len(pages)
    assert text.index("month 120") < text.index("Subtotal")


@pytest.mark.parametrize("lines", range(17, 22))
def test_vat_and_totals_stay_together_when_the_table_ends_low_on_a_page(lines):
    """Whatever the number of lines, the VAT table and the totals print on one page."""
    pages = pages_of(render_pdf(subscription_invoice(lines=lines)))

    with_vat = [n for n, page in enumerate(pages) if "Rate" in page]
    with_totals = [n for n, page in enumerate(pages) if "Subtotal" in page]
    assert with_vat == with_totals and len(with_vat) == 1


def test_optional_blocks_may_all_be_left_out():
    """A title alone is a document; an empty table prints its header only."""
    bare = pages_of(render_pdf(PdfDocument(title="Receipt")))
    empty_table = pages_of(render_pdf(PdfDocument(title="Receipt", table=DocumentTable(columns=COLUMNS))))
    no_name = pages_of(render_pdf(subscription_invoice(
        parties=(DocumentParty(heading="Delivered to", name="", lines=("Collected in store.",)),),
        vat=None, totals=(), notes=(), footer="", number="",
    )))

    assert len(bare) == 1 and "Receipt" in bare[0] and "1 / 1" in bare[0]
    assert "Description" in empty_table[0]
    assert "Collected in store." in no_name[0] and "Subtotal" not in no_name[0]


def test_text_in_every_orion_language_survives():
    """German, French and Luxembourgish letters, the euro sign, narrow spaces and dashes."""
    shop = "Boulangerie Müller – Éclair"
    text = pages_of(render_pdf(subscription_invoice(
        seller=DocumentParty(name=shop, lines=("Äußere Straße 5", "Cité Bëschwee")),
        table=DocumentTable(columns=COLUMNS, lines=(DocumentLine(("Grompekichelcher fir d'Schoul\nGréisst: ë", "2", "12,50\xa0€")),)),
        totals=(DocumentTotal("Remise", "−1\u202f000,00\xa0€"), DocumentTotal("Gesamt", "11,50\xa0€", strong=True)),
    )))[0]

    for expected in (shop, "Äußere Straße 5", "Cité Bëschwee", "Grompekichelcher fir d'Schoul", "Gréisst: ë",
                     "12,50 €", "−1\u202f000,00 €"):
        assert expected in text, expected


def test_the_bundled_font_is_embedded():
    """The bundled DejaVu Sans, as a subset, regular and bold: no font of the reader's machine."""
    reader = PdfReader(io.BytesIO(render_pdf(subscription_invoice())))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    names = {str(font["/BaseFont"]).split("+")[-1] for font in fonts}

    assert names == {"DejaVuSansBook", "DejaVuSansBold"}
    assert all("+" in str(font["/BaseFont"]) for font in fonts)  # a subset, embedded


def test_a_line_must_have_a_cell_per_column():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        DocumentTable(columns=COLUMNS, lines=(DocumentLine(("a", "b")),))


def test_the_response_shows_the_pdf_under_a_safe_name():
    """Inline, ASCII only, nothing that could end the header's quotes, never cached."""
    response = pdf_response(b"%PDF-1.4", filename='Liwwerschäin "BAK/0001"\r\n.pdf')

    assert response.media_type == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="Liwwerschain-BAK-0001.pdf"'
    assert response.headers["cache-control"] == "no-store"
    assert safe_filename("facture-BAK-000001") == "facture-BAK-000001.pdf"
    assert safe_filename("…") == "document.pdf"
