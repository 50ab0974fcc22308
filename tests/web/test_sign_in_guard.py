"""The sign-in guard: guessing is slowed per address and per account with growing delays, but
an attacker elsewhere can't lock the owner out of a usual address or device, and the count
across the site raises an alert without locking anyone. State lives in the database."""

from __future__ import annotations

import logging
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models.clock import utcnow
from models.db import unit_of_work
from models.errors import ThrottledError
from models.tables import LoginAttempt
from tests.web.helpers import PASSWORD, csrf_token, make_account
from web.auth import DEVICE_COOKIE, SESSION_COOKIE
from web.services.sign_in_guard import (
    FAILURE_WINDOW,
    GLOBAL_ALERT_FAILURES,
    MAX_PENDING_PER_ADDRESS,
    PENDING_FOR,
    PENDING_RETRY_SECONDS,
    PER_ACCOUNT,
    PER_ADDRESS,
    UNDER_ATTACK,
    USUAL_FOR,
    Source,
    claim_attempt,
    mark_failed,
)

OWNER_HOME = "198.51.100.7"
ATTACKER = "203.0.113.66"


def client_at(app, address: str) -> TestClient:
    """A browser without cookies at `address` (the peer: no proxy is trusted here)."""
    return TestClient(app, client=(address, 50000))


def post_login(client: TestClient, username: str, password: str):
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def refused_for(response) -> int:
    """The seconds a refusal asks to wait (429 with Retry-After), or 0 when it was let in."""
    if response.status_code != 429:
        return 0
    return int(response.headers["retry-after"])


@pytest.mark.today("2026-12-10")
def test_an_attackers_failures_elsewhere_never_stop_the_owner(app, session: Session, time_machine):
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    make_account(session, "admin", "quan.tri")
    laptop = client_at(app, OWNER_HOME)
    assert post_login(laptop, "quan.tri", PASSWORD).status_code == 303
    device = laptop.cookies.get(DEVICE_COOKIE)
    assert device

    # Guessing from one address, then from many (a botnet): the account is now slowed down
    # for every address and browser it does not know, even with the right password.
    attacker = client_at(app, ATTACKER)
    answers = [post_login(attacker, "quan.tri", f"doan-sai-{n}").status_code for n in range(8)]
    assert answers[: PER_ACCOUNT.free] == [400] * PER_ACCOUNT.free
    assert set(answers[PER_ACCOUNT.free :]) == {429}
    botnet = [client_at(app, f"192.0.2.{n + 1}") for n in range(20)]
    assert {post_login(each, "quan.tri", "doan-sai").status_code for each in botnet} == {429}
    stranger = client_at(app, "192.0.2.200")
    assert refused_for(post_login(stranger, "quan.tri", PASSWORD)) > 0

    # The owner: from the usual address, in a browser with no cookie at all ...
    at_home = client_at(app, OWNER_HOME)
    assert post_login(at_home, "quan.tri", PASSWORD).status_code == 303
    assert SESSION_COOKIE in at_home.cookies
    # ... and travelling, from a new address, with the device cookie of the usual browser.
    travelling = client_at(app, "100.64.1.1")
    travelling.cookies.set(DEVICE_COOKIE, device)
    assert post_login(travelling, "quan.tri", PASSWORD).status_code == 303


def test_the_owners_own_typos_are_counted_apart_from_the_attackers(app, session):
    make_account(session, "official", "can.bo")
    assert post_login(client_at(app, OWNER_HOME), "can.bo", PASSWORD).status_code == 303
    for n in range(PER_ADDRESS.free + 3):
        post_login(client_at(app, ATTACKER), "can.bo", f"sai-{n}")
    owner = client_at(app, OWNER_HOME)
    for _ in range(2):  # two typos from home are still free
        assert post_login(owner, "can.bo", "go-nham").status_code == 400
    assert post_login(owner, "can.bo", PASSWORD).status_code == 303


def test_a_device_cookie_is_stored_only_as_its_hash(app, session):
    make_account(session, "official", "can.bo")
    browser = client_at(app, OWNER_HOME)
    post_login(browser, "can.bo", PASSWORD)
    device = browser.cookies.get(DEVICE_COOKIE)
    session.rollback()
    stored = session.exec(select(LoginAttempt).where(col(LoginAttempt.succeeded))).one()
    assert device and stored.device_hash and device not in stored.device_hash
    assert len(stored.device_hash) == 64


