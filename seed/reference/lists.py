"""Reference lists fixed by law or kept in this repository: ethnic groups, training levels,
training occupations, economic sectors, destination countries and minimum wages.

The CSV files under ``seed/data/`` are the source; ``matching/data/occupations.csv`` (read
through :func:`matching.catalogue.load_catalogue`) is the occupation catalogue.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from matching.catalogue import load_catalogue
from matching.text import nfc, search_key
from models.enums import SectorGroup
from models.tables import (
    Country,
    EconomicSector,
    Ethnicity,
    MinimumWage,
    TrainingLevel,
    TrainingOccupation,
)
from seed.reference.sync import Row, read_data_csv, split_list, sync_rows

KINH = "01"
OCCUPATIONS_FROM = date(2023, 9, 29)  # QĐ 18/2023/QĐ-UBND, Điện Biên's short-course list


def _optional_int(cell: str) -> int | None:
    return int(cell) if cell else None


def _optional_date(cell: str) -> date | None:
    return date.fromisoformat(cell) if cell else None


def ethnicity_rows() -> list[Row]:
    rows = []
    for line in read_data_csv("ethnicities.csv"):
        name = nfc(line["name"])
        rows.append(
            {
                "code": line["code"],
                "name": name,
                "name_key": search_key(name),
                "aliases": [nfc(a) for a in split_list(line["aliases"])],
                "is_minority": line["code"] != KINH,
            }
        )
    if len(rows) != 54:
        raise ValueError(f"ethnicities.csv must list the 54 official groups, it has {len(rows)}")
    return rows


def training_level_rows() -> list[Row]:
    return [
        {
            "code": line["code"],
            "name": nfc(line["name"]),
            "rank": int(line["rank"]),
            "min_months": _optional_int(line["min_months"]),
            "max_months": _optional_int(line["max_months"]),
            "min_hours": _optional_int(line["min_hours"]),
            "credential": nfc(line["credential"]),
            "counts_as_certified": line["counts_as_certified"] == "true",
            "legal_basis": nfc(line["legal_basis"]),
            "valid_from": date.fromisoformat(line["valid_from"]),
        }
        for line in read_data_csv("training_levels.csv")
    ]


def occupation_rows() -> list[Row]:
    return [
        {
            "key": occupation.key,
            "name": occupation.name,
            "name_key": search_key(occupation.name),
            "group": occupation.group,
            "sector_group": occupation.sector_group,
            "levels": list(occupation.levels),
            "code_trung_cap": occupation.code_trung_cap,
            "code_cao_dang": occupation.code_cao_dang,
            # Synonyms and regional names too ("nuôi heo"), so the vacancy form's suggestions
            # know them as the matcher does.
            "aliases": list(dict.fromkeys((*occupation.aliases, *occupation.synonyms))),
            "valid_from": OCCUPATIONS_FROM,
        }
        for occupation in load_catalogue()
    ]


def sector_group_of(section: str) -> SectorGroup:
    """The labour-structure group of a VSIC section: A farming, B–F industry, the rest
    services (how the resolution's 62.5 / 14.5 / 23 split is counted)."""
    if section == "A":
        return SectorGroup.AGRICULTURE
    if "B" <= section <= "F":
        return SectorGroup.INDUSTRY
    return SectorGroup.SERVICES


def sector_rows() -> list[Row]:
    return [
        {
            "code": line["code"],
            "name": nfc(line["name"]),
            "sector_group": sector_group_of(line["code"]).value,
        }
        for line in read_data_csv("economic_sectors.csv")
    ]


def country_rows() -> list[Row]:
    return [
        {"code": line["code"], "name": nfc(line["name"])} for line in read_data_csv("countries.csv")
    ]


def minimum_wage_rows() -> list[Row]:
    return [
        {
            "region": int(line["region"]),
            "monthly": int(line["monthly"]),
            "hourly": _optional_int(line["hourly"]),
            "decree": nfc(line["decree"]),
            "valid_from": date.fromisoformat(line["valid_from"]),
            "valid_to": _optional_date(line["valid_to"]),
        }
        for line in read_data_csv("minimum_wages.csv")
    ]


def load_lists(session: Session) -> dict[str, int]:
    """Write the fixed lists (source values win) and the wages (insert missing only: the
    hourly figures of regions III–IV are unverified and an administrator may correct them)."""
    return {
        "minimum_wage": sync_rows(
            session, MinimumWage, ("region", "valid_from"), minimum_wage_rows(), overwrite=False
        ),
        "ethnicity": sync_rows(session, Ethnicity, ("code",), ethnicity_rows(), overwrite=True),
        "training_level": sync_rows(
            session, TrainingLevel, ("code",), training_level_rows(), overwrite=True
        ),
        "training_occupation": sync_rows(
            session, TrainingOccupation, ("key",), occupation_rows(), overwrite=True
        ),
        "economic_sector": sync_rows(
            session, EconomicSector, ("code",), sector_rows(), overwrite=True
        ),
        "country": sync_rows(session, Country, ("code",), country_rows(), overwrite=True),
    }
