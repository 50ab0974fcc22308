"""Excel workbooks in and out: the column layout of a sheet, reading an uploaded workbook into
rows of cell values, and writing templates and exports. Pure of the web: bytes in, bytes out.

Reading tolerates what people do to a template: columns in another order, headers typed
without diacritics or in another case (and with or without the hint in parentheses), a title
row above the header, blank and trailing empty rows, an "STT" numbering column. It refuses,
with a message naming the problem, a file that is not an .xlsx workbook, an empty sheet, and
missing or unknown columns. Implementation: `excel.read`, `excel.write`; the layouts of the
trainee and result sheets: `excel.columns`.
"""

from __future__ import annotations

from models.excel.read import MAX_ROWS, check_layout, read_table
from models.excel.types import CellValue, Column, SheetRow, SheetTable, column_list, header_key
from models.excel.write import table_workbook, template_workbook, write_table_workbook

__all__ = [
    "MAX_ROWS",
    "CellValue",
    "Column",
    "SheetRow",
    "SheetTable",
    "check_layout",
    "column_list",
    "header_key",
    "read_table",
    "table_workbook",
    "template_workbook",
    "write_table_workbook",
]
