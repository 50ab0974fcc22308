"""A small year (2025) for the dashboard tests, web and browser: every KPI has something to
show, and a few numbers are simple enough to check by hand.

People, all trained in 2025:
- Lan (woman, Thái, Tuần Giáo): short course (completed) then sewing (sơ cấp, graduated 30/06)
  for the order: one trainee, at sơ cấp. Leaves to work in Japan in October, but said at
  6 months that she was not working (the answer wins over the job).
- Minh (man, Thái, Điện Biên Phủ): sewing, graduated; hired by the ordering employer in July
  (the hire counts for the order) and again elsewhere in September: one new job.
- Hoa (woman, Kinh): welding (trung cấp), dropped out; a public-body job in March, sector not
  recorded.
- Tú (man, poor household): short course, graduated 31/05; self-employed with a loan in June;
  no follow-up: the hire recorded on the platform is his observation.
- Nga (woman, especially difficult village): short course, graduated; could not be reached.
- Dũng (man, disability): sewing, graduated; in military service at 6 months.

So, by hand: 6 trained (all started, 5 finished and certified), 4 new jobs (Minh, Lan, Tú,
Hoa) of which 1 abroad and 1 with no sector; at 6 months 5 graduations due, 4 observed (Nga
not reached), Dũng in the army left out: 2 employed (Minh, Tú) of 3. The order: 10 ordered,
2 committed, 3 enrolled and graduated, 1 hired. Vacancies: 5 places, 2 filled in 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from models.tables import LabourForceFigure
from tests import factories

YEAR = 2025
LABOUR_SOURCE = "Cục Thống kê tỉnh Điện Biên, điều tra lao động 2025"


@dataclass(frozen=True)
class World:
    people: dict[str, int]
    enrolments: dict[str, int]
    order_id: int
    employer_id: int


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)  # 10:00 in Vietnam


def build_world(session: Session, *, labour_force: bool = True) -> World:
    """The year's rows (reference data must be loaded: names come from it); commits."""
    employer = factories.employer(session, name="Công ty TNHH May Mường Thanh")
    other = factories.employer(session, name="Công ty Cổ phần Xây dựng Điện Biên")
    sewing = factories.occupation(session, name="May công nghiệp")
    welding = factories.occupation(session, name="Hàn điện")
    college = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    centre = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    order = factories.training_order(
        session, employer_id=employer.id, institution_id=college.id, occupation_id=sewing.id,
        quantity=10, hiring_commitment=2, unit_cost=3_000_000, status="in_training",
        requested_at=_moment(date(2025, 1, 10)), needed_by=date(2025, 12, 31),
    )  # fmt: skip
    courses = {
        "sewing": factories.course(
            session, institution_id=college.id, occupation_id=sewing.id, level_code="so_cap",
            code="MAY25", start_date=date(2025, 3, 1), end_date=date(2025, 6, 30),
            training_order_id=order.id, status="finished",
        ),
        "welding": factories.course(
            session, institution_id=centre.id, occupation_id=welding.id, level_code="trung_cap",
            code="HAN25", start_date=date(2025, 2, 1), end_date=date(2026, 12, 31),
            status="running",
        ),
        "short": factories.course(
            session, institution_id=centre.id, occupation_id=sewing.id,
            level_code="duoi_3_thang", code="NGAN25", start_date=date(2025, 4, 1),
            end_date=date(2025, 5, 31), status="finished",
        ),
    }  # fmt: skip
    people = _people(session)
    enrolments = _enrolments(session, people, {k: c.id for k, c in courses.items()})  # type: ignore[misc]
    _jobs(session, people, enrolments, employer.id, other.id)  # type: ignore[arg-type]
    _vacancies(session, employer.id, sewing.id)  # type: ignore[arg-type]
    if labour_force:
        session.add(
            LabourForceFigure(
                year=YEAR, commune_code=None, labour_force=300_000, trained=150_000,
                trained_certified=90_000, employed=280_000, employed_nlts=170_000,
                employed_cnxd=40_000, employed_dv=70_000, source=LABOUR_SOURCE,
            )
        )  # fmt: skip
    session.commit()
    return World(people, enrolments, order.id, employer.id)  # type: ignore[arg-type]


