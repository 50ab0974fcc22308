"""The web server under load, on loopback only, bounded in requests and time.

    .venv/bin/python bench/bench_load.py                    # SQLite, demo data built once
    .venv/bin/python bench/bench_load.py --url postgresql://postgres@127.0.0.1:5432/bench_load
    .venv/bin/python bench/bench_load.py --checkout /tmp/old --seconds 20   # an older checkout

The demo database (`--url`, built once with `dbjobs upgrade`, `load-reference`,
`generate-demo` and `compute-suggestions` when it holds no data) is copied for each run, so
every run starts from the same rows. The script adds one staff account for the employer of each
of a few open vacancies, starts `dbjobs serve` of the chosen checkout on 127.0.0.1, and runs:

(b) anonymous `GET /board` against `GET /healthz`, CONNECTIONS connections each, in
    alternating rounds so that a change of load on the shared machine hits both alike;
(a) USERS signed-in users at once (employers, institution staff, officials) for SECONDS: each
    signs in, then reads pages, searches and hires on the few vacancies, waiting THINK seconds
    (0.5x to 1.5x) between clicks, as a person reading the page would.

It prints count, answers by status, p50/p95/p99 and requests/s, then checks that no answer was
a server error (5xx or no answer within the client's time-out) and that no vacancy holds more
hires than places. The exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from harness import REPO_ROOT

# (username, password, role, vacancy id) of one simulated user
Account = tuple[str, str, str, int]

DEFAULT_SQLITE = REPO_ROOT / "var" / "bench" / "load.sqlite3"
DEMO_PASSWORD = "DienBien-2026"
LOAD_PASSWORD = "load-bench-employer-2026"
CLIENT_TIMEOUT = 30.0
KEEP_ALIVE_SECONDS = 4.0  # below uvicorn's timeout_keep_alive (5 s)
HIRE_VACANCIES = 3
SEARCH_WORDS = ("cong nhan", "may", "han", "lai xe", "ban hang", "dien", "nau an", "xay dung")
NO_ANSWER: Counter[str] = Counter()  # requests without an answer, by page and error
NAME_WORDS = ("lo", "lu", "quang", "thi", "van", "hoang", "vang", "giang")


# ---- measurements -------------------------------------------------------------------------


@dataclass
class Sample:
    label: str
    status: int  # 0: no answer (time-out or connection error)
    seconds: float


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0
    server_cpu: float = 0.0  # CPU seconds while the tally ran
    client_cpu: float = 0.0

    def add(self, label: str, status: int, seconds: float) -> None:
        self.samples.append(Sample(label, status, seconds))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def summary_row(name: str, samples: list[Sample], seconds: float) -> str:
    times = [s.seconds * 1000 for s in samples]
    statuses = Counter(s.status for s in samples)
    shown = " ".join(f"{code or 'none'}:{n}" for code, n in sorted(statuses.items()))
    rate = len(samples) / seconds if seconds else 0.0
    return (
        f"{name:34}{len(samples):>8}{rate:>9.1f}{percentile(times, 0.5):>9.0f}"
        f"{percentile(times, 0.95):>9.0f}{percentile(times, 0.99):>9.0f}   {shown}"
    )


HEADER = (
    f"{'requests':34}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}   status:count"
)


def server_errors(samples: list[Sample]) -> int:
    return sum(1 for s in samples if s.status >= 500 or s.status == 0)


async def timed_request(
    client: httpx.AsyncClient, tally: Tally, label: str, method: str, url: str, **kw: object
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)  # type: ignore[arg-type]
    except httpx.HTTPError as error:  # no answer: kept by kind, printed with the figures
        tally.add(label, 0, time.perf_counter() - started)
        NO_ANSWER[f"{label}: {type(error).__name__}"] += 1
        return None
    tally.add(label, response.status_code, time.perf_counter() - started)
    return response


# ---- the database -------------------------------------------------------------------------


def python_of(checkout: Path) -> list[str]:
    return [sys.executable, "-m", "cli"]


BENCH_KEYS = REPO_ROOT / "var" / "bench" / "personal-data-keys.json"


def bench_keys() -> Path:
    """A throwaway key file for the bench's databases (PostgreSQL has no embedded default
    key), made once with `dbjobs new-keys`."""
    if not BENCH_KEYS.exists():
        BENCH_KEYS.parent.mkdir(parents=True, exist_ok=True)
        command = [*python_of(REPO_ROOT), "new-keys", "--output", str(BENCH_KEYS)]
        subprocess.run(command, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
    return BENCH_KEYS


def cli_env(checkout: Path, url: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(checkout), DATABASE_URL=url, DBJOBS_LANG="en")
    env.pop("ECHO_SQL", None)
    # As behind the reverse proxy of docs/deploy.md: each simulated user comes from its own
    # address (X-Forwarded-For), as clerks in different offices do; the sign-in guard counts
    # attempts per address.
    env["TRUSTED_PROXIES"] = "127.0.0.1"
    if not url.startswith("sqlite") and not env.get("PERSONAL_DATA_KEYS"):
        env.setdefault("PERSONAL_DATA_KEY_FILE", str(bench_keys()))
    return env


def run_cli(checkout: Path, url: str, *args: str) -> None:
    subprocess.run(
        [*python_of(checkout), *args],
        cwd=checkout,
        env=cli_env(checkout, url),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def holds_demo(url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text

    from models.db import normalise_url

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            if "vacancy" not in inspect(conn).get_table_names():
                return False
            return bool(conn.execute(text("SELECT count(*) FROM vacancy")).scalar_one())
    except Exception:
        return False
    finally:
        engine.dispose()


def build_demo(url: str) -> None:
    """Demo data with this checkout's code (the schema every compared checkout shares)."""
    print(f"building the demo database {url} (once; about a minute or two)")
    ensure_postgres_database(url)
    for step in (("upgrade",), ("load-reference",), ("generate-demo",), ("compute-suggestions",)):
        run_cli(REPO_ROOT, url, *step)


