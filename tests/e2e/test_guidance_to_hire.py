"""The whole story of career guidance and the job fair, in the browser on a phone: a counsellor
of the Employment Service Centre advises a young graduate; the centre holds a job fair for the
graduate's commune, an employer brings a vacancy, and the graduate is on the invitation list;
on the day the centre records the offer and the hire; the next time the figures are computed,
the hire is one new job on the dashboard and one more person employed six months after
training on the public outcomes page."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from sqlmodel import Session

from models.accounts import create_user
from models.clock import VIETNAM
from models.monitoring.store import refresh_year
from models.queries.reference import commune_options
from tests import factories

pytestmark = pytest.mark.today("2026-04-10")
PASSWORD = "mat-khau-demo-2026"
FAIR_DAY = date(2026, 4, 20)
GRADUATED = date(2025, 10, 25)  # six months later (25/04/2026) the hire is already running
COUNTED = date(2026, 4, 27)  # the figures computed again, after the six-month day


def _prepare(engine) -> dict[str, object]:
    """Accounts; a sewing course whose 11 graduates of October live in one commune: ten
    answered the six-month follow-up (working), and Lò Thị Hoa has not found work yet."""
    with Session(engine, expire_on_commit=False) as session:
        home, other = [option.value for option in commune_options(session, on=date(2026, 4, 10))][
            :2
        ]
        sewing = factories.occupation(session, name="May công nghiệp")
        course = factories.course(
            session,
            occupation_id=sewing.id,
            start_date=date(2025, 8, 1),
            end_date=GRADUATED,
            venue_commune_code=home,
        )
        for n in range(10):
            person = factories.person(session, full_name=f"Quàng Văn Bạn {n}", commune_code=home)
            enrolment = factories.enrolment(
                session,
                person_id=person.id,
                course_id=course.id,
                enrolled_on=date(2025, 8, 1),
                status="tot_nghiep",
                graduated_on=GRADUATED,
            )
            factories.follow_up(
                session,
                enrolment_id=enrolment.id,
                person_id=person.id,
                observed_on=date(2026, 4, 1),
                status="wage",
            )
        hoa = factories.person(
            session,
            full_name="Lò Thị Hoa",
            commune_code=home,
            birth_date=date(2006, 2, 3),
            sex="nu",
            consent_to_employers=True,
        )
        factories.enrolment(
            session,
            person_id=hoa.id,
            course_id=course.id,
            enrolled_on=date(2025, 8, 1),
            status="tot_nghiep",
            graduated_on=GRADUATED,
        )
        firm = factories.employer(session, name="Công ty May Mường Thanh")
        vacancy = factories.vacancy(
            session,
            employer_id=firm.id,
            title="Công nhân may công nghiệp",
            occupation_id=sewing.id,
            quantity=3,
            deadline=date(2026, 5, 31),
            commune_code=home,
        )
        session.commit()
        for username, role, extra in (
            ("tu.van", "job_centre", {}),
            ("can.bo.lao.dong", "official", {}),
            ("may.muong.thanh", "employer", {"employer_id": firm.id}),
        ):
            create_user(
                session,
                username=username,
                password=PASSWORD,
                full_name=username,
                role=role,
                **extra,
            )
        session.commit()
        return {
            "home": home,
            "other": other,
            "hoa": hoa.id,
            "vacancy": vacancy.id,
            "occupation": sewing.key,
        }


def _sign_in(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:3000]


def _employed_after_six_months(page, url: str, occupation: str) -> tuple[str | None, str | None]:
    page.goto(f"{url}/outcomes")
    cell = page.locator(f'tr[data-occupation="{occupation}"] td[data-measure="employed_6"] .figure')
    if cell.count() == 0:
        return None, None
    base = page.locator(f'tr[data-occupation="{occupation}"] td[data-measure="employed_6"] .base')
    return cell.get_attribute("data-value"), base.get_attribute("data-base")


def test_advice_invitation_offer_hire_and_the_figures(live_server, page) -> None:
    world = _prepare(live_server.engine)
    url = live_server.url
    refresh_year(live_server.engine, 2026)  # the figures as they stand before the fair
    before = _employed_after_six_months(page, url, str(world["occupation"]))

    # 1. The counsellor advises Hoa: trades and courses from outcomes and nearby demand.
    _sign_in(page, url, "tu.van")
    page.goto(url + "/guidance")
    page.fill("#age", "20")
    page.select_option("#commune", str(world["home"]))
    page.fill("#interests", "may mặc")
    page.click("button[name=action][value=suggest]")
    page.wait_for_load_state()
    assert page.locator("#suggestions").count() == 1, page.content()[:3000]
    assert "May công nghiệp" in page.locator("#suggestions").inner_text()
    page.check("#consent")
    page.fill("#advice", "Đi phiên giao dịch việc làm ngày 20/4 để gặp doanh nghiệp may")
    page.click("button[name=action][value=record]")
    page.wait_for_load_state()
    assert "/guidance/" in page.url, page.content()[:3000]
    assert "phiên giao dịch việc làm" in page.content()

    # 2. The centre makes a job fair for Hoa's commune.
    page.goto(url + "/job-fairs/new")
    page.fill("#title", "Phiên giao dịch việc làm tháng 4")
    page.fill("#held_on", FAIR_DAY.strftime("%d/%m/%Y"))
    page.fill("#place", "Trung tâm Dịch vụ việc làm tỉnh")
    page.check(f'input[name=communes][value="{world["home"]}"]')
    page.click("#fair-form button[type=submit]")
    page.wait_for_load_state()
    fair_url = page.url
    assert "/job-fairs/" in fair_url and fair_url.rstrip("/").rsplit("/", 1)[1].isdigit()

    # The employer brings its vacancy.
    _sign_in(page, url, "may.muong.thanh")
    page.goto(fair_url)
    page.select_option("#vacancy_id", str(world["vacancy"]))
    page.click("#register-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(f'#fair-vacancies [data-vacancy="{world["vacancy"]}"]').count() == 1

    # The centre matches and prints the invitation list: Hoa is on her commune's list.
    _sign_in(page, url, "tu.van")
    page.goto(fair_url)
    page.click("#invite-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(fair_url + f"/invitations?commune={world['home']}")
    invited = page.locator(f'[data-person="{world["hoa"]}"]')
    assert invited.count() >= 1 and "Lò Thị Hoa" in invited.first.inner_text()

    # 3. On the day, on the phone: she came, got an offer and was hired.
    with time_machine.travel(datetime.combine(FAIR_DAY, time(9), tzinfo=VIETNAM), tick=True):
        _sign_in(page, url, "tu.van")
        page.goto(fair_url + "/day")
        guest = f'.fair-guest[data-person="{world["hoa"]}"]'
        page.click(f"{guest} form[action$='/day/attend'] button")
        page.wait_for_load_state()
        step = f'{guest} li[data-vacancy="{world["vacancy"]}"]'
        page.click(f"{step} form:has(input[name=step][value=offer]) button")
        page.wait_for_load_state()
        assert page.locator(f'{step} [data-status="offer"]').count() == 1
        page.click(f"{step} form:has(input[name=step][value=hire]) button")
        page.wait_for_load_state()
        assert page.locator(f'{step} [data-status="hired"]').count() == 1
        # A second tap on the phone does not hire her twice.
        page.goto(fair_url + "/day")
        assert page.locator(f"{step} form:has(input[name=step][value=hire])").count() == 0

    # 4. The figures are computed again a week later.
    with time_machine.travel(datetime.combine(COUNTED, time(9), tzinfo=VIETNAM), tick=True):
        refresh_year(live_server.engine, 2026)
        _sign_in(page, url, "can.bo.lao.dong")
        page.goto(url + "/dashboard?year=2026")
        total = page.locator(
            'a[data-kpi="new_jobs"][data-measure="people"][data-dimension=""]'
        ).first
        assert total.get_attribute("data-value") == "1"  # once, though two records name it

        page.context.clear_cookies()  # the outcomes page is public
        after = _employed_after_six_months(page, url, str(world["occupation"]))
    assert before == ("1.0", "10")  # ten answered, all working
    assert after == ("1.0", "11")  # and Hoa is now known to be working at six months too
