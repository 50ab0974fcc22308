"""The yearly report as the province files it (Decree 30/2020): the national heading, the
agency, the number and date, a narrative whose figures are the tables' own, numbered tables
("Biểu 1. …") and the signature block, in the Word document, on the printable page and on the
workbook's cover; a wrong heading field is answered 400 with its message.

Hand-checked figures of the small world (tests/report_world.py) on 15/11/2026: five people
started training in 2026 (Minh, Xuân, Páo, Tuấn, Hoa; Lan started in 2025), 5 ÷ 8,000 is
0.0625 %, shown 0,1 %; projected to the year's end 5 ÷ (319/365) ≈ 5.7, far under 90 % of the
target, so "Chậm tiến độ" (the year is not over). New jobs: Minh (once, though hired twice),
Lan abroad, Páo and Tuấn: 4."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from models.i18n import translate
from models.tables import AuditEntry
from tests.html import field_errors, find_all, one, parse, text
from tests.report_world import AS_OF, YEAR, build_world
from tests.web.helpers import make_account, sign_in
from web.services.reports import table_index

pytestmark = pytest.mark.today(AS_OF)

TRAINED_SENTENCE = (
    "Năm 2026, toàn tỉnh đào tạo nghề cho 5 người, đạt 0,1% kế hoạch năm (8.000 người); "
    "đánh giá: Chậm tiến độ."
)
NEW_JOBS_SENTENCE = (
    "Tạo việc làm mới cho 4 lao động, đạt 0,0% kế hoạch năm (8.700 lao động); "
    "đánh giá: Chậm tiến độ."
)
TRAINEES = ("Lò Văn Minh", "Nguyễn Thị Lan", "Quàng Thị Xuân", "Giàng A Páo", "Lường Văn Tuấn")
HEADING = {
    "parent_agency": "UBND tỉnh Điện Biên",
    "agency": "Sở Nội vụ",
    "number": "7",
    "symbol": "bc-snv",
    "place": "Điện Biên",
    "report_date": "05/12/2026",
    "signer_on_behalf": "KT. Giám đốc",
    "signer_title": "Phó Giám đốc",
    "signer_name": "Nguyễn Văn An",
    "recipients": "Bộ Nội vụ (để báo cáo)\nUBND tỉnh Điện Biên (để báo cáo)\nLưu: VT, VL",
}


@pytest.fixture
def official(client: TestClient, session: Session) -> TestClient:
    build_world(session)
    sign_in(client, make_account(session, "official"))
    return client


def issue(client: TestClient, output: str, **changes: str) -> Any:
    return client.post(f"/reports/{YEAR}/issue", data={**HEADING, **changes, "output": output})


def numbered_titles() -> list[str]:
    return [f"Biểu {n}. {translate(title, 'vi')}" for n, (_, title) in enumerate(table_index(), 1)]


def docx_texts(content: bytes) -> tuple[list[str], list[list[str]]]:
    """The document's paragraphs, and the text of every cell of each of its tables."""
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [[cell.text for row in t.rows for cell in row.cells] for t in document.tables]
    return paragraphs, tables


def test_the_word_document_is_the_filed_report(official: TestClient):
    response = issue(official, "docx")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert (
        f'filename="bao-cao-lao-dong-viec-lam-{YEAR}.docx"'
        in (response.headers["content-disposition"])
    )
    paragraphs, tables = docx_texts(response.content)
    heading, signature, *data = tables
    agency, nation = heading
    assert agency.splitlines() == ["UBND TỈNH ĐIỆN BIÊN", "SỞ NỘI VỤ", "Số: 07/BC-SNV"]
    assert nation.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Điện Biên, ngày 05 tháng 12 năm 2026",
    ]
    assert paragraphs[:2] == ["BÁO CÁO", "Kết quả đào tạo nghề và giải quyết việc làm năm 2026"]
    narrative = " ".join(paragraphs)
    assert TRAINED_SENTENCE in narrative
    assert NEW_JOBS_SENTENCE in narrative
    recipients, signer = signature
    assert recipients.splitlines() == [
        "Nơi nhận:",
        "- Bộ Nội vụ (để báo cáo);",
        "- UBND tỉnh Điện Biên (để báo cáo);",
        "- Lưu: VT, VL.",
    ]
    assert [line for line in signer.splitlines() if line] == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ]
    assert [p for p in paragraphs if p.startswith("Biểu ")] == numbered_titles()
    assert "(Kèm theo Báo cáo số 07/BC-SNV ngày 05/12/2026 của Sở Nội vụ)" in paragraphs
    assert len(data) == len(table_index())
    progress = data[0]
    assert progress[progress.index("Số người được đào tạo (mọi trình độ)") + 3] == "5"
    everything = " ".join([*paragraphs, *(cell for table in tables for cell in table)])
    assert not [name for name in TRAINEES if name in everything]  # figures, never people
    assert "jp_tts" not in everything and "trained_people" not in everything  # no codes


def test_the_english_document_speaks_english(official: TestClient):
    official.cookies.set("lang", "en")

    paragraphs, tables = docx_texts(official.get(f"/reports/{YEAR}.docx").content)

    assert "SOCIALIST REPUBLIC OF VIET NAM" in tables[0][1]
    text_ = " ".join(paragraphs)
    assert "In 2026, the province trained 5 people, 0.1% of the year's target" in text_
    assert "status: Behind." in text_
    assert "Table 1. Progress against the targets" in paragraphs


