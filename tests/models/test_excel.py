"""Reading and writing workbooks (models/excel*), the spreadsheet vocabularies, and resolving
communes as people write them (models/queries/admin_units)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from models.errors import InvalidError, ValidationErrors
from models.excel import Column, check_layout, read_table, table_workbook, template_workbook
from models.excel.columns import (
    RESULT_COLUMNS,
    TRAINEE_COLUMNS,
    TRAINEE_EXPORT_COLUMNS,
    TRAINEE_INTRO,
)
from models.excel.values import (
    parse_certificate_kind,
    parse_household,
    parse_result,
    parse_sex,
    parse_status,
    parse_yes_no,
)
from models.queries.admin_units import commune_index, resolve_commune, split_address
from seed.reference import load_reference_data

NAME = Column("full_name", "Họ và tên", required=True)
BORN = Column("birth_date", "Ngày sinh (dd/mm/yyyy)", required=True, kind="date")
PHONE = Column("phone", "Số điện thoại", aliases=("SĐT",))
LAYOUT = (NAME, BORN, PHONE)


def workbook(*rows: list[Any], sheets: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        book.create_sheet(f"Other {n}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_errors(data: bytes, columns: tuple[Column, ...] = LAYOUT) -> list[str]:
    with pytest.raises(InvalidError) as caught:
        read_table(data, columns)
    error = caught.value
    errors = error.errors if isinstance(error, ValidationErrors) else [error]
    assert {each.field for each in errors} == {"file"}
    return [str(each) for each in errors]


# --- reading -------------------------------------------------------------------------------


def test_rows_are_read_by_header_whatever_the_order_case_and_accents():
    data = workbook(
        ["Danh sách học viên lớp may"],
        [],
        ["STT", "sdt", "NGAY SINH", "họ và tên*"],
        [1, 912345678, datetime(2001, 5, 4), "  Lò Văn Minh "],
        [2, None, None, None],  # numbered but empty: skipped
        [3, "0912 345 678", "04/05/2001", "Quàng Thị Mai"],
        [None, None, None, None],
    )
    table = read_table(data, LAYOUT)
    assert table.header_row == 3
    assert [(row.number, row.values) for row in table.rows] == [
        (4, {"full_name": "Lò Văn Minh", "birth_date": date(2001, 5, 4), "phone": 912345678}),
        (6, {"full_name": "Quàng Thị Mai", "birth_date": "04/05/2001", "phone": "0912 345 678"}),
    ]


def test_an_optional_column_may_be_left_out():
    table = read_table(workbook(["Họ và tên", "Ngày sinh"], ["Lò Văn Minh", "04/05/2001"]), LAYOUT)
    assert table.rows[0].values == {
        "full_name": "Lò Văn Minh",
        "birth_date": "04/05/2001",
        "phone": None,
    }


def test_the_data_sheet_is_found_when_it_is_not_the_first():
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Ghi chú"
    notes.append(["Điền danh sách ở trang sau"])
    data = book.create_sheet("Học viên")
    data.append(["Họ và tên", "Ngày sinh"])
    data.append(["Lò Văn Minh", "04/05/2001"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), LAYOUT).sheet == "Học viên"


def test_missing_extra_and_repeated_columns_are_all_named():
    data = workbook(["Họ và tên", "HỌ VÀ TÊN", "Ghi chú", "Dân tộc"], ["A B", "A B", "x", "Thái"])
    assert file_errors(data) == [
        "The column Họ và tên appears more than once.",
        "Columns missing from the sheet: Ngày sinh (dd/mm/yyyy).",
        "Columns the template does not have: Ghi chú, Dân tộc. Remove them, or copy the data "
        "into the template.",
    ]


def test_data_under_a_column_without_header_is_not_dropped_silently():
    data = workbook(["Họ và tên", "Ngày sinh", None], ["Lò Văn Minh", "04/05/2001", "?"])
    assert file_errors(data) == [
        "Column C has data but no header: give it one of the template's headers or delete it."
    ]


def test_a_sheet_without_the_template_header_says_which_columns_it_needs():
    data = workbook(["Tên", "Tuổi"], ["Minh", 24])
    assert file_errors(data) == [
        "The sheet Sheet has no header row with the template's columns (Họ và tên, Ngày sinh "
        "(dd/mm/yyyy), Số điện thoại)."
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        ("Họ và tên;Ngày sinh\r\nLò Văn Minh;04/05/2001".encode("cp1258", "replace"),
         "This is a text (CSV) file"),
        ("Họ và tên\tNgày sinh".encode("utf-16"), "This is a text (CSV) file"),
        (b"%PDF-1.7\n", "This is a PDF file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "This is an Excel 97–2003 file (.xls)"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
         "This is an OpenDocument spreadsheet (.ods)"),
        (_zip({"word/document.xml": b"<w:document/>"}), "The file is not an Excel workbook"),
        (b"PK\x03\x04 truncated", "The file is not an Excel workbook"),
        (bytes(range(256)) * 4, "The file is not an Excel workbook"),
        (workbook(), "The workbook is empty"),
        (workbook(["Họ và tên", "Ngày sinh"], [None, None]), "has a header row but no data rows"),
    ],
    ids=["empty", "blank", "csv", "utf16", "pdf", "xls", "ods", "docx", "broken-zip", "random",
         "empty-workbook", "header-only"],
)  # fmt: skip
def test_what_is_not_a_workbook_with_rows_is_refused_with_its_reason(data, message):
    (error,) = file_errors(data)
    assert error.startswith(message) or message in error
    with pytest.raises(InvalidError):
        check_layout(data, LAYOUT)  # the quick check at upload says the same


def test_too_many_rows_are_refused():
    data = workbook(["Họ và tên", "Ngày sinh"], *[["Lò Văn Minh", "04/05/2001"]] * 6)
    with pytest.raises(InvalidError) as caught:
        read_table(data, LAYOUT, max_rows=5)
    assert (
        str(caught.value) == "The file has more than 5 rows of data: split it into several files."
    )


# --- writing -------------------------------------------------------------------------------


def test_a_template_has_the_columns_their_notes_and_drop_down_lists():
    lists = {"Xã, phường": [("03295", "Xã Quài Tở")], "Dân tộc": [("03", "Thái"), ("08", "H'Mông")]}
    data = template_workbook(
        TRAINEE_COLUMNS, sheet_title="Học viên", intro=TRAINEE_INTRO, lists=lists
    )
    book = load_workbook(io.BytesIO(data))
    sheet = book["Học viên"]
    assert [cell.value for cell in sheet[1]] == [column.header for column in TRAINEE_COLUMNS]
    assert sheet["E2"].number_format == "@"  # the ID number column keeps leading zeros
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["C2:C2001"].formula1 == '"Nam,Nữ"'
    assert validations["C2:C2001"].showErrorMessage
    ethnic = validations["D2:D2001"]
    assert ethnic.formula1 == "'Danh mục'!$E$2:$E$3" and not ethnic.showErrorMessage
    notes = list(book["Hướng dẫn"].iter_rows(values_only=True))
    explained = {row[0]: row for row in notes if row and row[0]}
    assert explained["Giới tính"][1] == "Có" and explained["Số điện thoại"][1] == "Không"
    assert book["Danh mục"]["A2"].value == "03295"
    # An empty template is a valid layout: reading it finds the header and no rows.
    assert file_errors(data, TRAINEE_COLUMNS) == [
        "The sheet Học viên has a header row but no data rows."
    ]


def test_an_export_reads_back_as_the_same_rows():
    rows = [
        {
            "course_code": "MAY-01",
            "full_name": "Lò Văn Minh",
            "birth_date": date(2001, 5, 4),
            "citizen_id": "011201000123",
            "phone": "0912 345 678",
            "enrolled_on": date(2026, 3, 1),
            "consent": "Có",
        },
        {"course_code": "MAY-01", "full_name": "Quàng Thị Mai", "birth_date": date(1999, 12, 31)},
    ]
    data = table_workbook(TRAINEE_EXPORT_COLUMNS, rows, sheet_title="Học viên")
    read = read_table(data, TRAINEE_EXPORT_COLUMNS).rows
    expected = [{c.key: row.get(c.key) for c in TRAINEE_EXPORT_COLUMNS} for row in rows]
    assert [row.values for row in read] == expected
    cell = load_workbook(io.BytesIO(data))["Học viên"]["D2"]
    assert cell.number_format == "DD/MM/YYYY"


def test_every_layout_has_distinct_keys_and_headers():
    for layout in (TRAINEE_COLUMNS, RESULT_COLUMNS, TRAINEE_EXPORT_COLUMNS):
        keys = [key for column in layout for key in column.header_keys()]
        assert len(keys) == len(set(keys))


# --- vocabularies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "typed", "stored"),
    [
        (parse_sex, "Nữ", "nu"), (parse_sex, "NU", "nu"), (parse_sex, "nam", "nam"),
        (parse_yes_no, "Có", True), (parse_yes_no, "x", True), (parse_yes_no, None, False),
        (parse_yes_no, "khong", False), (parse_yes_no, 1, True),
        (parse_household, "Hộ cận nghèo", "can_ngheo"), (parse_household, "nghèo", "ngheo"),
        (parse_household, "Không", None), (parse_household, "", None),
        (parse_result, "Không đạt", "khong_dat"), (parse_result, "dat", "dat"),
        (parse_status, "tốt nghiệp", "tot_nghiep"), (parse_status, "Bo hoc", "bo_hoc"),
        (parse_certificate_kind, "Chứng chỉ sơ cấp", "chung_chi_so_cap"),
    ],
)  # fmt: skip
def test_vocabularies_read_what_people_type(parse, typed, stored):
    if parse is parse_yes_no:
        assert parse(typed, "consent") == stored
    else:
        assert parse(typed) == stored


def test_a_word_outside_a_vocabulary_says_what_is_allowed():
    with pytest.raises(InvalidError) as caught:
        parse_sex("Khác")
    assert str(caught.value) == "“Khác” is not allowed here: write Nam / Nữ."
    with pytest.raises(InvalidError):
        parse_sex(None)


# --- communes (database) -------------------------------------------------------------------


def test_split_address_drops_the_province():
    assert split_address("Xã Nà Tòng, huyện Tuần Giáo, tỉnh Điện Biên") == (
        "Xã Nà Tòng",
        "huyện Tuần Giáo",
    )
    assert split_address("Quài Tở") == ("Quài Tở", None)


@pytest.mark.parametrize(
    "text", ["Xã Quài Tở", "xa quai to", "Quài Tở", "X. Quài Tở", "QUAI TO", "03295"]
)
def test_a_current_commune_is_found_by_name_with_or_without_diacritics_or_by_code(session, text):
    load_reference_data(session)
    unit = resolve_commune(session, text)
    assert unit is not None and (unit.code, unit.name) == ("03295", "Xã Quài Tở")


def test_a_former_commune_resolves_to_its_successor_through_the_lineage(session):
    load_reference_data(session)
    index = commune_index(session)
    # Thanh Minh (former Điện Biên Phủ city) is now part of a current ward.
    successor = index.resolve("Xã Thanh Minh", "Thành phố Điện Biên Phủ")
    assert successor is not None and successor.valid_to is None
    assert index.resolve("Thanh Minh, Điện Biên Phủ") == successor
    # Two former communes were called Nà Tòng: the district decides, and without it the
    # answer lists both districts instead of guessing.
    assert resolve_commune(session, "Nà Tòng") is None
    match = index.match("Nà Tòng")
    assert match.unit is None and match.districts == ("Huyện Tuần Giáo", "Huyện Điện Biên")
    in_tuan_giao = index.resolve("Nà Tòng", "Tuần Giáo")
    in_dien_bien = index.resolve("Nà Tòng, huyện Điện Biên")
    assert in_tuan_giao and in_dien_bien and in_tuan_giao.code != in_dien_bien.code


def test_an_unknown_commune_gets_the_closest_names(session):
    load_reference_data(session)
    index = commune_index(session)
    assert index.resolve("Quai Toa") is None
    assert index.suggest("Quai Toa")[0] == "Xã Quài Tở"
    assert index.suggest("zzzz") == []
