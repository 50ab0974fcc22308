"""Training institutions and employers as an administrator adds and corrects them: every
field checked at once, names (and institution codes, employer tax codes) unique with a
message, each save audited with the fields changed."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.text import search_key
from models import audit
from models.clock import today
from models.db import unit_of_work
from models.enums import InstitutionKind
from models.errors import ConflictError, InvalidError
from models.queries.employers import EmployerPage, list_employers
from models.queries.reference import commune_options
from models.rows import get_or_404
from models.tables import EconomicSector, Employer, Institution
from models.validation import (
    ErrorCollector,
    check_length,
    clean_text,
    normalise_phone,
    require_text,
    validate_tax_code,
)
from web.auth import Principal

NO_INSTITUTION = "There is no such institution."
NO_EMPLOYER = "There is no such employer."


@dataclass
class InstitutionForm:
    code: str = ""
    name: str = ""
    kind: str = ""
    managing_agency: str = ""
    commune_code: str = ""
    address: str = ""
    phone: str = ""
    is_active: bool = True

    @classmethod
    def of(cls, row: Institution) -> InstitutionForm:
        values: dict[str, Any] = {f.name: getattr(row, f.name) or "" for f in fields(cls)}
        return cls(**values | {"is_active": row.is_active})


@dataclass
class EmployerForm:
    name: str = ""
    tax_code: str = ""
    sector_code: str = ""
    commune_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    is_labour_export_company: bool = False
    is_active: bool = True

    @classmethod
    def of(cls, row: Employer) -> EmployerForm:
        values: dict[str, Any] = {f.name: getattr(row, f.name) or "" for f in fields(cls)}
        return cls(
            **values
            | {"is_active": row.is_active, "is_labour_export_company": row.is_labour_export_company}
        )


def _text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    text = require_text(value, field) if required else clean_text(value)
    return check_length(text, limit, field)


def _commune(session: Session, code: str, *, required: bool) -> str | None:
    if not code and not required:
        return None
    if code not in {option.value for option in commune_options(session, on=today())}:
        raise InvalidError("commune_code", "Choose a commune of the province.")
    return code


def _phone(value: str) -> str | None:
    return normalise_phone(value) if value.strip() else None


def _kind(value: str) -> str:
    if value not in {kind.value for kind in InstitutionKind}:
        raise InvalidError("kind", "Choose the kind of institution.")
    return value


def _code(value: str) -> str:
    code = check_length(require_text(value, "code").upper(), 20, "code")
    if not code.replace("-", "").replace("_", "").isalnum():
        raise InvalidError("code", "A code has only letters, digits, - and _.")
    return code


def _sector(session: Session, code: str) -> str:
    if not code or session.get(EconomicSector, code) is None:
        raise InvalidError("sector_code", "Choose an economic sector from the list.")
    return code


def _email(value: str) -> str | None:
    text = check_length(clean_text(value), 120, "email")
    if text and ("@" not in text or " " in text or text.startswith("@") or text.endswith("@")):
        raise InvalidError("email", "This is not an email address.")
    return text or None


def _unique_institution(session: Session, values: dict[str, Any], own_id: int | None) -> None:
    others = select(Institution).where(col(Institution.id) != (own_id or 0))
    errors = ErrorCollector()
    if session.exec(others.where(col(Institution.code) == values["code"])).first():
        errors.errors.append(InvalidError("code", "Another institution has this code."))
    if session.exec(others.where(col(Institution.name_key) == values["name_key"])).first():
        errors.errors.append(InvalidError("name", "Another institution has this name."))
    errors.raise_if_any()


def _institution_values(session: Session, form: InstitutionForm) -> dict[str, Any]:
    errors = ErrorCollector()
    values = {
        "code": errors.check(_code, form.code),
        "name": errors.check(_text, form.name, 200, "name", required=True),
        "kind": errors.check(_kind, form.kind),
        "managing_agency": errors.check(_text, form.managing_agency, 200, "managing_agency"),
        "commune_code": errors.check(_commune, session, form.commune_code, required=True),
        "address": errors.check(_text, form.address, 300, "address"),
        "phone": errors.check(_phone, form.phone),
        "is_active": form.is_active,
    }
    errors.raise_if_any()
    return values | {"name_key": search_key(str(values["name"] or ""))}


def _employer_values(session: Session, form: EmployerForm) -> dict[str, Any]:
    errors = ErrorCollector()
    values = {
        "name": errors.check(_text, form.name, 200, "name", required=True),
        "tax_code": errors.check(validate_tax_code, form.tax_code)
        if form.tax_code.strip()
        else None,
        "sector_code": errors.check(_sector, session, form.sector_code),
        "commune_code": errors.check(_commune, session, form.commune_code, required=False),
        "address": errors.check(_text, form.address, 300, "address"),
        "phone": errors.check(_phone, form.phone),
        "email": errors.check(_email, form.email),
        "is_labour_export_company": form.is_labour_export_company,
        "is_active": form.is_active,
    }
    errors.raise_if_any()
    return values | {"name_key": search_key(str(values["name"] or ""))}


def _unique_employer(session: Session, values: dict[str, Any], own_id: int | None) -> None:
    others = select(Employer).where(col(Employer.id) != (own_id or 0))
    errors = ErrorCollector()
    if (
        values["tax_code"]
        and session.exec(others.where(col(Employer.tax_code) == values["tax_code"])).first()
    ):
        errors.errors.append(InvalidError("tax_code", "Another employer has this tax code."))
    if session.exec(others.where(col(Employer.name_key) == values["name_key"])).first():
        errors.errors.append(InvalidError("name", "Another employer has this name."))
    errors.raise_if_any()


def _save(
    session: Session, principal: Principal, row: Institution | Employer, values: dict[str, Any]
) -> list[str]:
    new = row.id is None
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as error:  # a double submit that raced the checks
        raise ConflictError(None, "This record was saved a moment ago.") from error
    audit.record(
        session,
        user_id=principal.user.id,
        action="create" if new else "update",
        entity=str(row.__tablename__),
        entity_id=row.id,
        fields=[name for name in changed if name != "name_key"],
    )
    return changed


def save_institution(
    session: Session, *, principal: Principal, form: InstitutionForm, institution_id: int | None
) -> Institution:
    """Add an institution (no id) or correct one."""
    with unit_of_work(session):
        values = _institution_values(session, form)
        row = (
            get_or_404(session, Institution, institution_id, NO_INSTITUTION)
            if institution_id
            else Institution(**values)
        )
        _unique_institution(session, values, institution_id)
        _save(session, principal, row, values)
        return row


def save_employer(
    session: Session, *, principal: Principal, form: EmployerForm, employer_id: int | None
) -> Employer:
    """Add an employer (no id) or correct one."""
    with unit_of_work(session):
        values = _employer_values(session, form)
        row = (
            get_or_404(session, Employer, employer_id, NO_EMPLOYER)
            if employer_id
            else Employer(**values)
        )
        _unique_employer(session, values, employer_id)
        _save(session, principal, row, values)
        return row


def institutions(session: Session) -> list[Institution]:
    return list(session.exec(select(Institution).order_by(col(Institution.name_key))).all())


def employers(session: Session, *, text: str = "", page: int = 1) -> EmployerPage:
    """One page of 50 employers by name (active or not), narrowed to those whose name has
    the words of `text` or whose tax code starts with it, with a count that stops at
    10,000: the page costs the same however many employers the province holds."""
    return list_employers(session, text=text, page=page)


def institution(session: Session, institution_id: int) -> Institution:
    return get_or_404(session, Institution, institution_id, NO_INSTITUTION)


def employer(session: Session, employer_id: int) -> Employer:
    return get_or_404(session, Employer, employer_id, NO_EMPLOYER)


def sectors(session: Session) -> list[EconomicSector]:
    return list(session.exec(select(EconomicSector).order_by(col(EconomicSector.code))).all())