def test_the_print_page_is_the_filed_report(official: TestClient, session: Session):
    response = issue(official, "print")

    assert response.status_code == 200
    page = parse(response.text)

    def field(name: str) -> str:
        return text(one(page, f"[data-field={name}]"))

    assert field("national_name") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert field("motto") == "Độc lập - Tự do - Hạnh phúc"
    assert field("agency") == "SỞ NỘI VỤ"
    assert field("number") == "Số: 07/BC-SNV"
    assert field("place_and_date") == "Điện Biên, ngày 05 tháng 12 năm 2026"
    assert field("document_type") == "BÁO CÁO"
    paragraphs = [text(node) for node in find_all(page, "#narrative p")]
    assert any(p.startswith(TRAINED_SENTENCE) for p in paragraphs)
    assert [text(node) for node in find_all(page, ".report-table h2")] == numbered_titles()
    assert field("signer_on_behalf") == "KT. GIÁM ĐỐC"
    assert field("signer_title") == "PHÓ GIÁM ĐỐC"
    assert field("signer_name") == "Nguyễn Văn An"
    assert [text(li) for li in find_all(page, "#signature li")][-1] == "- Lưu: VT, VL."
    assert not [name for name in TRAINEES if name in text(one(page, "article.report"))]
    kinds = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "report").order_by(col(AuditEntry.id))
    ).all()
    session.rollback()
    assert [entry.details["export_kind"] for entry in kinds] == ["print"]


def test_without_the_form_the_report_carries_the_default_heading(official: TestClient):
    page = parse(official.get(f"/reports/{YEAR}/print").text)

    assert text(one(page, "[data-field=agency]")) == "SỞ NỘI VỤ"
    assert text(one(page, "[data-field=number]")) == "Số: …/BC-SNV"  # for the records office
    # The date is the platform clock's today.
    assert text(one(page, "[data-field=place_and_date]")) == "Điện Biên, ngày 15 tháng 11 năm 2026"
    assert text(one(page, "[data-field=signer_title]")) == "GIÁM ĐỐC"
    form = parse(official.get(f"/reports?year={YEAR}").text)
    assert one(form, "form#report-heading input[name=report_date]").attributes["value"] == (
        "15/11/2026"
    )


def test_the_workbook_cover_is_the_filed_report_and_its_text_cannot_run(official: TestClient):
    response = issue(official, "xlsx", agency='=HYPERLINK("http://x","Sở")')

    assert response.status_code == 200
    cover = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = {c.value: c for row in cover.iter_rows() for c in row if isinstance(c.value, str)}
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Số: 07/BC-SNV" in cells
    assert "Điện Biên, ngày 05 tháng 12 năm 2026" in cells
    assert any(value.startswith(TRAINED_SENTENCE) for value in cells)
    assert {"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An", "Nơi nhận:"} <= set(cells)
    # Typed text and the decree's "- …;" lines stay text: never a formula in the reader's Excel.
    typed = cells['=HYPERLINK("HTTP://X","SỞ")']
    last = cells["- Lưu: VT, VL."]
    for cell in (typed, last):
        assert cell.data_type == "s"
        assert cell.quotePrefix


@pytest.mark.parametrize(
    ("changes", "field", "msgid", "params"),
    [
        ({"report_date": "31/02/2026"}, "report_date", "The date {value} does not exist.",
         {"value": "31/02/2026"}),
        ({"report_date": "hôm nay"}, "report_date",
         "{value} is not a date: write it as dd/mm/yyyy.", {"value": "hôm nay"}),
        ({"agency": "S" * 121}, "agency", "At most {max} characters.", {"max": 120}),
        ({"agency": ""}, "agency", "This field is required.", {}),
        ({"number": "7a"}, "number",
         "The report number is a whole number from 1, such as 15, or left empty.", {}),
        ({"symbol": "BC/SNV"}, "symbol",
         "The symbol holds capital letters, digits and hyphens between them, such as BC-SNV.",
         {}),
        ({"signer_name": "Nguyễn Văn 2"}, "signer_name", "A name may not contain digits.", {}),
        ({"recipients": "x" * 151}, "recipients",
         "A recipient may have at most {max} characters.", {"max": 150}),
    ],
)  # fmt: skip
def test_a_wrong_field_is_answered_400_with_its_message(
    official: TestClient, changes: dict[str, str], field: str, msgid: str, params: dict[str, Any]
):
    response = issue(official, "docx", **changes)

    assert response.status_code == 400
    page = parse(response.text)
    assert field_errors(page)[field] == translate(msgid, "vi", **params)
    # The form comes back with what was typed.
    typed = one(page, "input[name=signer_name]").attributes["value"]
    assert typed == changes.get("signer_name", HEADING["signer_name"])


def test_an_unknown_output_is_answered_400(official: TestClient):
    response = issue(official, "pdf")

    assert response.status_code == 400
    assert field_errors(parse(response.text))[""] == ("Hãy chọn trang in, tệp Word hoặc tệp Excel.")


def test_employers_may_not_issue_the_report(client: TestClient, session: Session):
    sign_in(client, make_account(session, "employer"))

    assert issue(client, "docx").status_code == 403
    assert client.get(f"/reports/{YEAR}.docx").status_code == 403
