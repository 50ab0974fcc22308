"""Factories for the KPI tests (plain functions with keyword overrides; no tests here).

Personas: person 1 is a Thái woman from a poor household in a zone III commune (03127) —
every priority group but disability; person 2 is a Kinh man from a zone I ward (03100) — none.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from matching.kpi import (
    EmploymentRecord,
    EnrolmentRecord,
    FollowUpRecord,
    LabourForceRecord,
    OrderRecord,
    VacancyRecord,
)

_ids = itertools.count(1000)

THAI_WOMAN: dict[str, Any] = {
    "sex": "nu",
    "ethnicity_code": "03",
    "is_ethnic_minority": True,
    "household_status": "ngheo",
    "has_disability": False,
    "in_zone_iii": True,
    "in_difficult_village": True,
    "commune_code": "03127",
    "zone": "III",
    "birth_year": 2003,
}
KINH_MAN: dict[str, Any] = {
    "sex": "nam",
    "ethnicity_code": "01",
    "is_ethnic_minority": False,
    "household_status": None,
    "has_disability": False,
    "in_zone_iii": False,
    "in_difficult_village": False,
    "commune_code": "03100",
    "zone": "I",
    "birth_year": 1990,
}
PEOPLE = {1: THAI_WOMAN, 2: KINH_MAN}


def _person(overrides: dict[str, Any]) -> dict[str, Any]:
    fields = dict(PEOPLE.get(overrides.get("person_id", 1), THAI_WOMAN))
    fields.update(overrides)
    return fields


def enrolment(**overrides: Any) -> EnrolmentRecord:
    """Person 1 starts a sơ cấp sewing course on 10/3/2025 and is still studying."""
    fields: dict[str, Any] = {
        "person_id": 1,
        "enrolment_id": next(_ids),
        "course_id": 10,
        "institution_id": 7,
        "occupation_key": "may_cong_nghiep",
        "level": "so_cap",
        "started_on": date(2025, 3, 10),
        "ended_on": date(2025, 6, 30),
        "status": "dang_hoc",
        "graduated_on": None,
        "certificate_kind": None,
        "training_order_id": None,
    }
    fields.update(overrides)
    return EnrolmentRecord(**_person(fields))


def graduate(**overrides: Any) -> EnrolmentRecord:
    """Person 1 graduates from the sơ cấp course on 30/6/2025 with a certificate."""
    fields: dict[str, Any] = {
        "status": "tot_nghiep",
        "graduated_on": date(2025, 6, 30),
        "certificate_kind": "chung_chi_so_cap",
    }
    fields.update(overrides)
    return enrolment(**fields)


def spell(**overrides: Any) -> EmploymentRecord:
    """Person 1 starts a new wage job at a garment firm in the province on 1/8/2025."""
    fields: dict[str, Any] = {
        "person_id": 1,
        "spell_id": next(_ids),
        "start_date": date(2025, 8, 1),
        "end_date": None,
        "kind": "wage",
        "channel": "dn_trong_tinh",
        "is_new_job": True,
        "location_kind": "commune",
        "employer_id": 50,
        "sector_group": "cnxd",
        "in_trained_occupation": True,
    }
    fields.update(overrides)
    return EmploymentRecord(**_person(fields))


def follow_up(**overrides: Any) -> FollowUpRecord:
    """Person 1 reached by phone 6 months after graduating, working for a wage."""
    fields: dict[str, Any] = {
        "follow_up_id": next(_ids),
        "enrolment_id": 1,
        "person_id": 1,
        "months_after": 6,
        "observed_on": date(2026, 1, 5),
        "status": "wage",
        "in_trained_occupation": True,
        "source": "phone",
    }
    fields.update(overrides)
    return FollowUpRecord(**_person(fields))


def order(**overrides: Any) -> OrderRecord:
    """Employer 50 orders 20 sewing workers at 3,000,000 VND each and commits to hire 15."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "employer_id": 50,
        "institution_id": 7,
        "occupation_key": "may_cong_nghiep",
        "level": "so_cap",
        "quantity": 20,
        "hiring_commitment": 15,
        "unit_cost": 3_000_000,
        "status": "in_training",
        "requested_on": date(2025, 1, 15),
    }
    fields.update(overrides)
    return OrderRecord(**fields)


def vacancy(**overrides: Any) -> VacancyRecord:
    """Employer 50 posts 10 places on 1/4/2025, none filled yet."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "employer_id": 50,
        "occupation_key": "may_cong_nghiep",
        "commune_code": "03127",
        "quantity": 10,
        "filled": 0,
        "created_on": date(2025, 4, 1),
        "filled_on": None,
        "status": "open",
    }
    fields.update(overrides)
    return VacancyRecord(**fields)


def figure(**overrides: Any) -> LabourForceRecord:
    """Province-wide 2025 figures from the commune labour-supply update."""
    fields: dict[str, Any] = {
        "id": next(_ids),
        "year": 2025,
        "commune_code": None,
        "labour_force": 1000,
        "trained": 600,
        "trained_certified": 300,
        "employed": 950,
        "employed_nlts": 650,
        "employed_cnxd": 120,
        "employed_dv": 180,
        "source": "Cung lao động 2025",
    }
    fields.update(overrides)
    return LabourForceRecord(**fields)
