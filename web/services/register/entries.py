"""One line of the new-jobs register read and checked, whether it came from the form or from a
row of the Excel sheet: the person as they would be stored, and the job as its spell.

Every column is checked on its own and every failure kept (the form shows them all, the import
gives an error per row); the checks against the other rows and the database are in
``register.write``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from matching.text import search_key
from models.clock import today as clock_today
from models.clock import utcnow
from models.enums import EmploymentKind, LocationKind, NewJobChannel
from models.errors import InvalidError
from models.excel import CellValue
from models.excel.new_jobs import (
    EMPLOYER,
    JOB,
    PROGRAMME,
    SENDING_COMPANY,
    is_self_employed,
    parse_channel,
    parse_contract,
    parse_place,
)
from models.excel.values import is_blank, parse_sex
from models.people import name_fields
from models.queries.admin_units import PROVINCE_CODE, CommuneIndex, commune_index
from models.queries.course_rosters import EthnicGroups, ethnic_groups, zones_on
from models.register_rows import ReportedJob
from models.tables import Country, EconomicSector, Employer
from models.validation import (
    CitizenIdCheck,
    ErrorCollector,
    FieldWarning,
    check_citizen_id,
    clean_text,
    parse_date,
    validate_birth_date,
    validate_full_name,
    validate_wage,
)
from web.services.imports import trainee_fields
from web.services.imports.rows import cell_text, citizen_id_text

MIN_AGE, MAX_AGE = 15, 75  # working age as the labour statistics count it, with a margin


@dataclass
class RegisterReference:
    """The lists a line is checked against, read once per form or file."""

    communes: CommuneIndex
    groups: EthnicGroups
    zones: dict[str, str]
    sectors: dict[str, str]  # search key of a code or a name -> code
    countries: dict[str, str]  # search key of a code or a name -> code
    employers: dict[str, int]  # search key of a name or a tax code -> employer id
    today: date


def load_register_reference(session: Session) -> RegisterReference:
    today = clock_today()
    sectors: dict[str, str] = {}
    for code, name in session.exec(select(EconomicSector.code, EconomicSector.name)).all():
        sectors[search_key(code)] = sectors[search_key(name)] = code
    countries: dict[str, str] = {}
    for code, name in session.exec(select(Country.code, Country.name)).all():
        countries[search_key(code)] = countries[search_key(name)] = code
    employers: dict[str, int] = {}
    rows = session.exec(
        select(Employer.id, Employer.name_key, Employer.tax_code).where(
            col(Employer.is_active).is_(True)
        )
    ).all()
    for employer_id, name_key, tax_code in rows:
        employers[name_key] = int(employer_id or 0)
        if tax_code:
            employers[search_key(tax_code)] = int(employer_id or 0)
    return RegisterReference(
        communes=commune_index(session),
        groups=ethnic_groups(session),
        zones=zones_on(session, today),
        sectors=sectors,
        countries=countries,
        employers=employers,
        today=today,
    )


Job = ReportedJob  # the new job of a line, as its employment spell will hold it


@dataclass
class Entry:
    """A valid line: the person as they would be stored (when new) and their new job."""

    row: int | None
    full_name: str
    citizen_id: str
    person: dict[str, Any]
    job: Job
    warnings: list[FieldWarning] = field(default_factory=list)
    person_id: int | None = None  # the person already registered under this ID


def _optional(value: CellValue) -> str:
    return "" if is_blank(value) else cell_text(value)


def _sector(value: CellValue, ref: RegisterReference) -> str | None:
    text = _optional(value)
    if not text:
        return None
    code = ref.sectors.get(search_key(text))
    if code is None:
        raise InvalidError(
            "sector",
            "Unknown economic sector “{value}”: write a section letter A–U or its name.",
            value=text,
        )
    return code


def _country(value: CellValue, ref: RegisterReference) -> str:
    text = _optional(value)
    if not text:
        raise InvalidError("country", "Work abroad needs the country.")
    code = ref.countries.get(search_key(text))
    if code is None:
        raise InvalidError(
            "country",
            "Unknown country “{value}”: write its name or its two-letter code.",
            value=text,
        )
    return code


def _province(value: CellValue) -> str:
    text = _optional(value)
    if not (len(text) == 2 and text.isascii() and text.isdigit()):
        raise InvalidError(
            "province",
            "Work in another province needs the two-digit province code (for example 01 for "
            "Hà Nội), not “{value}”.",
            value=text,
        )
    if text == PROVINCE_CODE:
        raise InvalidError(
            "province", "11 is Điện Biên itself: choose “Trong tỉnh” as the place of work."
        )
    return text


def _start_date(value: CellValue, period: tuple[date, date], today: date) -> date:
    if is_blank(value):
        raise InvalidError("start_date", "This field is required.")
    started = parse_date(value, "start_date")
    if started > today:
        raise InvalidError(
            "start_date",
            "The job starts on {date}, after today: report it once it has started.",
            date=started,
        )
    start, end = period
    if not start <= started <= end:
        raise InvalidError(
            "start_date",
            "The job starts on {date}, outside the period of the report ({start} – {end}).",
            date=started,
            start=start,
            end=end,
        )
    return started


def _place(
    values: Mapping[str, CellValue],
    channel: str | None,
    ref: RegisterReference,
    errors: ErrorCollector,
) -> tuple[str | None, str | None, str | None]:
    """The kind of place, the other province's code and the country, checked together with
    the channel (contract work abroad is the channel of jobs abroad, and only of them)."""
    kind = errors.check(parse_place, values["place"])
    if kind is None and channel == NewJobChannel.ABROAD.value:
        kind = LocationKind.ABROAD.value
    province = country = None
    if kind == LocationKind.OTHER_PROVINCE.value:
        province = errors.check(_province, values["province"])
    if kind == LocationKind.ABROAD.value:
        country = errors.check(_country, values["country"], ref)
    abroad_channel = channel == NewJobChannel.ABROAD.value
    if (
        channel is not None
        and kind is not None
        and abroad_channel != (kind == LocationKind.ABROAD.value)
    ):
        errors.add(
            InvalidError(
                "place",
                "Contract work abroad is the channel of jobs abroad, and only of them: check the "
                "channel and the place of work.",
            )
        )
    return kind, province, country


def parse_entry(
    values: Mapping[str, CellValue],
    ref: RegisterReference,
    *,
    period: tuple[date, date],
    employer_id: int | None,
    row: int | None = None,
) -> tuple[Entry | None, ErrorCollector]:
    """A line checked column by column; ``employer_id`` is the reporting employer (its lines
    are its own hires) or None."""
    errors = ErrorCollector()
    name = errors.check(validate_full_name, values["full_name"], "full_name")
    birth = errors.check(
        validate_birth_date,
        values["birth_date"],
        today=ref.today,
        min_age=MIN_AGE,
        max_age=MAX_AGE,
        field="birth_date",
    )
    sex = errors.check(parse_sex, values["sex"], "sex")
    identity: CitizenIdCheck | None = errors.check(
        check_citizen_id,
        citizen_id_text(values["citizen_id"]),
        birth_date=birth,
        sex=sex,
        field="citizen_id",
        today=ref.today,
    )
    ethnicity = errors.check(trainee_fields.ethnicity_code, values["ethnicity"], ref.groups)
    commune = errors.check(trainee_fields.commune_code, values["commune"], ref.communes)
    title = errors.check(_required_text, values["job"], JOB.key, JOB.check_length)
    sector = errors.check(_sector, values["sector"], ref)
    channel = errors.check(parse_channel, values["channel"])
    kind, province, country = _place(values, channel, ref, errors)
    started = errors.check(_start_date, values["start_date"], period, ref.today)
    contract = errors.check(parse_contract, values["contract"])
    wage = errors.check(validate_wage, _optional(values["wage"]) or None, "wage")
    employer_text = errors.check(lambda v: EMPLOYER.check_length(_optional(v)), values["employer"])
    programme = errors.check(lambda v: PROGRAMME.check_length(_optional(v)), values["programme"])
    sending = errors.check(
        lambda v: SENDING_COMPANY.check_length(_optional(v)), values["sending_company"]
    )
    if errors.errors:
        return None, errors
    assert name and birth and sex and identity and ethnicity and commune and title and channel
    assert kind and started
    self_employed = is_self_employed(employer_text)
    job = Job(
        title=title,
        channel=channel,
        kind=_kind(kind, self_employed),
        location_kind=kind,
        start_date=started,
        province_code=province,
        country_code=country,
        programme=programme or None,
        sending_company=sending or "",
        sector_code=sector,
        employer_id=employer_id or _known_employer(employer_text or "", ref),
        employer_name="" if self_employed else employer_text or "",
        self_employed=self_employed,
        contract_type=contract,
        wage=wage,
    )
    entry = Entry(
        row, name, identity.value, _person(name, birth, sex, identity, ethnicity, commune, ref), job
    )
    entry.warnings = list(identity.warnings)
    return entry, errors


def _required_text(value: CellValue, key: str, check: Any) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidError(key, "This field is required.")
    return str(check(text))


def _kind(place: str, self_employed: bool) -> str:
    if place == LocationKind.ABROAD.value:
        return EmploymentKind.ABROAD.value
    return EmploymentKind.SELF_EMPLOYED.value if self_employed else EmploymentKind.WAGE.value


def _known_employer(text: str, ref: RegisterReference) -> int | None:
    return ref.employers.get(search_key(text)) if text else None


def _person(
    name: str,
    birth: date,
    sex: str,
    identity: CitizenIdCheck,
    ethnicity: str,
    commune: str,
    ref: RegisterReference,
) -> dict[str, Any]:
    now = utcnow()
    return {
        **name_fields(name),
        "birth_date": birth,
        "sex": sex,
        "ethnicity_code": ethnicity,
        "commune_code": commune,
        "village": "",
        "phone": None,
        "citizen_id": identity.value,
        "household_status": None,
        "has_disability": False,
        "consent_to_employers": False,
        "consent_at": None,
        "is_ethnic_minority": ref.groups.minority.get(ethnicity, True),
        "in_zone_iii": ref.zones.get(commune) == "III",
        "created_at": now,
        "updated_at": now,
    }
