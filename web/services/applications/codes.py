"""One-time codes that prove a visitor holds a phone: six digits, sent through the
MessageSender, kept only as a keyed hash, valid CODE_LIFETIME, a few attempts each.

Requests are throttled per phone and per client address with counts read from the
phone_code table itself, so several server processes share them (the style of
web/services/sign_in_guard.py): a row lock per phone and per address on PostgreSQL, the
write lock on SQLite, keeps two requests of one source from both slipping under the limit.
A confirmed code becomes a grant: a random token whose hash is kept, valid GRANT_LIFETIME,
so the applicant's page needs no account."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, text, update
from sqlmodel import Session, col, select

from models.encryption import PERSON_PHONE, keys
from models.errors import InvalidError, ThrottledError
from models.messaging import Channel, Message, Purpose, sender
from models.tables import PhoneCode

CODE_LIFETIME = timedelta(minutes=10)
GRANT_LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5
# Requests per phone and per client address within each window.
PHONE_LIMITS = ((timedelta(minutes=15), 3), (timedelta(hours=24), 10))
ADDRESS_LIMITS = ((timedelta(hours=1), 20),)
KEEP_FOR = timedelta(days=2)
CODE_PURPOSE = "phone_code"

PURPOSE_MESSAGES = {
    Purpose.APPLY_CODE: "Your code to apply for a job: {code}. It is valid for 10 minutes.",
    Purpose.MY_APPLICATIONS_CODE: (
        "Your code to see your job applications: {code}. It is valid for 10 minutes."
    ),
}


@dataclass(frozen=True)
class Grant:
    """A confirmed phone: the token for the browser and the phone it proves."""

    token: str
    phone: str


def phone_hashes(phone: str) -> list[str]:
    """The phone's keyed hash under every hash key, current first."""
    return keys().blind_indexes(phone, PERSON_PHONE)


def address_digest(address: str) -> str:
    return hashlib.sha256(f"client\x00{address}".encode()).hexdigest()


def _code_digest(code: str, phone: str) -> str:
    return keys().blind_index(f"{phone}\x00{code}", CODE_PURPOSE)


def request_code(
    session: Session, *, phone: str, address: str, purpose: Purpose, text_for: str, now: datetime
) -> None:
    """Send a new code to `phone` (E.164) or raise ThrottledError; `text_for` is the message
    in the reader's language with a {code} placeholder. Call inside a unit of work."""
    phone_hash = phone_hashes(phone)[0]
    digest = address_digest(address)
    lock(session, f"phone:{phone_hash}", f"address:{digest}")
    _throttle(session, col(PhoneCode.phone_hash) == phone_hash, PHONE_LIMITS, now)
    _throttle(session, col(PhoneCode.address_hash) == digest, ADDRESS_LIMITS, now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    session.add(
        PhoneCode(
            phone_hash=phone_hash,
            address_hash=digest,
            purpose=purpose.value,
            code_hash=_code_digest(code, phone),
            expires_at=now + CODE_LIFETIME,
            created_at=now,
        )
    )
    message = Message(Channel.SMS, phone, text_for.replace("{code}", code), purpose)
    sender().send(session, message)
    session.execute(delete(PhoneCode).where(col(PhoneCode.created_at) < now - KEEP_FOR))


def _throttle(
    session: Session,
    condition: object,
    limits: tuple[tuple[timedelta, int], ...],
    now: datetime,
) -> None:
    for window, most in limits:
        count, first = session.exec(
            select(func.count(), func.min(PhoneCode.created_at))
            .where(condition)  # type: ignore[arg-type]
            .where(col(PhoneCode.created_at) > now - window)
        ).one()
        if count >= most and first is not None:
            wait = (_aware(first) + window - now).total_seconds()
            minutes = max(1, math.ceil(wait / 60))
            raise ThrottledError(
                None,
                "Too many codes were asked for. Try again in {minutes} minutes.",
                minutes=minutes,
            )


def confirm_code(
    session: Session, *, phone: str, code: str, purpose: Purpose, now: datetime
) -> Grant | InvalidError:
    """Use the latest live code of this phone and purpose; the error to show when it is
    not right. A wrong code counts an attempt (so the caller commits, then raises the
    error); past MAX_ATTEMPTS the code is dead. Call inside a unit of work."""
    typed = "".join(code.split())
    live = session.exec(
        select(PhoneCode)
        .where(col(PhoneCode.phone_hash).in_(phone_hashes(phone)))
        .where(col(PhoneCode.purpose) == purpose.value)
        .where(col(PhoneCode.used_at).is_(None))
        .where(col(PhoneCode.expires_at) > now)
        .order_by(col(PhoneCode.created_at).desc(), col(PhoneCode.id).desc())
        .limit(1)
        .with_for_update()
    ).first()
    if live is None or live.attempts >= MAX_ATTEMPTS:
        return InvalidError("code", "This code has expired. Ask for a new one.")
    if not (len(typed) == 6 and typed.isdigit()) or not hmac.compare_digest(
        live.code_hash, _code_digest(typed, phone)
    ):
        session.execute(
            update(PhoneCode)
            .where(col(PhoneCode.id) == live.id)
            .values(attempts=col(PhoneCode.attempts) + 1)
        )
        return InvalidError("code", "The code is not right. Check the message and try again.")
    token = secrets.token_urlsafe(24)
    live.used_at = now
    live.code_hash = _token_digest(token)  # the code is spent; the row now holds the grant
    live.expires_at = now + GRANT_LIFETIME
    session.add(live)
    session.flush()
    return Grant(token=token, phone=phone)


def _token_digest(token: str) -> str:
    return "t:" + hashlib.sha256(token.encode()).hexdigest()


def granted_phone_hash(session: Session, token: str, now: datetime) -> str | None:
    """The phone hash a live grant proves, or None."""
    if not token:
        return None
    row = session.exec(
        select(PhoneCode)
        .where(col(PhoneCode.code_hash) == _token_digest(token))
        .where(col(PhoneCode.used_at).is_not(None))
        .where(col(PhoneCode.expires_at) > now)
    ).first()
    return row.phone_hash if row else None


def end_grant(session: Session, token: str, now: datetime) -> None:
    session.execute(
        update(PhoneCode)
        .where(col(PhoneCode.code_hash) == _token_digest(token))
        .values(expires_at=now)
    )


def lock(session: Session, *keys_: str) -> None:
    """Serialise requests of one phone and one address across processes (PostgreSQL; on
    SQLite the unit of work already holds the one write lock). Sorted, so no deadlock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys_):
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
