"""The labour-force sheet an official imports: its columns (Vietnamese headers, like every file
offices exchange), and each row read and checked. One row per commune and year, or one row for
the whole province with the commune left blank.

The trained figures count employed workers: the trained shares (K4, K5) divide by the employed,
as the resolution does ("trong tổng số lao động đang làm việc trong nền kinh tế"), so the
employed column is required and is the trained figures' ceiling.

Checks, each reported on its row and column: whole numbers of at least 0; trained ≤ employed;
trained with a certificate ≤ trained; employed ≤ labour force; the three sector groups add up
to the employed; a commune of Điện Biên; no commune (or province row) twice in a year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from models.errors import AppError, InvalidError
from models.excel import CellValue, Column, SheetRow
from models.excel.columns import COMMUNE_LIST
from models.queries.admin_units import CommuneIndex
from models.validation.base import stored_whole
from models.years import check_year
from web.services.imports.rows import cell_text
from web.services.imports.trainee_fields import commune_code

SHEET_TITLE = "Lực lượng lao động"
_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")  # 370.000 or 370,000


def _figure(key: str, header: str, aliases: tuple[str, ...], note: str) -> Column:
    return Column(key, header, required=True, aliases=aliases, note=note, width=16)


COLUMNS = (
    Column(
        "year",
        "Năm",
        required=True,
        aliases=("Year",),
        note="Năm của số liệu, ví dụ 2025.",
        width=8,
    ),
    Column(
        "commune",
        "Xã, phường",
        required=True,
        aliases=("Xã/phường", "Xã phường", "Mã xã", "Đơn vị", "Commune"),
        note="Tên xã, phường hiện nay hoặc mã 5 chữ số. Để trống cho dòng số liệu toàn tỉnh.",
        open_choices=True,
        list_name=COMMUNE_LIST,
        width=24,
    ),
    _figure(
        "labour_force",
        "Lực lượng lao động",
        ("LLLĐ", "Labour force"),
        "Số người trong lực lượng lao động.",
    ),
    _figure(
        "trained",
        "Có việc làm đã qua đào tạo",
        ("Đã qua đào tạo", "Lao động qua đào tạo", "Trained"),
        "Số lao động có việc làm đã qua đào tạo; không lớn hơn số có việc làm.",
    ),
    _figure(
        "trained_certified",
        "Qua đào tạo có bằng cấp, chứng chỉ (từ 3 tháng)",
        ("Có bằng cấp, chứng chỉ", "Trained with certificate"),
        "Trong số lao động có việc làm đã qua đào tạo, số qua đào tạo từ 3 tháng trở lên có "
        "bằng cấp, chứng chỉ; không lớn hơn số đã qua đào tạo.",
    ),
    _figure(
        "employed",
        "Có việc làm",
        ("Lao động có việc làm", "Employed"),
        "Số lao động có việc làm (đang làm việc trong nền kinh tế): mẫu số của tỷ lệ lao động "
        "qua đào tạo và của cơ cấu lao động; không lớn hơn lực lượng lao động.",
    ),
    _figure(
        "employed_nlts",
        "Nông, lâm nghiệp và thủy sản",
        ("NLTS", "Agriculture"),
        "Lao động có việc làm trong nông, lâm nghiệp và thủy sản.",
    ),
    _figure(
        "employed_cnxd",
        "Công nghiệp và xây dựng",
        ("CNXD", "Industry"),
        "Lao động có việc làm trong công nghiệp và xây dựng.",
    ),
    _figure(
        "employed_dv",
        "Dịch vụ",
        ("DV", "Services"),
        "Lao động có việc làm trong dịch vụ. Ba khu vực cộng lại phải bằng số có việc làm.",
    ),
)
FIGURES = tuple(column.key for column in COLUMNS[2:])
HEADERS = {column.key: column.header for column in COLUMNS}
INTRO = (
    "Số liệu lực lượng lao động theo xã, phường (hoặc một dòng toàn tỉnh, để trống cột Xã, "
    "phường).",
    "Nguồn số liệu (ví dụ: Điều tra lao động việc làm 2025, Cục Thống kê) ghi ở trang nhập.",
    "Nhập lại cùng năm và cùng nguồn sẽ thay thế toàn bộ số liệu cũ của nguồn đó trong năm.",
)


@dataclass(frozen=True)
class FigureRow:
    """A checked row: commune_code None is the whole province."""

    number: int
    year: int
    commune_code: str | None
    labour_force: int
    trained: int
    trained_certified: int
    employed: int
    employed_nlts: int
    employed_cnxd: int
    employed_dv: int


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell (or the row, `column` None)."""

    row: int
    column: str | None  # the column's header
    error: AppError


