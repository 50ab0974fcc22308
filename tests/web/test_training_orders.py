"""Training orders followed by both sides: the employer requests, the institution addressed
accepts or declines and links its course, progress is counted from enrolments, graduations and
hires, and every step taken out of turn is refused with a clear message and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from models.clock import today
from models.i18n import translate
from models.tables import (
    AuditEntry,
    Course,
    EmploymentSpell,
    Referral,
    TrainingOrder,
)
from seed.reference import load_reference_data
from tests import factories
from tests.html import attr, field_errors, find_all, one, options, parse, text
from tests.web.helpers import make_account, sign_in
from tests.web.test_vacancies import done_reading, garment_occupation


@dataclass(frozen=True)
class Orders:
    employer_a: int
    employer_b: int
    institution_x: int  # the order of employer A is addressed to X
    institution_y: int
    garment: int
    order: int  # requested by A from X
    course: int  # X's garment course, finished
    other_occupation_course: int  # X's welding course
    other_institution_course: int  # Y's garment course

    def sign_in(self, client: TestClient, session: Session, who: str | None) -> None:
        """admin, official, emp_a / emp_b (staff of employer A / B), inst_x / inst_y."""
        if who is None:
            return
        bindings = {
            "emp_a": ("employer", {"employer_id": self.employer_a}),
            "emp_b": ("employer", {"employer_id": self.employer_b}),
            "inst_x": ("institution", {"institution_id": self.institution_x}),
            "inst_y": ("institution", {"institution_id": self.institution_y}),
        }
        role, binding = bindings.get(who, (who, {}))
        make_account(session, role, who, **binding)
        sign_in(client, who)


@pytest.fixture
def orders(session: Session) -> Orders:
    load_reference_data(session)
    garment = garment_occupation(session)
    welding = garment_occupation(session, "HAN")
    employer_a = factories.employer(session, name="Công ty May Mường Thanh")
    employer_b = factories.employer(session, name="Công ty Cơ khí Tuần Giáo")
    x = factories.institution(session, name="Trường Cao đẳng Nghề Điện Biên")
    y = factories.institution(session, name="Trung tâm GDNN-GDTX Tuần Giáo")
    finished = dict(start_date=date(2026, 3, 1), end_date=date(2026, 6, 30), status="finished")
    course = factories.course(session, institution_id=x.id, occupation_id=garment.id, **finished)
    welding_course = factories.course(session, institution_id=x.id, occupation_id=welding.id)
    y_course = factories.course(session, institution_id=y.id, occupation_id=garment.id)
    order = TrainingOrder(
        employer_id=employer_a.id or 0,
        institution_id=x.id,
        occupation_id=garment.id or 0,
        level_code="so_cap",
        quantity=20,
        needed_by=today() + timedelta(days=120),
        hiring_commitment=2,
        commune_code="03127",
    )
    session.add(order)
    session.commit()
    return Orders(
        employer_a.id or 0,
        employer_b.id or 0,
        x.id or 0,
        y.id or 0,
        garment.id or 0,
        order.id or 0,
        course.id or 0,
        welding_course.id or 0,
        y_course.id or 0,
    )


def order_status(session: Session, order_id: int) -> tuple[str, str]:
    session.expire_all()
    order = session.get(TrainingOrder, order_id)
    assert order is not None
    done_reading(session)
    return order.status, order.status_reason


def set_status(session: Session, order_id: int, status: str) -> None:
    order = session.get(TrainingOrder, order_id)
    assert order is not None
    order.status = status
    session.add(order)
    session.commit()


def order_form(orders: Orders, **overrides: str) -> dict[str, str]:
    form = {
        "institution_id": str(orders.institution_x),
        "occupation_id": str(orders.garment),
        "level_code": "so_cap",
        "quantity": "25",
        "needed_by": (today() + timedelta(days=200)).strftime("%d/%m/%Y"),
        "unit_cost": "4.500.000",
        "hiring_commitment": "20",
        "committed_wage": "6000000",
        "funding_source": "doanh_nghiep",
        "note": "Cần thợ may cho xưởng mới",
        "location_kind": "commune",
        "commune_code": "03127",
        "form_token": "order-token",
    }
    form.update(overrides)
    return form


def order_count(session: Session) -> int:
    count = session.exec(select(func.count()).select_from(TrainingOrder)).one()
    done_reading(session)
    return count


ROLES = ("admin", "official", "emp_a", "emp_b", "inst_x", "inst_y", None)
MATRIX = {
    "/training-orders": (200, 200, 200, 200, 200, 200, 303),
    "/training-orders/new": (200, 403, 200, 200, 403, 403, 303),
    # Another employer's or institution's order is answered as missing.
    "/training-orders/{order}": (200, 200, 200, 404, 200, 404, 303),
}


@pytest.mark.parametrize("user", ROLES)
def test_each_role_gets_the_expected_answer_on_each_order_page(
    client: TestClient, session: Session, orders: Orders, user: str | None
):
    orders.sign_in(client, session, user)
    index = ROLES.index(user)
    for template, expected in MATRIX.items():
        path = template.format(order=orders.order)
        response = client.get(path, follow_redirects=False)
        assert response.status_code == expected[index], (user, path)
    accept = client.post(f"/training-orders/{orders.order}/accept", follow_redirects=False)
    refused = 404 if user == "inst_y" else 403  # an order addressed to another institution
    assert accept.status_code == {"admin": 303, "inst_x": 303, None: 303}.get(user, refused)
    accepted = user in ("admin", "inst_x")
    assert order_status(session, orders.order)[0] == ("accepted" if accepted else "requested")


@pytest.mark.parametrize(
    ("user", "listed"), [("emp_a", 1), ("emp_b", 0), ("inst_x", 1), ("inst_y", 0), ("official", 1)]
)
def test_each_side_lists_only_its_own_orders(
    client: TestClient, session: Session, orders: Orders, user: str, listed: int
):
    orders.sign_in(client, session, user)
    page = parse(client.get("/training-orders").text)
    assert len(find_all(page, "tr[data-order]")) == listed


def test_an_employer_requests_an_order_once_even_when_the_form_is_sent_twice(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "emp_a")
    before = order_count(session)
    first = client.post("/training-orders/new", data=order_form(orders), follow_redirects=False)
    second = client.post("/training-orders/new", data=order_form(orders), follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert order_count(session) == before + 1
    order = session.get(TrainingOrder, int(first.headers["location"].rsplit("/", 1)[1]))
    assert order is not None
    assert (order.employer_id, order.institution_id, order.status) == (
        orders.employer_a,
        orders.institution_x,
        "requested",
    )
    assert (order.quantity, order.hiring_commitment, order.unit_cost) == (25, 20, 4_500_000)
    done_reading(session)
    page = parse(client.get(first.headers["location"]).text)
    assert text(one(page, 'dd[data-fact="unit_cost"]')) == "4.500.000 ₫"
    assert attr(page, "span[data-status]", "data-status") == "requested"


def test_bad_orders_are_refused_field_by_field_and_nothing_is_saved(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "emp_a")
    before = order_count(session)
    form = order_form(
        orders,
        institution_id="",
        quantity="10",
        hiring_commitment="12",
        committed_wage="3.000.000",
        needed_by=today().strftime("%d/%m/%Y"),
        level_code="tien_si",
    )
    response = client.post("/training-orders/new", data=form)
    assert response.status_code == 400
    errors = field_errors(parse(response.text))
    assert set(errors) == {
        "institution_id",
        "hiring_commitment",
        "committed_wage",
        "needed_by",
        "level_code",
    }
    assert "4.140.000 ₫" in errors["committed_wage"]  # the minimum of region III
    assert "12" in errors["hiring_commitment"] and "10" in errors["hiring_commitment"]
    assert order_count(session) == before


def test_the_institution_must_give_a_reason_to_decline(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "inst_x")
    path = f"/training-orders/{orders.order}/decline"
    refused = client.post(path, data={"decline_reason": "  "})
    assert refused.status_code == 400
    errors = field_errors(parse(refused.text))
    assert errors == {"decline_reason": translate("Give the reason for declining the order.", "vi")}
    assert order_status(session, orders.order) == ("requested", "")
    reason = "Chưa đủ giáo viên cho nghề này"
    assert (
        client.post(path, data={"decline_reason": reason}, follow_redirects=False).status_code
        == 303
    )
    assert order_status(session, orders.order) == ("declined", reason)
    again = client.post(f"/training-orders/{orders.order}/accept")
    assert again.status_code == 409
    message = text(one(parse(again.text), "p.error-message"))
    assert message == translate("This order has already been answered.", "vi")


def test_only_a_course_of_the_institution_and_occupation_can_be_linked(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "inst_x")
    path = f"/training-orders/{orders.order}/courses"
    early = client.post(path, data={"course_id": str(orders.course)})
    assert early.status_code == 409  # not accepted yet
    client.post(f"/training-orders/{orders.order}/accept")
    page = parse(client.get(f"/training-orders/{orders.order}").text)
    offered = [value for value, _ in options(page, "select#course_id")]
    assert offered == ["", str(orders.course)]
    for course_id in (orders.other_occupation_course, orders.other_institution_course):
        refused = client.post(path, data={"course_id": str(course_id)})
        assert refused.status_code == 400
        assert "course_id" in field_errors(parse(refused.text))
    assert order_status(session, orders.order)[0] == "accepted"
    assert (
        client.post(
            path, data={"course_id": str(orders.course)}, follow_redirects=False
        ).status_code
        == 303
    )
    assert order_status(session, orders.order)[0] == "in_training"
    linked = session.get(Course, orders.course)
    assert linked is not None and linked.training_order_id == orders.order
    done_reading(session)
    twice = client.post(path, data={"course_id": str(orders.course)})
    assert twice.status_code == 409


def test_marking_trained_waits_for_the_course_to_finish(
    client: TestClient, session: Session, orders: Orders
):
    running = factories.course(
        session,
        institution_id=orders.institution_x,
        occupation_id=orders.garment,
        start_date=today() - timedelta(days=10),
        end_date=today() + timedelta(days=60),
        status="running",
        training_order_id=orders.order,
    )
    set_status(session, orders.order, "in_training")
    orders.sign_in(client, session, "inst_x")
    refused = client.post(f"/training-orders/{orders.order}/trained")
    assert refused.status_code == 409
    assert running.code in text(one(parse(refused.text), "p.error-message"))
    assert order_status(session, orders.order)[0] == "in_training"
    page = parse(client.get(f"/training-orders/{orders.order}").text)
    assert find_all(page, 'form[data-action="trained"]') == []


def _graduates_and_hires(session: Session, orders: Orders) -> None:
    """Four enrolled in the linked course: three graduated, one dropped out. Of the
    graduates, one works at employer A (and was also hired through a referral), one was hired
    through a referral to A's vacancy, one works at employer B."""
    people = [factories.person(session, full_name=f"Lò Văn {n}") for n in "ABCD"]
    for person, status in zip(
        people, ("tot_nghiep", "tot_nghiep", "tot_nghiep", "bo_hoc"), strict=True
    ):
        factories.enrolment(session, person_id=person.id, course_id=orders.course, status=status)
    vacancy_a = factories.vacancy(session, employer_id=orders.employer_a)
    spell = dict(start_date=date(2026, 7, 15), kind="wage", channel="dn_trong_tinh")
    session.add(
        EmploymentSpell(person_id=people[0].id or 0, employer_id=orders.employer_a, **spell)
    )
    session.add(
        EmploymentSpell(person_id=people[2].id or 0, employer_id=orders.employer_b, **spell)
    )
    for person in people[:2]:
        session.add(
            Referral(person_id=person.id or 0, vacancy_id=vacancy_a.id or 0, status="hired")
        )
    session.commit()


