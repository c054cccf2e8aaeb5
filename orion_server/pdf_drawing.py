"""Drawing a ``orion_server.pdf.PdfDocument`` with fpdf2: imported by ``render_pdf`` when a
process draws its first document, so the server starts without loading fpdf2."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from orion_server.paths import FONTS_DIR
from orion_server.pdf import (
    BOTTOM_MARGIN,
    FONT,
    FONT_FILES,
    INK,
    MARGIN,
    MUTED,
    PAGE_FORMAT,
    RULE,
    SHADE,
    DocumentFact,
    DocumentParty,
    DocumentTable,
    DocumentTotal,
    PdfDocument,
)

# -- drawing ----------------------------------------------------------------------------------


class _Sheet(FPDF):
    """An A4 page in the bundled font with Orion's document footer on every page."""

    def __init__(self, document: PdfDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAGE_FORMAT)
        self.document = document
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, str(FONTS_DIR / filename))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.set_text_color(*INK)
        self.set_font(FONT, size=9)

    @property
    def content_width(self) -> float:
        """The width between the margins, in millimetres."""
        return self.w - self.l_margin - self.r_margin

    def footer(self) -> None:
        """A rule, the document's footer line and ``number · page / pages`` on every page."""
        self.set_y(-BOTTOM_MARGIN + 8)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)
        self.set_font(FONT, size=7)
        self.set_text_color(*MUTED)
        page = f"{self.page_no()} / {{nb}}"
        reference = f"{self.document.number} · {page}" if self.document.number else page
        reference_width = self.get_string_width(reference.replace("{nb}", "999")) + 2
        y = self.get_y()
        self.multi_cell(self.content_width - reference_width - 4, 3.4, self.document.footer, align="L")
        self.set_xy(self.w - self.r_margin - reference_width, y)
        self.cell(reference_width, 3.4, reference, align="R")
        self.set_text_color(*INK)


def _style(size: float, *, bold: bool = False, color: tuple[int, int, int] = INK,
           fill: tuple[int, int, int] | None = None) -> FontFace:
    """The bundled font at ``size`` points, regular unless ``bold``, in ``color`` on ``fill``."""
    return FontFace(family=FONT, emphasis="BOLD" if bold else "", size_pt=size, color=color,
                    fill_color=fill)


def _down(pdf: _Sheet, space: float) -> None:
    """Move down by ``space`` millimetres, staying in the current column (``ln`` would not)."""
    pdf.set_xy(pdf.get_x(), pdf.get_y() + space)


