"""The guidance form: what the counsellor typed, checked field by field. Every bad input gets
a translated message next to its field and nothing typed is lost."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from models.errors import AppError, InvalidError, ValidationErrors
from models.validation import clean_text, parse_date

MIN_AGE, MAX_AGE = 15, 64
MAX_INTERESTS = 500
MAX_ADVICE = 2000
MAX_NOTE = 500
# Education reached (msgids of their labels).
EDUCATION = {
    "none": "No schooling completed",
    "primary": "Primary school",
    "lower_secondary": "Lower secondary school",
    "upper_secondary": "Upper secondary school",
    "vocational": "Vocational training",
    "higher": "College or university",
}


@dataclass
class GuidanceForm:
    """The form as posted: text, so a page sent back shows exactly what was typed."""

    age: str = ""
    commune: str = ""
    education: str = ""
    move: str = ""
    abroad: str = ""
    interests: str = ""
    consent: str = ""
    advice: str = ""
    follow_up_on: str = ""
    follow_up_note: str = ""
    form_key: str = ""

    @classmethod
    def fresh(cls, commune: str = "") -> GuidanceForm:
        return cls(commune=commune, form_key=secrets.token_urlsafe(24))


@dataclass(frozen=True)
class PersonAnswers:
    """What the person said, checked."""

    age: int
    commune_code: str
    education: str | None
    move: bool
    abroad: bool
    interests: str


@dataclass(frozen=True)
class Record:
    """What the counsellor records besides the answers, checked."""

    consent: bool
    advice: str
    follow_up_on: date | None
    follow_up_note: str
    form_key: str


def person_answers(form: GuidanceForm, communes: set[str]) -> PersonAnswers:
    errors: list[AppError] = []
    age = _age(form.age, errors)
    commune = clean_text(form.commune)
    if not commune:
        errors.append(InvalidError("commune", "Choose the commune where the person lives."))
    elif commune not in communes:
        errors.append(InvalidError("commune", "Choose a commune from the list."))
    education = clean_text(form.education)
    if education and education not in EDUCATION:
        errors.append(InvalidError("education", "Choose the education from the list."))
    interests = clean_text(form.interests)
    if len(interests) > MAX_INTERESTS:
        errors.append(
            InvalidError("interests", "Write at most {count} characters.", count=MAX_INTERESTS)
        )
    if errors:
        raise ValidationErrors(errors)
    return PersonAnswers(
        age or 0, commune, education or None, bool(form.move), bool(form.abroad), interests
    )


def _age(text: str, errors: list[AppError]) -> int | None:
    raw = clean_text(text)
    if not raw:
        errors.append(InvalidError("age", "Enter the age of the person."))
        return None
    if not raw.isdigit() or not MIN_AGE <= int(raw) <= MAX_AGE:
        errors.append(
            InvalidError(
                "age", "The age is a whole number from {low} to {high}.", low=MIN_AGE, high=MAX_AGE
            )
        )
        return None
    return int(raw)


def record_fields(form: GuidanceForm) -> Record:
    errors: list[AppError] = []
    consent = bool(form.consent)
    advice = clean_text(form.advice)
    note = clean_text(form.follow_up_note)
    follow_up = _date(form.follow_up_on, errors)
    if len(advice) > MAX_ADVICE:
        errors.append(InvalidError("advice", "Write at most {count} characters.", count=MAX_ADVICE))
    if len(note) > MAX_NOTE:
        errors.append(
            InvalidError("follow_up_note", "Write at most {count} characters.", count=MAX_NOTE)
        )
    if not consent and (advice or note or follow_up):
        errors.append(
            InvalidError(
                "consent",
                "Without the consent of the person only the commune and the trades advised "
                "are stored: tick the consent, or leave the advice and the follow-up empty.",
            )
        )
    key = clean_text(form.form_key)
    if not key or len(key) > 64:
        errors.append(InvalidError(None, "The form has expired. Please fill it in again."))
    if errors:
        raise ValidationErrors(errors)
    return Record(consent, advice, follow_up, note, key)


def _date(text: str, errors: list[AppError]) -> date | None:
    raw = clean_text(text)
    if not raw:
        return None
    try:
        return parse_date(raw, "follow_up_on")
    except InvalidError as error:
        errors.append(error)
        return None
