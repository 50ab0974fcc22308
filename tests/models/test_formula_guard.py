"""The one helper every CSV and workbook writer uses: text that could run as a formula is
neutralised, numbers stay numbers, and our readers give the text back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from models.csv_read import read_csv_table
from models.excel import Column, read_table, table_workbook
from models.formula_guard import FORMULA_STARTS, CsvWriter, neutralise, restore

ATTACKS = [
    '=HYPERLINK("http://evil.example","x")',
    "-1+1+cmd|' /C calc'!A0",
    "+SUM(1)",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_gets_a_quote_in_front(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", ["Bản Có", "5 hộ", "'quoted by its author", "", "a=b"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text):
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith(FORMULA_STARTS)


def test_a_csv_row_neutralises_text_and_keeps_numbers():
    buffer = io.StringIO()
    CsvWriter(buffer).writerow(["=1+2", "-5 hộ", -5, 0.25, -1.5, None, "Bản Có"])
    cells = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert cells == ["'=1+2", "'-5 hộ", "-5", "0.25", "-1.5", "", "Bản Có"]


COLUMNS = (Column("name", "Tên", required=True), Column("count", "Số", kind="code"))


def test_a_workbook_writes_text_as_text_and_numbers_as_numbers():
    rows = [{"name": text, "count": -5} for text in ATTACKS[:4]] + [{"name": "#N/A", "count": 3}]
    data = table_workbook(COLUMNS, rows, sheet_title="Dữ liệu")
    sheet = load_workbook(io.BytesIO(data))["Dữ liệu"]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    counts = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in names] == [
        *[(text, "s", True) for text in ATTACKS[:4]],
        ("#N/A", "s", False),  # text, not Excel's error value
    ]
    assert [(c.value, c.data_type) for c in counts] == [(-5, "n")] * 4 + [(3, "n")]


def test_what_we_write_reads_back_as_the_same_text():
    hostile = ['=HYPERLINK("x")', "-5 hộ", "'=quoted", "@user"]
    data = table_workbook(COLUMNS, [{"name": text} for text in hostile], sheet_title="Dữ liệu")
    assert [row.values["name"] for row in read_table(data, COLUMNS).rows] == hostile
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(["Tên"])
    writer.writerows([text] for text in hostile)
    table = read_csv_table(buffer.getvalue().encode(), COLUMNS)
    assert [row.values["name"] for row in table.rows] == hostile