def ensure_postgres_database(url: str) -> None:
    if url.startswith("sqlite"):
        return
    with postgres_admin(url) as (conn, name):
        exists = conn.execute(_sql("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is None:
            conn.execute(_sql(f'CREATE DATABASE "{name}"'))


def _sql(text_: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return text(text_)


@contextmanager
def postgres_admin(url: str) -> Iterator[tuple[object, str]]:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from models.db import normalise_url

    parsed = make_url(normalise_url(url))
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn, str(parsed.database)
    finally:
        admin.dispose()


def copy_for_run(url: str, *, target: Path | None = None, suffix: str = "_run") -> str:
    """A fresh copy of the demo database for this run; returns its address. SQLite: an online
    backup, read-only on the source, into `target` (default: beside the source);
    PostgreSQL: a database made from it as a template, named with `suffix`, which needs no
    one else connected."""
    if url.startswith("sqlite"):
        source = Path(url.split("///", 1)[1])
        target = target or source.with_name(source.stem + "-run.sqlite3")
        target.parent.mkdir(parents=True, exist_ok=True)
        for ending in ("", "-wal", "-shm"):
            Path(str(target) + ending).unlink(missing_ok=True)
        with (
            sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
            sqlite3.connect(target) as dst,
        ):
            src.backup(dst)
        return f"sqlite:///{target}"
    with postgres_admin(url) as (conn, name):
        run_name = f"{name}{suffix}"
        conn.execute(_sql(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)'))  # type: ignore[attr-defined]
        conn.execute(_sql(f'CREATE DATABASE "{run_name}" TEMPLATE "{name}"'))  # type: ignore[attr-defined]
    run_url = url.rsplit("/", 1)[0] + f"/{run_name}"
    # The planner statistics a database in service has (a copy built by an older checkout
    # may have been measured before autovacuum had read it).
    from sqlalchemy import create_engine

    from models.db import normalise_url, refresh_planner_statistics

    engine = create_engine(normalise_url(run_url))
    refresh_planner_statistics(engine)
    engine.dispose()
    return run_url


def prepare_hiring(url: str, count: int) -> list[tuple[int, str]]:
    """A staff account for the employer of each of `count` open vacancies with a few places
    left (the fewest first, so that hires race for the last places). Returns (vacancy id,
    username) pairs."""
    from sqlmodel import Session, col, select

    from models.accounts import create_user
    from models.clock import today
    from models.db import make_engine, unit_of_work
    from models.enums import VacancyStatus
    from models.tables import Vacancy

    engine = make_engine(url)
    chosen: list[tuple[int, str]] = []
    with Session(engine) as session:
        vacancies = session.exec(
            select(Vacancy)
            .where(col(Vacancy.status) == VacancyStatus.OPEN.value)
            .where(col(Vacancy.deadline) >= today())
            .where(col(Vacancy.quantity) - col(Vacancy.filled) >= 3)
            .order_by(col(Vacancy.quantity) - col(Vacancy.filled), col(Vacancy.id))
        ).all()
        employers: set[int] = set()
        for vacancy in vacancies:
            if vacancy.employer_id in employers or len(chosen) == count:
                continue
            employers.add(vacancy.employer_id)
            username = f"load.employer{vacancy.employer_id}"
            with unit_of_work(session):
                create_user(
                    session,
                    username=username,
                    password=LOAD_PASSWORD,
                    full_name=f"Load test {vacancy.employer_id}",
                    role="employer",
                    employer_id=vacancy.employer_id,
                )
            chosen.append((int(vacancy.id or 0), username))
    engine.dispose()
    return chosen


def prepare_users(url: str, hiring: list[tuple[int, str]], users: int) -> list[Account]:
    """One account per simulated user, as in a province where each clerk signs in as
    themself: half employer staff of the hiring employers, a quarter staff of the demo
    institution, a quarter officials. (Accounts shared by dozens of parallel sign-ins would be
    slowed down by the sign-in guard, which counts an attempt as failed until it succeeds.)
    The password is hashed once, for speed."""
    from sqlmodel import Session, col, select

    from models.accounts import create_user, hash_password
    from models.db import make_engine, unit_of_work
    from models.tables import UserAccount

    engine = make_engine(url)
    hashed = hash_password(LOAD_PASSWORD)
    accounts: list[Account] = []
    with Session(engine) as session:
        college = session.exec(
            select(UserAccount).where(col(UserAccount.username) == "demo.college")
        ).one()
        employers = {
            username: session.exec(
                select(UserAccount).where(col(UserAccount.username) == username)
            ).one()
            for _, username in hiring
        }
        with unit_of_work(session):
            for index in range(users):
                vacancy_id, employer_login = hiring[index % len(hiring)]
                kind = index % 4
                role = ("employer", "employer", "college", "official")[kind]
                username = f"load.user{index}"
                create_user(
                    session,
                    username=username,
                    password=LOAD_PASSWORD,
                    password_hash=hashed,
                    full_name=f"Load user {index}",
                    role={"college": "institution"}.get(role, role),
                    employer_id=employers[employer_login].employer_id
                    if role == "employer"
                    else None,
                    institution_id=college.institution_id if role == "college" else None,
                )
                accounts.append((username, LOAD_PASSWORD, role, vacancy_id))
    engine.dispose()
    return accounts


def overfilled(url: str, vacancy_ids: list[int]) -> tuple[int, dict[int, tuple[int, int, int]]]:
    """Vacancies holding more hires than places anywhere in the database, and for the hiring
    vacancies (places, filled, employment spells)."""
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from models.db import make_engine
    from models.tables import EmploymentSpell, Vacancy

    engine = make_engine(url)
    with Session(engine) as session:
        over = session.exec(
            select(func.count()).where(col(Vacancy.filled) > col(Vacancy.quantity))
        ).one()
        spells = dict(
            session.exec(
                select(EmploymentSpell.vacancy_id, func.count())
                .where(col(EmploymentSpell.vacancy_id).is_not(None))
                .group_by(col(EmploymentSpell.vacancy_id))
            ).all()
        )
        quantities = {v.id: v for v in session.exec(select(Vacancy)).all()}
        over += sum(1 for vid, n in spells.items() if n > quantities[vid].quantity)
        state = {
            vid: (quantities[vid].quantity, quantities[vid].filled, spells.get(vid, 0))
            for vid in vacancy_ids
        }
    engine.dispose()
    return int(over), state


# ---- the server ---------------------------------------------------------------------------


@contextmanager
def server(checkout: Path, url: str, port: int, workers: int, log: Path) -> Iterator[str]:
    command = [*python_of(checkout), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=checkout,
            env=cli_env(checkout, url),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[:] = [process.pid]
    try:
        wait_until_up(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


SERVER_PIDS: list[int] = []


def server_cpu_seconds() -> float:
    """CPU time (user and system, every thread) used so far by the server process and its
    children (the processes of `--workers N`)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in SERVER_PIDS:
        pids = [pid] + [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
        for each in pids:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit {process.returncode})")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz within 180 s")


# ---- (b) anonymous board against healthz --------------------------------------------------


async def hammer(base: str, path: str, connections: int, seconds: float) -> Tally:
    """`connections` loops, each on its own keep-alive connection, for `seconds`."""
    tally = Tally()
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, limits=limits) as c:
            while time.perf_counter() < deadline:
                await timed_request(c, tally, path, "GET", path)

    await asyncio.gather(*(loop() for _ in range(connections)))
    tally.elapsed = time.perf_counter() - tally.started
    return tally


async def board_against_health(
    base: str, connections: int, seconds: float, rounds: int
) -> dict[str, tuple[list[Sample], float]]:
    results: dict[str, tuple[list[Sample], float]] = {"/healthz": ([], 0.0), "/board": ([], 0.0)}
    await hammer(base, "/board", connections, 2)  # warm up (caches, connections)
    for _ in range(rounds):
        for path in ("/healthz", "/board"):
            tally = await hammer(base, path, connections, seconds / rounds)
            samples, elapsed = results[path]
            results[path] = (samples + tally.samples, elapsed + tally.elapsed)
    return results


# ---- (a) signed-in users ------------------------------------------------------------------


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class User:
    client: httpx.AsyncClient
    role: str
    vacancy_id: int
    csrf: str = ""


def address_of(username: str) -> str:
    """The simulated user's own client address (10.x.y.z), the same on every request."""
    number = int(hashlib.sha256(username.encode()).hexdigest()[:6], 16)
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


async def sign_in(base: str, username: str, password: str, role: str, vacancy_id: int) -> User:
    # An idle connection is dropped by the client before the server's 5 s keep-alive ends, so
    # a request never races the server closing it (a browser would retry such a GET).
    limits = httpx.Limits(max_connections=1, keepalive_expiry=KEEP_ALIVE_SECONDS)
    client = httpx.AsyncClient(
        base_url=base,
        timeout=CLIENT_TIMEOUT,
        limits=limits,
        headers={"X-Forwarded-For": address_of(username)},
    )
    for _attempt in range(5):
        page = await client.get("/login")
        token = CSRF.search(page.text)
        response = await client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token.group(1)}
            if token
            else {},
        )
        if response.status_code == 303:
            break
        await asyncio.sleep(1)
    else:
        raise SystemExit(f"{username} could not sign in: {response.status_code}")
    return User(client, role, vacancy_id)


async def employer_step(user: User, tally: Tally, *, hiring_allowed: bool = True) -> None:
    choice = random.random()
    if choice < 0.45:
        page = await timed_request(
            user.client, tally, "employer: candidates", "GET", _candidates(user)
        )
        hires = (
            re.findall(rf"action=\"(/vacancies/{user.vacancy_id}/candidates/\d+/hire)\"", page.text)
            if page is not None and page.status_code == 200
            else []
        )
        token = CSRF.search(page.text) if page is not None else None
        if hires and token and hiring_allowed:
            await asyncio.sleep(random.uniform(0.2, 0.6))  # reading the candidate first
            await timed_request(
                user.client,
                tally,
                "employer: hire (POST)",
                "POST",
                random.choice(hires),
                data={"csrf_token": token.group(1), "back": _candidates(user)},
            )
    elif choice < 0.75:
        await timed_request(user.client, tally, "employer: vacancies", "GET", "/vacancies")
    elif choice < 0.9:
        await timed_request(
            user.client, tally, "employer: vacancy", "GET", f"/vacancies/{user.vacancy_id}"
        )
    else:
        await timed_request(user.client, tally, "account", "GET", "/account")


def _candidates(user: User) -> str:
    return f"/vacancies/{user.vacancy_id}/candidates"


async def college_step(user: User, tally: Tally, *, hiring_allowed: bool = True) -> None:
    choice = random.random()
    if choice < 0.35:
        word = random.choice(NAME_WORDS)
        await timed_request(
            user.client, tally, "college: trainees search", "GET", f"/trainees?q={word}"
        )
    elif choice < 0.6:
        await timed_request(user.client, tally, "college: trainees", "GET", "/trainees")
    elif choice < 0.85:
        await timed_request(user.client, tally, "college: courses", "GET", "/courses")
    else:
        await timed_request(user.client, tally, "account", "GET", "/account")


async def official_step(user: User, tally: Tally, *, hiring_allowed: bool = True) -> None:
    choice = random.random()
    if choice < 0.35:
        word = random.choice(SEARCH_WORDS)
        await timed_request(
            user.client,
            tally,
            "official: board search",
            "GET",
            f"/board?q={word.replace(' ', '+')}",
        )
    elif choice < 0.6:
        await timed_request(user.client, tally, "official: vacancies", "GET", "/vacancies")
    elif choice < 0.8:
        await timed_request(user.client, tally, "official: candidates", "GET", _candidates(user))
    else:
        await timed_request(
            user.client, tally, "official: training orders", "GET", "/training-orders"
        )


STEPS: dict[str, Callable[..., Awaitable[None]]] = {
    "employer": employer_step,
    "college": college_step,
    "official": official_step,
}


async def one_at_a_time(
    base: str, hiring: list[tuple[int, str]], rounds: int
) -> dict[str, tuple[list[Sample], float]]:
    """Each role's pages one request at a time (no hires, so that the rows do not change):
    the time of each page alone and the server's CPU time per page, the figure that bounds
    how many pages a second one process can give."""
    users = [await sign_in(base, *accounts_for(index, hiring)) for index in (0, 2, 3)]
    random.seed(7)
    tally = Tally()
    cpu_before = server_cpu_seconds()
    try:
        for _ in range(rounds):
            for user in users:
                await STEPS[user.role](user, tally, hiring_allowed=False)
    finally:
        tally.elapsed = time.perf_counter() - tally.started
        await asyncio.gather(*(user.client.aclose() for user in users))
    cpu = server_cpu_seconds() - cpu_before
    print(
        f"one at a time: {len(tally.samples)} pages in {tally.elapsed:.1f} s; server CPU "
        f"{1000 * cpu / max(1, len(tally.samples)):.1f} ms per page "
        f"(at most {len(tally.samples) / cpu if cpu else float('nan'):.0f} pages/s per core)"
    )
    return by_label(tally)


def accounts_for(index: int, hiring: list[tuple[int, str]]) -> tuple[str, str, str, int]:
    """Half the users are employers hiring on the few vacancies, a quarter institution staff,
    a quarter officials: (username, password, role, vacancy id)."""
    vacancy_id, employer = hiring[index % len(hiring)]
    kind = index % 4
    if kind in (0, 1):
        return employer, LOAD_PASSWORD, "employer", vacancy_id
    if kind == 2:
        return "demo.college", DEMO_PASSWORD, "college", vacancy_id
    return "demo.official", DEMO_PASSWORD, "official", vacancy_id


async def signed_in_users(
    base: str, accounts: list[Account], seconds: float, think: float
) -> Tally:
    gate = asyncio.Semaphore(8)  # sign-ins are slow on purpose (argon2): a few at a time

    async def signed(index: int) -> User:
        async with gate:
            return await sign_in(base, *accounts[index])

    everyone = await asyncio.gather(*(signed(i) for i in range(len(accounts))))
    print(f"{len(accounts)} users signed in; load for {seconds:.0f} s")
    tally = Tally()
    deadline = time.perf_counter() + seconds
    server_before, client_before = server_cpu_seconds(), time.process_time()

    async def act(user: User) -> None:
        await asyncio.sleep(random.uniform(0, think))  # not all at the same instant
        while time.perf_counter() < deadline:
            await STEPS[user.role](user, tally)
            await asyncio.sleep(think * random.uniform(0.5, 1.5))

    try:
        await asyncio.gather(*(act(user) for user in everyone))
    finally:
        tally.elapsed = time.perf_counter() - tally.started
        tally.server_cpu = server_cpu_seconds() - server_before
        tally.client_cpu = time.process_time() - client_before
        await asyncio.gather(*(user.client.aclose() for user in everyone))
    return tally


# ---- the run ------------------------------------------------------------------------------


def print_table(title: str, groups: dict[str, tuple[list[Sample], float]]) -> None:
    print(f"\n{title}\n{HEADER}")
    for name, (samples, seconds) in groups.items():
        print(summary_row(name, samples, seconds))


def by_label(tally: Tally) -> dict[str, tuple[list[Sample], float]]:
    labels = sorted({s.label for s in tally.samples})
    groups = {"all": (tally.samples, tally.elapsed)}
    for label in labels:
        groups[label] = ([s for s in tally.samples if s.label == label], tally.elapsed)
    return groups


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=f"sqlite:///{DEFAULT_SQLITE}", help="demo database")
    parser.add_argument("--checkout", type=Path, default=REPO_ROOT, help="code to serve")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL)")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60, help="length of the user phase")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between clicks")
    parser.add_argument("--connections", type=int, default=16, help="for /board and /healthz")
    parser.add_argument("--board-seconds", type=float, default=20, help="each, over 2 rounds")
    parser.add_argument("--skip-users", action="store_true", help="only the board phase")
    parser.add_argument("--skip-board", action="store_true", help="no board phase")
    parser.add_argument(
        "--single-rounds", type=int, default=60, help="rounds of the one-at-a-time phase"
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 1000 or not 1 <= args.connections <= 64:
        parser.error("at most 1000 users and 64 connections")
    if args.seconds > 600 or args.board_seconds > 300:
        parser.error("at most 600 s of users and 300 s of board")
    return args


def main() -> int:
    args = parse_args()
    if not holds_demo(args.url):
        build_demo(args.url)
    else:  # a database built by an older checkout: bring its schema up to this one's
        run_cli(args.checkout, args.url, "upgrade")
    url = copy_for_run(args.url)
    hiring = prepare_hiring(url, HIRE_VACANCIES)
    accounts = prepare_users(url, hiring, 0 if args.skip_users else args.users)
    print(f"checkout {args.checkout}; database {url}; workers {args.workers}")
    print(f"hiring on vacancies {[v for v, _ in hiring]}; {machine_load()}")
    kind = "sqlite" if url.startswith("sqlite") else "postgres"
    log = REPO_ROOT / "var" / "bench" / f"load-{args.checkout.resolve().name}-{kind}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    with server(args.checkout, url, args.port, args.workers, log) as base:
        if args.single_rounds:
            single = asyncio.run(one_at_a_time(base, hiring, args.single_rounds))
            print_table("(c) one page at a time, each role in turn", single)
        if not args.skip_board:
            board = asyncio.run(
                board_against_health(base, args.connections, args.board_seconds, rounds=2)
            )
            print_table(f"(b) anonymous, {args.connections} connections", board)
            rates = {path: len(s) / t for path, (s, t) in board.items()}
            ratio = rates["/board"] / rates["/healthz"]
            p95 = percentile([s.seconds * 1000 for s in board["/board"][0]], 0.95)
            print(f"board/healthz = {ratio:.2f} (goal >= 0.5); board p95 {p95:.0f} ms (goal < 250)")
            if ratio < 0.5 or p95 >= 250:
                failures.append("board throughput or p95")
        if not args.skip_users:
            tally = asyncio.run(signed_in_users(base, accounts, args.seconds, args.think))
            print_table(f"(a) {args.users} signed-in users, think {args.think} s", by_label(tally))
            # Both sides share this machine's cores: what the simulated browsers burn is CPU
            # the server did not get.
            print(
                f"CPU during (a): server {tally.server_cpu:.1f} s"
                f" ({1000 * tally.server_cpu / max(1, len(tally.samples)):.1f} ms per request),"
                f" load generator {tally.client_cpu:.1f} s, over {tally.elapsed:.1f} s"
                f" on {os.cpu_count()} CPUs"
            )
            errors = server_errors(tally.samples)
            p95 = percentile([s.seconds * 1000 for s in tally.samples], 0.95)
            print(f"server errors {errors} (goal 0); p95 {p95:.0f} ms (goal < 1000)")
            if NO_ANSWER:
                print("no answer: " + ", ".join(f"{k} x{n}" for k, n in NO_ANSWER.items()))
            if errors or p95 >= 1000:
                failures.append("signed-in users: server errors or p95")
        print(machine_load())
    over, state = overfilled(url, [v for v, _ in hiring])
    shown = ", ".join(f"{v}: {f}/{q} filled, {s} hires" for v, (q, f, s) in state.items())
    print(f"over-filled vacancies: {over} (goal 0); {shown}")
    if over:
        failures.append("over-filled vacancies")
    logged = log.read_text(errors="replace").count("Traceback")
    print(f"tracebacks in the server log ({log}): {logged}")
    print("all goals met" if not failures else "goals MISSED: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