def _people(session: Session) -> dict[str, int]:
    rows = {
        "lan": dict(full_name="Lò Thị Lan", sex="nu", commune_code="03253"),
        "minh": dict(full_name="Quàng Văn Minh", commune_code="03127"),
        "hoa": dict(full_name="Nguyễn Thị Hoa", sex="nu", ethnicity_code="01"),
        "tu": dict(full_name="Cà Văn Tú", household_status="ngheo"),
        "nga": dict(full_name="Lường Thị Nga", sex="nu", in_difficult_village=True),
        "dung": dict(full_name="Vì Văn Dũng", has_disability=True, commune_code="03127"),
    }
    return {
        key: factories.person(session, citizen_id=f"0112010000{n:02d}", **values).id  # type: ignore[arg-type, misc]
        for n, (key, values) in enumerate(rows.items(), start=1)
    }


def _enrolments(
    session: Session, people: dict[str, int], courses: dict[str, int]
) -> dict[str, int]:
    graduated_sewing = dict(
        course_id=courses["sewing"], enrolled_on=date(2025, 3, 1), status="tot_nghiep",
        result="dat", graduated_on=date(2025, 6, 30), certificate_kind="chung_chi_so_cap",
    )  # fmt: skip
    graduated_short = dict(
        course_id=courses["short"], enrolled_on=date(2025, 4, 1), status="tot_nghiep",
        result="dat", graduated_on=date(2025, 5, 31), certificate_kind="chung_chi_dao_tao",
    )  # fmt: skip
    rows = {
        "lan_short": ("lan", dict(course_id=courses["short"], enrolled_on=date(2025, 4, 1),
                                  status="hoan_thanh")),
        "lan": ("lan", graduated_sewing),
        "minh": ("minh", graduated_sewing),
        "hoa": ("hoa", dict(course_id=courses["welding"], enrolled_on=date(2025, 2, 1),
                            status="bo_hoc")),
        "tu": ("tu", graduated_short),
        "nga": ("nga", graduated_short),
        "dung": ("dung", graduated_sewing),
    }  # fmt: skip
    return {
        key: factories.enrolment(session, person_id=people[who], **values).id  # type: ignore[arg-type, misc]
        for key, (who, values) in rows.items()
    }


def _jobs(
    session: Session,
    people: dict[str, int],
    enrolments: dict[str, int],
    employer_id: int,
    other_id: int,
) -> None:
    spell = factories.employment_spell
    hire = spell(
        session, person_id=people["minh"], employer_id=employer_id, start_date=date(2025, 7, 15),
        enrolment_id=enrolments["minh"], in_trained_occupation=True, sector_code="C",
    )  # fmt: skip
    spell(session, person_id=people["minh"], employer_id=other_id, start_date=date(2025, 9, 1),
          sector_code="F")  # fmt: skip
    spell(
        session, person_id=people["lan"], start_date=date(2025, 10, 1), kind="abroad",
        channel="xuat_khau_lao_dong", location_kind="abroad", commune_code=None,
        country_code="JP", abroad_programme="thuc_tap_sinh",
    )  # fmt: skip
    spell(session, person_id=people["tu"], start_date=date(2025, 6, 15), kind="self_employed",
          channel="vay_von", commune_code="03253", sector_code="A")  # fmt: skip
    spell(session, person_id=people["hoa"], start_date=date(2025, 3, 1), channel="co_quan_hcsn")
    follow = factories.follow_up
    follow(session, enrolment_id=enrolments["minh"], observed_on=date(2026, 1, 2),
           status="wage", employment_spell_id=hire.id, in_trained_occupation=True)  # fmt: skip
    follow(session, enrolment_id=enrolments["lan"], observed_on=date(2026, 1, 2),
           status="unemployed")  # fmt: skip
    follow(session, enrolment_id=enrolments["nga"], observed_on=date(2025, 12, 1),
           status="not_reached")  # fmt: skip
    follow(session, enrolment_id=enrolments["dung"], observed_on=date(2026, 1, 2),
           status="military")  # fmt: skip


def _vacancies(session: Session, employer_id: int, occupation_id: int) -> None:
    factories.vacancy(
        session, employer_id=employer_id, occupation_id=occupation_id, quantity=2, filled=2,
        status="filled", created_at=_moment(date(2025, 2, 1)),
        filled_at=_moment(date(2025, 3, 3)),
    )  # fmt: skip
    factories.vacancy(
        session, employer_id=employer_id, quantity=3, created_at=_moment(date(2025, 5, 5))
    )
