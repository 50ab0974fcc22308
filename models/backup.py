"""Backups: a consistent copy of the database taken while the site keeps writing, and putting
one back after checking it.

A copy is a file plus a manifest beside it (``<copy>.manifest.json``): the kind of database,
the schema revision, the number of rows in every table and the copy's SHA-256, all read from
the same moment the copy shows.

- SQLite: the online backup API copies the live database in one step inside a read
  transaction. In WAL mode writers go on meanwhile; the copy is the database as of the moment
  the step began.
- PostgreSQL: a repeatable-read transaction exports its snapshot; the rows are counted in it
  and ``pg_dump --snapshot`` dumps exactly that snapshot (custom format).

``restore`` checks the copy before it replaces anything: the checksum, the kind, a schema
revision this version knows, and for SQLite the integrity and foreign-key checks and the row
counts. PostgreSQL restores in one transaction (``pg_restore --single-transaction``), so a
copy that fails half-way leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlmodel import SQLModel

from models.clock import utcnow
from models.errors import AppError
from models.migrate import alembic_config

MANIFEST_SUFFIX = ".manifest.json"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(AppError):
    """A copy that can't be made or put back; the message says why."""


@dataclass(frozen=True)
class Manifest:
    format: int
    kind: str  # sqlite | postgresql
    created_at: str
    schema_revision: str | None
    tables: dict[str, int]
    sha256: str
    bytes: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def manifest_path(copy: Path) -> Path:
    return copy.with_name(copy.name + MANIFEST_SUFFIX)


def default_name(kind: str) -> str:
    """dienbien-20261206-051500.sqlite3 (UTC), or .dump for PostgreSQL."""
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return f"dienbien-{stamp}.{'sqlite3' if kind == 'sqlite' else 'dump'}"


def backup(engine: Engine, target: Path) -> Manifest:
    """Copy the database behind ``engine`` to ``target`` (a file; its folder is created) and
    write the manifest beside it. The site may go on writing meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(None, "The file {path} already exists.", path=str(target))
    partial = target.with_name(target.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            tables, revision = _backup_sqlite(engine, partial)
        else:
            tables, revision = _backup_postgres(engine, partial)
        manifest = _manifest(engine.dialect.name, partial, tables, revision)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    manifest_path(target).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return manifest


def _manifest(kind: str, copy: Path, tables: dict[str, int], revision: str | None) -> Manifest:
    return Manifest(
        format=FORMAT,
        kind=kind,
        created_at=utcnow().isoformat(timespec="seconds"),
        schema_revision=revision,
        tables=tables,
        sha256=file_sha256(copy),
        bytes=copy.stat().st_size,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_names() -> list[str]:
    """The platform's tables, parents before children."""
    return [table.name for table in SQLModel.metadata.sorted_tables]


def count_rows(connection: Connection) -> tuple[dict[str, int], str | None]:
    """Rows per table and the schema revision, read in the connection's transaction."""
    present = set(connection.dialect.get_table_names(connection))
    tables = {
        name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
        for name in table_names()
        if name in present
    }
    revision = None
    if "alembic_version" in present:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return tables, revision


# --- SQLite ---------------------------------------------------------------------------------


def sqlite_file(engine_or_url: Engine | str) -> Path:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if not url.database or url.database == ":memory:":
        raise BackupError(
            None, "Only a SQLite database kept in a file can be backed up or restored."
        )
    return Path(url.database)


def _backup_sqlite(engine: Engine, partial: Path) -> tuple[dict[str, int], str | None]:
    with (
        closing(sqlite3.connect(sqlite_file(engine), timeout=30)) as source,
        closing(sqlite3.connect(partial)) as copy,
    ):
        source.backup(copy)  # one step: a snapshot of one moment, writers go on (WAL)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    return _sqlite_counts(partial)


def _sqlite_counts(path: Path) -> tuple[dict[str, int], str | None]:
    from models.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return count_rows(connection)
    finally:
        engine.dispose()


def _check_sqlite_copy(copy: Path, manifest: Manifest) -> None:
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            raise BackupError(None, "The copy {path} is damaged (integrity check).", path=str(copy))
        if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise BackupError(None, "The copy {path} has broken references.", path=str(copy))
    tables, _revision = _sqlite_counts(copy)
    if tables != manifest.tables:
        raise BackupError(
            None, "The copy {path} does not hold the rows its manifest lists.", path=str(copy)
        )