def progress_of(page_html: str) -> dict[str, str]:
    page = parse(page_html)
    return {
        node.attributes.get("data-progress") or "": text(one(node, "span.figure-value"))
        for node in find_all(page, "div[data-progress]")
    }


def test_progress_counts_enrolled_graduated_and_hired_against_the_commitment(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "inst_x")
    client.post(f"/training-orders/{orders.order}/accept")
    client.post(f"/training-orders/{orders.order}/courses", data={"course_id": str(orders.course)})
    _graduates_and_hires(session, orders)
    progress = progress_of(client.get(f"/training-orders/{orders.order}").text)
    assert progress == {"ordered": "20", "enrolled": "4", "graduated": "3", "hired": "2 / 2"}
    page = parse(client.get(f"/training-orders/{orders.order}").text)
    assert find_all(page, 'form[data-action="trained"]') != []  # the course has finished
    assert find_all(page, 'form[data-action="fulfilled"]') == []  # that step is the employer's
    client.post(f"/training-orders/{orders.order}/trained")
    assert order_status(session, orders.order)[0] == "trained"


def test_the_employer_marks_the_order_fulfilled_only_once_the_hires_reach_the_commitment(
    client: TestClient, session: Session, orders: Orders
):
    course = session.get(Course, orders.course)
    assert course is not None
    course.training_order_id = orders.order
    session.add(course)
    session.commit()
    set_status(session, orders.order, "trained")
    orders.sign_in(client, session, "emp_a")
    early = client.post(f"/training-orders/{orders.order}/fulfilled")
    assert early.status_code == 409
    message = text(one(parse(early.text), "p.error-message"))
    assert "0" in message and "2" in message
    assert order_status(session, orders.order)[0] == "trained"
    _graduates_and_hires(session, orders)
    done = client.post(f"/training-orders/{orders.order}/fulfilled", follow_redirects=False)
    assert done.status_code == 303
    assert order_status(session, orders.order)[0] == "fulfilled"
    closed = client.post(f"/training-orders/{orders.order}/close", data={"close_reason": "x"})
    assert closed.status_code == 409  # a fulfilled order is finished


