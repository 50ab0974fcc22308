"""Slowing down password guessing without handing attackers a way to lock users out.

Every attempt is written before its password is checked, and marked once it has been: a
success when the password was right, a failure otherwise. For its account, an attempt being
checked already counts as a failure, so parallel guesses at one account stay within the free
tries. For its address it does not: people who share one address (a job fair's Wi-Fi, a
commune office's line, a mobile carrier's shared address) sign in at the same moment without
anyone having failed; only past MAX_PENDING_PER_ADDRESS attempts being checked at once is an
address told to wait. Before an attempt is let through, the failures that concern it decide
how long it must wait since the latest of them; a refusal says how many seconds are left and
checks no password (no sleeping in a worker thread).

- From a source that is *usual* for the account (its device cookie or its address signed in
  to that account in the last 30 days), only that source's own failures on that account count:
  an attacker elsewhere can't slow the owner down.
- From any other source, the address's failures (on any account) and the account's failures
  (from anywhere) count, each with delays that double past a few free tries.
- Failures across the whole site are counted too. Past GLOBAL_ALERT_FAILURES in
  GLOBAL_WINDOW an alert is logged, and addresses without any successful sign-in in the last
  30 days lose their free tries; it never refuses a first try, so it locks nobody out.

All state is in the database, so several server processes share it. A row lock per address
and per account on PostgreSQL (an advisory lock), the write lock on SQLite, keeps two
attempts of the same source from being let through together.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, text, update
from sqlmodel import Session, col, func, select

from models.errors import ThrottledError
from models.tables import LoginAttempt

logger = logging.getLogger(__name__)

USUAL_FOR = timedelta(days=30)
FAILURE_WINDOW = timedelta(hours=24)
GLOBAL_WINDOW = timedelta(minutes=15)
GLOBAL_ALERT_FAILURES = 100
PRUNE_EVERY = 100  # attempts; successes always prune
# An attempt is checked within a second or two (argon2 behind a few others); one still
# unchecked after this was cut off (its process stopped) and counts as a failure everywhere.
PENDING_FOR = timedelta(seconds=60)
MAX_PENDING_PER_ADDRESS = 20
PENDING_RETRY_SECONDS = 2


@dataclass(frozen=True)
class Backoff:
    """`free` attempts may fail back to back; after that, the next attempt waits
    `base_seconds` after the latest failure, and each further failure doubles it, up to
    `cap_seconds`."""

    free: int
    base_seconds: float
    cap_seconds: float

    def seconds_after_last(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.base_seconds * 2 ** (failures - self.free), self.cap_seconds)


# Ten free failures per address, against five per account: an address is often shared.
PER_ADDRESS = Backoff(free=10, base_seconds=2, cap_seconds=900)
PER_ACCOUNT = Backoff(free=5, base_seconds=2, cap_seconds=900)
USUAL_SOURCE = Backoff(free=5, base_seconds=1, cap_seconds=300)
UNDER_ATTACK = Backoff(free=1, base_seconds=2, cap_seconds=900)  # a first try still goes


@dataclass(frozen=True)
class Source:
    """Where an attempt comes from: the client address (from a trusted proxy's header, or the
    peer) and the hash of the device cookie it carried, if any."""

    address: str
    device_hash: str | None = None


@dataclass(frozen=True)
class _Failures:
    count: int
    last: datetime | None

    def wait(self, backoff: Backoff, now: datetime) -> float:
        if self.last is None:
            return 0.0
        ready = _aware(self.last) + timedelta(seconds=backoff.seconds_after_last(self.count))
        return max((ready - now).total_seconds(), 0.0)


def device_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def claim_attempt(session: Session, *, username: str, source: Source, now: datetime) -> int:
    """Let the attempt through (recorded as unchecked until `mark_succeeded` or
    `mark_failed`) and return its id, or raise ThrottledError with the seconds left. Call
    inside a unit of work."""
    _lock(session, f"address:{source.address}", f"account:{username}")
    if _pending_at(session, source.address, now) >= MAX_PENDING_PER_ADDRESS:
        raise ThrottledError(
            None,
            "Many people are signing in from this address. Try again in {seconds} seconds.",
            seconds=PENDING_RETRY_SECONDS,
        )
    wait = _seconds_to_wait(session, username, source, now)
    if wait > 0:
        seconds = math.ceil(wait)
        raise ThrottledError(
            None, "Too many failed sign-ins. Try again in {seconds} seconds.", seconds=seconds
        )
    attempt = LoginAttempt(
        username=username,
        address=source.address,
        device_hash=source.device_hash,
        checked=False,
        at=now,
    )
    session.add(attempt)
    session.flush()
    assert attempt.id is not None
    if attempt.id % PRUNE_EVERY == 0:
        prune(session, now)
    return attempt.id


def mark_succeeded(session: Session, attempt_id: int, *, device_hash: str, now: datetime) -> None:
    """The password was right: the attempt makes its address and the new device cookie usual
    for the account."""
    session.execute(
        update(LoginAttempt)
        .where(col(LoginAttempt.id) == attempt_id)
        .values(succeeded=True, checked=True, device_hash=device_hash)
    )
    prune(session, now)


def forget_attempt(session: Session, attempt_id: int) -> None:
    """The password was right but this was no sign-in (a password change): neither a failure
    nor a new usual source."""
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.id) == attempt_id))


def mark_failed(session: Session, attempt_id: int, now: datetime) -> None:
    """After a wrong password: the attempt is a checked failure, for its address too; an
    alert is logged each time the failures across the site reach another multiple of
    GLOBAL_ALERT_FAILURES within GLOBAL_WINDOW. Call inside a unit of work."""
    session.execute(
        update(LoginAttempt).where(col(LoginAttempt.id) == attempt_id).values(checked=True)
    )
    failures = _count(session, now - GLOBAL_WINDOW, _failed(now)).count
    if failures >= GLOBAL_ALERT_FAILURES and failures % GLOBAL_ALERT_FAILURES == 0:
        minutes = int(GLOBAL_WINDOW.total_seconds() // 60)
        logger.warning(
            "sign-in alert: %d failed sign-ins across the site in the last %d minutes; "
            "addresses without a recent successful sign-in are slowed down",
            failures,
            minutes,
        )


def prune(session: Session, now: datetime) -> None:
    """Forget failures past FAILURE_WINDOW and successes past USUAL_FOR."""
    old_failure = ~col(LoginAttempt.succeeded) & (col(LoginAttempt.at) < now - FAILURE_WINDOW)
    old_success = col(LoginAttempt.at) < now - USUAL_FOR
    session.execute(delete(LoginAttempt).where(or_(old_failure, old_success)))


def _seconds_to_wait(session: Session, username: str, source: Source, now: datetime) -> float:
    since = now - FAILURE_WINDOW
    usual = _usual_match(session, username, source, now)
    if usual is not None:
        own = _count(session, since, LoginAttempt.username == username, usual)
        return own.wait(USUAL_SOURCE, now)
    from_address = col(LoginAttempt.address) == source.address
    by_address = _count(session, since, from_address, _failed(now))
    by_account = _count(session, since, LoginAttempt.username == username)
    address_backoff = PER_ADDRESS
    if _under_attack(session, now) and not _address_known(session, source.address, now):
        address_backoff = UNDER_ATTACK
    return max(by_address.wait(address_backoff, now), by_account.wait(PER_ACCOUNT, now))


def _pending_at(session: Session, address: str, now: datetime) -> int:
    """Attempts from `address` whose password is being checked right now."""
    since = now - PENDING_FOR
    return _count(session, since, LoginAttempt.address == address, ~col(LoginAttempt.checked)).count


def _failed(now: datetime) -> ColumnElement[bool]:
    """Checked, or left unchecked for longer than any check takes."""
    return col(LoginAttempt.checked) | (col(LoginAttempt.at) <= now - PENDING_FOR)


def _usual_match(
    session: Session, username: str, source: Source, now: datetime
) -> ColumnElement[bool] | None:
    """The condition that picks this source's attempts on the account when the source is
    usual for it (its device first, then its address), else None. The source's own failures
    count only since its latest success."""
    candidates = []
    if source.device_hash:
        candidates.append(col(LoginAttempt.device_hash) == source.device_hash)
    candidates.append(col(LoginAttempt.address) == source.address)
    for condition in candidates:
        latest = session.exec(
            select(func.max(LoginAttempt.at))
            .where(col(LoginAttempt.username) == username)
            .where(col(LoginAttempt.succeeded))
            .where(col(LoginAttempt.at) > now - USUAL_FOR)
            .where(condition)
        ).one()
        if latest is not None:
            return condition & (col(LoginAttempt.at) >= _aware(latest))
    return None


def _count(session: Session, since: datetime, *conditions: object) -> _Failures:
    count, last = session.exec(
        select(func.count(), func.max(LoginAttempt.at))
        .where(~col(LoginAttempt.succeeded))
        .where(col(LoginAttempt.at) > since)
        .where(*conditions)  # type: ignore[arg-type]
    ).one()
    return _Failures(count=count, last=last)


def _under_attack(session: Session, now: datetime) -> bool:
    return _count(session, now - GLOBAL_WINDOW, _failed(now)).count >= GLOBAL_ALERT_FAILURES


def _address_known(session: Session, address: str, now: datetime) -> bool:
    """A successful sign-in, to any account, from this address in the last USUAL_FOR."""
    found = session.exec(
        select(LoginAttempt.id)
        .where(col(LoginAttempt.address) == address)
        .where(col(LoginAttempt.succeeded))
        .where(col(LoginAttempt.at) > now - USUAL_FOR)
        .limit(1)
    ).first()
    return found is not None


def _lock(session: Session, *keys: str) -> None:
    """Serialise attempts of one address and one account across processes (PostgreSQL; on
    SQLite the unit of work already holds the one write lock). Sorted, so no deadlock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": number})


def _aware(moment: datetime) -> datetime:
    """SQLite gives stored moments back without their zone; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
