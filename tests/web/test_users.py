"""The administrator's account pages: only administrators reach them; a new account is
validated field by field and can sign in; disabling ends the user's sessions at once; every
change is audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from models.tables import AuditEntry, AuthSession, UserAccount
from tests.html import attr, body_rows, field_errors, find_all, one, options, parse, text, texts
from tests.web import test_courses as shared
from tests.web.helpers import PASSWORD, sign_in
from tests.web.test_courses import ROLES, count, fresh, signed_in, vi

world = shared.world  # the fixture: two institutions, an employer, an account per role


def account_form(**overrides: str) -> dict[str, str]:
    values = {
        "username": "giao.vu.moi",
        "full_name": "Cầm Thị Lan",
        "role": "institution",
        "institution_id": "",
        "employer_id": "",
        "commune_code": "",
        "language": "vi",
        "password": "mật-khẩu-mới-đủ-dài",
        "password_repeat": "mật-khẩu-mới-đủ-dài",
    }
    return values | overrides


def _user_id(world, username: str) -> int:
    user = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == username))
        .one()
    )
    user_id = user.id  # read before the rollback, which expires the row
    world.session.rollback()
    assert user_id is not None
    return user_id


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_reach_the_user_pages(client, world, role):
    target = _user_id(world, world.usernames["official"])
    signed_in(client, world, role)
    expected = {"admin": 200, "anonymous": 303}.get(role, 403)
    for path in ("/users", "/users/new"):
        assert client.get(path, follow_redirects=False).status_code == expected, path
    response = client.post(f"/users/{target}/active", data={"active": "0"}, follow_redirects=False)
    assert response.status_code == (303 if role in ("admin", "anonymous") else 403)
    disabled = not fresh(world.session).get(UserAccount, target).is_active  # type: ignore[union-attr]
    assert disabled is (role == "admin")


def test_the_list_shows_every_account_with_its_organisation(client, world):
    signed_in(client, world, "admin")
    page = parse(client.get("/users").text)
    rows = {texts(row, "td")[0]: row for row in body_rows(page, "table#users")}
    assert set(rows) == set(world.usernames.values())
    staff = rows["giao.vu.a"]
    assert text(one(staff, 'td[data-role="institution"]')) == vi("role:institution")
    assert texts(staff, "td")[3] == "Trường Cao đẳng Điện Biên"
    own = rows["quan.tri"]
    assert find_all(own, "form") == []  # an administrator cannot disable themself here


def test_a_new_account_is_created_and_can_sign_in(client, world):
    signed_in(client, world, "admin")
    form = account_form(institution_id=str(world.institution_a))
    response = client.post("/users/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/users"
    user = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == "giao.vu.moi"))
        .one()
    )
    assert (user.role, user.institution_id, user.employer_id) == (
        "institution",
        world.institution_a,
        None,
    )
    assert user.password_hash.startswith("$argon2id$")
    entry = world.session.exec(
        select(AuditEntry)
        .where(col(AuditEntry.entity) == "user_account")
        .where(col(AuditEntry.action) == "create")
    ).one()
    assert entry.entity_id == str(user.id)
    world.session.rollback()
    newcomer = TestClient(client.app)
    sign_in(newcomer, "giao.vu.moi", "mật-khẩu-mới-đủ-dài")
    assert newcomer.get("/courses").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "msgid", "params"),
    [
        ({"password": "ngan", "password_repeat": "ngan"}, "password",
         "Password must have at least {n} characters.", {"n": 12}),
        ({"password": "mật-khẩu-11", "password_repeat": "mật-khẩu-11"}, "password",
         "Password must have at least {n} characters.", {"n": 12}),
        ({"password": "QWERTY123456", "password_repeat": "QWERTY123456"}, "password",
         "This password is on a list of commonly used passwords. Choose another one.", {}),
        ({"password_repeat": "khác-hẳn-mật-khẩu"}, "password_repeat",
         "The two passwords are not the same.", {}),
        ({"institution_id": ""}, "institution_id",
         "Institution staff must belong to an institution.", {}),
        ({"role": "employer", "employer_id": "999"}, "employer_id",
         "Employer staff must belong to an employer.", {}),
        ({"role": "boss"}, "role", "Choose a role.", {}),
        ({"username": "giao.vu.a"}, "username",
         "The username {username} is already taken.", {"username": "giao.vu.a"}),
        ({"username": "Đặng Văn"}, "username",
         "A username has 3 to 60 characters: lower-case letters without diacritics, digits, "
         "dots, hyphens and underscores.", {}),
        ({"full_name": " "}, "full_name", "This field is required.", {}),
        ({"role": "commune", "commune_code": "03154"}, "commune_code",  # Sín Thầu, before July 2025
         "Choose a commune or ward of the province.", {}),
        ({"role": "commune", "commune_code": "01001"}, "commune_code",  # no such unit
         "Choose a commune or ward of the province.", {}),
        ({"role": "commune"}, "commune_code", "Choose a commune or ward of the province.", {}),
    ],
)  # fmt: skip
def test_a_bad_account_form_is_refused_next_to_the_field(
    client, world, overrides, field, msgid, params
):
    signed_in(client, world, "admin")
    before = count(world.session, UserAccount)
    defaults = {"institution_id": str(world.institution_a)}
    response = client.post("/users/new", data=account_form(**(defaults | overrides)))
    assert response.status_code == 400
    page = parse(response.text)
    assert field_errors(page)[field] == vi(msgid, **params)
    assert attr(page, 'input[name="password"]', "value") == ""  # never echoed
    assert count(world.session, UserAccount) == before


def test_disabling_ends_the_users_sessions_and_enabling_lets_them_back(client, world):
    staff = TestClient(client.app)
    signed_in(staff, world, "staff_a")
    assert staff.get("/courses").status_code == 200
    target = _user_id(world, "giao.vu.a")
    signed_in(client, world, "admin")

    response = client.post(f"/users/{target}/active", data={"active": "0"}, follow_redirects=False)
    assert response.status_code == 303
    assert staff.get("/courses", follow_redirects=False).status_code == 303  # to sign-in
    sessions = (
        fresh(world.session)
        .exec(select(AuthSession).where(col(AuthSession.user_id) == target))
        .all()
    )
    assert sessions and all(s.revoked_at is not None for s in sessions)
    world.session.rollback()
    page = parse(client.get("/users").text)
    assert attr(page, f'table#users > tbody > tr[data-user-id="{target}"]', "data-active") == "no"

    client.post(f"/users/{target}/active", data={"active": "1"}, follow_redirects=False)
    again = TestClient(client.app)
    sign_in(again, "giao.vu.a", PASSWORD)
    actions = [
        e.action
        for e in fresh(world.session).exec(
            select(AuditEntry).where(col(AuditEntry.entity_id) == str(target))
            .where(col(AuditEntry.action).in_(["disable", "enable"]))
            .order_by(col(AuditEntry.id))
        )
    ]  # fmt: skip
    assert actions == ["disable", "enable"]


def test_an_administrator_cannot_disable_their_own_account(client, world):
    me = _user_id(world, "quan.tri")
    signed_in(client, world, "admin")
    response = client.post(f"/users/{me}/active", data={"active": "0"})
    assert response.status_code == 400
    assert text(one(parse(response.text), ".error-message")) == vi(
        "You cannot disable your own account."
    )
    assert fresh(world.session).get(UserAccount, me).is_active  # type: ignore[union-attr]


# --- commune officers and Employment Service Centre staff ---------------------------------


@pytest.mark.today("2026-04-08")
def test_a_commune_officer_is_created_for_a_commune_of_the_province(client, world):
    signed_in(client, world, "admin")
    form_page = parse(client.get("/users/new").text)
    assert ("commune", vi("role:commune")) in options(form_page, "select#role")
    assert ("job_centre", vi("role:job_centre")) in options(form_page, "select#role")
    communes = dict(options(form_page, "select#commune_code"))
    assert communes["03175"] == "Xã Chà Tở"
    assert len(communes) == 45 + 1  # the province's communes and wards, and "none"
    form = account_form(username="can.bo.cha.to", role="commune", commune_code="03175")
    form["institution_id"] = str(world.institution_a)  # ignored: not an institution's account
    response = client.post("/users/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    user = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == "can.bo.cha.to"))
        .one()
    )
    assert (user.role, user.commune_code, user.institution_id, user.employer_id) == (
        "commune", "03175", None, None
    )  # fmt: skip
    world.session.rollback()
    rows = {
        texts(row, "td")[0]: row
        for row in body_rows(parse(client.get("/users").text), "table#users")
    }
    assert texts(rows["can.bo.cha.to"], "td")[2:4] == [vi("role:commune"), "Xã Chà Tở"]
    officer = TestClient(client.app)
    sign_in(officer, "can.bo.cha.to", "mật-khẩu-mới-đủ-dài")
    assert officer.get("/reporting-status", follow_redirects=False).status_code == 403


def test_employment_service_centre_staff_need_no_organisation(client, world):
    signed_in(client, world, "admin")
    form = account_form(username="trung.tam.dvvl", role="job_centre", commune_code="03175")
    response = client.post("/users/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    user = (
        fresh(world.session)
        .exec(select(UserAccount).where(col(UserAccount.username) == "trung.tam.dvvl"))
        .one()
    )
    assert (user.role, user.commune_code, user.institution_id) == ("job_centre", None, None)
    world.session.rollback()
    staff = TestClient(client.app)
    sign_in(staff, "trung.tam.dvvl", "mật-khẩu-mới-đủ-dài")
    assert staff.get("/vacancies").status_code == 200
    assert staff.get("/courses", follow_redirects=False).status_code == 403
