"""The public job board as a visitor meets it: no sign-in, searches typed with or without
diacritics, filters by occupation, place and wage, paging, an advert per vacancy, and not a
trace of anyone's personal data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from models.clock import today
from models.i18n import translate
from models.tables import Referral
from seed.reference import load_reference_data
from tests import factories
from tests.html import attr, find_all, one, parse, selected, text
from tests.web.test_vacancies import garment_occupation


@dataclass(frozen=True)
class Board:
    garment: int  # vacancy ids below
    welder: int
    abroad: int
    other_province: int
    negotiable: int
    hidden: tuple[int, int, int]  # closed, full, past its deadline
    garment_occupation: int
    citizen_id: str
    phone: str


@pytest.fixture
def board(session: Session) -> Board:
    """Open vacancies of several kinds, hidden ones (closed, full, expired), and a consenting
    graduate referred to one of them, whose ID and phone must never reach the board."""
    load_reference_data(session)
    garment = garment_occupation(session)
    welding = garment_occupation(session, "HAN")
    sewing = factories.employer(session, name="Công ty May Mường Thanh", phone="0912345678")
    mechanics = factories.employer(session, name="Cơ khí Tuần Giáo")
    vacancy = factories.vacancy
    rows = {
        "garment": vacancy(
            session,
            employer_id=sewing.id,
            title="Công nhân may",
            occupation_id=garment.id,
            wage_min=5_000_000,
            wage_max=7_000_000,
            quantity=10,
            filled=3,
            deadline=today() + timedelta(days=30),
        ),
        "welder": vacancy(
            session,
            employer_id=mechanics.id,
            title="Thợ hàn điện",
            occupation_id=welding.id,
            commune_code="03253",
            wage_min=6_000_000,
            wage_max=9_000_000,
        ),
        "abroad": vacancy(
            session,
            employer_id=sewing.id,
            title="Thực tập sinh may tại Nhật Bản",
            occupation_id=garment.id,
            location_kind="abroad",
            commune_code=None,
            country_code="JP",
            wage_min=30_000_000,
            wage_max=None,
        ),
        "other_province": vacancy(
            session,
            employer_id=sewing.id,
            title="Lao động phổ thông khu công nghiệp",
            location_kind="other_province",
            commune_code=None,
            province_code="24",
            wage_min=None,
            wage_max=8_000_000,
        ),
        "negotiable": vacancy(
            session, employer_id=mechanics.id, title="Phụ bếp", wage_min=None, wage_max=None
        ),
    }
    closed = vacancy(session, employer_id=sewing.id, title="Công nhân may ca đêm", status="closed")
    full = vacancy(session, employer_id=sewing.id, title="Công nhân may mẫu", quantity=2, filled=2)
    expired = vacancy(
        session,
        employer_id=sewing.id,
        title="Công nhân may hết hạn",
        deadline=today() - timedelta(days=1),
    )
    graduate = factories.person(
        session,
        full_name="Lò Thị Xuân",
        citizen_id="011301001234",
        phone="+84987654321",
        consent_to_employers=True,
    )
    session.add(Referral(person_id=graduate.id or 0, vacancy_id=rows["garment"].id or 0))
    session.commit()
    return Board(
        **{name: row.id for name, row in rows.items()},
        hidden=(closed.id or 0, full.id or 0, expired.id or 0),
        garment_occupation=garment.id or 0,
        citizen_id="011301001234",
        phone="987654321",
    )


def places_left(left: int, quantity: int) -> str:
    return translate("{left} of {quantity} places left", "vi", left=left, quantity=quantity)


def shown(client: TestClient, **params: str) -> list[str]:
    """Titles of the vacancies the board lists for these filters, in order."""
    response = client.get("/board", params=params)
    assert response.status_code == 200, response.text
    page = parse(response.text)
    return [text(one(item, "a")) for item in find_all(page, "li.board-item")]


def test_a_visitor_finds_a_job_typed_without_diacritics(client: TestClient, board: Board):
    # "công nhân" names no trade: every garment job answers, the title typed first.
    for query in ("cong nhan may", "Công nhân may", "CÔNG   NHÂN MAY", "cong-nhan may"):
        assert shown(client, q=query) == ["Công nhân may", "Thực tập sinh may tại Nhật Bản"], query


def test_search_reaches_the_employer_and_the_occupation_names(client: TestClient, board: Board):
    assert set(shown(client, q="tuan giao")) == {"Thợ hàn điện", "Phụ bếp"}
    # "may công nghiệp" is the occupation's name, not in either title.
    assert set(shown(client, q="may cong nghiep")) == {
        "Công nhân may",
        "Thực tập sinh may tại Nhật Bản",
    }
    assert shown(client, q="%") == []  # a LIKE wildcard is a character, not "anything"
    assert shown(client, q="xyz khong co") == []


def test_only_open_jobs_with_places_left_before_their_deadline_are_listed(
    client: TestClient, board: Board
):
    titles = shown(client)
    assert len(titles) == 5
    assert not any(t in titles for t in ("Công nhân may ca đêm", "Công nhân may mẫu"))
    assert "Công nhân may hết hạn" not in titles


def test_filters_by_occupation_place_commune_and_wage(client: TestClient, board: Board):
    garment = str(board.garment_occupation)
    assert set(shown(client, occupation=garment)) == {
        "Công nhân may",
        "Thực tập sinh may tại Nhật Bản",
    }
    assert set(shown(client, place="province")) == {"Công nhân may", "Thợ hàn điện", "Phụ bếp"}
    assert shown(client, place="other_province") == ["Lao động phổ thông khu công nghiệp"]
    assert shown(client, place="abroad") == ["Thực tập sinh may tại Nhật Bản"]
    assert shown(client, commune="03253") == ["Thợ hàn điện"]
    # At least 7.5 million: the best each job may pay counts; "negotiable" does not qualify.
    assert set(shown(client, min_wage="7.500.000")) == {
        "Thợ hàn điện",
        "Thực tập sinh may tại Nhật Bản",
        "Lao động phổ thông khu công nghiệp",
    }
    assert shown(client, q="may", place="abroad", min_wage="20000000") == [
        "Thực tập sinh may tại Nhật Bản"
    ]


def test_the_filters_stay_filled_in_and_a_bad_wage_is_explained(client: TestClient, board: Board):
    page = parse(client.get("/board", params={"q": "may", "place": "abroad"}).text)
    assert attr(page, "input#q", "value") == "may"
    assert selected(page, "select#place") == ["abroad"]
    response = client.get("/board", params={"min_wage": "nhiều tiền"})
    assert response.status_code == 400
    error = one(parse(response.text), "p.field-error")
    assert error.attributes.get("data-field") == "min_wage" and "nhiều tiền" in text(error)


def test_each_item_shows_employer_place_wage_and_places_left(client: TestClient, board: Board):
    page = parse(client.get("/board", params={"q": "cong nhan may"}).text)
    item = find_all(page, "li.board-item")[0]
    assert text(one(item, "p.employer")) == "Công ty May Mường Thanh"
    assert text(one(item, "span.place")) == "Phường Điện Biên Phủ"
    assert text(one(item, "span.wage")) == "5.000.000 ₫ – 7.000.000 ₫"
    assert text(one(item, "span.places")) == places_left(7, 10)


def test_the_advert_page_shows_the_job_and_nothing_internal(client: TestClient, board: Board):
    response = client.get(f"/board/{board.garment}")
    assert response.status_code == 200
    page = parse(response.text)
    facts = {dd.attributes.get("data-fact"): text(dd) for dd in find_all(page, "dd[data-fact]")}
    assert facts["employer"] == "Công ty May Mường Thanh"
    assert facts["wage"] == "5.000.000 ₫ – 7.000.000 ₫"
    assert facts["place"] == "Phường Điện Biên Phủ"
    assert facts["deadline"] == (today() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert facts["occupation"] == "May công nghiệp"
    assert facts["places"] == places_left(7, 10)
    assert "0912345678" not in response.text  # not even the employer's phone
    abroad = parse(client.get(f"/board/{board.abroad}").text)
    assert text(one(abroad, 'dd[data-fact="place"]')) == "Nhật Bản"
    assert text(one(abroad, 'dd[data-fact="wage"]')).endswith("30.000.000 ₫")


def test_a_closed_full_expired_or_unknown_job_has_no_advert(client: TestClient, board: Board):
    for vacancy_id in (*board.hidden, 999_999):
        response = client.get(f"/board/{vacancy_id}")
        assert response.status_code == 404
        assert attr(parse(response.text), "section.error", "data-status") == "404"


def test_no_personal_data_appears_anywhere_on_the_board(client: TestClient, board: Board):
    pages = [client.get("/board").text, client.get(f"/board/{board.garment}").text]
    pages.append(client.get("/board", params={"q": "Xuân"}).text)
    for html in pages:
        assert board.citizen_id not in html
        assert board.phone not in html and "0987654321" not in html
        assert "Lò Thị Xuân" not in html
        assert not re.search(r"\b\d{12}\b", html)  # no citizen ID of any kind


def test_paging_keeps_the_filters(client: TestClient, session: Session, board: Board):
    employer = factories.employer(session, name="Công ty Xây dựng Điện Biên")
    for n in range(23):
        factories.vacancy(session, employer_id=employer.id, title=f"Thợ nề số {n}")
    session.commit()
    page_one = parse(client.get("/board", params={"q": "tho ne"}).text)
    assert len(find_all(page_one, "li.board-item")) == 20
    assert attr(page_one, "p.result-count", "data-total") == "23"
    next_link = attr(page_one, 'a[rel="next"]', "href")
    assert "q=tho+ne" in next_link and "page=2" in next_link
    page_two = parse(client.get(next_link).text)
    assert len(find_all(page_two, "li.board-item")) == 3
    assert find_all(page_two, 'a[rel="next"]') == []
    assert one(page_two, 'a[rel="prev"]')


def test_the_board_page_stays_light(client: TestClient, session: Session, board: Board):
    employer = factories.employer(session, name="Công ty Xây dựng Điện Biên")
    for n in range(25):
        factories.vacancy(session, employer_id=employer.id, title=f"Thợ nề số {n}")
    session.commit()
    response = client.get("/board", headers={"accept-encoding": "gzip"})
    html = response.text.encode()
    assert len(find_all(parse(response.text), "li.board-item")) == 20
    assert "<script" not in response.text
    assert len(html) < 30_000  # a full page of 20 jobs, filters included
    assert response.headers["content-encoding"] == "gzip"
    assert response.num_bytes_downloaded < 6_000  # what crosses the network


def test_the_board_needs_no_sign_in(client: TestClient, board: Board):
    response = client.get("/board", follow_redirects=False)
    assert response.status_code == 200
    page = parse(response.text)
    assert len(find_all(page, "li.board-item")) == 5
    assert attr(page, 'form[role="search"]', "method") == "get"
