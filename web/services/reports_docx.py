"""The yearly report as a Word document (python-docx), laid out as Decree 30/2020 asks
(shared/reference/reporting-formats.md §5): A4 portrait, Times New Roman, margins 20 mm top
and bottom, 30 mm left, 15 mm right; the heading as a two-column borderless table (agencies
and number on the left, national name, motto, place and date on the right); "BÁO CÁO" and its
summary; the narrative; "Nơi nhận" beside the signature block. The numbered tables follow on
landscape pages (the decree allows landscape for tables), under the line that attaches them to
the report."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from models.i18n import translate
from models.monitoring.report_cells import ReportTable
from web.services.report_text import FiledReport, HeadingLines, say, shown

FONT = "Times New Roman"
BODY_SIZE, SMALL_SIZE, TABLE_SIZE = 13, 11, 10
A4 = (Mm(210), Mm(297))
FIRST_LINE_INDENT = Cm(1)
LEFT, CENTRE, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def document_bytes(document: FiledReport, lang: str) -> bytes:
    doc = Document()
    _page_setup(doc)
    _heading(doc, document.heading)
    _narrative(doc, document, lang)
    _signature(doc, document.heading)
    _tables(doc, document, lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_setup(doc: DocumentObject) -> None:
    style = doc.styles["Normal"]
    font = style.font
    font.name, font.size = FONT, Pt(BODY_SIZE)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)  # Vietnamese letters in the same face
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)


def _line(
    target: DocumentObject | _Cell,
    text: str,
    *,
    size: int = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align: int | None = CENTRE,
    after: int = 0,
) -> Paragraph:
    paragraph = target.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _two_columns(doc: DocumentObject) -> tuple[_Cell, _Cell]:
    """A borderless table of one row and two cells (the default table style has no border),
    each cell starting empty."""
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)  # a new cell holds one empty paragraph
    return left, right


def _heading(doc: DocumentObject, heading: HeadingLines) -> None:
    left, right = _two_columns(doc)
    if heading.parent_agency:
        _line(left, heading.parent_agency, size=12)
    _line(left, heading.agency, size=12, bold=True, after=6)
    _line(left, heading.number)
    _line(right, heading.national_name, size=12, bold=True)
    _line(right, heading.motto, bold=True, after=6)
    _line(right, heading.place_and_date, italic=True)
    _line(doc, "")
    _line(doc, heading.document_type, size=14, bold=True)
    _line(doc, heading.summary, size=14, bold=True, after=12)


def _narrative(doc: DocumentObject, document: FiledReport, lang: str) -> None:
    for section in document.sections:
        _line(doc, translate(section.title, lang), bold=True, align=LEFT, after=6)
        for paragraph in section.paragraphs:
            words = " ".join(say(sentence, lang) for sentence in paragraph)
            written = _line(doc, words, align=JUSTIFY, after=6)
            written.paragraph_format.first_line_indent = FIRST_LINE_INDENT


def _signature(doc: DocumentObject, heading: HeadingLines) -> None:
    """ "Nơi nhận" on the left, level with the signer's title; the name under room for the
    signature and the seal."""
    left, right = _two_columns(doc)
    _line(left, heading.recipients_title, size=12, bold=True, italic=True, align=LEFT)
    for recipient in heading.recipients:
        _line(left, recipient, size=SMALL_SIZE, align=LEFT)
    if heading.signer_on_behalf:
        _line(right, heading.signer_on_behalf, bold=True)
    _line(right, heading.signer_title, bold=True, after=60)
    _line(right, heading.signer_name, bold=True)


def _tables(doc: DocumentObject, document: FiledReport, lang: str) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4[1], A4[0]
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    _line(doc, document.heading.attachment, italic=True, after=12)
    for table, title in zip(document.report.tables, document.titles(lang), strict=True):
        _line(doc, title, bold=True, align=LEFT, after=6)
        _table(doc, table, lang)
        for note in table.notes:
            _line(doc, say(note, lang), size=SMALL_SIZE, italic=True, align=LEFT)
        _line(doc, "", after=6)


def _table(doc: DocumentObject, table: ReportTable, lang: str) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _fill(cell, translate(column, lang), bold=True, align=CENTRE)
    last = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        bold = table.has_total and index == last
        cells = grid.add_row().cells
        for target, value in zip(cells, row, strict=True):
            _fill(target, shown(value, lang), bold=bold, align=RIGHT if value.is_number else LEFT)


def _fill(cell: _Cell, text: str, *, bold: bool, align: int) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(TABLE_SIZE)
