"""Accounts, managed by administrators: list, create, disable and enable. Disabling ends the
user's sessions at once. Every change is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import audit
from models.accounts import create_user, hash_password
from models.clock import today
from models.db import end_read, unit_of_work
from models.enums import Role
from models.errors import InvalidError
from models.i18n import SUPPORTED_LANGUAGES
from models.ids import parse_id
from models.passwords import check_new_password
from models.queries import users as user_queries
from models.queries.courses import institution_choices
from models.queries.reference import Option, commune_options
from models.rows import get_or_404
from models.tables import Employer, Institution, UserAccount
from models.validation import ErrorCollector, check_length, clean_text, max_length, require_text
from web.auth import Principal
from web.services.auth import revoke_all_sessions

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")


@dataclass
class UserForm:
    """A new account as typed by the administrator."""

    username: str = ""
    full_name: str = ""
    role: str = ""
    institution_id: str = ""
    employer_id: str = ""
    commune_code: str = ""
    language: str = "vi"
    password: str = ""
    password_repeat: str = ""


@dataclass(frozen=True)
class UserChoices:
    institutions: list[Institution]
    employers: list[user_queries.EmployerChoice]  # at most 50, and the chosen one
    communes: list[Option]  # the province's communes and wards, for commune officers
    employer_text: str = ""  # the words that narrowed the employers
    more_employers: bool = False  # employers left out: type words to find them


def user_list(session: Session, *, principal: Principal) -> list[user_queries.UserRow]:
    return user_queries.list_users(session)


def user_choices(
    session: Session, *, principal: Principal, employer_text: str = "", employer_id: str = ""
) -> UserChoices:
    """What the form's drop-downs offer. The employers are at most 50 (the province holds
    thousands): those `employer_text` finds by words of the name or tax code, and always the
    one `employer_id` names, so a form shown again keeps its choice. Any existing employer
    is still accepted when the form is posted."""
    employers, more = user_queries.employer_choices(
        session, text=employer_text, chosen_id=parse_id(employer_id)
    )
    return UserChoices(
        institution_choices(session),
        employers,
        commune_options(session, on=today()),
        employer_text,
        more,
    )


def account(session: Session, *, principal: Principal, user_id: int) -> UserAccount:
    return get_or_404(session, UserAccount, user_id, "There is no such account.")


def _username(session: Session, value: str) -> str:
    username = require_text(value, "username").lower()
    if not USERNAME.match(username):
        raise InvalidError(
            "username",
            "A username has 3 to 60 characters: lower-case letters without diacritics, digits, "
            "dots, hyphens and underscores.",
        )
    if session.exec(select(UserAccount.id).where(col(UserAccount.username) == username)).first():
        raise InvalidError(
            "username", "The username {username} is already taken.", username=username
        )
    return username


def _full_name(value: str) -> str:
    name = require_text(value, "full_name")
    return check_length(name, max_length(UserAccount, "full_name"), "full_name")


def _role(value: str) -> str:
    if value not in {role.value for role in Role}:
        raise InvalidError("role", "Choose a role.")
    return value


def _organisation(session: Session, model: type, raw: str, field_name: str, msgid: str) -> int:
    chosen = parse_id(clean_text(raw))
    if chosen is None or session.get(model, chosen) is None:
        raise InvalidError(field_name, msgid)
    return chosen


def _commune(session: Session, raw: str) -> str:
    """A commune or ward of the province in force today, by its code."""
    code = clean_text(raw)
    if code not in {option.value for option in commune_options(session, on=today())}:
        raise InvalidError("commune_code", "Choose a commune or ward of the province.")
    return code


def _password(password: str, repeat: str) -> str:
    check_new_password(password)
    if password != repeat:
        raise InvalidError("password_repeat", "The two passwords are not the same.")
    return password


def create_account(session: Session, *, principal: Principal, form: UserForm) -> UserAccount:
    """Add an account bound to the institution, employer or commune its role needs, or raise
    ValidationErrors naming every bad field. The password is hashed with argon2id (call
    from a worker thread: a plain `def` route)."""
    errors = ErrorCollector()
    username = errors.check(_username, session, form.username)
    full_name = errors.check(_full_name, form.full_name)
    role = errors.check(_role, form.role)
    institution_id = employer_id = None
    if role == Role.INSTITUTION:
        institution_id = errors.check(
            _organisation,
            session,
            Institution,
            form.institution_id,
            "institution_id",
            "Institution staff must belong to an institution.",
        )
    if role == Role.EMPLOYER:
        employer_id = errors.check(
            _organisation,
            session,
            Employer,
            form.employer_id,
            "employer_id",
            "Employer staff must belong to an employer.",
        )
    commune_code = (
        errors.check(_commune, session, form.commune_code) if role == Role.COMMUNE else None
    )
    password = errors.check(_password, form.password, form.password_repeat)
    errors.raise_if_any()
    end_read(session)  # hashing is slow: no transaction waits for it
    password_hash = hash_password(password or "")
    with unit_of_work(session):
        user = create_user(
            session,
            username=username or "",
            password=password or "",
            password_hash=password_hash,
            full_name=full_name or "",
            role=role or "",
            institution_id=institution_id,
            employer_id=employer_id,
            commune_code=commune_code,
            language=form.language if form.language in SUPPORTED_LANGUAGES else "vi",
        )
        audit.record(
            session,
            user_id=principal.user.id,
            action="create",
            entity="user_account",
            entity_id=user.id,
            role=user.role,
        )
    return user


def set_active(session: Session, *, principal: Principal, user_id: int, active: bool) -> None:
    """Disable an account (its sessions end at once) or enable it again. An administrator
    cannot disable their own account, so the site always keeps one who can undo it."""
    with unit_of_work(session):
        user = get_or_404(session, UserAccount, user_id, "There is no such account.")
        if not active and user.id == principal.user.id:
            raise InvalidError(None, "You cannot disable your own account.")
        if user.is_active == active:
            return
        user.is_active = active
        session.add(user)
        if not active:
            revoke_all_sessions(session, user_id=user_id)
        audit.record(
            session,
            user_id=principal.user.id,
            action="enable" if active else "disable",
            entity="user_account",
            entity_id=user_id,
        )