@pytest.mark.today("2026-12-10")
def test_the_delay_for_one_address_grows_with_each_failure(app, session, time_machine):
    """40 usernames tried from one address used to take 14 s; now each failure past the free
    ones doubles the wait, and the refusal checks no password."""
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    sprayer = client_at(app, ATTACKER)
    for n in range(PER_ADDRESS.free):
        assert post_login(sprayer, f"nguoi.dung.{n}", "mat-khau-pho-bien").status_code == 400
    waits = []
    for n in range(4):
        wait = refused_for(post_login(sprayer, f"khac.{n}", "mat-khau-pho-bien"))
        waits.append(wait)
        time_machine.shift(timedelta(seconds=wait - 1))
        assert refused_for(post_login(sprayer, f"khac.{n}", "x")) == 1  # not yet
        time_machine.shift(timedelta(seconds=1))
        assert post_login(sprayer, f"khac.{n}", "mat-khau-pho-bien").status_code == 400
    base = PER_ADDRESS.base_seconds
    assert waits == [base, 2 * base, 4 * base, 8 * base]
    session.rollback()
    failures = session.exec(select(LoginAttempt).where(col(LoginAttempt.address) == ATTACKER))
    assert len(failures.all()) == PER_ADDRESS.free + 4  # refusals are not even recorded


@pytest.mark.today("2026-12-10")
def test_failures_age_out_of_the_window(app, session, time_machine):
    make_account(session, "official", "can.bo")
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    stranger = client_at(app, ATTACKER)
    for _ in range(PER_ACCOUNT.free + 1):
        post_login(stranger, "can.bo", "sai")
    assert refused_for(post_login(stranger, "can.bo", PASSWORD)) > 0
    time_machine.shift(FAILURE_WINDOW + timedelta(seconds=1))
    assert post_login(stranger, "can.bo", PASSWORD).status_code == 303


def _fail_many(session: Session, count: int, now: datetime) -> None:
    """Failures from as many different addresses (a distributed attack), just now."""
    for n in range(count):
        address = f"10.{n // 250}.{n % 250}.9"
        session.add(LoginAttempt(username=f"doan.{n}", address=address, at=now))
    session.commit()


@pytest.mark.today("2026-12-10")
def test_many_failures_across_the_site_raise_an_alert_and_slow_only_unknown_addresses(
    app, session, caplog, time_machine
):
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    make_account(session, "official", "can.bo")
    make_account(session, "employer", "tuyen.dung")
    known = client_at(app, OWNER_HOME)
    assert post_login(known, "tuyen.dung", PASSWORD).status_code == 303
    _fail_many(session, GLOBAL_ALERT_FAILURES - 1, utcnow())

    newcomer = client_at(app, "192.0.2.50")
    with caplog.at_level(logging.WARNING, logger="web.services.sign_in_guard"):
        first = post_login(newcomer, "can.bo", "sai")  # a first try is never refused
    assert first.status_code == 400
    alerts = [r for r in caplog.records if "sign-in alert" in r.getMessage()]
    assert len(alerts) == 1 and str(GLOBAL_ALERT_FAILURES) in alerts[0].getMessage()
    # An address without a recent successful sign-in loses its free tries ...
    assert refused_for(post_login(newcomer, "can.bo", PASSWORD)) == UNDER_ATTACK.base_seconds
    # ... one that signed in lately (to any account) keeps them, even on another account.
    for _ in range(2):
        assert post_login(known, "can.bo", "sai").status_code == 400
    assert post_login(known, "can.bo", PASSWORD).status_code == 303


def test_old_attempts_are_pruned(app, session):
    make_account(session, "official", "can.bo")
    now = utcnow()
    session.add(LoginAttempt(username="cu", address="192.0.2.1", at=now - FAILURE_WINDOW * 2))
    session.add(LoginAttempt(username="moi", address="192.0.2.2", at=now - timedelta(hours=1)))
    session.add(
        LoginAttempt(username="can.bo", address="192.0.2.3", succeeded=True, at=now - USUAL_FOR * 2)
    )
    session.commit()
    assert post_login(client_at(app, OWNER_HOME), "can.bo", PASSWORD).status_code == 303
    session.rollback()
    left = {row.username for row in session.exec(select(LoginAttempt))}
    assert left == {"moi", "can.bo"}
    assert session.exec(select(LoginAttempt).where(col(LoginAttempt.username) == "can.bo")).one()


