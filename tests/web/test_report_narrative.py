"""The yearly report's heading (Decree 30/2020's number and date rules) and its narrative:
sentences read off the tables, in the dashboard's status vocabulary, "no figures" when a figure
is missing."""

from __future__ import annotations

from datetime import date

import pytest

from matching import kpi
from models.errors import ValidationErrors
from models.monitoring.read import FigureTable
from models.monitoring.report import build_report
from models.monitoring.report_cells import Report
from models.monitoring.report_heading import default_fields, parse_heading
from models.monitoring.report_narrative import narrative
from models.monitoring.report_progress import progress_table
from models.queries.labels import Labels
from web.services.report_text import heading_lines, say

ON = date(2027, 1, 10)


def sentences(report: Report, lang: str = "vi") -> list[str]:
    return [
        say(note, lang)
        for section in narrative(report)
        for paragraph in section.paragraphs
        for note in paragraph
    ]


@pytest.mark.parametrize(
    ("typed", "number", "day", "month"),
    [
        ("05/01/2027", "05", "05", "01"),  # a leading zero for days under 10, January...
        ("28/02/2027", "05", "28", "02"),  # ... and February
        ("1/6/2027", "05", "01", "6"),  # no leading zero for June
        ("2027-12-25", "05", "25", "12"),
    ],
)
def test_the_number_and_date_follow_the_decree(typed: str, number: str, day: str, month: str):
    fields = {**default_fields(ON), "number": "5", "report_date": typed}

    heading = parse_heading(fields, ON)

    assert (heading.number_text, heading.day_text, heading.month_text) == (number, day, month)
    lines = heading_lines(heading, 2026, "vi")
    assert lines.number == "Số: 05/BC-SNV"
    assert (
        lines.place_and_date == f"Điện Biên, ngày {day} tháng {month} năm {heading.issued_on.year}"
    )


def test_blank_fields_take_the_defaults_and_every_error_is_reported_at_once():
    heading = parse_heading({**default_fields(ON), "report_date": "", "number": ""}, ON)
    assert heading.issued_on == ON and heading.number_text == "…"
    assert heading_lines(heading, 2026, "vi").recipients == (
        "- UBND tỉnh Điện Biên (để báo cáo);",
        "- Lưu: VT.",
    )

    with pytest.raises(ValidationErrors) as raised:
        parse_heading({**default_fields(ON), "number": "0", "place": "", "symbol": "?"}, ON)
    assert {error.field for error in raised.value.errors} == {"number", "place", "symbol"}


def test_a_year_without_figures_says_so_instead_of_zeros():
    report = build_report(FigureTable([]), {}, Labels(), year=2026, as_of=date(2026, 6, 30))

    said = sentences(report)

    assert said[0] == "Năm 2026, chưa có số liệu về số người được đào tạo nghề."
    assert "Chưa có số liệu về tạo việc làm mới." in said
    assert (
        "Tỷ lệ lao động qua đào tạo (trên tổng số lao động có việc làm): chưa có số liệu." in said
    )
    assert not any("Đạt" in sentence or "Chậm" in sentence for sentence in said)


def test_the_status_is_the_tables_own_reached_once_the_year_is_over():
    class Figures:
        def value(self, kpi_id: object, measure: object) -> float | None:
            return 8400.0 if kpi_id == kpi.KpiId.TRAINED else None

    target = kpi.TargetRecord(
        year=2025, indicator="trained_people", value_min=8000, value_max=8300, unit="people"
    )

    def report(as_of: date) -> Report:
        progress = progress_table(Figures(), {"trained_people": target}, 2025, as_of)  # type: ignore[arg-type]
        return Report(2025, as_of, None, False, (), (target,), (progress,))

    # 8,400 of 8,000: 105 %; the same figure reads "Đạt" once the year is over and
    # "Đạt tiến độ" in June (projected 8,400 ÷ 181/365, well over the target).
    assert sentences(report(date(2026, 1, 15)))[0] == (
        "Năm 2025, toàn tỉnh đào tạo nghề cho 8.400 người, đạt 105,0% kế hoạch năm "
        "(8.000 người); đánh giá: Đạt."
    )
    assert sentences(report(date(2025, 6, 30)))[0].endswith("đánh giá: Đạt tiến độ.")
    assert sentences(report(date(2026, 1, 15)), "en")[0] == (
        "In 2025, the province trained 8,400 people, 105.0% of the year's target "
        "(8,000 people); status: Target reached."
    )
