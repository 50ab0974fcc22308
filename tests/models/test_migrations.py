"""Alembic migrations build the schema the models describe, the same on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import make_engine, normalise_url
from models.migrate import downgrade, upgrade
from tests.conftest import POSTGRES_URL, _missing_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of a database with nothing in it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    if not POSTGRES_URL:
        _missing_postgres()
    base = make_url(normalise_url(POSTGRES_URL))
    name = f"{base.database}_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema(url: str) -> dict[str, dict[str, object]]:
    """Tables with their columns (name, nullability), indexes and unique constraints."""
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        schema: dict[str, dict[str, object]] = {}
        for table in inspector.get_table_names():
            if table == "alembic_version":
                continue
            schema[table] = {
                "columns": sorted((c["name"], c["nullable"]) for c in inspector.get_columns(table)),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]))
                    for i in inspector.get_indexes(table)
                    if not i["unique"]
                ),
                # PostgreSQL reports unique constraints as indexes too; compare column sets.
                "unique": sorted(
                    {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
                    | {
                        tuple(i["column_names"])
                        for i in inspector.get_indexes(table)
                        if i["unique"]
                    }
                ),
                "foreign_keys": sorted(
                    (tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(table)
                ),
            }
        return schema
    finally:
        engine.dispose()


def test_migrations_match_the_models(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models changed without a migration: {diff}"


@pytest.mark.postgres
def test_migrations_build_the_same_schema_on_both_databases(tmp_path) -> None:
    if not POSTGRES_URL:
        _missing_postgres()
    sqlite_url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    upgrade(sqlite_url)
    base = make_url(normalise_url(POSTGRES_URL))
    name = f"{base.database}_same_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        pg_url = base.set(database=name).render_as_string(hide_password=False)
        upgrade(pg_url)
        assert _schema(sqlite_url) == _schema(pg_url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_downgrade_to_base_and_back(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")
    engine = make_engine(empty_database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    assert "vacancy" in inspect(engine).get_table_names()
    engine.dispose()
