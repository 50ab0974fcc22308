"""The yearly targets: officials and administrators read them, only administrators change them;
a change keeps its history and its audit entry, a bad value is refused next to its field, an
edit made on stale values is refused whole, and a double submit writes one change."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from models.enums import TargetIndicator
from models.tables import AuditEntry, Target, TargetChange, UserAccount
from tests.html import (
    attr,
    body_rows,
    field_errors,
    find_all,
    form_fields,
    links,
    one,
    parse,
    text,
    texts,
)
from tests.web import test_courses as shared
from tests.web.test_courses import ROLES, count, fresh, signed_in, vi
from web.display import INDICATOR_LABELS

world = shared.world  # reference data (targets 2021–2026) and an account per role


@dataclass(frozen=True)
class Seen:
    """A target as the test saw it (plain values: a row would reload itself after the
    rollback, opening a transaction that holds SQLite's write lock)."""

    id: int
    source_document: str


def _target(world, indicator: str = "trained_people", year: int = 2025) -> Seen:
    target = (
        fresh(world.session)
        .exec(select(Target).where(col(Target.indicator) == indicator, col(Target.year) == year))
        .one()
    )
    seen = Seen(target.id or 0, target.source_document)
    world.session.rollback()
    return seen


def _values(world, target_id: int) -> tuple[float, float | None, str]:
    target = fresh(world.session).get(Target, target_id)
    assert target is not None
    values = (target.value_min, target.value_max, target.source_document)
    world.session.rollback()
    return values


def _changes(world) -> list[TargetChange]:
    """Detached copies, read in a transaction of their own."""
    query = select(TargetChange).order_by(col(TargetChange.id))
    rows = [TargetChange(**row.model_dump()) for row in fresh(world.session).exec(query)]
    world.session.rollback()
    return rows


def _audits(world, action: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(
        col(AuditEntry.entity) == "target", col(AuditEntry.action) == action
    )
    rows = [AuditEntry(**row.model_dump()) for row in fresh(world.session).exec(query)]
    world.session.rollback()
    return rows


def _edit_form(client: TestClient, target_id: int, **typed: str) -> dict[str, str]:
    """The edit form as the page fills it (with its hidden loaded values), then `typed`."""
    page = parse(client.get(f"/targets/{target_id}/edit").text)
    values = form_fields(page, "form#target-form")
    del values["csrf_token"]
    return values | typed


# --- who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_officials_and_admins_read_the_targets_and_only_admins_edit(client, world, role):
    target = _target(world)
    signed_in(client, world, role)
    listing = client.get("/targets?year=2025", follow_redirects=False)
    edit = client.get(f"/targets/{target.id}/edit", follow_redirects=False)
    expected_list = {"admin": 200, "official": 200, "anonymous": 303}.get(role, 403)
    assert listing.status_code == expected_list
    assert edit.status_code == {"admin": 200, "anonymous": 303}.get(role, 403)
    if expected_list == 200:
        page = parse(listing.text)
        edit_links = find_all(one(page, "table#targets"), "a")
        assert len(edit_links) == (7 if role == "admin" else 0)
        assert bool(find_all(page, "form#year-form")) is (role == "admin")


def test_an_official_cannot_change_a_target_and_nothing_is_written(client, world):
    target = _target(world)
    signed_in(client, world, "official")
    form = {
        "value_min": "9000",
        "value_max": "9500",
        "source_document": "Kế hoạch mới",
        "reason": "Thử",
        "loaded_value_min": "8000",
        "loaded_value_max": "8300",
        "loaded_source_document": target.source_document,
    }
    response = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 403
    year = client.post("/targets/year", data={"year": "2027", "reason": "x"})
    assert year.status_code == 403
    assert _values(world, target.id) == (8000, 8300, target.source_document)
    assert count(world.session, TargetChange) == 0
    assert _audits(world, "update") == [] and _audits(world, "create") == []
    assert count(world.session, Target) == 7 * 6


def test_the_menu_offers_targets_to_officials_and_admins_only(client, world):
    for role, shown in (("official", True), ("admin", True), ("staff_a", False)):
        viewer = signed_in(TestClient(client.app), world, role)
        menu = links(parse(viewer.get("/").text), "nav.site-menu a")
        assert ("/targets" in menu) is shown, role


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_the_year_in_indicator_order_with_vietnamese_labels(client, world):
    signed_in(client, world, "official")
    page = parse(client.get("/targets?year=2025").text)
    rows = body_rows(page, "table#targets")
    indicators = [row.attributes["data-indicator"] for row in rows]
    assert indicators == [i.value for i in TargetIndicator if i != TargetIndicator.ABROAD]
    labels = [texts(row, "td")[0] for row in rows]
    assert labels == [vi(INDICATOR_LABELS[TargetIndicator(i)]) for i in indicators]
    values = {
        row.attributes["data-indicator"]: text(one(row, 'td[data-field="value"]')) for row in rows
    }
    assert values["trained_people"] == "8.000 – 8.300 " + vi("people")
    assert values["trained_share_pct"] == "65 % – 70 %"
    assert values["structure_nlts_pct"] == "62,5 %"
    years = [n.attributes["data-year"] for n in find_all(one(page, "nav#target-years"), "*")]
    assert years == [str(y) for y in range(2021, 2027)]


# --- changing a target --------------------------------------------------------------------


def test_an_edit_saves_the_target_with_its_history_and_audit(client, world):
    target = _target(world)
    signed_in(client, world, "admin")
    form = _edit_form(client, target.id, value_min="8.100", reason="Theo kế hoạch điều chỉnh")
    assert (form["loaded_value_min"], form["loaded_value_max"]) == ("8000", "8300")
    response = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/targets?year=2025"
    assert _values(world, target.id) == (8100, 8300, target.source_document)
    [change] = _changes(world)
    admin = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == world.usernames["admin"]))
        .one()
    )
    assert (change.target_id, change.indicator, change.year) == (target.id, "trained_people", 2025)
    assert (change.old_value_min, change.old_value_max) == (8000, 8300)
    assert (change.new_value_min, change.new_value_max) == (8100, 8300)
    assert change.old_source_document == change.new_source_document == target.source_document
    admin_id = admin.id
    world.session.rollback()
    assert (change.changed_by_id, change.reason) == (admin_id, "Theo kế hoạch điều chỉnh")
    [entry] = _audits(world, "update")
    assert entry.entity_id == str(target.id)
    assert entry.details["fields"] == ["value_min"]

    page = parse(client.get("/targets?year=2025").text)
    [shown] = body_rows(page, "table#target-history")
    assert text(one(shown, 'td[data-field="before"]')) == "8.000 – 8.300"
    assert text(one(shown, 'td[data-field="after"]')) == "8.100 – 8.300"
    assert text(one(shown, 'td[data-field="reason"]')) == "Theo kế hoạch điều chỉnh"


