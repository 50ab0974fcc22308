"""The whole loop in a browser: a visitor applies to a vacancy from its public page (the
code read from the outbox, as the demo's administrator would), the employer finds the
application ranked with the phone to call, hires, undoes the hire (the place is free
again), and the person withdraws the application from their own page."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from models.accounts import create_user
from models.tables import Application, OutboxMessage, TrainingOccupation, Vacancy
from tests import factories

PASSWORD = "mat-khau-demo-2026"


def _prepare(engine) -> int:
    with Session(engine) as session:
        garment = session.exec(
            select(TrainingOccupation).where(TrainingOccupation.key == "MAY_CONG_NGHIEP")
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
        vacancy = factories.vacancy(
            session, employer_id=employer.id, occupation_id=garment.id, quantity=1
        )
        session.commit()
        assert vacancy.id is not None
        return vacancy.id


def _code(engine, purpose: str) -> str:
    with Session(engine) as session:
        message = session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.purpose) == purpose)
            .order_by(col(OutboxMessage.id).desc())
        ).first()
    assert message is not None
    found = re.search(r"\b(\d{6})\b", message.text)
    assert found is not None
    return found.group(1)


def _vacancy(engine, vacancy_id: int) -> Vacancy:
    with Session(engine) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        assert vacancy is not None
        return vacancy


def test_apply_hire_undo_and_withdraw(live_server, page) -> None:
    engine = live_server.engine
    vacancy_id = _prepare(engine)

    # A visitor applies.
    page.goto(f"{live_server.url}/board/{vacancy_id}")
    page.fill("#apply-full_name", "Lò Thị Hoa")
    page.fill("#apply-phone", "0912 345 678")
    page.fill("#apply-birth_year", "2000")
    page.check("input[name=sex][value=nu]")
    page.select_option("#apply-commune_code", "03127")
    page.fill("#apply-trade", "may công nghiệp")
    page.check("input[name=consent]")
    page.click("form.apply-form button[type=submit]")
    page.fill("#code", _code(engine, "apply_code"))
    page.click("form.code-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/board/{vacancy_id}/applied"), page.content()[:3000]

    # The employer sees the application ranked, with the phone to call.
    page.goto(live_server.url + "/login")
    page.fill("#username", "tuyen.dung")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/vacancies/{vacancy_id}/candidates")
    applicant = page.locator("section.applications li.candidate").first
    assert applicant.locator(".candidate-name").inner_text() == "Lò Thị Hoa"
    assert applicant.get_attribute("data-rank") == "1"
    assert applicant.locator("dd[data-fact=phone]").inner_text() == "0912 345 678"

    applicant.locator("button[data-step=hire]").click()
    page.wait_for_load_state()
    assert _vacancy(engine, vacancy_id).filled == 1
    page.locator("section.applications li.candidate button[data-step=undo_hire]").click()
    page.wait_for_load_state()
    vacancy = _vacancy(engine, vacancy_id)
    assert (vacancy.filled, vacancy.status) == (0, "open")
    assert page.locator("section.applications button[data-step=hire]").count() == 1

    # The person withdraws the application from their own page.
    page.goto(f"{live_server.url}/my-applications")
    page.fill("#phone", "0912345678")
    page.click("form.phone-form button[type=submit]")
    page.fill("#code", _code(engine, "my_applications_code"))
    page.click("form.code-form button[type=submit]")
    page.wait_for_load_state()
    page.locator("li.my-application button[data-step=withdraw]").click()
    page.wait_for_load_state()
    assert page.locator("li.my-application").get_attribute("data-status") == "withdrawn"
    with Session(engine) as session:
        (application,) = session.exec(select(Application)).all()
    assert application.status == "withdrawn"
