"""The new-jobs register of the demo: every new job that is not a hire on the platform comes in
as a line of a report, as web.services.register writes one (models.register_rows builds the
spell and the line for both).

- Communes report monthly on the people of their commune (and a period with nothing to report
  as none), the Employment Service Centre monthly, employers half-yearly (December–May and
  June–November, Decree 145/2020), officials the public-sector recruitment they hear of. The
  periods come from the reporting schedules of the reference data (models.register_periods).
- Most reports are imported sheets (a file name, rows numbered from 2); the others, and any
  period still running on `today`, are entered on the form.
- A few communes have not sent their last month or two, so "who has reported" shows them
  late; a job that would be on a missing report is not known and not planned.
- Some communes also count people without names: "self-employed after employment-fund loans"
  (an aggregate line, above the named lines of the same commune, month and channel).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.enums import NewJobChannel, ReportFrequency, ReportSource
from models.register_periods import Period, month_period, period_containing
from models.register_rows import ReportedJob, line_row
from seed.demo.context import DemoBuild, Row, add_months, at_work_hours, local_time

LATE_COMMUNES = 4  # communes that have not sent their last due month (two of them, two months)
LATE_AFTER_DAY = 10  # a month's report is late after the 5th of the next month and 5 days' grace
FILE_SHARE = 0.75  # reports imported from a sheet; the others entered on the form
AGGREGATE_COMMUNES = 6  # communes per year that also count borrowers without names
LOAN_NOTE = "Tự tạo việc làm sau khi vay vốn Quỹ quốc gia về việc làm"


@dataclass
class PendingLine:
    """A reported job waiting for its report: the spell (already planned) and the line."""

    spell: Row
    source: str
    commune_code: str | None
    employer_id: int | None
    full_name: str
    job: ReportedJob


@dataclass
class PlannedAggregate:
    commune_code: str
    month: date
    extra: int  # people above the commune's named lines of that month and channel


@dataclass
class Register:
    build: DemoBuild
    lines: list[PendingLine] = field(default_factory=list)
    aggregates: list[PlannedAggregate] = field(default_factory=list)
    missing: set[tuple[str, str]] = field(default_factory=set)  # (commune, period code)

    def __post_init__(self) -> None:
        self.missing = _late_reports(self.build)

    def period(self, source: str, day: date) -> Period:
        frequency, first_month = self.build.ref.schedules.get(
            source, (ReportFrequency.MONTHLY.value, 1)
        )
        return period_containing(day, frequency, first_month)

    def accepts(self, source: str, commune_code: str | None, day: date) -> bool:
        """Whether the report that would carry a job starting on `day` has come in."""
        if source != ReportSource.COMMUNE or commune_code is None:
            return True
        return (commune_code, self.period(source, day).code) not in self.missing

    def add(self, line: PendingLine) -> None:
        self.lines.append(line)

    def plan_aggregates(self, year: int) -> int:
        """Counts without names for a few communes and months of `year`; returns how many
        people they add (the caller names that many fewer)."""
        build = self.build
        rng = build.rng("register-aggregates", year)
        last = min(date(year, 12, 1), add_months(build.today.replace(day=1), -1))
        if last < date(year, 1, 1):
            return 0
        communes = sorted(c.code for c in build.ref.communes)
        chosen = rng.sample(communes, k=min(AGGREGATE_COMMUNES, len(communes)))
        added = 0
        for commune in chosen:
            for month_index in sorted(rng.sample(range(1, last.month + 1), k=min(3, last.month))):
                month = date(year, month_index, 1)
                if not self.accepts(ReportSource.COMMUNE, commune, month):
                    continue
                extra = build.count(rng.randint(4, 20))
                self.aggregates.append(PlannedAggregate(commune, month, extra))
                added += extra
        build.unnamed_new_jobs[year] = build.unnamed_new_jobs.get(year, 0) + added
        return added

    def write(self) -> None:
        """Reports, their lines and aggregates; the spells take the time their report was
        written."""
        build = self.build
        rng = build.rng("register")
        grouped: dict[tuple[str, str | None, int | None, str], list[PendingLine]] = {}
        for line in self.lines:
            period = self.period(line.source, line.job.start_date)
            key = (line.source, line.commune_code, line.employer_id, period.code)
            grouped.setdefault(key, []).append(line)
        periods = {
            (s, c, e, code): self.period(s, lines[0].job.start_date)
            for (s, c, e, code), lines in grouped.items()
        }
        for key in _every_due_report(build, self.missing):
            if key not in grouped:
                grouped[key] = []
                periods[key] = month_period(int(key[3][:4]), int(key[3][5:]))
        by_month = {(a.commune_code, a.month.strftime("%Y-%m")): a for a in self.aggregates}
        for key in sorted(grouped, key=lambda k: (periods[k].start, k[0], k[1] or "", k[2] or 0)):
            source, commune, _, code = key
            lines = sorted(grouped[key], key=lambda p: (p.job.start_date, p.spell["id"]))
            planned = (
                by_month.get((commune or "", code)) if source == ReportSource.COMMUNE else None
            )
            self._report(rng, key, periods[key], lines, planned)

    def _report(
        self,
        rng: random.Random,
        key: tuple[str, str | None, int | None, str],
        period: Period,
        lines: list[PendingLine],
        planned: PlannedAggregate | None,
    ) -> None:
        build, today = self.build, self.build.today
        source, commune, employer, code = key
        reporter = f"{source}:{commune or employer or '-'}"
        running = period.end >= today
        as_file = bool(lines) and not running and rng.random() < FILE_SHARE
        if running:  # lines entered on the form as jobs start: the report is made by the first
            sent = min(lines[0].job.start_date + timedelta(days=rng.randint(0, 3)), today)
        else:
            late = rng.randint(12, 30) if rng.random() < 0.1 else rng.randint(1, 9)
            sent = min(period.end + timedelta(days=late), today)
        submitted = at_work_hours(rng, sent)
        report = build.add(
            "new_job_report",
            {
                "id": build.new_id("new_job_report"),
                "source": source,
                "commune_code": commune,
                "employer_id": employer,
                "period_start": period.start,
                "period_end": period.end,
                "filename": f"bao-cao-viec-lam-moi-{code}.xlsx" if as_file else "",
                "dedupe_key": (
                    f"file:{reporter}:{code}:{rng.getrandbits(256):064x}"
                    if as_file
                    else f"form:{reporter}:{code}"
                )[:120],
                "person_lines": len(lines),
                "aggregate_people": 0,
                "submitted_by_id": None,  # the account, once the accounts exist
                "submitted_at": submitted,
                "withdrawn_by_id": None,
                "withdrawn_at": None,
            },
        )
        for number, pending in enumerate(lines, start=2):
            entered = submitted
            if not as_file:
                day = min(pending.job.start_date + timedelta(days=rng.randint(0, 5)), today)
                entered = max(submitted, local_time(day, rng.randint(8, 16), rng.randint(0, 59)))
            build.add(
                "new_job_line",
                {
                    "id": build.new_id("new_job_line"),
                    **line_row(
                        pending.job,
                        report_id=report["id"],
                        person_id=pending.spell["person_id"],
                        spell_id=pending.spell["id"],
                        source=source,
                        full_name=pending.full_name,
                        row_number=number if as_file else None,
                        now=entered,
                    ),
                },
            )
            pending.spell["created_at"] = entered
        if planned is not None:
            self._aggregate(report, lines, planned)

    def _aggregate(self, report: Row, lines: list[PendingLine], planned: PlannedAggregate) -> None:
        named = sum(
            1
            for p in lines
            if p.job.channel == NewJobChannel.LOAN
            and self.build.persons[p.spell["person_id"]]["commune_code"] == planned.commune_code
        )
        people = named + planned.extra
        report["aggregate_people"] += people
        self.build.add(
            "new_job_aggregate",
            {
                "id": self.build.new_id("new_job_aggregate"),
                "report_id": report["id"],
                "commune_code": planned.commune_code,
                "channel": NewJobChannel.LOAN.value,
                "month": planned.month,
                "people": people,
                "note": LOAN_NOTE,
                "created_at": report["submitted_at"],
            },
        )


def _due_months(build: DemoBuild) -> list[Period]:
    """The months of the demo's years that have ended by `today`."""
    found = []
    for year in build.years:
        for month in range(1, 13):
            period = month_period(year, month)
            if period.end < build.today:
                found.append(period)
    return found


