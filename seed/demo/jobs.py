"""New jobs in the province's six channels (loans, work abroad, enterprises outside and inside
the province, public bodies, other programmes and self-employment).

About 8,700 people with a new job a year at scale 1, with the province's mix. Platform hires
(see demo.referrals) count first; the rest of each channel's quota is what communes, the
Employment Service Centre, employers and officials report to the new-jobs register (see
demo.register): recent graduates where the channel suits their training, and otherwise people
the platform never trained. Jobs start mostly after Tết (context.hiring_day). About one person
in twenty-five has two new jobs in the year (a seasonal job, then another): both spells are
kept; the K2 figure counts the person once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from models.enums import (
    EmploymentKind,
    EmploymentSource,
    LocationKind,
    NewJobChannel,
    ReportSource,
    WillingScope,
)
from models.register_rows import ReportedJob, spell_row
from seed.demo.context import (
    DemoBuild,
    Graduate,
    Row,
    WeightedPicker,
    add_months,
    hiring_day,
    local_time,
    round_to,
)
from seed.demo.employers import EXPORT, LOCAL, OUTSIDE, PUBLIC
from seed.demo.people import GraduatePools, PeopleMaker
from seed.demo.register import PendingLine, Register
from seed.demo.training import profile_of
from seed.demo.vacancies import ABROAD

NEW_JOBS_PER_YEAR = 8600  # people named at scale 1; the communes' counts add a few hundred
TWO_JOBS_SHARE = 0.04  # people whose reported job is followed by another that year
CHANNEL_SHARES = {
    NewJobChannel.OTHER_PROGRAMME: 0.51,
    NewJobChannel.OUTSIDE_PROVINCE: 0.26,
    NewJobChannel.INSIDE_PROVINCE: 0.095,
    NewJobChannel.LOAN: 0.08,
    NewJobChannel.PUBLIC_BODY: 0.035,
    NewJobChannel.ABROAD: 0.02,
}
# Share of a channel's reported jobs that go to recent graduates, and the occupation groups
# whose graduates that channel takes first.
GRADUATE_SHARE = {
    NewJobChannel.ABROAD: 0.7,
    NewJobChannel.OUTSIDE_PROVINCE: 0.45,
    NewJobChannel.INSIDE_PROVINCE: 0.5,
    NewJobChannel.PUBLIC_BODY: 0.6,
    NewJobChannel.LOAN: 0.35,
    NewJobChannel.OTHER_PROGRAMME: 0.3,
}
PREFERRED_GROUPS = {
    NewJobChannel.ABROAD: ("ngoai_ngu", "may", "che_bien"),
    NewJobChannel.OUTSIDE_PROVINCE: ("may", "dien", "co_khi", "che_bien", "xay_dung"),
    NewJobChannel.INSIDE_PROVINCE: ("nau_an", "du_lich", "xay_dung", "co_khi", "dich_vu_ca_nhan"),
    NewJobChannel.PUBLIC_BODY: ("cntt", "kinh_te", "chan_nuoi", "dich_vu_ca_nhan"),
    NewJobChannel.LOAN: ("chan_nuoi", "trong_trot", "nau_an"),
    NewJobChannel.OTHER_PROGRAMME: ("trong_trot", "chan_nuoi", "lam_nghiep", "thu_cong"),
}
EMPLOYER_KIND = {
    NewJobChannel.ABROAD: EXPORT,
    NewJobChannel.OUTSIDE_PROVINCE: OUTSIDE,
    NewJobChannel.INSIDE_PROVINCE: LOCAL,
    NewJobChannel.PUBLIC_BODY: PUBLIC,
}
OUTSIDE_PROVINCES = ("24", "31", "19", "33", "01", "75", "79", "37")


def year_quotas(build: DemoBuild, year: int) -> dict[NewJobChannel, int]:
    """New jobs per channel in `year` (the part of it that has passed by `today`)."""
    fraction = build.year_fraction(year)
    if fraction <= 0:
        return {channel: 0 for channel in CHANNEL_SHARES}
    total = (
        NEW_JOBS_PER_YEAR
        * build.scale
        * fraction
        * build.rng("jobs-total", year).uniform(0.97, 1.03)
    )
    return {channel: max(1, round(total * share)) for channel, share in CHANNEL_SHARES.items()}


class JobMaker:
    """Writes employment spells: for platform hires, and for the new jobs reported to the
    register (with their register lines)."""

    def __init__(self, build: DemoBuild, people: PeopleMaker) -> None:
        self.build = build
        self.people = people
        self.employers: dict[str, list[Row]] = {}
        self.employer_by_id = {employer["id"]: employer for employer in build.rows["employer"]}
        for employer in build.rows["employer"]:
            self.employers.setdefault(build.employer_kind[employer["id"]], []).append(employer)
        self.pools = GraduatePools(build.graduates)
        self.register = Register(build)

    def spell(
        self,
        *,
        person_id: int,
        start: date,
        channel: NewJobChannel,
        kind: EmploymentKind,
        source: EmploymentSource,
        place: Row,
        **extra: object,
    ) -> Row:
        row: Row = {
            "id": self.build.new_id("employment_spell"),
            "person_id": person_id,
            "employer_id": None,
            "vacancy_id": None,
            "referral_id": None,
            "enrolment_id": None,
            "start_date": start,
            "end_date": None,
            "kind": kind.value,
            "channel": channel.value,
            "is_new_job": True,
            "abroad_programme": None,
            "occupation_id": None,
            "in_trained_occupation": None,
            "sector_code": None,
            "wage": None,
            "source": source.value,
            "created_at": local_time(start),
            "location_kind": LocationKind.COMMUNE.value,
            "commune_code": None,
            "province_code": None,
            "country_code": None,
            **place,
            **extra,
        }
        if kind == EmploymentKind.ABROAD and add_months(start, 36) <= self.build.today:
            row["end_date"] = add_months(start, 36)  # a three-year contract ended
        self.build.employed[person_id] = self.build.add("employment_spell", row)
        self.build.taken.add(person_id)
        return row

    def reported_year(self, year: int, left: dict[NewJobChannel, int]) -> None:
        rng = self.build.rng("reported-jobs", year)
        left = dict(left)
        unnamed = self.register.plan_aggregates(year)  # counted without names, as loans
        left[NewJobChannel.LOAN] = max(0, left.get(NewJobChannel.LOAN, 0) - unnamed)
        for channel, count in left.items():
            wanted = round(count * GRADUATE_SHARE[channel])
            made = 0
            for _ in range(wanted * 12):
                if made >= wanted:
                    break
                made += self._graduate_job(rng, year, channel)
            for _ in range(count - made):
                self._worker_job(rng, year, channel)

    def _window(self, year: int) -> tuple[date, date]:
        return date(year - 1, 3, 1), min(date(year, 12, 31), self.build.today)

    def _graduate_job(self, rng: random.Random, year: int, channel: NewJobChannel) -> int:
        start_window, end_window = self._window(year)
        group = rng.choice(PREFERRED_GROUPS[channel]) if rng.random() < 0.7 else None
        graduate = self.pools.draw(rng, start_window, end_window - timedelta(days=7), group)
        if graduate is None or graduate.person_id in self.build.taken:
            return 0
        person = self.build.persons[graduate.person_id]
        if not _willing(person, channel):
            return 0
        # Within about five months of graduating (a graduate of last year finds work in the
        # hiring season of this one), by the months jobs start in.
        earliest = max(graduate.graduated_on + timedelta(days=7), date(year, 1, 1))
        if earliest > end_window:
            return 0
        latest = max(graduate.graduated_on + timedelta(days=150), earliest + timedelta(days=120))
        start = hiring_day(rng, earliest, latest)
        if start > end_window:
            return 0  # next year's job, or not yet
        reporter = self._reporter(rng, channel)
        if not self.register.accepts(reporter[1].value, person["commune_code"], start):
            return 0  # its commune has not sent that month's report: not known yet
        trained = rng.random() < _trained_odds(graduate, channel)
        spell = self._record(
            rng,
            person,
            start,
            channel,
            reporter,
            graduate if trained else None,
            enrolment_id=graduate.enrolment_id,
            in_trained_occupation=trained,
        )
        self._maybe_second_job(rng, person, spell, end_window)
        return 1

    def _worker_job(self, rng: random.Random, year: int, channel: NewJobChannel) -> None:
        _, end_window = self._window(year)
        commune = self.people.population.commune(rng).code
        reporter = self._reporter(rng, channel)
        for _ in range(6):
            start = hiring_day(rng, date(year, 1, 1), end_window)
            if self.register.accepts(reporter[1].value, commune, start):
                break
        else:
            return  # every month tried is missing from its commune's reports
        person = self.people.person(
            rng, on=start - timedelta(days=rng.randint(0, 60)), band="worker", commune_code=commune
        )
        spell = self._record(rng, person, start, channel, reporter, None)
        self._maybe_second_job(rng, person, spell, end_window)

    def _maybe_second_job(
        self, rng: random.Random, person: Row, first: Row, end_window: date
    ) -> None:
        """Now and then the job ends and another starts the same year: both are kept."""
        if first["channel"] == NewJobChannel.ABROAD or rng.random() >= TWO_JOBS_SHARE:
            return
        earliest = first["start_date"] + timedelta(days=rng.randint(45, 120))
        if earliest.year != first["start_date"].year or earliest > end_window:
            return
        start = hiring_day(rng, earliest, min(end_window, date(earliest.year, 12, 31)))
        channel = SECOND_JOBS.pick(rng)
        if channel == first["channel"] or not _willing(person, channel):
            channel = NewJobChannel.INSIDE_PROVINCE
        reporter = self._reporter(rng, channel)
        if not self.register.accepts(reporter[1].value, person["commune_code"], start):
            return
        first["end_date"] = start - timedelta(days=rng.randint(3, 30))
        self._record(rng, person, start, channel, reporter, None)

    def _reporter(
        self, rng: random.Random, channel: NewJobChannel
    ) -> tuple[EmploymentKind, ReportSource, Row | None]:
        """The kind of job, who reports it and the employer, if one is known."""
        kind = _kind(rng, channel)
        employer = self._employer(rng, channel)
        return kind, _source(rng, channel, employer), employer

    def _record(
        self,
        rng: random.Random,
        person: Row,
        start: date,
        channel: NewJobChannel,
        reporter: tuple[EmploymentKind, ReportSource, Row | None],
        trained_in: Graduate | None,
        **extra: object,
    ) -> Row:
        """The job as the register would write it from its report line, and the line, which
        demo.register files under its report."""
        kind, source, employer = reporter
        place, wage, programme = self._place_and_wage(rng, person, channel, kind, employer, start)
        sector = employer["sector_code"] if employer else _sector(rng, channel, trained_in)
        if sector not in self.build.ref.sector_codes:
            sector = None
        abroad = channel == NewJobChannel.ABROAD
        self_employed = kind in (EmploymentKind.SELF_EMPLOYED, EmploymentKind.HOUSEHOLD)
        job = ReportedJob(
            title=_title(channel, kind, sector, trained_in),
            channel=channel.value,
            kind=kind.value,
            location_kind=place["location_kind"],
            start_date=start,
            province_code=place.get("province_code"),
            country_code=place.get("country_code"),
            programme=programme,
            sending_company=employer["name"] if abroad and employer else "",
            sector_code=sector,
            employer_id=employer["id"] if employer else None,
            employer_name=employer["name"] if employer and not abroad else "",
            self_employed=self_employed,
            contract_type=None if self_employed else _contract(rng, channel),
            wage=wage,
        )
        row = spell_row(job, person_id=person["id"], source=source.value, now=local_time(start))
        row["id"] = self.build.new_id("employment_spell")
        # What the demo knows beyond a line: the commune where a job in the province is, and
        # the training that led to it (for the figures after training).
        row.update(
            commune_code=place.get("commune_code"),
            occupation_id=trained_in.occupation.id if trained_in else None,
            **extra,
        )
        if kind == EmploymentKind.ABROAD and add_months(start, 36) <= self.build.today:
            row["end_date"] = add_months(start, 36)  # a three-year contract ended
        self.build.employed[person["id"]] = self.build.add("employment_spell", row)
        self.build.taken.add(person["id"])
        commune = person["commune_code"] if source == ReportSource.COMMUNE else None
        employer_id = employer["id"] if source == ReportSource.EMPLOYER and employer else None
        self.register.add(
            PendingLine(row, source.value, commune, employer_id, person["full_name"], job)
        )
        return row

    def _employer(self, rng: random.Random, channel: NewJobChannel) -> Row | None:
        kind = EMPLOYER_KIND.get(channel)
        share = {EXPORT: 0.85, OUTSIDE: 0.6, LOCAL: 0.7, PUBLIC: 1.0}.get(kind or "", 0.0)
        options = self.employers.get(kind or "", [])
        return rng.choice(options) if options and rng.random() < share else None

    def _place_and_wage(
        self,
        rng: random.Random,
        person: Row,
        channel: NewJobChannel,
        kind: EmploymentKind,
        employer: Row | None,
        start: date,
    ) -> tuple[Row, int | None, str | None]:
        ref = self.build.ref
        if channel == NewJobChannel.ABROAD:
            country = rng.choices(list(ABROAD), weights=[v[0] for v in ABROAD.values()], k=1)[0]
            place = {"location_kind": LocationKind.ABROAD.value, "country_code": country}
            return place, round_to(rng.uniform(*ABROAD[country][2]), 500_000), ABROAD[country][1]
        if employer is not None and channel != NewJobChannel.OTHER_PROGRAMME:
            place = {k: employer[k] for k in ("location_kind", "commune_code", "province_code")}
        elif channel == NewJobChannel.OUTSIDE_PROVINCE:
            options = [p for p in OUTSIDE_PROVINCES if p in ref.provinces] or ["01"]
            place = {
                "location_kind": LocationKind.OTHER_PROVINCE.value,
                "province_code": rng.choice(options),
            }
        else:
            place = {
                "location_kind": LocationKind.COMMUNE.value,
                "commune_code": person["commune_code"],
                "province_code": "11",
            }
        if kind == EmploymentKind.HOUSEHOLD:
            return place, None, None
        low = 6.5e6 if channel == NewJobChannel.OUTSIDE_PROVINCE else 4.0e6
        region = ref.region_of(place.get("commune_code"), place.get("province_code"), start)
        floor = ref.minimum_wage(region, start)
        return place, max(round_to(rng.uniform(low, low + 3e6), 100_000), floor), None


def _willing(person: Row, channel: NewJobChannel) -> bool:
    scope = {
        NewJobChannel.ABROAD: WillingScope.ABROAD,
        NewJobChannel.OUTSIDE_PROVINCE: WillingScope.OTHER_PROVINCE,
    }.get(channel)
    return scope is None or scope.value in person["willing_to_work"]


def _trained_odds(graduate: Graduate, channel: NewJobChannel) -> float:
    if channel in (NewJobChannel.OTHER_PROGRAMME, NewJobChannel.LOAN):
        return 0.7 if graduate.occupation.sector_group == "nlts" else 0.35
    return 0.75 if graduate.occupation.group in PREFERRED_GROUPS[channel] else 0.25


_LOAN_KINDS = WeightedPicker([EmploymentKind.SELF_EMPLOYED, EmploymentKind.HOUSEHOLD], [60, 40])
_OTHER_KINDS = WeightedPicker(
    [EmploymentKind.SELF_EMPLOYED, EmploymentKind.HOUSEHOLD, EmploymentKind.WAGE], [35, 45, 20]
)
# The channel of a second job in the year: mostly leaving for a factory, or a local job.
SECOND_JOBS = WeightedPicker(
    [NewJobChannel.OUTSIDE_PROVINCE, NewJobChannel.INSIDE_PROVINCE, NewJobChannel.OTHER_PROGRAMME],
    [45, 35, 20],
)


def _kind(rng: random.Random, channel: NewJobChannel) -> EmploymentKind:
    if channel == NewJobChannel.LOAN:
        return _LOAN_KINDS.pick(rng)
    if channel == NewJobChannel.OTHER_PROGRAMME:
        return _OTHER_KINDS.pick(rng)
    if channel == NewJobChannel.ABROAD:
        return EmploymentKind.ABROAD
    return EmploymentKind.WAGE


def _source(rng: random.Random, channel: NewJobChannel, employer: Row | None) -> ReportSource:
    """Who reports the job: communes their people's own work and loans, the Employment
    Service Centre work abroad and the jobs it introduces outside the province, employers
    their hires (half-yearly), officials the public sector's recruitment."""
    if channel in (NewJobChannel.LOAN, NewJobChannel.OTHER_PROGRAMME):
        return ReportSource.COMMUNE
    if channel == NewJobChannel.ABROAD:
        return ReportSource.JOB_CENTRE
    if channel == NewJobChannel.PUBLIC_BODY:
        return ReportSource.OFFICIAL
    by_employer = employer is not None and rng.random() < 0.5
    if channel == NewJobChannel.OUTSIDE_PROVINCE:
        return ReportSource.EMPLOYER if by_employer else ReportSource.JOB_CENTRE
    return ReportSource.EMPLOYER if by_employer else ReportSource.COMMUNE


