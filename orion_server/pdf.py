"""Business documents as PDF: one engine for every module (invoices, packing slips, ...).

A module describes the document with the dataclasses below, every text already in the
reader's language and every amount and date already formatted (``orion_server.i18n``'s
``format_money``, ``format_date``, ``format_number``), and gets the PDF's bytes back::

    from orion_server.pdf import (
        DocumentColumn, DocumentFact, DocumentLine, DocumentParty, DocumentTable,
        DocumentTotal, PdfDocument, pdf_response, render_pdf,
    )

    document = PdfDocument(
        title="Rechnung",
        number="INV-2025-0001",
        seller=DocumentParty(name="Orion S.à r.l.", lines=("2, rue de l'Église", "L-1458 Luxembourg")),
        facts=(DocumentFact("Rechnungsnr.", "INV-2025-0001"), DocumentFact("Datum", "01.03.2025")),
        parties=(DocumentParty(heading="Rechnung an", name="Boulangerie Müller",
                               lines=("USt-IdNr.: LU12345613",)),),
        table=DocumentTable(
            columns=(DocumentColumn("Beschreibung", 4), DocumentColumn("Betrag", 1.4, "right")),
            lines=(DocumentLine(("Abo Essential, März 2025", "29,00 €")),),
        ),
        vat=DocumentTable(...),                                  # VAT per rate, same shape
        totals=(DocumentTotal("Gesamt", "33,93 €", strong=True),),
        notes=("Zahlbar innerhalb von 14 Tagen.",),
    )
    return pdf_response(render_pdf(document), filename="Rechnung-INV-2025-0001.pdf")

The layout is fixed and plain (A4, DejaVu Sans, the seller and the title on top, the parties
side by side, the lines as a table whose header repeats on every page, VAT and totals kept
together, notes, a footer with the page number), so every Orion document looks alike. fpdf2
draws it (pure Python, so Orion installs from PyPI alone and bundles with PyInstaller); the
fonts travel with Orion (``orion_server/resources/fonts``), so ä, é, ë and € print on a machine
without fonts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fastapi.responses import Response

Align = Literal["left", "center", "right"]
"""How a column's cells are aligned: amounts and quantities ``right``."""

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
"""The bundled font, regular and bold (``orion_server/resources/fonts``)."""

PAGE_FORMAT = "A4"
MARGIN = 18.0
"""Left, right and top margin in millimetres."""
BOTTOM_MARGIN = 22.0
"""Room under the content for the footer, in millimetres."""

INK = (31, 41, 51)
MUTED = (107, 114, 128)
RULE = (209, 213, 219)
SHADE = (243, 244, 246)


# -- what a document says ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentParty:
    """Who a document is from or for: a name in bold, then lines (address, e-mail, VAT number),
    under an optional heading (``Billed to``); a blank name is left out."""

    name: str
    lines: Sequence[str] = ()
    heading: str = ""


@dataclass(frozen=True)
class DocumentFact:
    """One labelled fact under the title: ``Invoice no.`` ``BAK-000001``, ``Date`` ``1 Mar 2025``."""

    label: str
    value: str


@dataclass(frozen=True)
class DocumentColumn:
    """A column of a table: its title, its share of the table's width and its alignment."""

    title: str
    width: float = 1.0
    align: Align = "left"


@dataclass(frozen=True)
class DocumentLine:
    """One row of a table: a text per column (a ``\\n`` starts a new line inside the cell)."""

    cells: Sequence[str]


@dataclass(frozen=True)
class DocumentTable:
    """Columns and rows, with an optional heading printed above the table."""

    columns: Sequence[DocumentColumn]
    lines: Sequence[DocumentLine] = ()
    heading: str = ""

    def __post_init__(self) -> None:
        for line in self.lines:
            if len(line.cells) != len(self.columns):
                raise ValueError(f"a line has {len(line.cells)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class DocumentTotal:
    """One row of the totals block; ``strong`` for the amount due."""

    label: str
    amount: str
    strong: bool = False


@dataclass(frozen=True)
class PdfDocument:
    """Everything a business document shows; every block but the title may be left empty.

    ``number`` names the document in the PDF's title and footer (show it among ``facts`` with
    its label too); ``footer`` is a short line printed on every page (the seller's registered
    name and VAT number); ``language`` is the document's language code."""

    title: str
    number: str = ""
    seller: DocumentParty | None = None
    facts: Sequence[DocumentFact] = ()
    parties: Sequence[DocumentParty] = ()
    table: DocumentTable | None = None
    vat: DocumentTable | None = None
    totals: Sequence[DocumentTotal] = ()
    notes: Sequence[str] = ()
    footer: str = ""
    language: str = "en"
    author: str = ""
    """The PDF's author in its properties; the seller's name when blank."""


# -- drawing it --------------------------------------------------------------------------------


def render_pdf(document: PdfDocument) -> bytes:
    """The document as the bytes of a PDF file (A4, fonts embedded, text extractable).

    fpdf2 (most of a second to import) is loaded with the first document a process draws
    (``orion_server.pdf_drawing``), not when the server starts."""
    from orion_server.pdf_drawing import draw

    return draw(document)


# -- answering with a PDF ---------------------------------------------------------------------


def safe_filename(name: str, *, default: str = "document") -> str:
    """``name`` as a plain ASCII file name ending in ``.pdf``: accents dropped (``Liwwerschäin``
    -> ``Liwwerschain``), anything but letters, digits, ``.``, ``-`` and ``_`` made a ``-``."""
    stem = name.strip().removesuffix(".pdf")
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip(".-_")[:100]
    return f"{cleaned or default}.pdf"


def pdf_response(content: bytes, *, filename: str) -> Response:
    """A PDF shown in the browser (``inline``) under a safe file name, never kept in a cache."""
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{safe_filename(filename)}"',
            "Cache-Control": "no-store",
        },
    )
