"""The candidates page ranks every eligible graduate on request, not a stored top 20: all of
them are reachable page by page, filters (the vacancy's own commune, recent graduates) apply
before the list is cut, people who are not eligible (no consent, outside the age range,
another trade, outside the places they would work in) are neither listed nor referable, and
equal scores are ordered by evidence, the same way every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from models.tables import Referral
from tests import factories
from tests.html import data_attrs, find_all, one, parse
from tests.web.helpers import make_account, sign_in

pytestmark = pytest.mark.today("2026-11-27")

EMPLOYER = "tuyen.dung"
JOB_COMMUNE, OTHER_COMMUNE = "03127", "03160"


@dataclass
class Listed:
    people: list[int]
    ranks: list[int]
    scores: list[float]
    total: int
    next_page: str | None


def read(html: str) -> Listed:
    page = parse(html)
    items = find_all(page, "li.candidate")
    count = data_attrs(one(page, ".result-count"))
    nexts = find_all(page, "a[rel=next]")
    return Listed(
        people=[int(data_attrs(item)["person"]) for item in items],
        ranks=[int(data_attrs(item)["rank"]) for item in items],
        scores=[float(data_attrs(item)["score"]) for item in items],
        total=int(count["total"]),
        next_page=dict(nexts[0].attrs)["href"] if nexts else None,
    )


def every_page(client, url: str) -> list[Listed]:
    pages = [read(client.get(url).text)]
    while pages[-1].next_page:
        assert len(pages) < 20, "the pager never ends"
        pages.append(read(client.get(pages[-1].next_page).text))
    return pages


@dataclass
class World:
    vacancy_id: int
    eligible: list[int]  # in the job's commune first, then elsewhere
    local: list[int]
    recent: list[int]
    ineligible: dict[str, int]
    sewing_course: int


def build(session: Session, *, local: int = 25, elsewhere: int = 10) -> World:
    """A sewing job in 03127 for people aged 18–35 and, around it, identical sewers (equal
    scores) who graduated on different days, and five people who may not be ranked."""
    sewing = factories.occupation(session, key="MAY_CN", name="May công nghiệp")
    garment = factories.occupation(session, key="MAY_TT", name="May thời trang")  # same group
    electric = factories.occupation(session, key="DIEN", name="Điện dân dụng", group="dien")
    factories.level(session, "so_cap")
    courses = {
        "sewing": factories.course(session, occupation_id=sewing.id),
        "garment": factories.course(session, occupation_id=garment.id),
        "electric": factories.course(session, occupation_id=electric.id),
    }

    def graduate(name: str, course: str, graduated: date, **person) -> int:
        values = {
            "full_name": name,
            "consent_to_employers": True,
            "birth_date": date(2000, 1, 1),
            **person,
        }
        row = factories.person(session, **values)
        factories.enrolment(
            session,
            person_id=row.id,
            course_id=courses[course].id,
            status="tot_nghiep",
            graduated_on=graduated,
        )
        return row.id

    locals_ = [
        graduate(f"Lò Văn Mạnh {i}", "sewing", date(2026, 1 + i % 11, 1), commune_code=JOB_COMMUNE)
        for i in range(local)
    ]
    others = [
        graduate(f"Cầm Thị Hoa {i}", "garment", date(2025, 6, 1), commune_code=OTHER_COMMUNE)
        for i in range(elsewhere)
    ]
    ineligible = {
        "no_consent": graduate(
            "Lường Văn Tú", "sewing", date(2026, 6, 1), consent_to_employers=False
        ),
        "too_old": graduate(
            "Quàng Văn Già", "sewing", date(2026, 6, 1), birth_date=date(1970, 1, 1)
        ),
        "other_trade": graduate("Cà Thị Lan", "electric", date(2026, 6, 1)),
        "not_willing": graduate(
            "Tòng Văn Sơn",
            "sewing",
            date(2026, 6, 1),
            commune_code=OTHER_COMMUNE,
            willing_to_work=["commune"],
        ),
    }
    employer = factories.employer(session)
    vacancy = factories.vacancy(
        session,
        employer_id=employer.id,
        occupation_id=sewing.id,
        commune_code=JOB_COMMUNE,
        age_min=18,
        age_max=35,
        quantity=3,
        start_date=date(2026, 12, 15),
    )
    session.commit()
    make_account(session, "employer", EMPLOYER, employer_id=employer.id)
    recent = [p for i, p in enumerate(locals_) if date(2026, 1 + i % 11, 1) >= date(2026, 5, 28)]
    return World(
        vacancy.id, locals_ + others, locals_, recent, ineligible, courses["sewing"].id or 0
    )


@pytest.fixture
def world(session: Session) -> World:
    return build(session)


def url(world: World, **query: str) -> str:
    base = f"/vacancies/{world.vacancy_id}/candidates"
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_every_eligible_graduate_is_reachable_page_by_page(client, session, world):
    sign_in(client, EMPLOYER)
    pages = every_page(client, url(world))

    listed = [person for page in pages for person in page.people]
    assert len(pages) == 2 and [len(page.people) for page in pages] == [20, 15]
    assert sorted(listed) == sorted(world.eligible)  # each once, nobody missing
    assert [rank for page in pages for rank in page.ranks] == list(range(1, 36))
    assert pages[0].total == 35


def test_the_commune_filter_keeps_every_eligible_person_of_the_commune(client, session, world):
    sign_in(client, EMPLOYER)
    pages = every_page(client, url(world, commune=JOB_COMMUNE))

    listed = [person for page in pages for person in page.people]
    assert sorted(listed) == sorted(world.local)  # 25: more than one page's worth
    assert pages[0].total == 25 and len(pages) == 2


def test_the_recent_filter_applies_before_the_cut(client, session, world):
    sign_in(client, EMPLOYER)
    page = read(client.get(url(world, recent="1")).text)
    assert sorted(page.people) == sorted(world.recent)


@pytest.mark.parametrize("who", ["no_consent", "too_old", "other_trade", "not_willing"])
def test_an_ineligible_person_is_not_listed_and_cannot_be_referred(client, session, world, who):
    make_account(session, "official", "can.bo")  # officials refer; they see everyone
    sign_in(client, "can.bo")
    person = world.ineligible[who]
    listed = [p for page in every_page(client, url(world)) for p in page.people]

    response = client.post(f"/vacancies/{world.vacancy_id}/candidates/{person}/refer")

    assert person not in listed
    assert response.status_code == 404
    assert session.execute(select(Referral)).scalars().all() == []


def test_anyone_on_the_last_page_may_be_referred(client, session, world):
    sign_in(client, EMPLOYER)
    last = every_page(client, url(world))[-1].people[-1]
    response = client.post(
        f"/vacancies/{world.vacancy_id}/candidates/{last}/refer", follow_redirects=False
    )
    assert response.status_code == 303
    referral = session.execute(select(Referral)).scalar_one()
    assert (referral.person_id, referral.status) == (last, "referred")
    assert referral.score is not None and referral.score > 0


def test_equal_scores_are_ordered_by_evidence_the_same_way_every_time(client, session, world):
    # A sewer from another commune who would work anywhere in the province, and graduated
    # after all of them: living in the job's commune (the place: no move, no commute) weighs
    # more than the fresher training, so they come right after every local sewer.
    newcomer = factories.person(
        session,
        full_name="Vì Văn Xa",
        consent_to_employers=True,
        birth_date=date(2000, 1, 1),
        commune_code=OTHER_COMMUNE,
        willing_to_work=["province"],
    )
    factories.enrolment(
        session,
        person_id=newcomer.id,
        course_id=world.sewing_course,
        status="tot_nghiep",
        graduated_on=date(2026, 11, 20),
    )
    session.commit()
    sign_in(client, EMPLOYER)
    first = [p for page in every_page(client, url(world)) for p in page.people]
    again = [p for page in every_page(client, url(world)) for p in page.people]
    scores = {
        p: s
        for page in every_page(client, url(world))
        for p, s in zip(page.people, page.scores, strict=True)
    }

    assert first == again
    assert [scores[p] for p in first] == sorted(scores.values(), reverse=True)
    assert min(scores[p] for p in world.local) > scores[newcomer.id]
    assert first.index(newcomer.id) == len(world.local)  # right after every local sewer
    # Among the local sewers: the recent graduates (last six months) first, each group by
    # the later graduation day, and on the same day the lower id (the earlier record).
    order = {person: i for i, person in enumerate(world.local)}
    month = {p: 1 + order[p] % 11 for p in world.local}
    local_in_page = [p for p in first if p in order]
    assert local_in_page == sorted(world.local, key=lambda p: (-month[p], order[p]))