@pytest.mark.today("2026-12-10")
def test_parallel_guesses_are_counted_before_any_password_is_checked(app, session, time_machine):
    """Twelve guesses at one account sent at once from one address: only the account's free
    ones get a password checked; the attempt is recorded before the check, under a lock per
    address and account."""
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    make_account(session, "official", "can.bo")
    browsers = [client_at(app, ATTACKER) for _ in range(12)]
    tokens = [csrf_token(browser, "/login") for browser in browsers]

    def guess(n: int) -> int:
        data = {"username": "can.bo", "password": f"doan-{n}", "csrf_token": tokens[n]}
        return browsers[n].post("/login", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        answers = sorted(pool.map(guess, range(len(browsers))))
    free = PER_ACCOUNT.free
    assert answers == [400] * free + [429] * (len(browsers) - free)


@pytest.mark.today("2026-12-10")
def test_people_sharing_one_address_sign_in_at_the_same_moment(app, session, time_machine):
    """A job fair's Wi-Fi: twelve people sign in to their own accounts at once from one
    address. Nobody has failed, so nobody is told to wait, although every attempt is still
    being checked when the next arrives."""
    time_machine.move_to(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), tick=False)
    names = [make_account(session, "employer", f"tuyen.dung.{n}") for n in range(12)]
    browsers = [client_at(app, ATTACKER) for _ in names]
    tokens = [csrf_token(browser, "/login") for browser in browsers]

    def sign_in(n: int) -> int:
        data = {"username": names[n], "password": PASSWORD, "csrf_token": tokens[n]}
        return browsers[n].post("/login", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
        answers = list(pool.map(sign_in, range(len(browsers))))
    assert answers == [303] * len(browsers)


@pytest.mark.today("2026-12-10")
def test_an_address_with_too_many_attempts_being_checked_is_told_to_wait(session, time_machine):
    """Attempts still being checked do not count as an address's failures, but past
    MAX_PENDING_PER_ADDRESS of them at once (a spray at many accounts in parallel) the next
    waits; once checked as failures they count with the growing delays; one left unchecked
    (its process stopped) counts as a failure after PENDING_FOR."""
    moment = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    source = Source(address=ATTACKER)
    pending = []
    with unit_of_work(session):
        for n in range(MAX_PENDING_PER_ADDRESS):
            pending.append(
                claim_attempt(session, username=f"tai.khoan.{n}", source=source, now=moment)
            )
    with pytest.raises(ThrottledError) as refused, unit_of_work(session):
        claim_attempt(session, username="tai.khoan.cuoi", source=source, now=moment)
    assert refused.value.params["seconds"] == PENDING_RETRY_SECONDS
    assert refused.value.msgid.startswith("Many people are signing in from this address.")
    # Another address is not held back by this one's attempts.
    with unit_of_work(session):
        claim_attempt(session, username="tai.khoan.cuoi", source=Source("192.0.2.9"), now=moment)
    # Checked as failures, they count for the address with the growing delays.
    with unit_of_work(session):
        for attempt_id in pending:
            mark_failed(session, attempt_id, moment)
    later = moment + timedelta(seconds=1)
    with pytest.raises(ThrottledError) as slowed, unit_of_work(session):
        claim_attempt(session, username="tai.khoan.cuoi", source=source, now=later)
    expected = PER_ADDRESS.seconds_after_last(MAX_PENDING_PER_ADDRESS)
    assert slowed.value.params["seconds"] == math.ceil(expected - 1)


@pytest.mark.today("2026-12-10")
def test_an_attempt_left_unchecked_counts_as_a_failure_after_a_while(session):
    moment = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    source = Source(address=ATTACKER)
    with unit_of_work(session):
        for n in range(PER_ADDRESS.free + 5):
            claim_attempt(session, username=f"tai.khoan.{n}", source=source, now=moment)
    # While they may still be checked, they hold nobody else back ...
    with unit_of_work(session):
        claim_attempt(session, username="nguoi.khac", source=source, now=moment)
    # ... but once PENDING_FOR has passed they are failures of the address.
    later = moment + PENDING_FOR + timedelta(seconds=1)
    with pytest.raises(ThrottledError) as refused, unit_of_work(session):
        claim_attempt(session, username="nguoi.thu.ba", source=source, now=later)
    left = PER_ADDRESS.seconds_after_last(PER_ADDRESS.free + 6) - (later - moment).total_seconds()
    assert left > 0
    assert refused.value.params["seconds"] == math.ceil(left)
