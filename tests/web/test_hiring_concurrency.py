"""Many people click "hire" at the same moment on a vacancy's last place: exactly one hire
lands, everyone else is told there is no place left, and the vacancy is never filled beyond
its quantity, on SQLite and on PostgreSQL. Each hire runs in its own thread with its own
session (or its own HTTP client), started together behind a barrier."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.clock import utcnow
from models.db import in_unit_of_work
from models.errors import AppError
from models.tables import (
    AuthSession,
    EmploymentSpell,
    Referral,
    UserAccount,
    Vacancy,
    VacancySuggestion,
)
from tests import factories
from tests.web.conftest import VISITOR_TOKEN
from tests.web.helpers import make_account, sign_in
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER, Principal
from web.services import referrals as service

HIRERS = 8
EMPLOYER = "tuyen.dung"


def _setup(
    session: Session, *, people: int = HIRERS, quantity: int = 3, employer_id: int | None = None
) -> tuple[int, list[int]]:
    """A vacancy with one place left and `people` graduates referred to it; its employer's
    staff account is made unless the employer is given (it has one already)."""
    course = factories.course(session)
    employer = factories.employer(session) if employer_id is None else None
    owner = employer.id if employer else employer_id
    vacancy = factories.vacancy(session, employer_id=owner, quantity=quantity)
    vacancy.filled = quantity - 1
    person_ids = []
    for n in range(people):
        person = factories.person(session, full_name=f"Lò Văn Người {n}", consent_to_employers=True)
        factories.enrolment(
            session,
            person_id=person.id,
            course_id=course.id,
            status="tot_nghiep",
            graduated_on=date(2026, 6, 30),
        )
        session.add(Referral(person_id=person.id, vacancy_id=vacancy.id, status="referred"))
        _rank(session, vacancy.id, person.id)
        person_ids.append(person.id)
    session.commit()
    if employer is not None:
        make_account(session, "employer", EMPLOYER, employer_id=employer.id)
    return vacancy.id, person_ids


def _rank(session: Session, vacancy_id: int | None, person_id: int | None) -> None:
    """Store the engine's suggestion of this person for this vacancy: only people the
    platform ranked, referred or trained for the employer may be referred or hired."""
    assert vacancy_id is not None and person_id is not None
    session.add(VacancySuggestion(vacancy_id=vacancy_id, person_id=person_id, rank=1, score=0.8))


def _principal(session: Session) -> Principal:
    user = session.execute(
        select(UserAccount).where(col(UserAccount.username) == EMPLOYER)
    ).scalar_one()
    auth = AuthSession(
        token_hash="-", user_id=user.id, csrf_token="-", expires_at=utcnow() + timedelta(1)
    )
    return Principal(user=user, auth=auth)


def _together(jobs: list[Callable[[], str]]) -> list[str]:
    """Run the jobs in threads released at once; return what each reported."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = [""] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = jobs[index]()
        except Exception as error:  # reported, so the test says what went wrong
            results[index] = f"{type(error).__name__}: {error}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _hire_in_own_session(engine: Engine, vacancy_id: int, person_id: int) -> Callable[[], str]:
    def job() -> str:
        with Session(engine, expire_on_commit=False) as session:
            principal = _principal(session)
            session.commit()  # end the read, so the hire starts its own transaction
            try:
                service.hire(
                    session, principal=principal, vacancy_id=vacancy_id, person_id=person_id
                )
            except AppError as error:
                return error.msgid
            return "hired"

    return job


def _state(engine: Engine, vacancy_id: int) -> tuple[int, str, int, int]:
    with Session(engine) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        assert vacancy is not None
        hired = session.execute(
            select(func.count()).where(
                col(Referral.vacancy_id) == vacancy_id, col(Referral.status) == "hired"
            )
        ).scalar_one()
        spells = session.execute(select(func.count()).select_from(EmploymentSpell)).scalar_one()
        return vacancy.filled, vacancy.status, hired, spells


def test_simultaneous_hires_fill_the_last_place_exactly_once(engine, session):
    vacancy_id, people = _setup(session)

    results = _together([_hire_in_own_session(engine, vacancy_id, p) for p in people])

    assert Counter(results) == {"hired": 1, "This vacancy has no place left.": HIRERS - 1}
    assert _state(engine, vacancy_id) == (3, "filled", 1, 1)


