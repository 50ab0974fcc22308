"""The `dbjobs` command as an administrator uses it: accounts are created or refused with a
clear message and nothing written, reference data loads idempotently, bad input never shows a
traceback. Database tests run on SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner, Result

import cli.data as cli_data
import cli.demo as cli_demo
import cli.main as cli_main
from models.accounts import create_user, verify_password
from models.db import make_engine
from models.i18n import catalogue, translate
from models.tables import Person, UserAccount
from seed.demo.accounts import DEMO_PASSWORD
from seed.demo.accounts import USERNAMES as DEMO_USERNAMES
from tests import factories

PASSWORD = "mat-khau-du-dai"


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run(url: str, *args: str, input: str | None = None, lang: str = "vi") -> Result:
    env = {"COLUMNS": "160", "DBJOBS_LANG": lang, "DATABASE_URL": ""}
    return CliRunner().invoke(cli_main.app, ["--database-url", url, *args], input=input, env=env)


def count_users(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(UserAccount)).scalar_one()


def refusal(result: Result) -> str:
    """The one line a refused command prints, without its mark."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip().removeprefix("✗").strip()


def test_help_lists_every_command():
    result = CliRunner().invoke(cli_main.app, ["--help"], env={"COLUMNS": "160"})

    assert result.exit_code == 0
    listed = set(re.findall(r"^│ ([a-z][a-z-]+) ", result.output, re.MULTILINE))
    assert {"upgrade", "load-reference", "create-user", "serve"} <= listed


