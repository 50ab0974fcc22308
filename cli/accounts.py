"""Creating accounts from the command line (the first administrator, above all)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlalchemy import func, select
from sqlmodel import Session, col

from cli.core import ACCOUNTS, Cli, command
from models.accounts import create_user, hash_password
from models.db import end_read, unit_of_work
from models.enums import Role
from models.errors import ConflictError
from models.tables import Employer, Institution, UserAccount

ROLES = tuple(role.value for role in Role)


@command(
    "create-user", help="Create an account; the password is asked twice, hidden.", panel=ACCOUNTS
)
def create_user_command(
    ctx: typer.Context,
    username: Annotated[str, typer.Option("--username", help="Sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="admin | official | institution | employer")],
    full_name: Annotated[str, typer.Option("--full-name", help="The person's full name.")],
    institution_code: Annotated[
        str | None, typer.Option("--institution-code", help="For institution staff.")
    ] = None,
    employer_tax_code: Annotated[
        str | None, typer.Option("--employer-tax-code", help="For employer staff.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    cli: Cli = ctx.obj
    check_account_options(cli, username, role, full_name, institution_code, employer_tax_code)
    with cli.engine() as engine, Session(engine, expire_on_commit=False) as session:
        check_username_free(session, username)
        institution_id = find_institution(cli, session, institution_code)
        employer_id = find_employer(cli, session, employer_tax_code)
        end_read(session)  # no transaction waits while the password is typed and hashed
        password = read_password(cli, from_stdin=password_stdin)
        password_hash = hash_password(password)
        with unit_of_work(session):
            user = create_user(
                session,
                username=username,
                password=password,
                password_hash=password_hash,
                full_name=full_name.strip(),
                role=role,
                institution_id=institution_id,
                employer_id=employer_id,
                language=cli.lang,
            )
    cli.say("Created the account {username} ({role}).", username=user.username, role=user.role)


def check_account_options(
    cli: Cli,
    username: str,
    role: str,
    full_name: str,
    institution_code: str | None,
    employer_tax_code: str | None,
) -> None:
    """Refuse what the options alone show to be wrong, before a password is asked."""
    if not username.strip():
        cli.fail("The username must not be empty.")
    if not full_name.strip():
        cli.fail("The full name must not be empty.")
    if role not in ROLES:
        cli.fail("Unknown role: {role}. Choose one of: {roles}.", role=role, roles=", ".join(ROLES))
    if institution_code and role != Role.INSTITUTION:
        cli.fail("--institution-code is only for the institution role.")
    if employer_tax_code and role != Role.EMPLOYER:
        cli.fail("--employer-tax-code is only for the employer role.")


def check_username_free(session: Session, username: str) -> None:
    """Said before the password is typed; create_user checks again inside the transaction."""
    wanted = username.strip().lower()
    query = select(func.count()).select_from(UserAccount).where(col(UserAccount.username) == wanted)
    if session.execute(query).scalar_one():
        raise ConflictError(
            "username", "The username {username} is already taken.", username=wanted
        )


def find_institution(cli: Cli, session: Session, code: str | None) -> int | None:
    if not code:
        return None
    query = select(col(Institution.id)).where(col(Institution.code) == code.strip())
    found = session.execute(query).scalar_one_or_none()
    if found is None:
        cli.fail("No institution has the code {code}.", code=code)
    return int(found)


def find_employer(cli: Cli, session: Session, tax_code: str | None) -> int | None:
    if not tax_code:
        return None
    query = select(col(Employer.id)).where(col(Employer.tax_code) == tax_code.strip())
    found = session.execute(query).scalar_one_or_none()
    if found is None:
        cli.fail("No employer has the tax code {code}.", code=tax_code)
    return int(found)


def read_password(cli: Cli, *, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(cli.t("Password"), hide_input=True)
    again: str = typer.prompt(cli.t("Repeat the password"), hide_input=True)
    if password != again:
        cli.fail("The two passwords are not the same.")
    return password
