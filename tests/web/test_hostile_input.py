"""Hostile values that once gave a 500 (issue 10): a NUL character anywhere in a request is
refused with 400 and a message in the reader's language (PostgreSQL cannot even compare text
holding one); a number beyond what its column holds, however many digits, is a field error.
tests/web/test_fuzz.py looks for more of these on every route; these name the known ones.
Runs on SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from models.errors import InvalidError
from models.follow_up_values import parse_income
from models.i18n import message_for, translate
from models.ids import INT_MAX, whole_or_none
from models.tables.employment import TrainingOrderCreate
from models.validation import bounds, stored_whole, validate_quantity, validate_wage_range
from models.years import parse_year
from tests.html import field_errors, parse
from tests.web.helpers import make_account, sign_in
from web.auth import ANONYMOUS_CSRF_COOKIE, CSRF_HEADER
from web.security import NUL_MESSAGE
from web.services.labour_force_rows import whole_number
from web.services.targets import PEOPLE, _number

DIGITS = "9" * 5000  # more than int() converts (4300 digits)
TOO_LARGE = "This number is too large: at most {max}."


def _nul_message(lang: str = "vi") -> str:
    return translate(NUL_MESSAGE, lang)


def _admin(client: TestClient, session: Session) -> TestClient:
    sign_in(client, make_account(session, "admin", "hostile_input_admin"))
    return client


@pytest.mark.parametrize(
    "url",
    ["/board?q=a%00b", "/board?q=ok&q=%00", "/courses?occupation=%00", "/board/%00", "/x%00y"],
)
def test_a_nul_in_the_address_is_refused(client: TestClient, url: str) -> None:
    got = client.get(url)
    assert got.status_code == 400
    assert _nul_message() in got.text


def test_the_refusal_speaks_the_readers_language(client: TestClient) -> None:
    client.cookies.set("lang", "en")
    got = client.get("/board?q=%00")
    assert got.status_code == 400
    assert _nul_message("en") in got.text
    assert _nul_message("en") != _nul_message("vi")


def test_a_nul_in_a_form_field_is_refused(client: TestClient, session: Session) -> None:
    admin = _admin(client, session)
    assert admin.post("/trainees", data={"q": "Nguyễn"}).status_code == 200
    got = admin.post("/trainees", data={"q": "a\x00b"})  # a 500 on PostgreSQL before
    assert got.status_code == 400
    assert _nul_message() in got.text
    assert admin.post("/trainees", data={"q\x00": "a"}).status_code == 400


@pytest.mark.parametrize("text", ["x" * 100_000, "9" * 100_000, "x " * 30_000])
def test_a_search_longer_than_any_name_finds_no_one(
    client: TestClient, session: Session, text: str
) -> None:
    """SQLite refused the LIKE pattern (a 500); a longer word than any name matches no one."""
    got = _admin(client, session).post("/trainees", data={"q": text})
    assert got.status_code == 200


def test_a_nul_in_an_uploaded_files_name_is_refused(client: TestClient, session: Session) -> None:
    admin = _admin(client, session)
    body = (  # written out: HTTP clients escape a NUL in a file name
        b"--b\r\n"
        b'Content-Disposition: form-data; name="file"; filename="bad\x00name.xlsx"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\nPK\x03\x04\r\n--b--\r\n"
    )
    headers = {"content-type": "multipart/form-data; boundary=b"}
    got = admin.post("/imports", content=body, headers=headers)
    assert got.status_code == 400
    assert _nul_message() in got.text


@pytest.mark.parametrize("body", [{"q": "a\x00b"}, {"a\x00": 1}, [["x", {"y": "\x00"}]]])
def test_a_nul_in_a_json_body_is_refused(client: TestClient, body: object) -> None:
    got = client.post(
        "/api/home-figures", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert got.status_code == 400
    assert got.json()["error"]["message"] == _nul_message()


def test_json_without_a_nul_reaches_the_route(client: TestClient) -> None:
    got = client.post(
        "/api/home-figures",
        content='{"q": "\\\\u0000"}',
        headers={"content-type": "application/json"},
    )
    assert got.status_code == 405  # the route's own answer: it takes GET only


def test_a_csrf_token_beyond_ascii_is_refused_not_a_crash(bare_client: TestClient) -> None:
    bare_client.cookies.set(ANONYMOUS_CSRF_COOKIE, "token")
    got = bare_client.post("/login", data={"username": "a", "csrf_token": "tökén💥"})
    assert got.status_code == 403
    bare_client.headers[CSRF_HEADER] = "token"
    assert bare_client.post("/login", data={"username": "a"}).status_code == 400


def test_a_sign_in_with_a_name_longer_than_any_is_refused(client: TestClient) -> None:
    """PostgreSQL refused to record the failed attempt (a 500) for a name beyond the column."""
    for _ in range(2):
        got = client.post("/login", data={"username": "9" * 5000, "password": "x"})
        assert got.status_code == 400
        assert translate("Wrong username or password.", "vi") in got.text


def test_a_vacancy_search_of_thousands_of_words_finds_none(
    client: TestClient, session: Session
) -> None:
    got = _admin(client, session).get("/vacancies", params={"q": "ab " * 2500})
    assert got.status_code == 200


def test_a_huge_capacity_is_a_field_error(client: TestClient, session: Session) -> None:
    admin = _admin(client, session)
    for capacity in (DIGITS, str(INT_MAX + 1), "99999999999999999999"):
        got = admin.post("/courses/new", data={"capacity": capacity, "name": "Khóa học"})
        assert got.status_code == 400
        assert "capacity" in field_errors(parse(got.text))


def test_a_huge_order_quantity_and_commitment_are_field_errors(
    client: TestClient, session: Session
) -> None:
    admin = _admin(client, session)
    form = {"quantity": DIGITS, "hiring_commitment": DIGITS, "unit_cost": str(2**63)}
    got = admin.post("/training-orders/new", data=form)
    assert got.status_code == 400
    errors = field_errors(parse(got.text))
    most = bounds(TrainingOrderCreate, "quantity")[1]
    assert errors["quantity"] == translate(
        "The quantity may not be more than {maximum}.", "vi", maximum=most
    )
    assert errors["unit_cost"] == translate(TOO_LARGE, "vi", max=INT_MAX)


# --- the parsers each of those forms and sheets use ---------------------------------------


def _message(error: InvalidError) -> str:
    return message_for(error, "en")


@pytest.mark.parametrize("text", [DIGITS, str(INT_MAX + 1), "-" + DIGITS, "0" * 20 + "1" * 11])
def test_stored_whole_refuses_what_no_column_holds(text: str) -> None:
    with pytest.raises(InvalidError) as refused:
        stored_whole(text, "count")
    assert refused.value.field == "count"
    assert _message(refused.value) == f"This number is too large: at most {INT_MAX}."


def test_stored_whole_keeps_what_fits() -> None:
    assert stored_whole(str(INT_MAX), "count") == INT_MAX
    assert stored_whole("0" * 30 + "12", "count") == 12
    assert stored_whole(-5, "count") == -5


@pytest.mark.parametrize(
    ("parse_value", "field"),
    [
        (lambda text: validate_quantity(text), "quantity"),
        (lambda text: validate_wage_range(text, None), "wage_min"),
        (lambda text: parse_income(text), "income"),
        (lambda text: _number(text, "value_min", PEOPLE, required=True), "value_min"),
        (lambda text: whole_number(text, "labour_force"), "labour_force"),
    ],
)
@pytest.mark.parametrize("text", [DIGITS, "99.999.999.999.999", str(2**63)])
def test_every_number_parser_says_too_large(parse_value, field: str, text: str) -> None:
    with pytest.raises(InvalidError) as refused:
        parse_value(text)
    assert refused.value.field == field


@pytest.mark.parametrize("text", ["²", "١٢", DIGITS, str(INT_MAX + 1), "-1", "1.5"])
def test_whole_or_none_ignores_what_int_would_choke_on(text: str) -> None:
    assert whole_or_none(text) is None


def test_a_year_of_thousands_of_digits_is_out_of_range() -> None:
    for text in (DIGITS, "²"):
        with pytest.raises(InvalidError):
            parse_year(text)