def whole_number(value: CellValue, field: str) -> int:
    """A count: 370000, 370.000, 370,000 or 370 000; blank, fractions and text refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidError(field, "This field is required.")
    if isinstance(value, bool):
        raise InvalidError(field, "Write a whole number, such as 370000.")
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidError(field, "Write a whole number, such as 370000.")
        value = int(value)
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "")
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("-")
        if not (digits.isascii() and (digits.isdigit() or _GROUPED.fullmatch(digits))):
            raise InvalidError(field, "Write a whole number, such as 370000.")
        value = sign * stored_whole(re.sub(r"[.,]", "", digits), field)
    if not isinstance(value, int):
        raise InvalidError(field, "Write a whole number, such as 370000.")
    if value < 0:
        raise InvalidError(field, "A figure cannot be negative.")
    return stored_whole(value, field)


def _year(value: CellValue) -> int:
    return check_year(whole_number(value, "year"))


def _commune(value: CellValue, communes: CommuneIndex) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:05d}"  # a code typed as a number lost its leading zero
    if not cell_text(value):
        return None
    return commune_code(value, communes)


def _consistency(figures: dict[str, int]) -> list[InvalidError]:
    """The rules between a row's figures, each stated in its message."""
    found = []
    if figures["trained"] > figures["employed"]:
        found.append(
            InvalidError(
                "trained",
                "Trained ({trained}) cannot be more than the employed ({employed}).",
                **figures,
            )
        )
    if figures["trained_certified"] > figures["trained"]:
        found.append(
            InvalidError(
                "trained_certified",
                "Trained with a certificate ({trained_certified}) cannot be more than trained "
                "({trained}).",
                **figures,
            )
        )
    if figures["employed"] > figures["labour_force"]:
        found.append(
            InvalidError(
                "employed",
                "Employed ({employed}) cannot be more than the labour force ({labour_force}).",
                **figures,
            )
        )
    sectors = figures["employed_nlts"] + figures["employed_cnxd"] + figures["employed_dv"]
    if sectors != figures["employed"]:
        found.append(
            InvalidError(
                "employed_dv",
                "The three sector groups must add up to the employed: {employed_nlts} + "
                "{employed_cnxd} + {employed_dv} = {sectors}, but employed is {employed}.",
                sectors=sectors,
                **figures,
            )
        )
    return found


def _problem(row: int, error: AppError) -> RowProblem:
    return RowProblem(row, HEADERS.get(error.field or ""), error)


def check_row(row: SheetRow, communes: CommuneIndex) -> FigureRow | list[RowProblem]:
    """The row's figures, or every problem found in it."""
    problems: list[RowProblem] = []
    values: dict[str, int | str | None] = {}
    readers: list[tuple[str, Callable[[CellValue], int | str | None]]] = [
        ("year", _year),
        ("commune", partial(_commune, communes=communes)),
    ]
    readers += [(key, partial(whole_number, field=key)) for key in FIGURES]
    for key, reader in readers:
        try:
            values[key] = reader(row.values.get(key))
        except InvalidError as error:
            problems.append(_problem(row.number, error))
    figures = {key: values[key] for key in FIGURES if key in values}
    if len(figures) == len(FIGURES):
        counts = {key: int(value or 0) for key, value in figures.items()}
        problems += [_problem(row.number, error) for error in _consistency(counts)]
    if problems:
        return problems
    return FigureRow(
        row.number,
        int(values["year"] or 0),
        str(values["commune"]) if values["commune"] else None,
        *(int(values[key] or 0) for key in FIGURES),
    )


def check_rows(
    rows: list[SheetRow], communes: CommuneIndex
) -> tuple[list[FigureRow], list[RowProblem]]:
    """Every row checked; a commune (or the province row) given twice for a year is refused
    on its second row."""
    checked: list[FigureRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, str | None], int] = {}
    for row in rows:
        result = check_row(row, communes)
        if isinstance(result, list):
            problems += result
            continue
        key = (result.year, result.commune_code)
        if key in seen:
            problems.append(
                _problem(
                    row.number,
                    InvalidError(
                        "commune",
                        "This commune (or the whole province) already has a row for "
                        "{year}: row {first}.",
                        year=result.year,
                        first=seen[key],
                    ),
                )
            )
            continue
        seen[key] = row.number
        checked.append(result)
    return checked, problems
