"""The home page's alerts (issue 11): each one where it fires and where it does not, for each
role that sees it, and never for an organisation the reader has no relation with.

The clock is 1 July 2026 (09:00 in Vietnam): 182 of the year's 365 days are done, so a count
of 10 is projected to 10 × 365 / 182 = 20.05 by 31/12 (the dashboard's projection).

Personas: an official and an administrator (province-wide); staff of an employer or of an
institution, who see only their own organisation's orders and follow-ups.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.i18n import translate
from models.monitoring.read import snapshot_info
from models.monitoring.store import refresh_year
from models.tables import Target
from tests import factories
from tests.html import attrs, data_attrs, find_all, one, parse, text
from tests.web.helpers import make_account, sign_in

pytestmark = pytest.mark.today("2026-07-01")
YEAR = 2026
TARGET = "target_at_risk"
ORDER = "order_late"
OVERDUE = "follow_ups_overdue"


@dataclass(frozen=True)
class Shown:
    key: str
    text: str
    href: str


@dataclass(frozen=True)
class Home:
    has_alerts_section: bool
    alerts: dict[str, list[Shown]]  # by kind
    titles: dict[str, str]  # by kind
    more: dict[str, Shown]  # the "n more" line of a kind

    def keys(self, kind: str) -> list[str]:
        return [alert.key for alert in self.alerts.get(kind, [])]


def read_home(html: str) -> Home:
    page = parse(html)
    alerts: dict[str, list[Shown]] = {}
    for item in find_all(page, "li[data-alert]"):
        link = one(item, "a")
        shown = Shown(data_attrs(item)["key"], text(link), attrs(link)["href"])
        alerts.setdefault(data_attrs(item)["alert"], []).append(shown)
    groups = find_all(page, "[data-alerts]")
    titles = {data_attrs(group)["alerts"]: text(one(group, "h3")) for group in groups}
    more = {
        data_attrs(group)["alerts"]: Shown("", text(link), attrs(link)["href"])
        for group in groups
        for link in find_all(group, ".alert-more a")
    }
    return Home(bool(find_all(page, "section#alerts")), alerts, titles, more)


@contextmanager
def signed_in(app, session: Session, role: str, name: str, **binding: int) -> Iterator[TestClient]:
    make_account(session, role, name, **binding)
    session.rollback()  # end the read: on SQLite it holds the write lock the app needs
    with TestClient(app) as client:
        sign_in(client, name)
        yield client


def home_of(app, session: Session, role: str, name: str, lang: str = "vi", **binding: int) -> Home:
    with signed_in(app, session, role, name, **binding) as client:
        client.cookies.set("lang", lang)
        response = client.get("/")
    assert response.status_code == 200
    return read_home(response.text)


def vi(msgid: str, **params: object) -> str:
    return translate(msgid, "vi", **params)


# --- a target at risk ----------------------------------------------------------------------


def trained_this_year(session: Session, count: int) -> None:
    """`count` people who started a course on 1 March 2026."""
    course = factories.course(session)
    for n in range(count):
        person = factories.person(session, citizen_id=f"0112010{n:05d}")
        factories.enrolment(session, person_id=person.id, course_id=course.id)


def set_target(session: Session, value_min: float) -> None:
    session.add(
        Target(
            indicator="trained_people",
            year=YEAR,
            value_min=value_min,
            unit="people",
            source_document="Nghị quyết (thử)",
        )
    )


@pytest.mark.parametrize(
    ("target", "status"),
    [
        (20, None),  # 20.05 projected: on track
        (22, "at_risk"),  # 20.05 / 22 = 0.91: at risk
        (23, "behind"),  # 20.05 / 23 = 0.87: behind
    ],
)
def test_a_target_falling_short_is_an_alert_for_officials_and_administrators(
    app, session: Session, engine: Engine, target: int, status: str | None
):
    trained_this_year(session, 10)
    set_target(session, target)
    session.commit()
    refresh_year(engine, YEAR)

    official = home_of(app, session, "official", "official")
    admin = home_of(app, session, "admin", "admin")

    for home in (official, admin):
        if status is None:
            assert home.keys(TARGET) == []
            continue
        (alert,) = home.alerts[TARGET]
        assert alert.key == "trained_people"
        assert alert.text == vi(
            "{indicator}: {projection} by 31/12 at this pace, against a target of "
            "{target} ({status}).",
            indicator=vi("Trained people (all levels)"),
            projection="20",
            target=str(target),
            status=vi({"at_risk": "At risk", "behind": "Behind"}[status]),
        )
        assert alert.href == f"/dashboard?year={YEAR}#target-trained_people"
        assert home.titles[TARGET] == vi("Targets at risk this year")
    # The link opens the dashboard card it names, which judges the target the same way.
    with signed_in(app, session, "official", "official2") as client:
        dashboard = parse(client.get(f"/dashboard?year={YEAR}").text)
    card = one(dashboard, "article#target-trained_people")
    assert data_attrs(card)["status"] == (status or "ok")


def test_institutions_and_employers_never_see_a_target_alert(app, session: Session, engine: Engine):
    trained_this_year(session, 10)
    set_target(session, 8_000)
    session.commit()
    refresh_year(engine, YEAR)

    assert home_of(app, session, "official", "official").keys(TARGET) == ["trained_people"]
    assert home_of(app, session, "institution", "centre").keys(TARGET) == []
    assert home_of(app, session, "employer", "firm").keys(TARGET) == []


def test_no_target_alert_before_the_figures_exist_or_without_records(
    app, session: Session, engine: Engine
):
    set_target(session, 8_000)
    session.commit()

    before = home_of(app, session, "official", "official")

    assert before.keys(TARGET) == []
    assert snapshot_info(session, YEAR) is None  # the home page computes nothing
    session.rollback()
    refresh_year(engine, YEAR)  # a year with no record at all: "no data", not "behind"
    assert home_of(app, session, "official", "official2").keys(TARGET) == []


# --- a training order late -----------------------------------------------------------------


@dataclass(frozen=True)
class OrderWorld:
    firm: int
    other_firm: int
    college: int
    centre: int
    late: int  # the firm's, at the college: needed by 30/06, in training
    other_late: int  # the other firm's, at the centre: needed by 01/05, in training


def order_world(session: Session) -> OrderWorld:
    firm = factories.employer(session, name="Công ty TNHH May Mường Thanh")
    other_firm = factories.employer(session, name="Công ty Cổ phần Xây dựng Điện Biên")
    college = factories.institution(session, name="Trường Cao đẳng Điện Biên")
    centre = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")

    def order(employer, institution, needed_by: date, status: str = "in_training") -> int:
        row = factories.training_order(
            session,
            employer_id=employer.id,
            institution_id=institution.id,
            needed_by=needed_by,
            status=status,
        )
        return row.id or 0

    late = order(firm, college, date(2026, 6, 30))
    order(firm, college, date(2026, 7, 1))  # needed today: not late yet
    order(firm, college, date(2026, 1, 1), status="accepted")  # not in training
    order(firm, college, date(2026, 2, 1), status="trained")  # trained: nothing to chase
    other_late = order(other_firm, centre, date(2026, 5, 1))
    session.commit()
    return OrderWorld(
        firm.id or 0, other_firm.id or 0, college.id or 0, centre.id or 0, late, other_late
    )


def test_a_late_order_is_shown_to_its_employer_its_institution_and_officials(app, session: Session):
    world = order_world(session)

    firm = home_of(app, session, "employer", "firm", employer_id=world.firm)
    other_firm = home_of(app, session, "employer", "other_firm", employer_id=world.other_firm)
    college = home_of(app, session, "institution", "college", institution_id=world.college)
    centre = home_of(app, session, "institution", "centre", institution_id=world.centre)
    official = home_of(app, session, "official", "official")

    assert firm.keys(ORDER) == [str(world.late)]  # never the other employer's order
    assert other_firm.keys(ORDER) == [str(world.other_late)]
    assert college.keys(ORDER) == [str(world.late)]
    assert centre.keys(ORDER) == [str(world.other_late)]
    assert official.keys(ORDER) == [str(world.other_late), str(world.late)]  # longest late first
    (alert,) = firm.alerts[ORDER]
    assert alert.href == f"/training-orders/{world.late}"
    assert alert.text == vi(
        "Order no. {order} ({occupation}, {level}, {quantity} people) of {employer} at "
        "{institution}: needed by {needed_by}, still in training.",
        order=world.late,
        occupation="May công nghiệp",
        level="so_cap",  # the factory's level name
        quantity=20,
        employer="Công ty TNHH May Mường Thanh",
        institution="Trường Cao đẳng Điện Biên",
        needed_by=date(2026, 6, 30),
    )
    assert "30/06/2026" in alert.text
    assert home_of(app, session, "admin", "admin").keys(ORDER) == []


def test_the_late_order_link_opens_the_order_for_its_employer(app, session: Session):
    world = order_world(session)
    with signed_in(app, session, "employer", "firm", employer_id=world.firm) as client:
        (alert,) = read_home(client.get("/").text).alerts[ORDER]
        assert client.get(alert.href).status_code == 200


def test_no_late_order_no_alert(app, session: Session):
    firm = factories.employer(session)
    college = factories.institution(session)
    factories.training_order(
        session,
        employer_id=firm.id,
        institution_id=college.id,
        needed_by=date(2026, 7, 1),
        status="in_training",
    )
    session.commit()

    for home in (
        home_of(app, session, "employer", "firm", employer_id=firm.id),
        home_of(app, session, "institution", "college", institution_id=college.id),
        home_of(app, session, "official", "official"),
    ):
        assert home.has_alerts_section
        assert home.alerts == {}


def test_beyond_ten_late_orders_the_rest_are_counted_with_a_link(app, session: Session):
    firm = factories.employer(session)
    for day in range(1, 13):
        factories.training_order(
            session, employer_id=firm.id, needed_by=date(2026, 6, day), status="in_training"
        )
    session.commit()

    home = home_of(app, session, "official", "official")

    assert len(home.alerts[ORDER]) == 10
    assert home.more[ORDER].text == vi(
        "Late orders not listed here: {count}. See the orders in training.", count=2
    )
    assert home.more[ORDER].href == "/training-orders?status=in_training"


# --- follow-ups overdue --------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpWorld:
    college: int
    centre: int
    quiet: int


def graduate(session: Session, course_id: int, graduated_on: date, n: int) -> int:
    person = factories.person(session, citizen_id=f"0112020{n:05d}", full_name="Lò Thị Hoa")
    row = factories.enrolment(
        session,
        person_id=person.id,
        course_id=course_id,
        status="tot_nghiep",
        graduated_on=graduated_on,
    )
    return row.id or 0


def follow_up_world(session: Session) -> FollowUpWorld:
    """On 1 July 2026 a follow-up is overdue 31 days after its day. By hand:
    - the college: two graduates of 15/01 (3 months due 15/04: overdue), one of them already
      followed up at 3 months; one of 10/10/2025 (3 months due 10/01 and 6 months due 10/04:
      both overdue): 3 overdue;
    - the centre: one graduate of 15/01: 1 overdue;
    - the quiet centre: one graduate of 15/03 (due 15/06, 16 days ago: due, not overdue)."""
    college, centre, quiet = (factories.institution(session) for _ in range(3))
    start = date(2025, 6, 1)
    courses = [
        factories.course(session, institution_id=each.id, start_date=start, end_date=start)
        for each in (college, centre, quiet)
    ]
    answered = graduate(session, courses[0].id, date(2026, 1, 15), 1)
    graduate(session, courses[0].id, date(2026, 1, 15), 2)
    graduate(session, courses[0].id, date(2025, 10, 10), 3)
    factories.follow_up(
        session, enrolment_id=answered, months_after=3, observed_on=date(2026, 4, 20)
    )
    graduate(session, courses[1].id, date(2026, 1, 15), 4)
    graduate(session, courses[2].id, date(2026, 3, 15), 5)
    session.commit()
    return FollowUpWorld(college.id or 0, centre.id or 0, quiet.id or 0)


def test_an_institution_sees_only_its_own_overdue_count(app, session: Session):
    world = follow_up_world(session)

    college = home_of(app, session, "institution", "college", institution_id=world.college)
    centre = home_of(app, session, "institution", "centre", institution_id=world.centre)
    quiet = home_of(app, session, "institution", "quiet", institution_id=world.quiet)

    def own(count: int) -> str:
        return vi(
            "Follow-ups overdue (more than {days} days past their day): {count}.",
            days=30,
            count=count,
        )

    assert [(a.key, a.text) for a in college.alerts[OVERDUE]] == [(str(world.college), own(3))]
    assert [(a.key, a.text) for a in centre.alerts[OVERDUE]] == [(str(world.centre), own(1))]
    assert quiet.keys(OVERDUE) == []
    assert college.alerts[OVERDUE][0].href == "/follow-ups?state=overdue"
    for home in (college, centre):
        assert all("Hoa" not in alert.text for alert in home.alerts[OVERDUE])  # no one named


def test_the_overdue_link_lists_exactly_the_overdue_follow_ups(app, session: Session):
    world = follow_up_world(session)
    with signed_in(app, session, "institution", "college", institution_id=world.college) as c:
        (alert,) = read_home(c.get("/").text).alerts[OVERDUE]
        listed = parse(c.get(alert.href).text)
    states = [data_attrs(row)["state"] for row in find_all(listed, "tr[data-enrolment-id]")]
    assert states == ["overdue"] * 3


def test_officials_see_the_overdue_count_of_each_institution(app, session: Session):
    world = follow_up_world(session)

    official = home_of(app, session, "official", "official")

    alerts = official.alerts[OVERDUE]
    assert [alert.key for alert in alerts] == [str(world.college), str(world.centre)]
    assert [alert.href for alert in alerts] == [
        f"/follow-ups?state=overdue&institution={world.college}",
        f"/follow-ups?state=overdue&institution={world.centre}",
    ]
    assert alerts[1].text.endswith(": 1.")
    assert alerts[0].text.endswith(": 3.")
    assert home_of(app, session, "employer", "firm").keys(OVERDUE) == []
    assert home_of(app, session, "admin", "admin").keys(OVERDUE) == []


# --- the page around the alerts ------------------------------------------------------------


def test_visitors_get_no_alerts_section(client, session: Session):
    order_world(session)
    assert read_home(client.get("/").text).has_alerts_section is False


def test_alerts_follow_the_readers_language(app, session: Session):
    world = order_world(session)

    english = home_of(app, session, "employer", "firm", lang="en", employer_id=world.firm)
    vietnamese = home_of(app, session, "employer", "firm2", employer_id=world.firm)

    assert english.titles[ORDER] == "Training orders late"
    assert vietnamese.titles[ORDER] == vi("Training orders late") != "Training orders late"
    (alert,) = english.alerts[ORDER]
    assert alert.text.startswith(f"Order no. {world.late} (")
    assert alert.text.endswith("needed by 30/06/2026, still in training.")
    assert vietnamese.alerts[ORDER][0].text != alert.text
