"""An employer posts a vacancy, opens its candidates, reads why the first ranks first, and
hires them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from models.accounts import create_user
from models.tables import Employer, EmploymentSpell, TrainingOccupation, Vacancy
from tests import factories

PASSWORD = "mat-khau-demo-2026"


def _prepare(engine) -> tuple[int, str]:
    """An employer with an account, and two consenting graduates: a garment worker (the one
    who should rank first for a garment job) and a motorbike mechanic."""
    with Session(engine) as session:
        garment = session.exec(
            select(TrainingOccupation).where(TrainingOccupation.key == "MAY_CONG_NGHIEP")
        ).one()
        repair = session.exec(
            select(TrainingOccupation).where(TrainingOccupation.key == "SUA_CHUA_XE_MAY")
        ).one()
        employer = factories.employer(session, name="Công ty TNHH May Mường Thanh")
        create_user(
            session,
            username="tuyen.dung",
            password=PASSWORD,
            full_name="Cán bộ tuyển dụng",
            role="employer",
            employer_id=employer.id,
        )
        for name, occupation, skills in (
            ("Lò Thị Hoa", garment, ["may máy 1 kim", "vắt sổ"]),
            ("Vừ A Sùng", repair, ["sửa xe máy"]),
        ):
            person = factories.person(
                session,
                full_name=name,
                sex="nu" if "Thị" in name else "nam",
                commune_code="03127",
                consent_to_employers=True,
                skills=skills,
                willing_to_work=["commune", "province"],
            )
            course = factories.course(
                session,
                occupation_id=occupation.id,
                level_code="so_cap",
                start_date=date(2026, 2, 1),
                end_date=date(2026, 5, 30),
                status="finished",
            )
            factories.enrolment(
                session,
                person_id=person.id,
                course_id=course.id,
                status="tot_nghiep",
                result="dat",
                graduated_on=date(2026, 6, 1),
            )
        session.commit()
        return garment.id, "Lò Thị Hoa"


def test_employer_posts_a_vacancy_and_hires_the_first_candidate(live_server, page) -> None:
    garment_id, expected_first = _prepare(live_server.engine)

    page.goto(live_server.url + "/login")
    page.fill("#username", "tuyen.dung")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")

    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:3000]
    page.goto(live_server.url + "/vacancies/new")
    assert page.locator("#title").count() == 1, page.content()[:4000]
    page.fill("#title", "Công nhân may")
    page.select_option("#occupation_id", str(garment_id))
    page.fill("#skills", "may máy 1 kim, vắt sổ")
    page.fill("#quantity", "2")
    page.fill("#wage_min", "6000000")
    page.fill("#wage_max", "8000000")
    page.check("#location_kind_commune")
    page.select_option("select[name=commune_code]", "03127")
    page.locator("main form button[type=submit]").last.click()

    page.locator("a[href$='/candidates']").first.click()
    first = page.locator("li.candidate").first
    assert first.locator(".candidate-name").inner_text() == expected_first
    reason = first.locator(".candidate-reason").inner_text()
    assert reason.strip()  # the page says why in one line
    assert "vắt sổ" in first.inner_text()  # a matched skill is named

    first.locator("button[data-step=hire]").click()

    with Session(live_server.engine) as session:
        vacancy = session.exec(select(Vacancy).where(Vacancy.title == "Công nhân may")).one()
        employer = session.get(Employer, vacancy.employer_id)
        spells = session.exec(
            select(EmploymentSpell).where(EmploymentSpell.vacancy_id == vacancy.id)
        ).all()
    assert employer is not None and employer.name == "Công ty TNHH May Mường Thanh"
    assert vacancy.filled == 1
    assert len(spells) == 1
    assert page.locator(f"li.candidate[data-person='{spells[0].person_id}']").count() <= 1
