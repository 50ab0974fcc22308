"""The yearly report's words in the reader's language, shared by the printable page, the
workbook and the Word document: a cell as shown (8.300, 65,2%), a sentence whose parameters
are cells, the numbered table titles ("Biểu 1. …") and the lines of the administrative
heading and signature block (Decree 30/2020: see models/monitoring/report_heading.py)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from models.formatting import format_number
from models.i18n import translate
from models.monitoring.report_cells import (
    COUNT,
    DECIMAL,
    LABEL,
    MONEY,
    SHARE,
    Cell,
    Note,
    Report,
)
from models.monitoring.report_heading import Heading
from models.monitoring.report_narrative import Section, narrative

_BABEL = {"vi": "vi_VN", "en": "en_GB"}
NATIONAL_NAME = "SOCIALIST REPUBLIC OF VIET NAM"
MOTTO = "Independence - Freedom - Happiness"


def shown(cell: Cell, lang: str) -> str:
    """A cell as a reader sees it: 8.300, 65,2%, 12,5 in Vietnamese; '—' for nothing."""
    value = cell.value
    if value is None:
        return "—"
    if cell.kind == LABEL:
        return translate(str(value), lang)
    locale = _BABEL.get(lang, _BABEL["vi"])
    if cell.kind in (COUNT, MONEY):
        return format_number(int(value), lang)
    if cell.kind == SHARE:
        return f"{format_decimal(float(value) * 100, format='#,##0.0', locale=locale)}%"
    if cell.kind == DECIMAL:
        return format_decimal(float(value), format="#,##0.0", locale=locale)
    return str(value)


def say(note: Note, lang: str) -> str:
    """A sentence in the reader's language; parameters that are cells are shown as the tables
    show them (a status label translated, a share as a percentage)."""
    params = {
        name: shown(value, lang) if isinstance(value, Cell) else value
        for name, value in note.params.items()
    }
    return translate(note.msgid, lang, **params)


def numbered_title(number: int, title: str, lang: str) -> str:
    """ "Biểu 1. Tiến độ thực hiện các chỉ tiêu" ("Table 1. …" in English)."""
    return translate("Table {number}. {title}", lang, number=number, title=translate(title, lang))


@dataclass(frozen=True, slots=True)
class HeadingLines:
    """The heading and the signature block as lines of text, ready to lay out."""

    parent_agency: str  # UPPERCASE, may be empty
    agency: str  # UPPERCASE, bold
    national_name: str
    motto: str
    number: str  # "Số: 05/BC-SNV"
    place_and_date: str  # "Điện Biên, ngày 15 tháng 11 năm 2026"
    document_type: str  # "BÁO CÁO"
    summary: str  # "Kết quả đào tạo nghề và giải quyết việc làm năm 2026"
    recipients_title: str  # "Nơi nhận:"
    recipients: tuple[str, ...]  # "- …;" … "- ….":
    signer_on_behalf: str  # "KT. GIÁM ĐỐC", may be empty
    signer_title: str  # "GIÁM ĐỐC"
    signer_name: str  # may be empty: signed by hand
    attachment: str  # "(Kèm theo Báo cáo số … ngày … của …)", above the tables


def heading_lines(heading: Heading, year: int, lang: str) -> HeadingLines:
    number = translate(
        "No. {number}/{symbol}", lang, number=heading.number_text, symbol=heading.symbol
    )
    place_and_date = translate(
        "{place}, day {day} month {month} year {year}",
        lang,
        place=heading.place,
        day=heading.day_text,
        month=heading.month_text,
        year=str(heading.issued_on.year),
    )
    attachment = translate(
        "(Attached to report No. {number}/{symbol} of {date} by {agency})",
        lang,
        number=heading.number_text,
        symbol=heading.symbol,
        date=heading.issued_on,
        agency=heading.agency,
    )
    return HeadingLines(
        parent_agency=heading.parent_agency.upper(),
        agency=heading.agency.upper(),
        national_name=translate(NATIONAL_NAME, lang),
        motto=translate(MOTTO, lang),
        number=number,
        place_and_date=place_and_date,
        document_type=translate("REPORT", lang),
        summary=translate(
            "Results of vocational training and job creation in {year}", lang, year=year
        ),
        recipients_title=translate("Recipients:", lang),
        recipients=heading.recipient_lines,
        signer_on_behalf=heading.signer_on_behalf.upper(),
        signer_title=heading.signer_title.upper(),
        signer_name=heading.signer_name,
        attachment=attachment,
    )


@dataclass(frozen=True, slots=True)
class FiledReport:
    """The report as the province files it: the heading's lines, the narrative and the
    tables, laid out by the printable page, the workbook and the Word document."""

    report: Report
    heading: HeadingLines
    sections: tuple[Section, ...]

    def titles(self, lang: str) -> tuple[str, ...]:
        """Each table's numbered title, in the report's order."""
        return tuple(
            numbered_title(n, table.title, lang) for n, table in enumerate(self.report.tables, 1)
        )


def filed(report: Report, heading: Heading, lang: str) -> FiledReport:
    return FiledReport(report, heading_lines(heading, report.year, lang), narrative(report))
