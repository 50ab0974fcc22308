"""K4 trained share (target 65–70%), K5 certified share (40%) and K6 labour structure
(62.5 / 14.5 / 23) from labour-force figures that an official imports with their source.

The platform does not hold the whole labour force, so these shares are never computed from
its own users. The figures of a year come from one source: when several sources were imported
for the year, the caller names one (otherwise ValueError). The province row (commune_code None)
is the total when it exists; otherwise the commune rows are added up and the result says so
(``basis``). Every share divides by the employed: the resolution measures the trained shares
"trong tổng số lao động đang làm việc trong nền kinh tế" (among the people working in the
economy), which supersedes the labour force of domain rules K4 and K5. The 40% clause names no
denominator of its own; it is read the same way (an assumption, stated in docs/kpi.md).

``new_job_structure`` gives, separately labelled, the structure of the new jobs recorded in a
year (K2's people by the sector group of their deciding job): a different population, shown
beside the imported figures, never mixed with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from matching.kpi.cuts import cut, dimension_names
from matching.kpi.jobs import new_job_spells
from matching.kpi.records import SECTOR_GROUPS, EmploymentRecord, LabourForceRecord
from matching.kpi.results import GroupKey, Rate, rate, rate_of_totals

IMPORTED = "imported"
NEW_JOBS = "new_jobs"


@dataclass(frozen=True, slots=True)
class ImportedShare:
    """A share computed from imported figures, with where they come from."""

    year: int
    source: str | None  # None when nothing was imported for the year
    basis: str  # "province" (the province row) | "communes" (their sum) | "none"
    share: Rate
    figure_ids: tuple[int, ...]
    by: tuple[str, ...]
    groups: Mapping[GroupKey, Rate]  # from the commune rows


@dataclass(frozen=True, slots=True)
class LabourStructure:
    """Shares of the employed by sector group (nlts, cnxd, dv)."""

    year: int
    kind: str  # "imported" | "new_jobs": which population, never mixed
    source: str | None
    basis: str  # "province" | "communes" | "none" for imported figures; "recorded" for jobs
    shares: Mapping[str, Rate]
    unknown: int  # new jobs whose sector is not recorded (left out of the shares)
    record_ids: tuple[int, ...]
    by: tuple[str, ...]
    groups: Mapping[GroupKey, Mapping[str, Rate]]


def trained_share(
    figures: Iterable[LabourForceRecord],
    year: int,
    *,
    source: str | None = None,
    by: str | Sequence[str] | None = None,
) -> ImportedShare:
    """K4: employed workers who were trained ÷ employed, from the figures imported for
    ``year``."""
    return _imported_share(figures, year, source, by, lambda f: f.trained)


def certified_share(
    figures: Iterable[LabourForceRecord],
    year: int,
    *,
    source: str | None = None,
    by: str | Sequence[str] | None = None,
) -> ImportedShare:
    """K5: employed workers trained 3 months or more with a diploma or certificate ÷
    employed."""
    return _imported_share(figures, year, source, by, lambda f: f.trained_certified)


def labour_structure(
    figures: Iterable[LabourForceRecord],
    year: int,
    *,
    source: str | None = None,
    by: str | Sequence[str] | None = None,
) -> LabourStructure:
    """K6 from imported figures: employed by sector group ÷ employed."""
    chosen, communes, basis = select_figures(figures, year, source)
    groups = {}
    if by is not None:
        grouped = cut(communes, by, record_type=LabourForceRecord)
        groups = {key: _sector_shares(rows) for key, rows in grouped.items()}
    return LabourStructure(
        year,
        IMPORTED,
        chosen[0].source if chosen else None,
        basis,
        _sector_shares(chosen),
        0,
        tuple(f.id for f in chosen),
        dimension_names(by),
        groups,
    )


def new_job_structure(
    spells: Iterable[EmploymentRecord], year: int, *, by: str | Sequence[str] | None = None
) -> LabourStructure:
    """The sector groups of the year's new jobs (one deciding job per person, as in K2)."""
    deciding = list(new_job_spells(spells, year).values())
    groups = {}
    if by is not None:
        grouped = cut(deciding, by, when=lambda s: s.start_date, record_type=EmploymentRecord)
        groups = {key: _job_shares(rows) for key, rows in grouped.items()}
    known = [s for s in deciding if s.sector_group in SECTOR_GROUPS]
    return LabourStructure(
        year,
        NEW_JOBS,
        None,
        "recorded",
        _job_shares(deciding),
        len(deciding) - len(known),
        tuple(s.spell_id for s in deciding),
        dimension_names(by),
        groups,
    )


def select_figures(
    figures: Iterable[LabourForceRecord], year: int, source: str | None
) -> tuple[list[LabourForceRecord], list[LabourForceRecord], str]:
    """The figures that make the year's total, the commune rows, and the basis."""
    rows = [f for f in figures if f.year == year and (source is None or f.source == source)]
    sources = sorted({f.source for f in rows})
    if len(sources) > 1:
        raise ValueError(
            f"labour-force figures for {year} come from several sources "
            f"({'; '.join(sources)}): choose one"
        )
    communes = [f for f in rows if f.commune_code is not None]
    province = [f for f in rows if f.commune_code is None]
    if province:
        return [max(province, key=lambda f: f.id)], communes, "province"
    return communes, communes, ("communes" if communes else "none")


def _imported_share(
    figures: Iterable[LabourForceRecord],
    year: int,
    source: str | None,
    by: str | Sequence[str] | None,
    numerator: Callable[[LabourForceRecord], int],
) -> ImportedShare:
    chosen, communes, basis = select_figures(figures, year, source)
    groups = {}
    if by is not None:
        grouped = cut(communes, by, record_type=LabourForceRecord)
        groups = {key: _sum_rate(rows, numerator) for key, rows in grouped.items()}
    return ImportedShare(
        year,
        chosen[0].source if chosen else None,
        basis,
        _sum_rate(chosen, numerator),
        tuple(f.id for f in chosen),
        dimension_names(by),
        groups,
    )


def _sum_rate(
    rows: Iterable[LabourForceRecord], numerator: Callable[[LabourForceRecord], int]
) -> Rate:
    rows = list(rows)
    return rate_of_totals(sum(map(numerator, rows)), sum(f.employed for f in rows))


def _sector_shares(rows: Sequence[LabourForceRecord]) -> dict[str, Rate]:
    employed = sum(f.employed for f in rows)
    return {
        "nlts": rate_of_totals(sum(f.employed_nlts for f in rows), employed),
        "cnxd": rate_of_totals(sum(f.employed_cnxd for f in rows), employed),
        "dv": rate_of_totals(sum(f.employed_dv for f in rows), employed),
    }


def _job_shares(spells: Sequence[EmploymentRecord]) -> dict[str, Rate]:
    known = [s.spell_id for s in spells if s.sector_group in SECTOR_GROUPS]
    return {
        group: rate([s.spell_id for s in spells if s.sector_group == group], known)
        for group in SECTOR_GROUPS
    }
