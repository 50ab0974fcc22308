"""A job fair's invitations matched in one batch: people of two communes served by the same
session (Mường Lạn 03313 and Pu Nhi 03370) each keep their own commune."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models.fair_matching import match_fair
from tests import factories

ON = date(2026, 4, 10)
MUONG_LAN, PU_NHI = "03313", "03370"


def _graduate(session: Session, course_id: int, name: str, commune: str) -> int:
    person = factories.person(
        session,
        full_name=name,
        commune_code=commune,
        consent_to_employers=True,
        willing_to_work=["commune"],
    )
    factories.enrolment(
        session,
        person_id=person.id,
        course_id=course_id,
        status="tot_nghiep",
        graduated_on=date(2026, 1, 15),
    )
    assert person.id is not None
    return person.id


def test_people_of_two_communes_matched_in_one_batch_keep_their_own_commune(session):
    course = factories.course(session)
    employer = factories.employer(session)
    lan = _graduate(session, course.id, "Lò Văn Lạn", MUONG_LAN)
    nhi = _graduate(session, course.id, "Giàng Thị Nhi", PU_NHI)
    jobs = {
        commune: factories.vacancy(
            session, employer_id=employer.id, title="Thợ may", commune_code=commune
        )
        for commune in (MUONG_LAN, PU_NHI)
    }
    session.commit()

    matches = match_fair(session, list(jobs.values()), [MUONG_LAN, PU_NHI], on=ON)

    # Each would work only in their own commune: one invitation each, to the job at home,
    # listed under their own commune.
    got = {(m.person_id, m.vacancy_id, m.commune_code) for m in matches}
    assert got == {(lan, jobs[MUONG_LAN].id, MUONG_LAN), (nhi, jobs[PU_NHI].id, PU_NHI)}