def _restore_sqlite(copy: Path, database: Path) -> None:
    """Replace the database's content with the copy's, under the database's write lock: other
    connections see the old content or the new one."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(database, timeout=30)) as target,
    ):
        source.backup(target)


# --- PostgreSQL -----------------------------------------------------------------------------


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore; the password goes in the environment,
    never on the command line."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            None,
            "{tool} was not found: install the PostgreSQL client tools (postgresql-client).",
            tool=name,
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(
            None,
            "{tool} failed: {reason}",
            tool=Path(command[0]).name,
            reason=reason[-1] if reason else "",
        )


def _backup_postgres(engine: Engine, partial: Path) -> tuple[dict[str, int], str | None]:
    args, env = _libpq(engine.url)
    dump = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), *args]
    reader = engine.execution_options(isolation_level="REPEATABLE READ")
    with reader.connect() as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        tables, revision = count_rows(connection)
        # The transaction stays open until pg_dump has taken the snapshot it exported.
        _run([*dump, f"--snapshot={snapshot}"], env)
    return tables, revision


def _check_postgres_copy(copy: Path) -> None:
    done = subprocess.run(
        [_tool("pg_restore"), "--list", str(copy)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or " TABLE DATA " not in done.stdout:
        raise BackupError(
            None, "The copy {path} is not a readable PostgreSQL dump.", path=str(copy)
        )


def _restore_postgres(copy: Path, engine: Engine) -> None:
    args, env = _libpq(engine.url)
    _run(
        [
            _tool("pg_restore"),
            *("--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"),
            *args,
            str(copy),
        ],
        env,
    )


# --- restore --------------------------------------------------------------------------------


def read_manifest(copy: Path) -> Manifest:
    path = manifest_path(copy)
    if not copy.is_file():
        raise BackupError(None, "There is no copy at {path}.", path=str(copy))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except FileNotFoundError:
        raise BackupError(None, "The manifest {path} is missing.", path=str(path)) from None
    except (ValueError, TypeError):
        raise BackupError(None, "The manifest {path} cannot be read.", path=str(path)) from None
    if manifest.format != FORMAT:
        raise BackupError(None, "The manifest {path} cannot be read.", path=str(path))
    return manifest


def known_revisions(database_url: str) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return {revision.revision for revision in script.walk_revisions()}


def check_copy(copy: Path, engine: Engine) -> Manifest:
    """Everything that can be checked before anything is replaced."""
    manifest = read_manifest(copy)
    if manifest.kind != engine.dialect.name:
        raise BackupError(
            None,
            "The copy is of a {kind} database; this database is {target}.",
            kind=manifest.kind,
            target=engine.dialect.name,
        )
    if file_sha256(copy) != manifest.sha256:
        raise BackupError(
            None,
            "The copy {path} does not match its checksum: it was changed or cut short.",
            path=str(copy),
        )
    url = engine.url.render_as_string(hide_password=False)
    if manifest.schema_revision and manifest.schema_revision not in known_revisions(url):
        raise BackupError(
            None,
            "The copy's schema ({revision}) is newer than this version of the platform.",
            revision=manifest.schema_revision,
        )
    if manifest.kind == "sqlite":
        _check_sqlite_copy(copy, manifest)
    else:
        _check_postgres_copy(copy)
    return manifest


def restore(copy: Path, engine: Engine) -> Manifest:
    """Check ``copy`` and replace the database's content with it; then count the rows again
    and compare them with the manifest."""
    manifest = check_copy(copy, engine)
    engine.dispose()  # no pooled connection keeps the old content
    if manifest.kind == "sqlite":
        _restore_sqlite(copy, sqlite_file(engine))
    else:
        _restore_postgres(copy, engine)
    with engine.connect() as connection:
        tables, _revision = count_rows(connection)
    if tables != manifest.tables:
        raise BackupError(
            None, "After the restore the database does not hold the rows the copy lists."
        )
    return manifest


def generations(folder: Path) -> list[Path]:
    """The copies in ``folder`` that have a manifest, newest first."""
    copies = [
        path.with_name(path.name.removesuffix(MANIFEST_SUFFIX))
        for path in folder.glob("*" + MANIFEST_SUFFIX)
    ]
    return sorted((c for c in copies if c.is_file()), key=lambda c: c.name, reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest copies (and their manifests); the deleted ones."""
    removed = generations(folder)[keep:]
    for copy in removed:
        copy.unlink(missing_ok=True)
        manifest_path(copy).unlink(missing_ok=True)
    return removed