def test_the_history_of_a_target_is_newest_first(client, world):
    target = _target(world, "certified_share_pct")
    signed_in(client, world, "admin")
    for value, reason in (("41", "Lần một"), ("42,5", "Lần hai")):
        form = _edit_form(client, target.id, value_min=value, reason=reason)
        assert client.post(f"/targets/{target.id}/edit", data=form).status_code == 200
    page = parse(client.get(f"/targets/{target.id}/edit").text)
    history = body_rows(page, "table#target-history")
    reasons = [text(one(row, 'td[data-field="reason"]')) for row in history]
    assert reasons == ["Lần hai", "Lần một"]
    assert _values(world, target.id)[0] == 42.5


@pytest.mark.parametrize(
    ("indicator", "typed", "field", "msgid"),
    [
        ("trained_people", {"value_min": "-5"}, "value_min", "A target cannot be negative."),
        ("trained_people", {"value_min": "8000,5"}, "value_min",
         "A number of people is a whole number, such as 8300."),
        ("trained_people", {"value_max": "7000"}, "value_max",
         "The upper value must not be below the lower value."),
        ("trained_share_pct", {"value_max": "120"}, "value_max",
         "A percentage cannot be above 100."),
        ("trained_share_pct", {"value_min": "nhiều"}, "value_min", "Write a number, such as 62.5."),
        ("trained_people", {"value_min": ""}, "value_min", "This field is required."),
        ("trained_people", {"value_min": "8100", "source_document": " "}, "source_document",
         "This field is required."),
        ("trained_people", {"value_min": "8100", "reason": ""}, "reason",
         "This field is required."),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_next_to_its_field_and_nothing_is_written(
    client, world, indicator, typed, field, msgid
):
    target = _target(world, indicator)
    before = _values(world, target.id)
    signed_in(client, world, "admin")
    form = _edit_form(client, target.id, reason="Lý do") | typed
    response = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 400
    errors = field_errors(parse(response.text))
    assert errors[field] == vi(msgid)
    assert _values(world, target.id) == before
    assert count(world.session, TargetChange) == 0
    assert _audits(world, "update") == []


def test_an_edit_on_stale_values_is_refused_and_writes_nothing(client, world):
    target = _target(world, "new_jobs")
    signed_in(client, world, "admin")
    stale = _edit_form(client, target.id, value_min="8800", reason="Của tôi")
    other = signed_in(TestClient(client.app), world, "admin")
    theirs = _edit_form(other, target.id, value_min="9000", reason="Của người khác")
    assert other.post(f"/targets/{target.id}/edit", data=theirs).status_code == 200

    response = client.post(f"/targets/{target.id}/edit", data=stale, follow_redirects=False)
    assert response.status_code == 409
    page = parse(response.text)
    message = vi(
        "Someone else changed this target while you were editing it. Nothing was saved: the "
        "page now shows the current values; check them and save again."
    )
    assert field_errors(page)[""] == message
    assert _values(world, target.id)[0] == 9000
    assert [c.reason for c in _changes(world)] == ["Của người khác"]
    form = one(page, "form#target-form")
    assert attr(form, 'input[name="value_min"]', "value") == "8800"  # what they typed
    assert attr(form, 'input[name="loaded_value_min"]', "value") == "9000"  # now current

    again = form_fields(page, "form#target-form")
    assert client.post(f"/targets/{target.id}/edit", data=again).status_code == 200
    assert _values(world, target.id)[0] == 8800
    assert len(_changes(world)) == 2


def test_a_double_submit_writes_one_change(client, world):
    target = _target(world)
    signed_in(client, world, "admin")
    form = _edit_form(client, target.id, value_min="8200", reason="Điều chỉnh")
    first = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    second = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    assert (first.status_code, second.status_code) == (303, 303)
    assert len(_changes(world)) == 1
    assert len(_audits(world, "update")) == 1


def test_a_save_that_changes_nothing_is_a_no_op(client, world):
    target = _target(world)
    signed_in(client, world, "admin")
    form = _edit_form(client, target.id, value_max="8.300")  # same value, no reason
    response = client.post(f"/targets/{target.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert count(world.session, TargetChange) == 0
    assert _audits(world, "update") == []


# --- a new year ---------------------------------------------------------------------------


def test_a_new_year_copies_the_latest_earlier_year(client, world):
    signed_in(client, world, "admin")
    data = {"year": "2027", "reason": "Chưa có nghị quyết mới"}
    response = client.post("/targets/year", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/targets?year=2027"
    copies = fresh(world.session).exec(select(Target).where(col(Target.year) == 2027)).all()
    originals = world.session.exec(select(Target).where(col(Target.year) == 2026)).all()

    def values(rows: list[Target]) -> set[tuple]:
        return {(t.indicator, t.value_min, t.value_max, t.unit, t.source_document) for t in rows}

    same = values(list(copies)) == values(list(originals))
    world.session.rollback()
    assert len(copies) == 7 and same
    changes = _changes(world)
    assert len(changes) == 7
    assert all(c.old_value_min is None and c.year == 2027 for c in changes)
    assert {c.reason for c in changes} == {"Chưa có nghị quyết mới"}
    assert len(_audits(world, "create")) == 7
    page = parse(client.get("/targets?year=2027").text)
    assert len(body_rows(page, "table#targets")) == 7
    assert len(body_rows(page, "table#target-history")) == 7

    again = client.post("/targets/year", data=data, follow_redirects=False)
    assert again.status_code == 400
    assert field_errors(parse(again.text))["year"] == vi(
        "The targets of {year} already exist: edit them in the list.", year=2027
    )
    assert count(world.session, Target) == 7 * 7


@pytest.mark.parametrize(
    ("data", "field", "msgid", "params"),
    [
        ({"year": "2019", "reason": "x"}, "year",
         "There are no targets of an earlier year to copy.", {}),
        ({"year": "1999", "reason": "x"}, "year",
         "The year must be between {first} and {last}.", {"first": 2000, "last": 2100}),
        ({"year": "2027", "reason": " "}, "reason", "This field is required.", {}),
    ],
)  # fmt: skip
def test_a_bad_year_is_refused_and_nothing_is_written(client, world, data, field, msgid, params):
    signed_in(client, world, "admin")
    response = client.post("/targets/year", data=data, follow_redirects=False)
    assert response.status_code == 400
    assert field_errors(parse(response.text))[field] == vi(msgid, **params)
    assert count(world.session, Target) == 7 * 6
    assert count(world.session, TargetChange) == 0
