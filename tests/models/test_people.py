"""Derived fields of a person: name parts and search key, minority and zone III flags."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models.people import derived_flags, name_fields
from models.tables import CommuneZone
from tests import factories


def test_name_is_stored_nfc_with_parts_and_a_key_without_diacritics() -> None:
    decomposed = "Gia\u0300ng Thi\u0323 Dua"  # typed with combining marks
    fields = name_fields(decomposed + "  ")
    assert fields["full_name"] == "Giàng Thị Dua"
    assert (fields["family_name"], fields["middle_name"], fields["given_name"]) == (
        "Giàng",
        "Thị",
        "Dua",
    )
    assert fields["name_key"] == name_fields("giang thi  dua")["name_key"] == "giang thi dua"


def test_flags_follow_the_ethnic_group_and_the_commune_zone(session: Session) -> None:
    factories.ethnicity(session, "01", "Kinh")
    factories.ethnicity(session, "08", "H'Mông")
    session.add(CommuneZone(commune_code="03160", zone="III", valid_from=date(2026, 1, 1)))
    session.add(CommuneZone(commune_code="03127", zone="I", valid_from=date(2026, 1, 1)))
    session.commit()
    on = date(2026, 6, 1)
    assert derived_flags(session, ethnicity_code="08", commune_code="03160", on=on) == {
        "is_ethnic_minority": True,
        "in_zone_iii": True,
    }
    assert derived_flags(session, ethnicity_code="01", commune_code="03127", on=on) == {
        "is_ethnic_minority": False,
        "in_zone_iii": False,
    }
    # Before the 2026–2030 zones took effect nothing is recorded for the commune.
    before = derived_flags(session, ethnicity_code="08", commune_code="03160", on=date(2025, 1, 1))
    assert before["in_zone_iii"] is False