def test_create_user_asks_the_password_twice_and_stores_its_hash(engine):
    result = run(
        url_of(engine),
        "create-user",
        "--username", "Can.Bo",
        "--role", "official",
        "--full-name", "Lò Thị Hoa",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    with Session(engine) as session:
        user = session.exec(select(UserAccount)).scalars().one()
    assert (user.username, user.role, user.full_name) == ("can.bo", "official", "Lò Thị Hoa")
    assert verify_password(user.password_hash, PASSWORD)
    assert result.stdout.strip().endswith(
        translate(
            "Created the account {username} ({role}).", "vi", username="can.bo", role="official"
        )
    )


def test_institution_staff_is_bound_to_the_institution_named_by_its_code(engine):
    with Session(engine) as session:
        centre_id = factories.institution(session, code="TTGDNN-TG").id
        session.commit()

    result = run(
        url_of(engine),
        "create-user", "--username", "tuangiao", "--role", "institution",
        "--full-name", "Quàng Văn Ơn", "--institution-code", "TTGDNN-TG", "--password-stdin",
        input=f"{PASSWORD}\n",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        user = session.exec(select(UserAccount)).scalars().one()
    assert user.institution_id == centre_id


def _existing_admin(engine: Engine) -> None:
    with Session(engine) as session:
        create_user(session, username="quantri", password=PASSWORD, full_name="A", role="admin")
        session.commit()


REFUSALS = {
    "duplicate username": (
        ["--username", "QuanTri", "--role", "admin"],
        f"{PASSWORD}\n{PASSWORD}\n",
        ("The username {username} is already taken.", {"username": "quantri"}),
    ),
    "short password": (
        ["--username", "moi", "--role", "admin"],
        "ngan\nngan\n",
        ("Password must have at least {n} characters.", {"n": 12}),
    ),
    "common password": (
        ["--username", "moi", "--role", "admin"],
        "1q2w3e4r5t6y\n1q2w3e4r5t6y\n",
        ("This password is on a list of commonly used passwords. Choose another one.", {}),
    ),
    "passwords differ": (
        ["--username", "moi", "--role", "admin"],
        f"{PASSWORD}\n{PASSWORD}x\n",
        ("The two passwords are not the same.", {}),
    ),
    "institution role without institution": (
        ["--username", "moi", "--role", "institution", "--password-stdin"],
        f"{PASSWORD}\n",
        ("Institution staff must belong to an institution.", {}),
    ),
    "unknown institution code": (
        ["--username", "moi", "--role", "institution", "--institution-code", "KHONG-CO"],
        f"{PASSWORD}\n{PASSWORD}\n",
        ("No institution has the code {code}.", {"code": "KHONG-CO"}),
    ),
    "unknown role": (
        ["--username", "moi", "--role", "superuser"],
        "",
        (
            "Unknown role: {role}. Choose one of: {roles}.",
            {
                "role": "superuser",
                "roles": "admin, official, institution, employer, commune, job_centre",
            },
        ),
    ),
    "institution code on an admin": (
        ["--username", "moi", "--role", "admin", "--institution-code", "X"],
        "",
        ("--institution-code is only for the institution role.", {}),
    ),
    "blank username": (
        ["--username", "  ", "--role", "admin"],
        "",
        ("The username must not be empty.", {}),
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_says_why_and_writes_nothing(engine, case):
    options, typed, (msgid, params) = REFUSALS[case]
    _existing_admin(engine)

    result = run(url_of(engine), "create-user", "--full-name", "Mùa A Páo", *options, input=typed)

    assert refusal(result) == translate(msgid, "vi", **params)
    assert catalogue("vi").get(msgid, msgid) != msgid  # shown in Vietnamese, not English
    assert count_users(engine) == 1


def test_messages_follow_the_chosen_language(engine):
    options = ["create-user", "--username", "x", "--role", "boss", "--full-name", "X"]

    english = run(url_of(engine), *options, lang="en")
    flag = CliRunner().invoke(
        cli_main.app, ["--lang", "en", "--database-url", url_of(engine), *options], env={}
    )

    expected = (
        "Unknown role: boss. Choose one of: admin, official, institution, employer, commune, "
        "job_centre."
    )
    assert refusal(english) == expected
    assert refusal(flag) == expected


def test_a_bad_database_address_is_a_message_not_a_traceback(tmp_path):
    bad_scheme = run("nosuchdb://somewhere", "load-reference")
    no_schema = run(
        f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "create-user", "--username", "a", "--role", "admin", "--full-name", "A",
        "--password-stdin", input=f"{PASSWORD}\n",
    )  # fmt: skip

    assert refusal(bad_scheme) == translate(
        "The database address {url} is not valid.", "vi", url="nosuchdb://somewhere"
    )
    assert "dbjobs upgrade" in refusal(no_schema)


def test_upgrade_creates_the_schema_and_can_run_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    first, second = run(url, "upgrade"), run(url, "upgrade")

    assert (first.exit_code, second.exit_code) == (0, 0)
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"alembic_version", "user_account", "vacancy", "person"} <= tables


def _printed_counts(result: Result) -> dict[str, tuple[int, int]]:
    rows = re.findall(r"^│ ([a-z_]+)\s+│\s+(\d+) │\s+(\d+) │$", result.stdout, re.MULTILINE)
    return {name: (int(changed), int(total)) for name, changed, total in rows}


def test_load_reference_twice_gives_the_same_counts(engine):
    first = run(url_of(engine), "load-reference")
    second = run(url_of(engine), "load-reference")

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    before, after = _printed_counts(first), _printed_counts(second)
    assert len(before) == len(cli_data.REFERENCE_TABLES)
    assert {name: total for name, (_, total) in before.items()} == {
        name: total for name, (_, total) in after.items()
    }
    assert before["ethnicity"][1] == 54
    assert all(changed == 0 for changed, _ in after.values())  # nothing to redo


def _cli_msgids() -> set[str]:
    """Literal message ids of `x.t(...)`, `x.say(...)` and `x.fail(...)` in cli/, and the
    labels the demo summary looks up."""
    found = {label for _, label in cli_demo.SUMMARY_ROWS} | set(cli_demo.STAGE_LABELS.values())
    for path in Path(cli_data.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("t", "say", "fail")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_the_cli_message_scan_finds_messages():
    assert "No institution has the code {code}." in _cli_msgids()
    assert "People trained" in _cli_msgids()
    assert len(_cli_msgids()) >= 40


@pytest.mark.parametrize("msgid", sorted(_cli_msgids()))
def test_every_cli_message_has_a_vietnamese_translation(msgid):
    assert catalogue("vi").get(msgid, msgid) != msgid


def _account_rows(output: str) -> dict[str, str]:
    """username -> password, read from the printed table of demo accounts."""
    return dict(re.findall(r"^│ (demo\.[a-z]+)\s+│ (\S+)\s+│", output, re.MULTILINE))


def test_generate_demo_writes_data_and_prints_the_accounts(engine):
    result = run(url_of(engine), "generate-demo", "--years", "2026", "--scale", "0.02")

    assert result.exit_code == 0, result.output
    accounts = _account_rows(result.stdout)
    assert set(accounts) == set(DEMO_USERNAMES)
    with Session(engine) as session:
        users = session.exec(select(UserAccount)).scalars().all()
        assert {user.username for user in users} == set(DEMO_USERNAMES)
        assert all(verify_password(u.password_hash, accounts[u.username]) for u in users)
        assert session.execute(select(func.count()).select_from(Person)).scalar_one() > 0

    again = run(url_of(engine), "generate-demo", "--years", "2026", "--scale", "0.02")
    assert refusal(again)  # one demo at a time, said in a sentence
    assert count_users(engine) == len(DEMO_USERNAMES)


@pytest.mark.parametrize(
    ("years", "msgid", "params"),
    [
        ("2027-2026", "The first year {first} comes after the last year {last}.",
         {"first": 2027, "last": 2026}),
        ("soon", "Write the years as one year (2025) or a range (2023-2026), not {text}.",
         {"text": "soon"}),
    ],
)  # fmt: skip
def test_generate_demo_refuses_bad_years_before_touching_the_database(engine, years, msgid, params):
    result = run(url_of(engine), "generate-demo", "--years", years)

    assert refusal(result) == translate(msgid, "vi", **params)
    assert count_users(engine) == 0


def test_demo_sets_everything_up_then_skips_generation_on_a_second_start(tmp_path, monkeypatch):
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(cli_demo, "run_server", lambda cli, host, port: served.append((host, port)))
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    options = ["demo", "--port", "8123", "--years", "2026", "--scale", "0.02"]

    first = run(url, *options)
    second = run(url, *options)

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    assert served == [("127.0.0.1", 8123), ("127.0.0.1", 8123)]
    assert _account_rows(first.stdout) == _account_rows(second.stdout)
    assert set(_account_rows(second.stdout).values()) == {DEMO_PASSWORD}
    skipped = translate("The database already holds data: no demo data generated.", "vi")
    assert skipped not in first.stdout
    assert skipped in second.stdout
    assert "http://127.0.0.1:8123/" in second.stdout
    engine = make_engine(url)
    try:
        assert count_users(engine) == len(DEMO_USERNAMES)  # nothing generated twice
    finally:
        engine.dispose()
