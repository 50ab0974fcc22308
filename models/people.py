"""Fields of a person that are derived from others, computed in one place so a form, an Excel
import and the demo generator store the same thing."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from matching.text import nfc, search_key, split_vietnamese_name
from models.tables import CommuneZone, Ethnicity


def name_fields(full_name: str) -> dict[str, str]:
    """NFC name, its parts (family, middle, given) and the diacritics-free search key."""
    name = nfc(full_name)
    family, middle, given = split_vietnamese_name(name)
    return {
        "full_name": name,
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "name_key": search_key(name),
    }


def commune_zone(session: Session, commune_code: str, on: date) -> str | None:
    """The khu vực (I/II/III) of a commune on a date, if recorded."""
    row = session.exec(
        select(CommuneZone)
        .where(col(CommuneZone.commune_code) == commune_code)
        .where(col(CommuneZone.valid_from) <= on)
        .where((col(CommuneZone.valid_to).is_(None)) | (col(CommuneZone.valid_to) >= on))
        .order_by(col(CommuneZone.valid_from).desc())
    ).first()
    return row.zone if row else None


def derived_flags(
    session: Session, *, ethnicity_code: str, commune_code: str, on: date
) -> dict[str, bool]:
    """Priority-group flags that follow from other fields: ethnic minority (from the ethnic
    group) and zone III (from the commune's zone on the date)."""
    ethnicity = session.get(Ethnicity, ethnicity_code)
    return {
        "is_ethnic_minority": bool(ethnicity.is_minority) if ethnicity else True,
        "in_zone_iii": commune_zone(session, commune_code, on) == "III",
    }
