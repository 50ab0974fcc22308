"""Demo labour-force figures, the kind an official imports from the labour-force survey: one row
for the whole province and one per current commune or ward, for each demo year, under a source
that says plainly they are illustrative ("Số liệu minh hoạ (demo)").

The levels look like Điện Biên's: about 370,000 people in the labour force (growing slowly),
a trained share of the employed rising from about 60% to 66%, a certified share of 28–32%
(the trained shares count employed workers over the employed, as the KPIs do), and employment by
sector group near 63% agriculture, forestry and fishery (falling slowly), 14% industry and
construction, 23% services. Wards have more trained workers and fewer farmers than rural
communes. The commune rows add up exactly to the province row, and every row obeys the import's
rules (trained ≤ employed, certified ≤ trained, employed ≤ labour force, the three sector
groups add up to the employed).

Reproducible: the same seed, years and communes give the same rows; nothing reads the clock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from models.queries.admin_units import COMMUNE_LEVELS, PROVINCE_CODE
from models.tables import AdminUnit, LabourForceFigure

DEMO_SOURCE = "Số liệu minh hoạ (demo)"
BASE_YEAR = 2023
BASE_LABOUR_FORCE = 366_000
GROWTH = 0.012  # labour force, a year
EMPLOYED_SHARE = 0.982
VIETNAM = timezone(timedelta(hours=7), "ICT")
Row = dict[str, Any]


@dataclass(frozen=True)
class YearShares:
    """The province's shares in one year."""

    labour_force: int
    trained: float  # of the employed
    certified: float  # of the employed
    nlts: float  # of the employed
    cnxd: float


def year_shares(year: int) -> YearShares:
    """The province's levels in `year`: trends from 2023, held inside plausible bounds."""
    step = year - BASE_YEAR
    return YearShares(
        labour_force=round(BASE_LABOUR_FORCE * (1 + GROWTH) ** step),
        trained=_clamp(0.605 + 0.015 * step, 0.58, 0.66),
        certified=_clamp(0.282 + 0.012 * step, 0.27, 0.32),
        nlts=_clamp(0.645 - 0.008 * step, 0.60, 0.68),
        cnxd=_clamp(0.135 + 0.004 * step, 0.12, 0.16),
    )


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it exactly
    (largest remainders; ties to the earlier weight)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class _Commune:
    code: str
    size: float  # share of the province's labour force, relative
    training: float  # propensity to be trained, relative
    farming: float  # propensity to work in agriculture, relative
    industry: float  # among the non-farm jobs, relative


def _communes(units: Sequence[tuple[str, str]], seed: int) -> list[_Commune]:
    """Fixed traits per commune (the same every year)."""
    rng = random.Random(f"{seed}:labour-force")
    found = []
    for code, level in sorted(units):
        ward = level in ("phuong", "thi_tran")
        found.append(
            _Commune(
                code=code,
                size=rng.uniform(0.6, 1.5) * (1.8 if ward else 1.0),
                training=rng.uniform(1.15, 1.3) if ward else rng.uniform(0.85, 1.05),
                farming=rng.uniform(0.25, 0.45) if ward else rng.uniform(0.95, 1.15),
                industry=rng.uniform(0.8, 1.2),
            )
        )
    return found


def _year_rows(communes: list[_Commune], year: int) -> list[Row]:
    shares = year_shares(year)
    force = allocate(shares.labour_force, [c.size for c in communes])
    employed_total = round(shares.labour_force * EMPLOYED_SHARE)
    employed = allocate(employed_total, force)
    trained = allocate(
        round(employed_total * shares.trained),
        [e * c.training for e, c in zip(employed, communes, strict=True)],
    )
    certified = allocate(round(employed_total * shares.certified), trained)
    nlts = allocate(
        round(employed_total * shares.nlts),
        [e * c.farming for e, c in zip(employed, communes, strict=True)],
    )
    off_farm = [e - n for e, n in zip(employed, nlts, strict=True)]
    cnxd = allocate(
        round(employed_total * shares.cnxd),
        [o * c.industry for o, c in zip(off_farm, communes, strict=True)],
    )
    rows: list[Row] = []
    for i, commune in enumerate(communes):
        farming, industry = min(nlts[i], employed[i]), min(cnxd[i], off_farm[i])
        rows.append(
            {
                "commune_code": commune.code,
                "labour_force": force[i],
                "trained": min(trained[i], employed[i]),
                "trained_certified": min(certified[i], trained[i], employed[i]),
                "employed": employed[i],
                "employed_nlts": farming,
                "employed_cnxd": industry,
                "employed_dv": employed[i] - farming - industry,
            }
        )
    return rows


def demo_labour_force_rows(
    units: Sequence[tuple[str, str]],
    years: Sequence[int],
    *,
    seed: int = 2026,
    today: date | None = None,
) -> list[Row]:
    """Rows for `labour_force_figure`: per year, the province row (commune_code None, the sum
    of the commune rows) then one row per commune. `units` are (code, level) of the current
    communes and wards. `imported_at` is 31 March of the next year (or `today` if earlier)."""
    communes = _communes(units, seed)
    rows: list[Row] = []
    for year in sorted(set(years)):
        commune_rows = _year_rows(communes, year)
        province = (
            {
                key: sum(row[key] for row in commune_rows)
                for key in commune_rows[0]
                if key != "commune_code"
            }
            if commune_rows
            else {}
        )
        imported_on = min(date(year + 1, 3, 31), today) if today else date(year + 1, 3, 31)
        stamp = datetime.combine(imported_on, time(9, 0), tzinfo=VIETNAM)
        for row in ([{"commune_code": None, **province}] if province else []) + commune_rows:
            rows.append({"year": year, **row, "source": DEMO_SOURCE, "imported_at": stamp})
    return rows


def current_communes(session: Session) -> list[tuple[str, str]]:
    """(code, level) of Điện Biên's current communes and wards."""
    units = session.exec(
        select(AdminUnit.code, AdminUnit.level).where(
            col(AdminUnit.province_code) == PROVINCE_CODE,
            col(AdminUnit.level).in_(COMMUNE_LEVELS),
            col(AdminUnit.valid_to).is_(None),
        )
    ).all()
    return [(code, level) for code, level in units]


def write_demo_labour_force(
    session: Session, years: Sequence[int], *, seed: int = 2026, today: date | None = None
) -> int:
    """Replace every row of the demo source with figures for `years`; returns the rows
    written. Does not commit: the rows land with the caller's transaction. Needs the admin
    units (seed.reference.load_reference_data)."""
    session.execute(delete(LabourForceFigure).where(col(LabourForceFigure.source) == DEMO_SOURCE))
    rows = demo_labour_force_rows(current_communes(session), years, seed=seed, today=today)
    if rows:
        session.execute(insert(LabourForceFigure), rows)
    return len(rows)