def test_simultaneous_hires_over_http_fill_the_last_place_exactly_once(app, engine, session):
    vacancy_id, people = _setup(session, people=6)
    clients = []
    for _ in people:
        client = TestClient(app)
        client.cookies.set(ANONYMOUS_CSRF_COOKIE, VISITOR_TOKEN)
        client.headers[CSRF_HEADER] = VISITOR_TOKEN
        sign_in(client, EMPLOYER)  # each click comes from its own signed-in browser
        clients.append(client)

    def click(client: TestClient, person_id: int) -> Callable[[], str]:
        def job() -> str:
            url = f"/vacancies/{vacancy_id}/candidates/{person_id}/hire"
            return str(client.post(url, follow_redirects=False).status_code)

        return job

    try:
        results = _together([click(c, p) for c, p in zip(clients, people, strict=True)])
    finally:
        for client in clients:
            client.close()

    assert Counter(results) == {"303": 1, "409": 5}
    assert _state(engine, vacancy_id) == (3, "filled", 1, 1)


def test_one_person_hired_into_two_jobs_at_once_takes_only_one(engine, session):
    vacancy_id, (person_id,) = _setup(session, people=1)
    first = session.get(Vacancy, vacancy_id)
    assert first is not None
    second = factories.vacancy(session, employer_id=first.employer_id, quantity=1)
    _rank(session, second.id, person_id)
    session.commit()

    results = _together(
        [
            _hire_in_own_session(engine, vacancy_id, person_id),
            _hire_in_own_session(engine, second.id, person_id),
        ]
    )

    assert sorted(results) == [
        "This person has meanwhile been employed elsewhere and cannot be taken here.",
        "hired",
    ]
    with Session(engine) as check:
        spells = check.execute(select(EmploymentSpell)).scalars().all()
        assert [s.person_id for s in spells] == [person_id]


def test_repeated_races_never_overfill(engine, session):
    """The race again on fresh vacancies: a lucky ordering must not hide an over-fill."""
    vacancy_id, _ = _setup(session, people=0)
    owner = session.get(Vacancy, vacancy_id).employer_id  # type: ignore[union-attr]
    for _ in range(3):
        vacancy_id, people = _setup(session, people=5, quantity=2, employer_id=owner)
        results = _together([_hire_in_own_session(engine, vacancy_id, p) for p in people])
        assert results.count("hired") == 1, results
        filled, status, hired, _ = _state(engine, vacancy_id)
        assert (filled, status, hired) == (2, "filled", 1)


def test_a_double_click_on_refer_makes_one_referral(engine, session):
    vacancy_id, (person_id,) = _setup(session, people=1)
    with Session(engine) as clean:  # the person is not referred yet
        clean.execute(Referral.__table__.delete())  # type: ignore[attr-defined]
        clean.commit()

    def refer() -> str:
        with Session(engine, expire_on_commit=False) as own:
            principal = _principal(own)
            own.commit()
            try:
                service.refer(own, principal=principal, vacancy_id=vacancy_id, person_id=person_id)
            except AppError as error:
                return error.msgid
            return "referred"

    results = _together([refer, refer, refer])

    assert Counter(results) == {
        "referred": 1,
        "This person has already been referred to this vacancy.": 2,
    }
    with Session(engine) as check:
        rows = check.execute(select(Referral)).scalars().all()
        assert [(r.person_id, r.status) for r in rows] == [(person_id, "referred")]


def test_a_new_referral_is_scored_before_its_write_transaction(engine, session, monkeypatch):
    """Scoring runs the matching engine: it must not hold SQLite's write lock or the
    vacancy's row lock while other hires wait, so it runs before the unit of work."""
    vacancy_id, _people = _setup(session, people=1)
    newcomers = []
    for n in range(2):
        person = factories.person(
            session, full_name=f"Quàng Thị Mới {n}", consent_to_employers=True
        )
        factories.enrolment(
            session,
            person_id=person.id,
            course_id=factories.course(session).id,
            status="tot_nghiep",
            graduated_on=date(2026, 6, 30),
        )
        _rank(session, vacancy_id, person.id)
        newcomers.append(person.id)
    session.commit()
    scored_inside: list[bool] = []

    def score_of(scoring_session: Session, vacancy: Vacancy, person_id: int, *, on: date):  # type: ignore[no-untyped-def]
        scored_inside.append(in_unit_of_work(scoring_session))
        return 0.42

    monkeypatch.setattr(service, "score_of", score_of)
    with Session(engine, expire_on_commit=False) as acting:
        principal = _principal(acting)
        referral = service.refer(
            acting, principal=principal, vacancy_id=vacancy_id, person_id=newcomers[0]
        )
        service.hire(acting, principal=principal, vacancy_id=vacancy_id, person_id=newcomers[1])
    assert scored_inside == [False, False]  # once each, outside the write transaction
    with Session(engine) as reading:
        scores = {
            row.person_id: (row.status, row.score)
            for row in reading.exec(select(Referral).where(col(Referral.vacancy_id) == vacancy_id))
            .scalars()
            .all()
            if row.person_id in newcomers
        }
    assert referral.score == 0.42
    assert scores == {newcomers[0]: ("referred", 0.42), newcomers[1]: ("hired", 0.42)}