@pytest.mark.parametrize("user", ["emp_b", "inst_y"])
def test_an_order_of_someone_else_cannot_be_closed(
    client: TestClient, session: Session, orders: Orders, user: str
):
    orders.sign_in(client, session, user)
    path = f"/training-orders/{orders.order}/close"
    assert client.post(path, data={"close_reason": "Không cần nữa"}).status_code == 404
    assert order_status(session, orders.order) == ("requested", "")


def test_the_employer_closes_its_order_with_a_reason(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "emp_a")
    path = f"/training-orders/{orders.order}/close"
    refused = client.post(path, data={"close_reason": ""})
    assert refused.status_code == 400
    assert "close_reason" in field_errors(parse(refused.text))
    assert order_status(session, orders.order) == ("requested", "")
    assert (
        client.post(
            path, data={"close_reason": "Đổi kế hoạch sản xuất"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert order_status(session, orders.order) == ("closed", "Đổi kế hoạch sản xuất")
    page = parse(client.get(f"/training-orders/{orders.order}").text)
    assert find_all(one(page, "div.order-actions"), "form") == []
    assert "Đổi kế hoạch sản xuất" in text(one(page, "p.status-reason"))


def test_officials_follow_orders_but_take_no_step(
    client: TestClient, session: Session, orders: Orders
):
    orders.sign_in(client, session, "official")
    page = parse(client.get(f"/training-orders/{orders.order}").text)
    assert find_all(one(page, "div.order-actions"), "form") == []
    for step in ("accept", "trained", "fulfilled"):
        assert client.post(f"/training-orders/{orders.order}/{step}").status_code == 403
    assert (
        client.post(
            f"/training-orders/{orders.order}/close", data={"close_reason": "x"}
        ).status_code
        == 403
    )
    assert order_status(session, orders.order)[0] == "requested"


def test_every_step_is_in_the_audit_log(client: TestClient, session: Session, orders: Orders):
    orders.sign_in(client, session, "inst_x")
    client.post(f"/training-orders/{orders.order}/accept")
    client.post(f"/training-orders/{orders.order}/courses", data={"course_id": str(orders.course)})
    client.post(f"/training-orders/{orders.order}/trained")
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.entity == "training_order", AuditEntry.entity_id == str(orders.order))
        .order_by(AuditEntry.id)  # type: ignore[arg-type]
    ).all()
    assert [e.action for e in entries] == ["accepted", "link_course", "trained"]


def test_an_order_at_a_level_the_catalogue_does_not_teach_the_occupation_at_is_refused(
    client: TestClient, session: Session, orders: Orders
):
    """As the course form: industrial sewing is taught in short courses and at sơ cấp, not at
    cao đẳng, so nobody could train the order's cohort."""
    orders.sign_in(client, session, "emp_a")
    before = order_count(session)

    response = client.post("/training-orders/new", data=order_form(orders, level_code="cao_dang"))

    assert response.status_code == 400
    errors = field_errors(parse(response.text))
    assert set(errors) == {"level_code"}
    assert "May công nghiệp" in errors["level_code"] and "Cao đẳng" in errors["level_code"]
    assert order_count(session) == before