def _contract(rng: random.Random, channel: NewJobChannel) -> str | None:
    if channel in (NewJobChannel.PUBLIC_BODY, NewJobChannel.ABROAD):
        return "fixed_term"
    return rng.choices(["fixed_term", "indefinite", "short", None], weights=[55, 10, 15, 20])[0]


# What a line's "job" column says, when no training names it.
TITLES = {
    EmploymentKind.SELF_EMPLOYED: {"A": "Chăn nuôi, trồng trọt", "G": "Buôn bán nhỏ"},
    EmploymentKind.HOUSEHOLD: {"A": "Sản xuất nông nghiệp hộ gia đình"},
}
SECTOR_TITLES = {
    "A": "Lao động nông, lâm nghiệp", "C": "Công nhân sản xuất", "F": "Thợ xây dựng",
    "G": "Nhân viên bán hàng", "I": "Nhân viên nhà hàng, khách sạn", "S": "Thợ sửa chữa",
}  # fmt: skip


def _title(
    channel: NewJobChannel, kind: EmploymentKind, sector: str | None, trained_in: Graduate | None
) -> str:
    if trained_in is not None:
        return trained_in.occupation.name
    if channel == NewJobChannel.ABROAD:
        return "Thực tập sinh kỹ năng"
    if channel == NewJobChannel.PUBLIC_BODY:
        return "Viên chức, người lao động hợp đồng"
    by_kind = TITLES.get(kind, {})
    return by_kind.get(sector or "", SECTOR_TITLES.get(sector or "", "Lao động tự do"))


def _sector(rng: random.Random, channel: NewJobChannel, trained_in: Graduate | None) -> str:
    if trained_in is not None:
        return profile_of(trained_in.occupation).sector
    if channel in (NewJobChannel.OTHER_PROGRAMME, NewJobChannel.LOAN):
        return rng.choices(["A", "G", "C", "S"], weights=[70, 12, 10, 8], k=1)[0]
    if channel == NewJobChannel.OUTSIDE_PROVINCE:
        return rng.choices(["C", "F", "I"], weights=[75, 10, 15], k=1)[0]
    return rng.choices(["G", "I", "F", "C"], weights=[30, 30, 20, 20], k=1)[0]