def _party(pdf: _Sheet, party: DocumentParty, width: float, *, name_size: float = 10) -> None:
    """A party at the current position, ``width`` wide; the cursor ends under it, same x."""
    if party.heading:
        _label(pdf, party.heading, width)
    if party.name:
        pdf.set_font(FONT, "B", name_size)
        pdf.multi_cell(width, name_size * 0.5, party.name, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        _down(pdf, 0.8)
    pdf.set_font(FONT, size=8.5)
    pdf.set_text_color(*(INK if party.heading else MUTED))
    for line in party.lines:
        if line:
            pdf.multi_cell(width, 4.2, line, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def _facts(pdf: _Sheet, facts: Sequence[DocumentFact], width: float) -> None:
    """The labelled facts as two right-hand columns under the title."""
    with pdf.table(
        align="RIGHT",
        width=width,
        col_widths=(0.45, 0.55),
        text_align=("LEFT", "RIGHT"),
        borders_layout=TableBordersLayout.NONE,
        first_row_as_headings=False,
        line_height=4.4,
        padding=(0.6, 0),
    ) as table:
        for fact in facts:
            row = table.row()
            row.cell(fact.label, style=_style(8.5, color=MUTED))
            row.cell(fact.value, style=_style(8.5, bold=True))


def _head(pdf: _Sheet, document: PdfDocument) -> None:
    """The seller on the left; the title and the facts on the right."""
    top = pdf.get_y()
    left_width = pdf.content_width * 0.55
    if document.seller is not None:
        _party(pdf, document.seller, left_width - 6, name_size=12)
    seller_bottom = pdf.get_y()
    right_width = pdf.content_width - left_width
    pdf.set_xy(pdf.l_margin + left_width, top)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(right_width, 9, document.title, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if document.facts:
        _facts(pdf, document.facts, right_width)
    pdf.set_y(max(seller_bottom, pdf.get_y()) + 6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(6)


def _parties(pdf: _Sheet, parties: Sequence[DocumentParty]) -> None:
    """The parties side by side (a third of the width each, at most three to a row)."""
    for start in range(0, len(parties), 3):
        top, bottom = pdf.get_y(), pdf.get_y()
        column = pdf.content_width / 3
        for index, party in enumerate(parties[start : start + 3]):
            pdf.set_xy(pdf.l_margin + index * column, top)
            _party(pdf, party, column - 6)
            bottom = max(bottom, pdf.get_y())
        pdf.set_xy(pdf.l_margin, bottom + 6)


def _label(pdf: _Sheet, text: str, width: float) -> None:
    """A block's heading in small grey capitals, at the current position."""
    pdf.set_font(FONT, "B", 7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 4, text.upper(), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    _down(pdf, 1)


def _table(pdf: _Sheet, table: DocumentTable, *, width: float | None = None, size: float = 8.5,
           align: str = "LEFT") -> None:
    """A table with its header row shaded and repeated on every page it runs onto."""
    width = width or pdf.content_width
    if table.heading:
        _label(pdf, table.heading, width)
    pdf.set_font(FONT, size=size)
    aligns = tuple(column.align.upper() for column in table.columns)
    with pdf.table(
        align=align,
        width=width,
        col_widths=tuple(column.width for column in table.columns),
        text_align=aligns,
        v_align="TOP",
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=_style(size - 1, bold=True, color=MUTED, fill=SHADE),
        line_height=size * 0.5,
        padding=(1.6, 1.8),
        repeat_headings=1,
    ) as pdf_table:
        heading = pdf_table.row()
        for column in table.columns:
            heading.cell(column.title)
        for line in table.lines:
            row = pdf_table.row()
            for cell in line.cells:
                row.cell(cell)
    pdf.set_x(pdf.l_margin)


def _totals(pdf: _Sheet, totals: Sequence[DocumentTotal], width: float) -> None:
    """Label and amount per row, right-aligned at the margin; the strong row larger, ruled above."""
    with pdf.table(
        align="RIGHT",
        width=width,
        col_widths=(0.6, 0.4),
        text_align=("LEFT", "RIGHT"),
        borders_layout=TableBordersLayout.NONE,
        first_row_as_headings=False,
        line_height=4.6,
        padding=(1, 1.8),
    ) as table:
        for total in totals:
            row = table.row()
            if total.strong:
                style = _style(10.5, bold=True, fill=SHADE)
                row.cell(total.label, style=style)
                row.cell(total.amount, style=style)
            else:
                row.cell(total.label, style=_style(8.5, color=MUTED))
                row.cell(total.amount, style=_style(8.5))


def _sums_at(pdf: _Sheet, document: PdfDocument) -> None:
    """The VAT table from the left margin and the totals level with it at the right margin."""
    top = pdf.get_y()
    bottom = top
    if document.vat is not None:
        _table(pdf, document.vat, width=pdf.content_width * 0.5)
        bottom = pdf.get_y()
        pdf.set_y(top)
    if document.totals:
        if document.vat is not None and document.vat.heading:
            pdf.ln(5)  # level with the VAT table's first row, under its heading
        _totals(pdf, document.totals, pdf.content_width * 0.42)
    pdf.set_y(max(bottom, pdf.get_y()))


def _sums(pdf: _Sheet, document: PdfDocument) -> None:
    """The VAT table on the left and the totals on the right, together on one page: tried
    first, and drawn on a new page when the trial ran off this one."""
    if document.vat is None and not document.totals:
        return
    pdf.ln(5)
    with pdf.offset_rendering() as trial:
        _sums_at(trial, document)
    if trial.page_break_triggered:
        pdf.add_page()
    _sums_at(pdf, document)


def _notes(pdf: _Sheet, notes: Sequence[str]) -> None:
    """Notes in small print under the sums."""
    texts = [note for note in notes if note]
    if not texts:
        return
    pdf.ln(8)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*MUTED)
    for text in texts:
        pdf.multi_cell(pdf.content_width, 4, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.set_text_color(*INK)


def draw(document: PdfDocument) -> bytes:
    """The document as the bytes of a PDF file (A4, fonts embedded, text extractable)."""
    pdf = _Sheet(document)
    pdf.set_title(f"{document.title} {document.number}".strip())
    pdf.set_author(document.author or (document.seller.name if document.seller else ""))
    pdf.set_creator("Orion")
    pdf.set_lang(document.language)
    pdf.add_page()
    _head(pdf, document)
    if document.parties:
        _parties(pdf, document.parties)
    if document.table is not None:
        _table(pdf, document.table)
    _sums(pdf, document)
    _notes(pdf, document.notes)
    return bytes(pdf.output())
