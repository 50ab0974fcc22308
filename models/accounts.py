"""Password hashing and account creation (used by the web services, the CLI and the seed)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from models.enums import Role
from models.errors import ConflictError, InvalidError
from models.passwords import check_new_password
from models.tables import UserAccount

_hasher = PasswordHasher()  # argon2id with the library's current defaults


def hash_password(password: str) -> str:
    """argon2id hash (about 36 ms): call it from a worker thread, not the event loop."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    institution_id: int | None = None,
    employer_id: int | None = None,
    commune_code: str | None = None,
    language: str = "vi",
    password_hash: str | None = None,
) -> UserAccount:
    """Add an account (no commit). Refuses a taken username, a password that breaks the rule
    of models/passwords (too short, or a common one), or a staff role without the
    institution, employer or commune it belongs to. ``password_hash`` is the password already
    hashed, by a caller that hashes before its unit of work (argon2 is slow)."""
    username = username.strip().lower()
    check_new_password(password)
    if role == "institution" and institution_id is None:
        raise InvalidError("institution_id", "Institution staff must belong to an institution.")
    if role == "employer" and employer_id is None:
        raise InvalidError("employer_id", "Employer staff must belong to an employer.")
    if role == "commune" and not commune_code:
        raise InvalidError("commune_code", "A commune officer must belong to a commune.")
    if role not in set(Role):
        raise InvalidError("role", "Unknown role: {role}.", role=role)
    if session.exec(select(UserAccount).where(UserAccount.username == username)).first():
        raise ConflictError(
            "username", "The username {username} is already taken.", username=username
        )
    user = UserAccount(
        username=username,
        full_name=full_name,
        role=role,
        institution_id=institution_id,
        employer_id=employer_id if role == "employer" else None,
        commune_code=commune_code if role == "commune" else None,
        language=language,
        password_hash=password_hash or hash_password(password),
    )
    if role != "institution":
        user.institution_id = None
    session.add(user)
    session.flush()
    return user
