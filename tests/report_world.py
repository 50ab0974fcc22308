"""A small year for the yearly-report tests: trainees at three levels in two institutions and
two communes, new jobs in four channels (one person hired twice, one departure abroad),
follow-ups (an answer, a non-response, someone studying further), a training order whose
graduate the ordering employer hired, vacancies in two months, imported labour-force figures
and the resolution's targets (from the reference data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from models.clock import today
from models.monitoring.figures import YearInput
from models.monitoring.read import snapshot_info
from models.monitoring.store import read_year
from models.tables import LabourForceFigure
from seed.reference import load_reference_data
from tests import factories

YEAR = 2026
# The day the figures below were checked by hand: the 6-month follow-up window of the May
# graduates has not yet fallen due (it does at the end of November). Tests on this world run
# with the clock on this day (pytest.mark.today), whatever the machine's date.
AS_OF = "2026-11-15"
SOURCE = "Điều tra lao động việc làm 2026 (Cục Thống kê)"


@dataclass(frozen=True)
class World:
    year: int
    occupation_keys: tuple[str, str]
    institution_ids: tuple[int, int]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)  # 10:00 in Vietnam


def build_world(session: Session) -> World:
    load_reference_data(session)
    sewing = factories.occupation(session, name="May công nghiệp")
    cooking = factories.occupation(session, name="Kỹ thuật chế biến món ăn", sector_group="dv")
    centre = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    college = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    factory = factories.employer(session, name="Công ty TNHH May Mường Thanh")
    order = factories.training_order(
        session,
        employer_id=factory.id,
        institution_id=centre.id,
        occupation_id=sewing.id,
        quantity=10,
        hiring_commitment=4,
        unit_cost=3_000_000,
        status="in_training",
        requested_at=_at(date(YEAR, 1, 20)),
    )
    sewing_course = factories.course(
        session,
        institution_id=centre.id,
        occupation_id=sewing.id,
        level_code="so_cap",
        start_date=date(YEAR, 3, 1),
        end_date=date(YEAR, 5, 31),
        status="finished",
        training_order_id=order.id,
    )
    cooking_course = factories.course(
        session,
        institution_id=college.id,
        occupation_id=cooking.id,
        level_code="trung_cap",
        start_date=date(YEAR - 1, 9, 1),
        end_date=date(YEAR, 4, 30),
        status="finished",
    )
    short_course = factories.course(
        session,
        institution_id=centre.id,
        occupation_id=cooking.id,
        level_code="duoi_3_thang",
        start_date=date(YEAR, 2, 1),
        end_date=date(YEAR, 3, 15),
        status="finished",
    )
    minh = factories.person(
        session, full_name="Lò Văn Minh", household_status="ngheo", in_zone_iii=True
    )
    lan = factories.person(
        session, full_name="Nguyễn Thị Lan", sex="nu", ethnicity_code="01", commune_code="03127"
    )
    xuan = factories.person(
        session,
        full_name="Quàng Thị Xuân",
        sex="nu",
        commune_code="03127",
        household_status="can_ngheo",
        has_disability=True,
        in_difficult_village=True,
    )
    pao = factories.person(session, full_name="Giàng A Páo", ethnicity_code="08")
    tuan = factories.person(session, full_name="Lường Văn Tuấn")
    hoa = factories.person(session, full_name="Lò Thị Hoa", sex="nu", commune_code="03127")

    def enrol(person_id: int, course_id: int, started: date, **values: object) -> int:
        row = factories.enrolment(
            session, person_id=person_id, course_id=course_id, enrolled_on=started, **values
        )
        return int(row.id or 0)

    graduated = {"status": "tot_nghiep"}
    minh_sewing = enrol(
        minh.id, sewing_course.id, date(YEAR, 3, 1), **graduated,
        graduated_on=date(YEAR, 5, 31), certificate_kind="chung_chi_so_cap",
    )  # fmt: skip
    minh_short = enrol(
        minh.id, short_course.id, date(YEAR, 2, 1), **graduated,
        graduated_on=date(YEAR, 3, 15), certificate_kind="chung_chi_dao_tao",
    )  # fmt: skip
    lan_cooking = enrol(
        lan.id, cooking_course.id, date(YEAR - 1, 9, 1), **graduated,
        graduated_on=date(YEAR, 4, 30), certificate_kind="bang_trung_cap",
    )  # fmt: skip
    enrol(xuan.id, sewing_course.id, date(YEAR, 3, 1), status="bo_hoc")
    pao_short = enrol(
        pao.id, short_course.id, date(YEAR, 2, 1), **graduated, graduated_on=date(YEAR, 3, 15)
    )
    enrol(tuan.id, sewing_course.id, date(YEAR, 3, 1), status="hoan_thanh")
    hoa_short = enrol(
        hoa.id, short_course.id, date(YEAR, 2, 1), **graduated, graduated_on=date(YEAR, 3, 15)
    )

    factories.employment_spell(
        session, person_id=minh.id, employer_id=factory.id, enrolment_id=minh_sewing,
        start_date=date(YEAR, 6, 15), sector_code="C",
    )  # fmt: skip
    factories.employment_spell(
        session, person_id=minh.id, start_date=date(YEAR, 8, 1), kind="self_employed",
        channel="vay_von", sector_code="A",
    )  # fmt: skip
    factories.employment_spell(
        session, person_id=lan.id, start_date=date(YEAR, 7, 1), kind="abroad",
        channel="xuat_khau_lao_dong", location_kind="abroad", commune_code=None,
        country_code="KR", abroad_programme="EPS", in_trained_occupation=False,
    )  # fmt: skip
    factories.employment_spell(
        session, person_id=pao.id, start_date=date(YEAR, 5, 1), channel="co_quan_hcsn",
        sector_code="P", in_trained_occupation=True,
    )  # fmt: skip
    factories.employment_spell(
        session, person_id=tuan.id, start_date=date(YEAR, 9, 1), channel="dn_ngoai_tinh",
        location_kind="other_province", commune_code=None, province_code="01",
    )  # fmt: skip

    factories.follow_up(
        session, enrolment_id=pao_short, months_after=6, observed_on=date(YEAR, 9, 20),
        status="not_reached",
    )  # fmt: skip
    factories.follow_up(
        session, enrolment_id=hoa_short, months_after=6, observed_on=date(YEAR, 9, 20),
        status="not_reached",
    )  # fmt: skip
    factories.follow_up(
        session, enrolment_id=minh_short, months_after=3, observed_on=date(YEAR, 6, 20),
        status="studying",
    )  # fmt: skip
    factories.follow_up(
        session, enrolment_id=lan_cooking, months_after=6, observed_on=date(YEAR, 11, 2),
        status="abroad",
    )  # fmt: skip

    for posted, quantity, filled, filled_on in (
        (date(YEAR, 2, 10), 3, 3, date(YEAR, 3, 2)),
        (date(YEAR, 2, 20), 2, 0, None),
        (date(YEAR, 5, 5), 4, 4, date(YEAR, 5, 25)),
    ):
        factories.vacancy(
            session, employer_id=factory.id, occupation_id=sewing.id, quantity=quantity,
            filled=filled, status="filled" if filled == quantity else "open",
            created_at=_at(posted), filled_at=_at(filled_on) if filled_on else None,
        )  # fmt: skip
    session.add(
        LabourForceFigure(
            year=YEAR, labour_force=380_000, trained=98_800, trained_certified=60_800,
            employed=372_000, employed_nlts=245_520, employed_cnxd=44_640, employed_dv=81_840,
            source=SOURCE,
        )
    )  # fmt: skip
    session.commit()
    return World(YEAR, (sewing.key, cooking.key), (int(centre.id or 0), int(college.id or 0)))


def year_input(session: Session, year: int = YEAR) -> YearInput:
    """The records the stored figures were computed from, as of the snapshot's day (the read
    is ended: on SQLite an open transaction holds the lock the web app needs)."""
    info = snapshot_info(session, year)
    data = read_year(session, year, info.as_of if info is not None else today())
    session.rollback()
    return data
