"""kpi figure values by generation

A refresh writes a year's new figures as a new generation beside the old one, in small
transactions, and switches the snapshot to it in one tiny transaction. The numbers move from
``kpi_figure`` (which keeps the figure's identity and id) to ``kpi_figure_value``; the figures
stored so far become generation 1 of their snapshot.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALUE_COLUMNS = "value, numerator, denominator, record_kind, note, ids, base_ids"


def _value_columns(text_default: str | None = None) -> list[sa.Column[object]]:
    """The number's columns; ``text_default`` fills the two text columns of existing rows."""
    return [
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Integer(), nullable=True),
        sa.Column("denominator", sa.Integer(), nullable=True),
        sa.Column(
            "record_kind",
            sqlmodel.sql.sqltypes.AutoString(length=12),
            nullable=False,
            server_default=text_default,
        ),
        sa.Column(
            "note",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
            server_default=text_default,
        ),
        sa.Column("ids", sa.LargeBinary(), nullable=True),
        sa.Column("base_ids", sa.LargeBinary(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("kpi_snapshot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("generation", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("last_generation", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "kpi_figure_value",
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        *_value_columns(),
        sa.ForeignKeyConstraint(
            ["figure_id"],
            ["kpi_figure.id"],
            name=op.f("fk_kpi_figure_value_figure_id_kpi_figure"),
        ),
        sa.PrimaryKeyConstraint("figure_id", "generation", name=op.f("pk_kpi_figure_value")),
    )
    op.execute(
        f"INSERT INTO kpi_figure_value (figure_id, generation, {VALUE_COLUMNS}) "
        f"SELECT id, 1, {VALUE_COLUMNS} FROM kpi_figure"
    )
    op.execute("UPDATE kpi_snapshot SET generation = 1, last_generation = 1")
    _drop_columns("kpi_figure", VALUE_COLUMNS.split(", "))


def _drop_columns(table: str, names: list[str]) -> None:
    for name in names:
        if op.get_bind().dialect.name == "sqlite":
            # SQLite >= 3.35 drops a plain column in place. Alembic's batch mode would copy the
            # table and drop the old one, which other tables' rows reference.
            op.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        else:
            op.drop_column(table, name)


def downgrade() -> None:
    with op.batch_alter_table("kpi_figure", schema=None) as batch_op:
        for column in _value_columns(text_default=""):
            batch_op.add_column(column)
    current = (
        "(SELECT v.{name} FROM kpi_figure_value v JOIN kpi_snapshot s"
        " ON s.generation = v.generation WHERE v.figure_id = kpi_figure.id"
        " AND s.id = kpi_figure.snapshot_id)"
    )
    settings = [
        f"{name} = " + current.format(name=name)
        for name in ("value", "numerator", "denominator", "ids", "base_ids")
    ] + [
        f"{name} = COALESCE(" + current.format(name=name) + ", '')"
        for name in ("record_kind", "note")
    ]
    op.execute("UPDATE kpi_figure SET " + ", ".join(settings))
    op.drop_table("kpi_figure_value")
    _drop_columns("kpi_snapshot", ["last_generation", "generation"])
