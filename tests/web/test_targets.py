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

world = shared.world  # reference data (targets 2021–2026, 2030) and an account per role
# The reference data's targets: the two yearly flows for 2021–2026, the five shares and
# structure at their milestones 2025 and 2030 (placeholder).
SEEDED = 2 * 6 + 5 * 2


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
    assert count(world.session, Target) == SEEDED


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
    assert years == [str(y) for y in (*range(2021, 2027), 2030)]


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


def test_a_new_year_copies_the_yearly_targets_of_the_latest_earlier_year(client, world):
    """The flows (people trained, new jobs) are copied; the milestones are not (2026 has none,
    and a share set for 2025 and 2030 is no target of 2027 of its own)."""
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
    assert len(copies) == 2 and same
    changes = _changes(world)
    assert len(changes) == 2
    assert all(c.old_value_min is None and c.year == 2027 for c in changes)
    assert {c.reason for c in changes} == {"Chưa có nghị quyết mới"}
    assert len(_audits(world, "create")) == 2
    page = parse(client.get("/targets?year=2027").text)
    assert len(body_rows(page, "table#targets")) == 2
    assert len(body_rows(page, "table#target-history")) == 2

    again = client.post("/targets/year", data=data, follow_redirects=False)
    assert again.status_code == 400
    assert field_errors(parse(again.text))["year"] == vi(
        "The targets of {year} already exist: edit them in the list.", year=2027
    )
    assert count(world.session, Target) == SEEDED + 2


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
    assert count(world.session, Target) == SEEDED
    assert count(world.session, TargetChange) == 0


# --- targets of communes and institutions, milestones -------------------------------------


def _communes(world) -> list[tuple[str, str]]:
    """(code, name) of two current communes of the province, as the form offers them."""
    from models.clock import today
    from models.queries.reference import commune_options

    options = commune_options(world.session, on=today())[:2]
    world.session.rollback()
    return [(option.value, option.label) for option in options]


def _add(client: TestClient, **typed: str):
    form = {
        "indicator": "trained_people",
        "year": "2025",
        "scope": "commune",
        "commune_code": "",
        "institution_id": "",
        "value_min": "",
        "value_max": "",
        "source_document": "Quyết định giao chỉ tiêu số 12/QĐ-UBND",
        "reason": "Giao chỉ tiêu cho xã",
    } | typed
    return client.post("/targets/new", data=form, follow_redirects=False)


def _sums(page) -> dict[tuple[str, str], dict[str, str]]:
    return {
        (row.attributes["data-indicator"], row.attributes["data-scope"]): {
            cell.attributes["data-field"]: text(cell) for cell in find_all(row, "td[data-field]")
        }
        for row in body_rows(page, "table#target-sums")
    }


def test_commune_and_institution_targets_are_added_up_beside_the_province(client, world):
    """Province 2025: 8,000–8,300 people trained. Commune A 3,000–3,200 and commune B 4,500
    (no upper value): sum 7,500 – 7,700 (4,500 stands for B's upper value), difference
    7,500 − 8,000 = −500 and 7,700 − 8,300 = −600. Institution A: 2,000 of people trained,
    sum 2,000, difference −6,000. New jobs, commune A 9,000 against 8,700: +300."""
    (code_a, name_a), (code_b, name_b) = _communes(world)
    signed_in(client, world, "admin")
    added = [
        _add(client, commune_code=code_a, value_min="3.000", value_max="3200"),
        _add(client, commune_code=code_b, value_min="4500"),
        _add(client, scope="institution", institution_id=str(world.institution_a),
             value_min="2000"),
        _add(client, indicator="new_jobs", commune_code=code_a, value_min="9000"),
    ]  # fmt: skip
    assert [r.status_code for r in added] == [303] * 4
    assert added[0].headers["location"] == "/targets?year=2025"
    assert count(world.session, Target) == SEEDED + 4
    assert len(_audits(world, "create")) == 4

    page = parse(client.get("/targets?year=2025").text)
    sums = _sums(page)
    assert sums[("trained_people", "commune")] == {
        "count": "2",
        "sum": "7.500 – 7.700",
        "province": "8.000 – 8.300",
        "difference": "-500 – -600",
    }
    assert sums[("trained_people", "institution")]["sum"] == "2.000"
    assert sums[("trained_people", "institution")]["difference"] == "-6.000"
    assert sums[("new_jobs", "commune")]["difference"] == "+300"
    assert len(body_rows(page, "table#targets")) == 7  # the province's rows stay as they were
    scoped = {
        (row.attributes["data-indicator"], text(one(row, 'td[data-field="scope"]')))
        for row in body_rows(page, "table#scoped-targets")
    }
    assert scoped == {
        ("trained_people", name_a),
        ("trained_people", name_b),
        ("trained_people", "Trường Cao đẳng Điện Biên"),
        ("new_jobs", name_a),
    }


