"""Undoing a hire: the place is free again for someone else, the referral goes back to the
interview step, the job leaves the new-jobs records, and the audit keeps both steps. An undo
racing a hire of someone else never fills the vacancy beyond its places."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.errors import AppError
from models.tables import AuditEntry, EmploymentSpell, Referral, Vacancy
from tests.web.helpers import make_account, sign_in
from tests.web.test_hiring_concurrency import (
    EMPLOYER,
    _hire_in_own_session,
    _principal,
    _setup,
    _together,
)
from web.services import hire_undo
from web.services import referrals as service


def _undo_in_own_session(engine: Engine, vacancy_id: int, person_id: int) -> Callable[[], str]:
    def job() -> str:
        with Session(engine, expire_on_commit=False) as session:
            principal = _principal(session)
            session.commit()
            try:
                hire_undo.undo_hire(
                    session, principal=principal, vacancy_id=vacancy_id, person_id=person_id
                )
            except AppError as error:
                return error.msgid
            return "undone"

    return job


def _filled(engine: Engine, vacancy_id: int) -> tuple[int, str, int]:
    with Session(engine) as session:
        vacancy = session.get(Vacancy, vacancy_id)
        assert vacancy is not None
        spells = session.execute(select(func.count()).select_from(EmploymentSpell)).scalar_one()
        return vacancy.filled, vacancy.status, spells


def test_after_an_undo_the_place_goes_to_someone_else(client, engine, session):
    vacancy_id, people = _setup(session, people=2, quantity=1)
    first, second = people
    sign_in(client, EMPLOYER)
    base = f"/vacancies/{vacancy_id}/candidates"

    assert client.post(f"{base}/{first}/hire", follow_redirects=False).status_code == 303
    assert client.post(f"{base}/{second}/hire").status_code == 409  # full
    undone = client.post(f"{base}/{first}/undo_hire", follow_redirects=False)
    hired = client.post(f"{base}/{second}/hire", follow_redirects=False)

    assert undone.status_code == 303 and hired.status_code == 303
    assert _filled(engine, vacancy_id) == (1, "filled", 1)
    statuses = dict(
        session.execute(
            select(Referral.person_id, Referral.status).where(Referral.vacancy_id == vacancy_id)
        ).all()
    )
    actions = [
        a
        for a in session.execute(
            select(AuditEntry.action).where(col(AuditEntry.entity) == "referral")
        ).scalars()
    ]
    session.commit()
    assert statuses == {first: "interview", second: "hired"}
    assert Counter(actions)["undo_hire"] == 1 and Counter(actions)["hire"] == 2


def test_undo_twice_releases_one_place(client, engine, session):
    vacancy_id, people = _setup(session, people=1, quantity=2)
    sign_in(client, EMPLOYER)
    url = f"/vacancies/{vacancy_id}/candidates/{people[0]}"
    client.post(f"{url}/hire")
    filled_after_hire = _filled(engine, vacancy_id)[0]

    client.post(f"{url}/undo_hire")
    again = client.post(f"{url}/undo_hire")

    assert again.status_code == 404
    assert _filled(engine, vacancy_id) == (filled_after_hire - 1, "open", 0)


def test_an_official_may_undo_and_another_employer_may_not(client, engine, session):
    vacancy_id, people = _setup(session, people=1, quantity=2)
    make_account(session, "employer", "cong.ty.khac")
    make_account(session, "official", "can.bo")
    with Session(engine) as own:
        service.hire(own, principal=_principal(own), vacancy_id=vacancy_id, person_id=people[0])
    url = f"/vacancies/{vacancy_id}/candidates/{people[0]}/undo_hire"

    sign_in(client, "cong.ty.khac")
    assert client.post(url).status_code == 404
    sign_in(client, "can.bo")
    assert client.post(url, follow_redirects=False).status_code == 303
    assert _filled(engine, vacancy_id)[2] == 0


def test_undo_and_hire_at_once_never_over_fill(engine, session):
    """The last place is taken by A; B..H try to hire while A's hire is undone."""
    vacancy_id, people = _setup(session, people=8, quantity=3)
    hired, *others = people
    with Session(engine) as own:
        service.hire(own, principal=_principal(own), vacancy_id=vacancy_id, person_id=hired)
    assert _filled(engine, vacancy_id)[:2] == (3, "filled")

    jobs = [_undo_in_own_session(engine, vacancy_id, hired)]
    jobs += [_hire_in_own_session(engine, vacancy_id, p) for p in others]
    results = _together(jobs)

    assert results[0] == "undone"
    filled, _, spells = _filled(engine, vacancy_id)
    assert filled <= 3
    with Session(engine) as check:
        hires = check.execute(
            select(func.count()).where(
                col(Referral.vacancy_id) == vacancy_id, col(Referral.status) == "hired"
            )
        ).scalar_one()
    # Two places were filled before (outside this test's referrals) and at most one now.
    assert hires == spells == Counter(results)["hired"] <= 1
    assert filled == 2 + hires
