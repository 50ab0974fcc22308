"""Plain factory functions with keyword overrides. Each makes the reference rows it needs
(get-or-create), so a test states only what matters to it.

Personas (what each may see, used by the web tests):
- a centre (institution staff): its own courses and trainees;
- an employer (employer staff): its own vacancies, orders and proposed candidates, personal
  data masked and only for consenting graduates;
- an official: everything in the province, read-only on registries;
- a graduate: a person with a finished enrolment who consented to be shown to employers.
"""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from sqlmodel import Session

from matching.syllables import advert_key, title_key
from matching.text import search_key
from models.people import name_fields
from models.tables import (
    Course,
    EconomicSector,
    Employer,
    EmploymentSpell,
    Enrolment,
    Ethnicity,
    FollowUp,
    Institution,
    Person,
    TrainingLevel,
    TrainingOccupation,
    TrainingOrder,
    Vacancy,
)

_seq = count(1)


def _get_or_add(session: Session, model: type, key: Any, **values: Any) -> Any:
    row = session.get(model, key)
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
    return row


def ethnicity(session: Session, code: str = "03", name: str = "Thái") -> Ethnicity:
    return _get_or_add(
        session,
        Ethnicity,
        code,
        code=code,
        name=name,
        name_key=search_key(name),
        is_minority=code != "01",
    )


def level(session: Session, code: str = "so_cap") -> TrainingLevel:
    ranks = {"duoi_3_thang": 1, "so_cap": 2, "trung_cap": 3, "cao_dang": 4}
    return _get_or_add(
        session,
        TrainingLevel,
        code,
        code=code,
        name=code,
        rank=ranks[code],
        credential="chứng chỉ",
        counts_as_certified=code != "duoi_3_thang",
        valid_from=date(2015, 7, 1),
    )


def sector(session: Session, code: str = "C") -> EconomicSector:
    return _get_or_add(
        session,
        EconomicSector,
        code,
        code=code,
        name="Công nghiệp chế biến, chế tạo",
        sector_group="cnxd",
    )


def occupation(session: Session, **overrides: Any) -> TrainingOccupation:
    n = next(_seq)
    values: dict[str, Any] = {
        "key": f"OCC_{n}",
        "name": "May công nghiệp",
        "group": "may",
        "sector_group": "cnxd",
        "levels": ["so_cap"],
        "valid_from": date(2023, 1, 1),
    }
    values.update(overrides)
    values["name_key"] = search_key(values["name"])
    row = TrainingOccupation(**values)
    session.add(row)
    session.flush()
    return row


def institution(session: Session, **overrides: Any) -> Institution:
    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"CS{n:03d}",
        "name": f"Trung tâm GDNN-GDTX số {n}",
        "kind": "trung_tam_gdnn_gdtx",
        "commune_code": "03253",
    }
    values.update(overrides)
    row = Institution(**values, name_key=search_key(values["name"]))
    session.add(row)
    session.flush()
    return row


def person(session: Session, **overrides: Any) -> Person:
    values: dict[str, Any] = {
        "full_name": "Lò Văn Minh",
        "birth_date": date(2001, 5, 4),
        "sex": "nam",
        "commune_code": "03253",
    }
    values.update(overrides)
    eth = ethnicity(session, values.pop("ethnicity_code", "03"))
    values.update(name_fields(values["full_name"]))
    row = Person(**values, ethnicity_code=eth.code, is_ethnic_minority=eth.is_minority)
    session.add(row)
    session.flush()
    return row


def course(session: Session, **overrides: Any) -> Course:
    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"K{n:04d}",
        "name": "May công nghiệp khóa 1",
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 6, 30),
        "capacity": 30,
        "funding_source": "ctmtqg_dtts",
    }
    values.update(overrides)
    if "institution_id" not in values:
        values["institution_id"] = institution(session).id
    if "occupation_id" not in values:
        values["occupation_id"] = occupation(session).id
    values["level_code"] = level(session, values.get("level_code", "so_cap")).code
    row = Course(**values)
    session.add(row)
    session.flush()
    return row


def enrolment(session: Session, **overrides: Any) -> Enrolment:
    values: dict[str, Any] = {"enrolled_on": date(2026, 3, 1)}
    values.update(overrides)
    if "person_id" not in values:
        values["person_id"] = person(session).id
    if "course_id" not in values:
        values["course_id"] = course(session).id
    row = Enrolment(**values)
    session.add(row)
    session.flush()
    return row


def employer(session: Session, **overrides: Any) -> Employer:
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"Công ty TNHH May Điện Biên {n}",
        "location_kind": "commune",
        "commune_code": "03127",
        "sector_code": "C",
    }
    values.update(overrides)
    sector(session, values["sector_code"])
    row = Employer(**values, name_key=search_key(values["name"]))
    session.add(row)
    session.flush()
    return row


def vacancy(session: Session, **overrides: Any) -> Vacancy:
    values: dict[str, Any] = {
        "title": "Công nhân may",
        "quantity": 2,
        "wage_min": 5_000_000,
        "wage_max": 7_000_000,
        "location_kind": "commune",
        "commune_code": "03127",
    }
    values.update(overrides)
    if "employer_id" not in values:
        values["employer_id"] = employer(session).id
    texts = values["title"], values.get("description", ""), values.get("skills", ())
    row = Vacancy(**values, title_key=title_key(values["title"]), search_text=advert_key(*texts))
    session.add(row)
    session.flush()
    return row


def training_order(session: Session, **overrides: Any) -> TrainingOrder:
    values: dict[str, Any] = {
        "quantity": 20,
        "needed_by": date(2026, 12, 31),
        "hiring_commitment": 15,
        "level_code": "so_cap",
    }
    values.update(overrides)
    if "employer_id" not in values:
        values["employer_id"] = employer(session).id
    if "occupation_id" not in values:
        values["occupation_id"] = occupation(session).id
    level(session, values["level_code"])
    row = TrainingOrder(**values)
    session.add(row)
    session.flush()
    return row


def employment_spell(session: Session, **overrides: Any) -> EmploymentSpell:
    """A new wage job in a provincial enterprise, recorded on the platform."""
    values: dict[str, Any] = {
        "start_date": date(2026, 4, 1),
        "kind": "wage",
        "channel": "dn_trong_tinh",
        "location_kind": "commune",
        "commune_code": "03127",
        "source": "platform",
    }
    values.update(overrides)
    if "person_id" not in values:
        values["person_id"] = person(session).id
    if values.get("sector_code"):
        sector(session, values["sector_code"])
    row = EmploymentSpell(**values)
    session.add(row)
    session.flush()
    return row


def follow_up(session: Session, **overrides: Any) -> FollowUp:
    """An answer some months after graduation (the enrolment's person, by phone)."""
    values: dict[str, Any] = {
        "months_after": 6,
        "observed_on": date(2026, 6, 1),
        "status": "wage",
        "source": "phone",
    }
    values.update(overrides)
    if "enrolment_id" not in values:
        values["enrolment_id"] = enrolment(session, status="tot_nghiep").id
    if "person_id" not in values:
        values["person_id"] = session.get(Enrolment, values["enrolment_id"]).person_id  # type: ignore[union-attr]
    row = FollowUp(**values)
    session.add(row)
    session.flush()
    return row
