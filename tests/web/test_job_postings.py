"""Search engines understand a vacancy's public page: it carries schema.org JobPosting JSON-LD
with every property Google requires and recommends, each of the right type; no text of the
advert can break out of the script element; a closed or expired vacancy has no page and no
posting; and the page reads no more from the database than the advert itself."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from models.clock import today
from models.enums import VacancyStatus
from seed.reference import load_reference_data
from tests import factories
from tests.html import find_all, parse
from web.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.today("2026-11-20")

# Google's employmentType values (developers.google.com/search/docs/appearance/
# structured-data/job-posting), written out here so a typo in the app is caught.
GOOGLE_EMPLOYMENT_TYPES = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def is_iso_date(value: Any) -> bool:
    return (
        isinstance(value, str) and bool(ISO_DATE.match(value)) and bool(date.fromisoformat(value))
    )


def is_iso_datetime(value: Any) -> bool:
    """A full moment with its zone: Google reads validThrough as such."""
    return isinstance(value, str) and bool(ISO_DATETIME.match(value))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def is_organization(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("@type") == "Organization"
        and is_text(value.get("name"))
    )


def is_place(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("@type") != "Place":
        return False
    address = value.get("address")
    return (
        isinstance(address, dict)
        and address.get("@type") == "PostalAddress"
        and isinstance(address.get("addressCountry"), str)
        and len(address["addressCountry"]) == 2
    )


def is_salary_in_vnd(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("@type") != "MonetaryAmount":
        return False
    amount = value.get("value")
    if value.get("currency") != "VND" or not isinstance(amount, dict):
        return False
    numbers = [amount[key] for key in ("value", "minValue", "maxValue") if key in amount]
    return (
        amount.get("@type") == "QuantitativeValue"
        and amount.get("unitText") in {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}
        and bool(numbers)
        and all(is_number(number) for number in numbers)
        and ("value" in amount or {"minValue", "maxValue"} <= set(amount))
    )


def is_employment_type(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(each in GOOGLE_EMPLOYMENT_TYPES for each in values)


def is_identifier(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("@type") == "PropertyValue"
        and is_text(value.get("name"))
        and is_text(value.get("value"))
    )


# Google's required JobPosting properties, and the recommended ones that apply to an on-site
# job (applicantLocationRequirements and jobLocationType are for remote work only).
REQUIRED = {
    "title": is_text,
    "description": is_text,
    "datePosted": is_iso_date,
    "hiringOrganization": is_organization,
    "jobLocation": is_place,
}
RECOMMENDED = {
    "validThrough": is_iso_datetime,
    "employmentType": is_employment_type,
    "baseSalary": is_salary_in_vnd,
    "identifier": is_identifier,
    "directApply": lambda value: value is True,
}


def postings(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of a page, parsed."""
    blocks = find_all(parse(html), 'script[type="application/ld+json"]')
    return [json.loads(block.text(deep=True)) for block in blocks]


def the_posting(client: TestClient, vacancy_id: int) -> dict[str, Any]:
    response = client.get(f"/board/{vacancy_id}")
    assert response.status_code == 200
    (posting,) = postings(response.text)
    assert posting["@context"].rstrip("/") in ("https://schema.org", "http://schema.org")
    assert posting["@type"] == "JobPosting"
    return posting


@pytest.fixture
def employer(session: Session):
    load_reference_data(session)
    return factories.employer(session, name="Công ty May Mường Thanh", phone="0912345678")


def test_a_vacancy_page_has_every_required_and_recommended_property(
    client: TestClient, session: Session, employer
) -> None:
    vacancy = factories.vacancy(
        session,
        employer_id=employer.id,
        title="Công nhân may",
        description="May áo xuất khẩu, làm giờ hành chính.",
        commune_code="03127",
        wage_min=5_000_000,
        wage_max=7_000_000,
        deadline=today() + timedelta(days=30),
        created_at=datetime(2026, 11, 2, 20, 30, tzinfo=UTC),  # UTC: 3 November in Vietnam
    )
    session.commit()
    posting = the_posting(client, vacancy.id)
    wrong = {
        name: posting.get(name)
        for name, valid in {**REQUIRED, **RECOMMENDED}.items()
        if not valid(posting.get(name))
    }
    assert wrong == {}
    assert posting["title"] == "Công nhân may"
    assert posting["description"] == "May áo xuất khẩu, làm giờ hành chính."
    assert posting["datePosted"] == "2026-11-03"
    assert posting["validThrough"] == "2026-12-20T23:59:59+07:00"
    assert posting["hiringOrganization"]["name"] == "Công ty May Mường Thanh"
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Phường Điện Biên Phủ",
        "addressRegion": "Điện Biên",
        "addressCountry": "VN",
    }
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 5_000_000,
        "maxValue": 7_000_000,
        "unitText": "MONTH",
    }
    assert posting["identifier"]["value"] == str(vacancy.id)
    assert posting["url"] == f"http://testserver/board/{vacancy.id}"
    assert "0912345678" not in json.dumps(posting, ensure_ascii=False)  # no phone, ever


