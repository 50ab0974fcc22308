"""Demo data that looks like Điện Biên: institutions and courses, about 8,500 trainees and
8,700 new jobs a year, employers, vacancies, training orders, referrals, employment spells in
the six channels (reported to the new-jobs register), follow-ups after graduation, and six
sign-in accounts.

Reproducible: the same seed, years, scale and `today` on a fresh database give identical rows,
ids included (password hashes excepted: argon2 salts them at random). Nothing reads the clock.

A database holds one demo at a time. Generating into one that already has demo data raises
ConflictError, unless `replace=True`, which deletes the earlier demo rows (and anything that
points at them) in the same transaction as the new ones are written: all or nothing.
See docs/demo-data.md.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.db import unit_of_work
from models.errors import ConflictError, InvalidError
from models.tables import AdminUnit, TrainingOccupation, UserAccount
from models.years import YEAR_MAX, YEAR_MIN
from seed.demo.accounts import assign_submitters, create_accounts, refuse_taken_usernames
from seed.demo.contacts import write_demo_contacts
from seed.demo.context import DEMO_TABLES
from seed.demo.labour_force import write_demo_labour_force
from seed.demo.plan import DemoAccount, DemoSummary, YearSummary, plan_demo, summarize
from seed.demo.snapshot import read_reference
from seed.demo.write import (
    delete_demo,
    find_marker,
    fix_sequences,
    id_ranges,
    next_free_ids,
    write_marker,
    write_tables,
)

__all__ = ["DEFAULT_TODAY", "DemoAccount", "DemoSummary", "YearSummary", "generate_demo"]

DEFAULT_TODAY = date(2026, 11, 27)
DEFAULT_YEARS = (2023, 2024, 2025, 2026)
MAX_SCALE = 100.0
SQLITE_CACHE_KIB = 256_000  # page cache while writing: indexes stay in memory
BEFORE_ACCOUNTS = DEMO_TABLES[: DEMO_TABLES.index("referral")]
AFTER_ACCOUNTS = DEMO_TABLES[DEMO_TABLES.index("referral") :]


def generate_demo(
    engine: Engine,
    *,
    seed: int = 2026,
    years: Sequence[int] = DEFAULT_YEARS,
    scale: float = 1.0,
    today: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    replace: bool = False,
) -> DemoSummary:
    """Write the demo in one transaction and return what was written.

    `today` (default 27 Nov 2026) decides which courses have finished, which vacancies are
    still open and which follow-ups are due. `progress(stage, done, total)` is called as the
    stages advance ("reference", "plan", "write"). Loads the reference data first if the
    reference tables are empty.
    """
    today = today or DEFAULT_TODAY
    years = _check_arguments(years, scale)
    report = progress or (lambda stage, done, total: None)
    with Session(engine, expire_on_commit=False) as session:
        _ensure_reference(session, report)
        marker = find_marker(session)
        if marker is not None and not replace:
            raise ConflictError(
                None,
                "The database already holds demo data (seed {seed}, years {years}). Generate "
                "again with the replace option to delete it first.",
                seed=marker.get("seed"),
                years=", ".join(str(y) for y in marker.get("years", [])),
            )
        with unit_of_work(session):
            if marker is not None:
                delete_demo(session, marker)
            refuse_taken_usernames(session)
            with _bulk_mode(session):
                summary = _generate(session, seed, years, scale, today, report)
    summary.replaced = marker is not None
    return summary


@contextmanager
def _bulk_mode(session: Session) -> Iterator[None]:
    """Millions of small dicts: pause the cyclic garbage collector (whose full passes would
    walk them all again and again; the rows hold no cycles), and give SQLite a larger page
    cache while its indexes grow. Both are restored afterwards."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar() if sqlite else None
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache or -2000)}")


def _employer_of(session: Session, username: str) -> int:
    query = select(col(UserAccount.employer_id)).where(col(UserAccount.username) == username)
    return int(session.execute(query).scalar_one())


def _check_arguments(years: Sequence[int], scale: float) -> tuple[int, ...]:
    chosen = tuple(sorted({int(y) for y in years}))
    if not chosen:
        raise InvalidError("years", "Choose at least one year for the demo data.")
    if not YEAR_MIN <= chosen[0] <= chosen[-1] <= YEAR_MAX:  # the message's msgid names them
        raise InvalidError("years", "Demo years must lie between 2000 and 2100.")
    if not 0 < scale <= MAX_SCALE:
        raise InvalidError("scale", "The scale must be above 0 and at most {max}.", max=MAX_SCALE)
    return chosen


def _ensure_reference(session: Session, report: Callable[[str, int, int], None]) -> None:
    conn = session.connection()
    empty = any(
        not conn.execute(select(func.count()).select_from(table)).scalar()
        for table in (AdminUnit.__table__, TrainingOccupation.__table__)  # type: ignore[attr-defined]
    )
    if empty:
        from seed.reference import load_reference_data

        report("reference", 0, 1)
        load_reference_data(session)  # commits on its own
        report("reference", 1, 1)


def _generate(
    session: Session,
    seed: int,
    years: tuple[int, ...],
    scale: float,
    today: date,
    report: Callable[[str, int, int], None],
) -> DemoSummary:
    build = plan_demo(
        read_reference(session, today),
        seed=seed,
        years=years,
        scale=scale,
        today=today,
        next_ids=next_free_ids(session),
        progress=report,
    )
    total = sum(len(rows) for rows in build.rows.values())
    written = [0]

    def advance(count: int) -> None:
        written[0] += count
        report("write", written[0], total)

    write_tables(session, build, BEFORE_ACCOUNTS, advance)
    accounts, account_ids = create_accounts(session, build)
    official_id = account_ids[[a.role for a in accounts].index("official")]
    for referral in build.rows["referral"]:
        referral["created_by_id"] = official_id
    assign_submitters(build, accounts, account_ids)
    write_tables(session, build, AFTER_ACCOUNTS, advance)
    fix_sequences(session)
    employer_account = accounts[[a.role for a in accounts].index("employer")]
    write_demo_contacts(session, build, _employer_of(session, employer_account.username))
    # The figures an official would import from the labour-force survey (illustrative).
    write_demo_labour_force(session, years, seed=seed, today=today)
    write_marker(session, build, id_ranges(build, account_ids), [a.username for a in accounts])
    return summarize(build, accounts)
