"""What every `dbjobs` command shares: the Typer app, the global options (database, language),
printing in the user's language, and turning failures into one sentence and exit code 1."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError

from models.db import make_engine
from models.encryption import use_keys
from models.errors import AppError
from models.i18n import message_for, normalise_language, translate
from models.settings import Settings

app = typer.Typer(
    name="dbjobs",
    help="Điện Biên training-to-jobs platform: database, data, accounts and web server.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message stays one line however narrow the terminal (or a test's pipe) is.
console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

# Help panels, in the order a new installation uses them.
START = "Quick start"
DATA = "Database and data"
ACCOUNTS = "Accounts"
WEB = "Web server"
PANELS = (START, DATA, ACCOUNTS, WEB)
_declared: list[tuple[str, str, str, Callable[..., Any]]] = []


@dataclass(frozen=True)
class Cli:
    """What the global options chose: the database and the language of messages."""

    database_url: str
    lang: str

    def t(self, msgid: str, **params: Any) -> str:
        return translate(msgid, self.lang, **params)

    def say(self, msgid: str, **params: Any) -> None:
        console.print(self.t(msgid, **params))

    def fail(self, msgid: str, **params: Any) -> NoReturn:
        fail(self.t(msgid, **params))

    @property
    def shown_url(self) -> str:
        """The database address without its password, for messages."""
        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except ArgumentError:
            return self.database_url

    def settings(self) -> Settings:
        return replace(Settings.from_env(), database_url=self.database_url)

    def use_keys(self) -> None:
        """Load the personal data keys for this database (a clear refusal when missing)."""
        use_keys(self.settings())

    @contextmanager
    def engine(self) -> Iterator[Engine]:
        self.use_keys()
        engine = make_engine(self.database_url)
        try:
            yield engine
        finally:
            engine.dispose()


def fail(message: str) -> NoReturn:
    error_console.print(f"[bold red]✗[/] {message}")
    raise typer.Exit(1)


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", envvar="DATABASE_URL", help="Default: sqlite:///var/dienbien.sqlite3"
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", envvar="DBJOBS_LANG", help="Language of messages: vi or en.")
    ] = "vi",
) -> None:
    ctx.obj = Cli(database_url or Settings.database_url, normalise_language(lang))


@contextmanager
def reported_errors(cli: Cli) -> Iterator[None]:
    """Turn every failure into one sentence in the user's language and exit code 1."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except AppError as error:
        fail(message_for(error, cli.lang))
    except ArgumentError:
        cli.fail("The database address {url} is not valid.", url=cli.shown_url)
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        # SQLite says "no such table", PostgreSQL 'relation "…" does not exist'.
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            cli.fail(
                "The database {url} has no schema yet: run `dbjobs upgrade` first.",
                url=cli.shown_url,
            )
        cli.fail("The database {url} cannot be used: {reason}", url=cli.shown_url, reason=reason)
    except DBAPIError as error:
        cli.fail("The database refused the operation: {reason}", reason=str(error.orig))
    except ModuleNotFoundError as error:
        cli.fail("A required module is missing: {name}.", name=error.name)
    except KeyboardInterrupt:
        error_console.print(cli.t("Interrupted."))
        raise typer.Exit(130) from None
    except Exception as error:
        if os.environ.get("DBJOBS_DEBUG") == "1":
            raise
        cli.fail("Unexpected error: {error}", error=f"{type(error).__name__}: {error}")


def command(name: str, *, help: str, panel: str) -> Callable[[F], F]:
    """Declare a command whose first parameter is the context; failures are reported.
    Commands are added to the app by `register_commands`, panel by panel."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(ctx: typer.Context, *args: Any, **kwargs: Any) -> Any:
            with reported_errors(ctx.obj):
                return function(ctx, *args, **kwargs)

        _declared.append((panel, name, help, wrapper))
        return function

    return decorate


def register_commands() -> None:
    """Add the declared commands in panel order, so --help reads in the order a new
    installation uses them whatever order the modules were imported in."""
    for panel, name, help, wrapper in sorted(_declared, key=lambda c: PANELS.index(c[0])):
        app.command(name, help=help, rich_help_panel=panel)(wrapper)
    _declared.clear()


def parse_years(cli: Cli, text: str) -> list[int]:
    """'2025' or '2023-2026' (first and last year, inclusive)."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        cli.fail(
            "Write the years as one year (2025) or a range (2023-2026), not {text}.", text=text
        )
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        cli.fail("The first year {first} comes after the last year {last}.", first=first, last=last)
    return list(range(first, last + 1))