def test_work_abroad_and_in_another_province_name_their_country_and_province(
    client: TestClient, session: Session, employer
) -> None:
    abroad = factories.vacancy(
        session,
        employer_id=employer.id,
        title="Thực tập sinh may tại Nhật Bản",
        location_kind="abroad",
        commune_code=None,
        country_code="JP",
        wage_min=30_000_000,
        wage_max=None,
    )
    elsewhere = factories.vacancy(
        session,
        employer_id=employer.id,
        location_kind="other_province",
        commune_code=None,
        province_code="24",
        wage_min=None,
        wage_max=None,
    )
    session.commit()
    posting = the_posting(client, abroad.id)
    assert posting["jobLocation"]["address"] == {"@type": "PostalAddress", "addressCountry": "JP"}
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 30_000_000,
        "unitText": "MONTH",
    }
    assert "validThrough" not in posting  # no deadline: open until filled or closed
    posting = the_posting(client, elsewhere.id)
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressRegion": "Bắc Ninh",
        "addressCountry": "VN",
    }
    assert "baseSalary" not in posting  # a negotiable wage states no amount
    assert all(valid(posting.get(name)) for name, valid in REQUIRED.items())


def test_no_text_of_the_advert_can_close_the_script_element(
    client: TestClient, session: Session, employer
) -> None:
    hostile = "Thợ may </script><script>alert(1)</script> & <!-- 'x'"
    vacancy = factories.vacancy(
        session, employer_id=employer.id, title=hostile, description=f"{hostile}\n</SCRIPT >"
    )
    session.commit()
    response = client.get(f"/board/{vacancy.id}")
    scripts = find_all(parse(response.text), "script")
    assert [node.attributes.get("type") for node in scripts] == ["application/ld+json"]
    (posting,) = postings(response.text)
    assert posting["title"] == hostile
    assert posting["description"] == f"{hostile}\n</SCRIPT >"
    raw = scripts[0].text(deep=True)
    assert "<" not in raw and ">" not in raw and "&" not in raw


def test_the_content_security_policy_still_forbids_inline_scripts(
    client: TestClient, session: Session, employer
) -> None:
    """JSON-LD is a data block, which browsers never run, so it needs no hash or nonce: the
    policy stays as strict as before (tests/e2e/test_job_posting.py checks it in Chromium)."""
    vacancy = factories.vacancy(session, employer_id=employer.id)
    session.commit()
    response = client.get(f"/board/{vacancy.id}")
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"


@pytest.mark.parametrize("hidden", ["closed", "filled", "expired"])
def test_a_closed_filled_or_expired_vacancy_has_no_page_and_no_posting(
    client: TestClient, session: Session, employer, hidden: str
) -> None:
    values: dict[str, Any] = {
        "closed": {"status": VacancyStatus.CLOSED.value},
        "filled": {"quantity": 2, "filled": 2},
        "expired": {"deadline": today() - timedelta(days=1)},
    }[hidden]
    vacancy = factories.vacancy(session, employer_id=employer.id, **values)
    session.commit()
    response = client.get(f"/board/{vacancy.id}")
    assert response.status_code == 404
    assert postings(response.text) == []


def test_the_posting_costs_the_page_no_query(client: TestClient, session: Session, employer):
    """Once the reference lists are kept, the page reads the advert and nothing else."""
    vacancy = factories.vacancy(session, employer_id=employer.id)
    session.commit()
    assert client.get(f"/board/{vacancy.id}").status_code == 200  # keeps the lists
    statements: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        posting = the_posting(client, vacancy.id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert posting["jobLocation"]["address"]["addressLocality"] == "Phường Điện Biên Phủ"
    assert len(statements) == 1, statements
