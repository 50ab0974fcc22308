"""An open vacancy as a schema.org `JobPosting`, the structured data search engines read
(Google's job posting guidelines): on the vacancy's public page as JSON-LD, and in the feed
for the national job exchange. Built from the advert the page already read and the kept place
names, so it costs no query of its own."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from models.clock import VIETNAM, local_time
from models.enums import LocationKind
from models.i18n import translate
from models.queries.board import BoardVacancyDetail
from models.queries.reference import PlaceNames
from models.wages import HOME_PROVINCE_CODE

# What Google accepts as employmentType.
EMPLOYMENT_TYPES = frozenset(
    {
        "FULL_TIME",
        "PART_TIME",
        "CONTRACTOR",
        "TEMPORARY",
        "INTERN",
        "VOLUNTEER",
        "PER_DIEM",
        "OTHER",
    }
)
HOME_PROVINCE_NAME = "Điện Biên"  # when the register of units is not loaded
HOME_COUNTRY = "VN"
REGION_KINDS = ("Tỉnh ", "Thành phố ")  # the kind of unit before a province's name
CURRENCY = "VND"
WAGE_UNIT = "MONTH"  # wages are typed and checked per month (models/wages.py)
# The platform's name as identifiers carry it: the same in every page language.
PLATFORM_MSGID = "Điện Biên: training to jobs"


def employment_type(advert: BoardVacancyDetail) -> str:
    """Google's employmentType for a vacancy. The platform records no kind of contract: every
    vacancy is posted with a monthly wage that is checked against the regional monthly minimum
    wage, which is owed for full normal working hours, so each is a full-time job. When
    vacancies record a kind (part-time, seasonal, apprenticeship), map it here."""
    return "FULL_TIME"


def _region(name: str) -> str:
    """A province as addresses name it: "Tỉnh Điện Biên" -> "Điện Biên"."""
    for kind in REGION_KINDS:
        if name.startswith(kind) and len(name) > len(kind):
            return name[len(kind) :]
    return name


def _address(advert: BoardVacancyDetail, places: PlaceNames) -> dict[str, str]:
    address = {"@type": "PostalAddress"}
    if advert.location_kind == LocationKind.ABROAD.value:
        if advert.country_code:
            address["addressCountry"] = advert.country_code.upper()
        return address
    if advert.location_kind == LocationKind.OTHER_PROVINCE.value:
        code = advert.province_code or ""
        if code:
            address["addressRegion"] = _region(places.provinces.get(code, code))
    else:
        commune = places.label(advert.location_kind, advert.commune_code, None, None)
        if commune:
            address["addressLocality"] = commune
        home = places.provinces.get(HOME_PROVINCE_CODE, HOME_PROVINCE_NAME)
        address["addressRegion"] = _region(home)
    address["addressCountry"] = HOME_COUNTRY
    return address


def _salary(low: int | None, high: int | None) -> dict[str, Any] | None:
    """The wage as a MonetaryAmount; None when it is negotiable (no amount given)."""
    if low is None and high is None:
        return None
    amount: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": WAGE_UNIT}
    if low is not None and high is not None and low != high:
        amount["minValue"] = low
        amount["maxValue"] = high
    else:
        amount["value"] = low if low is not None else high
    return {"@type": "MonetaryAmount", "currency": CURRENCY, "value": amount}


def valid_through(advert: BoardVacancyDetail) -> str | None:
    """The end of the deadline day on Vietnam's clock, as an ISO 8601 moment."""
    if advert.deadline is None:
        return None
    return datetime.combine(advert.deadline, time(23, 59, 59), tzinfo=VIETNAM).isoformat()


def job_posting(advert: BoardVacancyDetail, places: PlaceNames, *, url: str) -> dict[str, Any]:
    """The JobPosting of an open vacancy whose public page is at `url` (absolute)."""
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": advert.title,
        # Google requires a description; an advert without one is described by its title.
        "description": advert.description or advert.title,
        "identifier": {
            "@type": "PropertyValue",
            "name": translate(PLATFORM_MSGID, "vi"),
            "value": str(advert.id),
        },
        "hiringOrganization": {"@type": "Organization", "name": advert.employer_name},
        "jobLocation": {"@type": "Place", "address": _address(advert, places)},
        "employmentType": employment_type(advert),
        "totalJobOpenings": advert.places_left,
        "directApply": True,  # the page carries the application form
        "url": url,
    }
    if advert.posted_at is not None:
        posting["datePosted"] = local_time(advert.posted_at).date().isoformat()
    if (through := valid_through(advert)) is not None:
        posting["validThrough"] = through
    if (salary := _salary(advert.wage_min, advert.wage_max)) is not None:
        posting["baseSalary"] = salary
    if advert.occupation_name:
        posting["occupationalCategory"] = advert.occupation_name
    if advert.skills:
        posting["skills"] = ", ".join(advert.skills)
    if advert.start_date is not None:
        posting["jobStartDate"] = advert.start_date.isoformat()
    return posting


def json_ld(posting: dict[str, Any]) -> Markup:
    """The posting as the text of a `<script type="application/ld+json">`: JSON with `<`, `>`,
    `&` and `'` written as \\u escapes, so no text of the advert can end the script element."""
    return htmlsafe_json_dumps(posting, ensure_ascii=False, sort_keys=False)
