"""Searching the public board the way people type Vietnamese: whole syllables only ("hàn" is
not in "nhân" or "hàng"), tone marks exact when typed and free when not, a trade found under
its other names ("thợ may" is "công nhân may công nghiệp"), best matches first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from models.clock import today
from models.tables import Employer
from seed.reference import load_reference_data
from tests import factories
from tests.html import find_all, one, parse, text
from tests.web.helpers import make_account, sign_in
from tests.web.test_board import shown
from tests.web.test_vacancies import garment_occupation

# Oldest first: among equally good matches the board lists the newest first.
TITLES = (
    "Công nhân may công nghiệp",
    "Thợ hàn",
    "Nhân viên bán hàng",
    "Thợ sửa chữa máy may",
    "Lái máy xúc",
    "Kế toán",
    "Nhân viên nấu ăn",
    "Đan mây tre",
)


@pytest.fixture
def adverts(session: Session) -> None:
    load_reference_data(session)
    employer = factories.employer(session, name="Công ty TNHH Tuần Giáo")
    occupations = {
        "Thợ hàn": garment_occupation(session, "HAN").id,
        "Kế toán": garment_occupation(session, "KE_TOAN_DOANH_NGHIEP").id,
    }
    descriptions = {"Kế toán": "Hợp đồng có thời hạn một năm, làm việc tại văn phòng."}
    for title in TITLES:
        factories.vacancy(
            session,
            employer_id=employer.id,
            title=title,
            occupation_id=occupations.get(title),
            description=descriptions.get(title, ""),
        )
    # Past its deadline: closed, whatever the search.
    factories.vacancy(
        session,
        employer_id=employer.id,
        title="Thợ hàn công nhân may",
        deadline=today() - timedelta(days=1),
    )
    session.commit()


@pytest.mark.usefixtures("adverts")
def test_a_trade_is_found_under_its_other_names_marks_exact_when_typed(client: TestClient):
    # Typed with marks, "may" is "may": the garment job first (its trade), then the repairer
    # of sewing machines; "máy" (machine) and "mây" (rattan) are other words.
    assert shown(client, q="thợ may") == ["Công nhân may công nghiệp", "Thợ sửa chữa máy may"]
    assert shown(client, q="Thợ May") == ["Công nhân may công nghiệp", "Thợ sửa chữa máy may"]
    # Typed without marks, any marks answer, exact ones first.
    assert shown(client, q="tho may") == [
        "Công nhân may công nghiệp",
        "Thợ sửa chữa máy may",
        "Đan mây tre",
        "Lái máy xúc",
    ]


@pytest.mark.usefixtures("adverts")
def test_a_syllable_matches_whole_syllables_only(client: TestClient):
    # Not "nhân", not "hàng"; "hạn" in a description is another word when "hàn" is typed.
    assert shown(client, q="hàn") == ["Thợ hàn"]
    assert shown(client, q="HÀN") == ["Thợ hàn"]
    # Without marks "han" is "hàn" (the welder first: the trade, in the title) or "hạn".
    assert shown(client, q="han") == ["Thợ hàn", "Kế toán"]
    assert shown(client, q="hạn") == ["Kế toán"]
    assert shown(client, q="hàng") == ["Nhân viên bán hàng"]
    # Never inside a syllable: "an" is not in "nhân", "toán" or "hàng", only "ăn" holds it.
    assert shown(client, q="an") == ["Nhân viên nấu ăn"]
    assert shown(client, q="ha") == []


@pytest.mark.usefixtures("adverts")
def test_an_unmarked_query_ranks_the_marks_it_typed_first(client: TestClient):
    # "may" is the name of the sewing trade: its job first, then the repair of sewing
    # machines (the marks typed), then the other readings of the syllable.
    assert shown(client, q="may") == [
        "Công nhân may công nghiệp",
        "Thợ sửa chữa máy may",
        "Đan mây tre",
        "Lái máy xúc",
    ]
    assert shown(client, q="máy") == ["Lái máy xúc", "Thợ sửa chữa máy may"]


@pytest.mark.usefixtures("adverts")
def test_d_without_marks_finds_the_crossed_d(client: TestClient):
    assert shown(client, q="dan may") == ["Đan mây tre"]
    assert shown(client, q="đan") == ["Đan mây tre"]
    assert shown(client, q="dần") == []


@pytest.mark.usefixtures("adverts")
def test_fillers_name_no_trade_and_a_synonym_finds_another_title(client: TestClient):
    # "đầu bếp" is the catalogue's other name of cooking: "nấu ăn" answers.
    assert shown(client, q="đầu bếp") == ["Nhân viên nấu ăn"]
    assert shown(client, q="nhân viên bán hàng") == ["Nhân viên bán hàng"]
    # Nothing but fillers: they are searched as typed.
    assert shown(client, q="nhân viên") == ["Nhân viên nấu ăn", "Nhân viên bán hàng"]
    # The employer's name is searched as typed.
    assert len(shown(client, q="Tuần Giáo")) == len(TITLES)


def test_the_vacancy_list_searches_titles_by_whole_syllables(
    client: TestClient, session: Session, adverts: None
):
    employer = session.exec(select(Employer)).one()
    make_account(session, "employer", "tuan.giao", employer_id=employer.id)
    sign_in(client, "tuan.giao")

    def titles(q: str) -> list[str]:
        page = parse(client.get("/vacancies", params={"q": q}).text)
        return [text(one(row, "a")) for row in find_all(page, "tbody tr")]

    assert titles("hàn") == ["Thợ hàn công nhân may", "Thợ hàn"]
    assert titles("han") == ["Thợ hàn công nhân may", "Thợ hàn"]
    assert titles("máy") == ["Lái máy xúc", "Thợ sửa chữa máy may"]
    assert titles("an") == ["Nhân viên nấu ăn"]


def test_a_searched_vacancy_list_is_paged_newest_first(client: TestClient, session: Session):
    load_reference_data(session)
    employer = factories.employer(session, name="Công ty TNHH Mường Thanh")
    created = [
        factories.vacancy(session, employer_id=employer.id, title=f"Công nhân may tổ {n}")
        for n in range(30)
    ]
    factories.vacancy(session, employer_id=employer.id, title="Thợ hàn")  # not found
    session.commit()
    make_account(session, "employer", "muong.thanh", employer_id=employer.id)
    sign_in(client, "muong.thanh")

    def page_of(number: int) -> tuple[list[str], str]:
        page = parse(client.get("/vacancies", params={"q": "cong nhan", "page": number}).text)
        titles = [text(one(row, "a")) for row in find_all(page, "tbody tr")]
        return titles, text(one(page, ".result-count"))

    first_page, count = page_of(1)
    second_page, _ = page_of(2)
    assert (len(first_page), len(second_page)) == (25, 5)
    assert "30" in count
    # Every match once, newest first (the same created_at: the higher id first).
    assert first_page + second_page == [v.title for v in reversed(created)]