def _every_due_report(
    build: DemoBuild, missing: set[tuple[str, str]]
) -> list[tuple[str, str | None, int | None, str]]:
    """A report from every commune and from the centre for every month that has ended,
    with nothing to report if need be, except the late communes' missing months."""
    keys: list[tuple[str, str | None, int | None, str]] = []
    for period in _due_months(build):
        keys.append((ReportSource.JOB_CENTRE.value, None, None, period.code))
        for commune in build.ref.communes:
            if (commune.code, period.code) not in missing:
                keys.append((ReportSource.COMMUNE.value, commune.code, None, period.code))
    return keys


def _late_reports(build: DemoBuild) -> set[tuple[str, str]]:
    """The last month or two that a few communes have not sent though it is due."""
    today = build.today
    last = add_months(today.replace(day=1), -1 if today.day > LATE_AFTER_DAY else -2)
    if last.year not in build.years:
        return set()
    rng = build.rng("late-reports")
    communes = sorted(c.code for c in build.ref.communes)
    late = rng.sample(communes, k=min(LATE_COMMUNES, len(communes)))
    missing = {(commune, month_period(last.year, last.month).code) for commune in late}
    before = add_months(last, -1)
    if before.year in build.years:
        missing |= {(c, month_period(before.year, before.month).code) for c in late[:2]}
    return missing
