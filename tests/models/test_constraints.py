"""Rules the database itself enforces, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from models.clock import today
from models.errors import ConflictError
from models.placement import claim_place, release_place
from models.tables import Person, Referral, UserAccount, Vacancy
from tests import factories


def test_second_person_with_same_citizen_id_is_refused(session: Session) -> None:
    factories.person(session, citizen_id="011201004567", full_name="Lò Văn Minh")
    session.commit()
    with pytest.raises(IntegrityError):
        factories.person(session, citizen_id="011201004567", full_name="Lò Văn Mình")
    session.rollback()
    assert session.exec(select(func.count()).select_from(Person)).one() == 1


def test_people_without_citizen_id_are_not_duplicates_of_each_other(session: Session) -> None:
    factories.person(session, citizen_id=None)
    factories.person(session, citizen_id=None)
    session.commit()
    assert session.exec(select(func.count()).select_from(Person)).one() == 2


def test_vacancy_cannot_be_filled_beyond_quantity_even_by_a_direct_write(
    session: Session,
) -> None:
    vacancy = factories.vacancy(session, quantity=2)
    session.commit()
    vacancy.filled = 3
    session.add(vacancy)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_claiming_the_last_place_marks_the_vacancy_filled(session: Session) -> None:
    vacancy = factories.vacancy(session, quantity=1)
    session.commit()
    claim_place(session, vacancy.id, on=today())
    session.commit()
    with pytest.raises(ConflictError):
        claim_place(session, vacancy.id, on=today())
    session.rollback()
    session.refresh(vacancy)
    assert (vacancy.filled, vacancy.status) == (1, "filled")
    release_place(session, vacancy.id)
    session.commit()
    session.refresh(vacancy)
    assert (vacancy.filled, vacancy.status) == (0, "open")


def test_closed_vacancy_gives_no_place(session: Session) -> None:
    vacancy = factories.vacancy(session, quantity=5, status="closed")
    session.commit()
    with pytest.raises(ConflictError):
        claim_place(session, vacancy.id, on=today())


def test_concurrent_hires_never_exceed_quantity(engine, session: Session) -> None:
    """Twelve workers try to take the 3 places of one vacancy at the same moment."""
    vacancy = factories.vacancy(session, quantity=3)
    session.commit()
    workers, barrier = 12, threading.Barrier(12)
    outcomes: list[str] = []
    lock = threading.Lock()

    def hire() -> None:
        with Session(engine) as own:
            barrier.wait()
            try:
                claim_place(own, vacancy.id, on=today())
                own.commit()
                result = "hired"
            except ConflictError:
                own.rollback()
                result = "full"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=hire) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    session.expire_all()
    stored = session.get(Vacancy, vacancy.id)
    assert stored is not None
    assert outcomes.count("hired") == 3
    assert outcomes.count("full") == workers - 3
    assert (stored.filled, stored.status) == (3, "filled")


def test_one_active_referral_per_graduate_and_vacancy(session: Session) -> None:
    person = factories.person(session)
    vacancy = factories.vacancy(session)
    session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="proposed"))
    session.commit()
    session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="referred"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_rejected_referral_does_not_block_a_new_one(session: Session) -> None:
    person = factories.person(session)
    vacancy = factories.vacancy(session)
    session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="rejected"))
    session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="withdrawn"))
    session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="proposed"))
    session.commit()
    count = session.exec(select(func.count()).select_from(Referral)).one()
    assert count == 3


@pytest.mark.parametrize(
    ("role", "bind"),
    [("institution", None), ("employer", None), ("official", "institution")],
)
def test_staff_accounts_are_bound_to_their_organisation(
    session: Session, role: str, bind: str | None
) -> None:
    institution = factories.institution(session)
    user = UserAccount(
        username=f"u_{role}",
        full_name="X",
        role=role,
        password_hash="x",
        institution_id=institution.id if bind == "institution" else None,
    )
    session.add(user)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_course_dates_and_capacity_are_checked(session: Session) -> None:
    with pytest.raises(IntegrityError):
        factories.course(session, start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))
    session.rollback()
    with pytest.raises(IntegrityError):
        factories.course(session, capacity=0)
    session.rollback()
