"""The column layouts of the exchange files, defined once: each column's name (the CSV header),
type, whether a row must fill it, what it holds, and what it maps to in the Employment Law
2025's Article 17 registration data set and in Decree 318/2025 (or "unverified" where no
published text says). docs/exchange.md is generated from these lists
(`python -m models.exchange.docs`), and a test fails when the two disagree.

Column names are the keys the platform's Excel checks read, so an exchange row is checked by
the very code that checks a row of the Excel sheet (web/services/imports, register).
Values are the stored codes (sex `nam`/`nu`, ethnic group `01`..`54`, commune code, ISO dates),
which those checks accept beside the Vietnamese words of the sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["text", "code", "date", "integer", "boolean"]

# The Employment Law 2025 (74/2025/QH15), Article 17: the five groups of registration data.
ART17_BASIC = "Art. 17 group 1: basic information"
ART17_EDUCATION = "Art. 17 group 2: education and vocational skills"
ART17_EMPLOYMENT = "Art. 17 group 3: employment status and job needs"
ART17_OTHER = "Art. 17 group 5: other characteristics"
# Decree 318/2025/NĐ-CP: only Art. 4(3)(a) (the job) and 4(3)(b) (the employer) are known
# from its Art. 7 cross-references; the rest of its Art. 4 list was not found.
D318_JOB = "Decree 318/2025 Art. 4(3)(a): the job"
D318_EMPLOYER = "Decree 318/2025 Art. 4(3)(b): the employer"
UNVERIFIED = "unverified"


@dataclass(frozen=True)
class ExchangeColumn:
    """One column of an exchange file."""

    name: str
    type: ColumnType
    required: bool
    description: str
    article17: str = UNVERIFIED
    decree318: str = UNVERIFIED
    personal: bool = False  # left empty in a file exported without personal data


@dataclass(frozen=True)
class Layout:
    """A versioned layout: `graduates/1`. A change of columns is a new version; an importer
    knows every version it reads."""

    kind: str
    version: int
    title: str
    columns: tuple[ExchangeColumn, ...]

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.version}"

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]


C = ExchangeColumn
_PERSON = (
    C("full_name", "text", True, "Full name, NFC.", ART17_BASIC),
    C("birth_date", "date", True, "Date of birth, ISO 8601 (2001-05-04).", ART17_BASIC),
    C("sex", "code", True, "`nam` or `nu`.", ART17_BASIC),
    C("ethnicity", "code", True, "Ethnic group, two-digit code of the 54 groups.", ART17_BASIC),
    C(
        "citizen_id",
        "code",
        True,
        "Personal identification number (12 digits).",
        ART17_BASIC,
        personal=True,
    ),
)

GRADUATES_V1 = Layout(
    kind="graduates",
    version=1,
    title="Graduates of an institution's courses, with their credentials",
    columns=(
        C("course_code", "code", True, "The course's code at its institution.", ART17_EDUCATION),
        C(
            "occupation",
            "code",
            False,
            "The course's occupation, the platform's occupation key; checked against the course.",
            ART17_EDUCATION,
        ),
        C(
            "level_code",
            "code",
            False,
            "The course's training level (`so_cap`, `trung_cap`, ...); checked against the course.",
            ART17_EDUCATION,
        ),
        *_PERSON,
        C("phone", "code", False, "Phone, E.164 (+84...).", personal=True),
        C("commune", "code", True, "Commune or ward of residence, five-digit code.", ART17_BASIC),
        C("village", "text", False, "Village of residence.", ART17_BASIC),
        C("household", "code", False, "`ngheo`, `can_ngheo` or empty.", ART17_OTHER),
        C("disability", "boolean", False, "`true` or `false`.", ART17_OTHER),
        C(
            "consent",
            "boolean",
            False,
            "The person agreed that employers see their profile: `true` or `false`.",
        ),
        C("enrolled_on", "date", False, "Enrolment date, ISO 8601.", ART17_EDUCATION),
        C("support_amount", "integer", False, "Learner support received, VND.", ART17_OTHER),
        C(
            "status",
            "code",
            True,
            "Enrolment status: `tot_nghiep` for a graduate.",
            ART17_EDUCATION,
        ),
        C("result", "code", True, "`dat` (passed).", ART17_EDUCATION),
        C("graduated_on", "date", True, "Graduation date, ISO 8601.", ART17_EDUCATION),
        C(
            "certificate_kind",
            "code",
            False,
            "Credential kind code (empty: the level's credential).",
            ART17_EDUCATION,
        ),
        C("certificate_number", "text", False, "Credential number.", ART17_EDUCATION),
    ),
)

NEW_JOBS_V1 = Layout(
    kind="new-jobs",
    version=1,
    title="Person lines of the new-jobs register for one period",
    columns=(
        *_PERSON[:1],
        _PERSON[4],
        *_PERSON[1:4],
        C("commune", "code", True, "Commune or ward of residence, five-digit code.", ART17_BASIC),
        C("job", "text", True, "The job or trade as reported.", ART17_EMPLOYMENT, D318_JOB),
        C("sector", "code", False, "Economic sector, level-1 code (A-U).", ART17_EMPLOYMENT),
        C(
            "employer",
            "text",
            False,
            "Employer's name as reported; `Tự tạo việc làm` when self-employed.",
            ART17_EMPLOYMENT,
            D318_EMPLOYER,
        ),
        C("channel", "code", True, "Channel code of the province's six.", ART17_EMPLOYMENT),
        C(
            "place",
            "code",
            False,
            "`commune` (in the province), `other_province` or `abroad`.",
            ART17_EMPLOYMENT,
            D318_JOB,
        ),
        C(
            "province",
            "code",
            False,
            "Province code when in another province.",
            ART17_EMPLOYMENT,
            D318_JOB,
        ),
        C(
            "country",
            "code",
            False,
            "Country code (ISO 3166-1) when abroad.",
            ART17_EMPLOYMENT,
            D318_JOB,
        ),
        C("programme", "text", False, "Programme of work abroad.", ART17_EMPLOYMENT),
        C(
            "sending_company",
            "text",
            False,
            "Company that sent the worker abroad.",
            ART17_EMPLOYMENT,
        ),
        C("start_date", "date", True, "Start of the job, ISO 8601.", ART17_EMPLOYMENT, D318_JOB),
        C(
            "contract",
            "code",
            False,
            "`indefinite`, `fixed_term`, `short`, `none` or empty.",
            ART17_EMPLOYMENT,
            D318_JOB,
        ),
        C("wage", "integer", False, "Monthly wage, VND.", ART17_EMPLOYMENT),
    ),
)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (GRADUATES_V1, NEW_JOBS_V1)}
CURRENT: dict[str, Layout] = {"graduates": GRADUATES_V1, "new-jobs": NEW_JOBS_V1}
