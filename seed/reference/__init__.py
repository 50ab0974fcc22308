"""Load the platform's reference data, idempotently, and resolve pre-2025 addresses.

Where each list comes from, what is provisional and how an administrator changes it:
``docs/reference-data.md``.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from models.db import unit_of_work
from models.queries.admin_units import name_keys
from models.tables import AdminUnit, AdminUnitLineage
from seed.reference.admin import PROVINCE_CODE, load_admin_units, read_admin_source
from seed.reference.lists import load_lists
from seed.reference.policy import load_policy

__all__ = ["load_reference_data", "resolve_former_address"]


def load_reference_data(session: Session) -> dict[str, int]:
    """Load every reference list and commit once; return rows inserted or updated per table.

    Running it again changes nothing and returns zeros. Rows are matched on their natural key
    (admin units on code, level and valid_from, because codes were reused in 2025) and never
    duplicated or deleted.

    Two rules decide what a re-run may change:

    - lists fixed by law or by a package (admin units and their lineage, ethnic groups,
      training levels, occupations, economic sectors, countries) are brought up to the
      source's values;
    - lists officials own (commune zones, wage-region assignments, targets, minimum wages)
      only get their missing rows: a row an administrator edited is never overwritten.

    All or nothing: one unit of work; on any error it is rolled back and the error re-raised.
    """
    admin = read_admin_source()
    with unit_of_work(session):
        counts = load_admin_units(session, admin)
        counts |= load_policy(session)
        counts |= load_lists(session)
    return counts


def resolve_former_address(
    session: Session, district: str | None, commune: str, *, province_code: str = PROVINCE_CODE
) -> AdminUnit | None:
    """The current commune or ward that a pre-July-2025 address (district, commune) now
    belongs to, typed with or without diacritics or the unit type ("huyện Tuần Giáo",
    "xã Quài Tở"; "Tuan Giao", "Quai To"). ``district`` may be empty when the commune name is
    unique in the province. None when nothing matches or the match is ambiguous.
    """
    commune_keys = name_keys(commune)
    district_keys = name_keys(district)
    if not commune_keys:
        return None
    former = session.exec(
        select(AdminUnit).where(
            AdminUnit.province_code == province_code,
            AdminUnit.level != "tinh",
            col(AdminUnit.valid_to).is_not(None),
        )
    ).all()
    matches = [
        unit.id
        for unit in former
        if commune_keys & name_keys(unit.name)
        and (not district_keys or district_keys & name_keys(unit.district_name))
    ]
    if not matches:
        return None
    successors = session.exec(
        select(AdminUnit)
        .join(AdminUnitLineage, col(AdminUnitLineage.current_unit_id) == col(AdminUnit.id))
        .where(
            col(AdminUnitLineage.former_unit_id).in_(matches),
            col(AdminUnitLineage.is_default).is_(True),
        )
    ).all()
    distinct = {unit.id: unit for unit in successors}
    return next(iter(distinct.values())) if len(distinct) == 1 else None