def test_a_commune_target_is_edited_like_any_other(client, world):
    (code_a, name_a), _ = _communes(world)
    signed_in(client, world, "admin")
    assert _add(client, commune_code=code_a, value_min="3000").status_code == 303
    target_id = (
        fresh(world.session).exec(select(Target.id).where(col(Target.commune_code) == code_a)).one()
    )
    world.session.rollback()
    page = parse(client.get(f"/targets/{target_id}/edit").text)
    assert text(one(page, 'h1 [data-field="scope"]')) == name_a
    form = _edit_form(client, target_id, value_min="3100", reason="Điều chỉnh")
    assert client.post(f"/targets/{target_id}/edit", data=form).status_code == 200
    assert _values(world, target_id)[0] == 3100
    sums = _sums(parse(client.get("/targets?year=2025").text))
    assert sums[("trained_people", "commune")]["difference"] == "-4.900"  # 3,100 − 8,000


def test_the_2030_orientation_is_a_placeholder_until_an_administrator_enters_it(client, world):
    signed_in(client, world, "admin")
    page = parse(client.get("/targets?year=2030").text)
    rows = {r.attributes["data-indicator"]: r for r in body_rows(page, "table#targets")}
    assert set(rows) == {i.value for i in TargetIndicator if TargetIndicator(i).milestone}
    for row in rows.values():
        assert "placeholder" in texts(row, "td")[3]
        assert text(one(row, '[data-field="kind"]')) == vi("Milestone")
    target = _target(world, "trained_share_pct", 2030)
    form = _edit_form(
        client,
        target.id,
        value_min="75",
        value_max="80",
        source_document="Kế hoạch phát triển nguồn nhân lực giai đoạn 2026–2030",
        reason="Nhập định hướng 2030",
    )
    assert client.post(f"/targets/{target.id}/edit", data=form).status_code == 200
    assert _values(world, target.id) == (
        75,
        80,
        "Kế hoạch phát triển nguồn nhân lực giai đoạn 2026–2030",
    )


def test_a_milestone_of_the_province_can_be_added_for_its_year(client, world):
    signed_in(client, world, "admin")
    response = _add(
        client,
        indicator="certified_share_pct",
        year="2028",
        scope="province",
        value_min="43,5",
        source_document="Kế hoạch 2026–2030",
    )
    assert response.status_code == 303
    target = _target(world, "certified_share_pct", 2028)
    assert _values(world, target.id) == (43.5, None, "Kế hoạch 2026–2030")


@pytest.mark.parametrize(
    ("typed", "field", "msgid"),
    [
        ({"indicator": "happiness"}, "indicator", "Choose an indicator."),
        ({"year": "20x5"}, "year", "The year must be between {first} and {last}."),
        ({"scope": "district"}, "scope", "Choose whose target this is."),
        ({"commune_code": "99999"}, "commune_code", "Choose a commune."),
        ({"indicator": "trained_share_pct"}, "scope",
         "A share or the structure is the whole province's target: the communes' percentages "
         "do not add up."),
        ({"scope": "institution", "institution_id": "x"}, "institution_id",
         "Choose an institution."),
        ({"scope": "institution", "indicator": "new_jobs"}, "scope",
         "An institution's target is a number of people trained."),
        ({"value_min": "ba nghìn"}, "value_min",
         "A number of people is a whole number, such as 8300."),
        ({"value_max": "10"}, "value_max", "The upper value must not be below the lower value."),
        ({"source_document": " "}, "source_document", "This field is required."),
        ({"reason": ""}, "reason", "This field is required."),
    ],
)  # fmt: skip
def test_a_bad_new_target_is_refused_next_to_its_field_and_nothing_is_written(
    client, world, typed, field, msgid
):
    (code_a, _), _ = _communes(world)
    signed_in(client, world, "admin")
    if typed.get("scope") == "institution" and "institution_id" not in typed:
        typed = typed | {"institution_id": str(world.institution_a)}
    response = _add(client, **({"commune_code": code_a, "value_min": "3000"} | typed))
    assert response.status_code == 400
    page = parse(response.text)
    assert field_errors(page)[field] == vi(msgid, first=2000, last=2100)
    assert attr(page, "#new-source_document", "value") == typed.get(
        "source_document", "Quyết định giao chỉ tiêu số 12/QĐ-UBND"
    )  # what they typed stays
    assert count(world.session, Target) == SEEDED
    assert count(world.session, TargetChange) == 0


def test_the_same_target_twice_is_refused(client, world):
    (code_a, _), _ = _communes(world)
    signed_in(client, world, "admin")
    assert _add(client, commune_code=code_a, value_min="3000").status_code == 303
    again = _add(client, commune_code=code_a, value_min="3500")
    assert again.status_code == 400
    message = vi("This target already exists: edit it in the list.")
    assert field_errors(parse(again.text))[""] == message
    province = _add(client, scope="province", value_min="8000")  # 2025 has one already
    assert province.status_code == 400
    assert count(world.session, Target) == SEEDED + 1


def test_only_administrators_add_targets(client, world):
    (code_a, _), _ = _communes(world)
    signed_in(client, world, "official")
    assert _add(client, commune_code=code_a, value_min="3000").status_code == 403
    page = parse(client.get("/targets?year=2025").text)
    assert find_all(page, "form#new-target-form") == []
    assert count(world.session, Target) == SEEDED
