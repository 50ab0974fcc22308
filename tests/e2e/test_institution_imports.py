"""An institution imports an Excel list of trainees into a course and sees them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from models.accounts import create_user
from models.tables import Enrolment
from tests import factories
from tests.web.test_imports import several, trainee_file

PASSWORD = "mat-khau-demo-2026"


def test_institution_imports_trainees_and_sees_them(live_server, page, tmp_path) -> None:
    with Session(live_server.engine) as session:
        institution = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
        course = factories.course(
            session,
            institution_id=institution.id,
            name="May công nghiệp khóa 3",
            start_date=date(2026, 9, 1),
            end_date=date(2026, 12, 20),
            capacity=30,
        )
        create_user(
            session,
            username="trung.tam",
            password=PASSWORD,
            full_name="Cán bộ trung tâm",
            role="institution",
            institution_id=institution.id,
        )
        session.commit()
        course_id = course.id
    rows = several(5)
    workbook = tmp_path / "hoc-vien.xlsx"
    workbook.write_bytes(trainee_file(rows))

    page.goto(live_server.url + "/login")
    page.fill("#username", "trung.tam")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(live_server.url + "/imports")
    page.select_option("#kind", "trainees")
    page.select_option("#course_id", str(course_id))
    page.set_input_files("#file", str(workbook))
    page.click("#upload-form button[type=submit]")

    page.click("#confirm-form button[type=submit]")  # the preview found no errors
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/courses/{course_id}")
    body = page.locator("main").inner_text()
    for row in rows:
        assert row["full_name"] in body
    with Session(live_server.engine) as session:
        enrolled = session.exec(
            select(func.count()).select_from(Enrolment).where(Enrolment.course_id == course_id)
        ).one()
    assert enrolled == len(rows)
