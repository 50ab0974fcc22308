"""targets per commune and per institution; the shares as milestones

A target may now belong to one commune (``commune_code``) or one institution
(``institution_id``) besides the province; the province's target stays unique per indicator and
year through a partial unique index (a plain unique constraint would let NULLs repeat).

The shares and the labour structure are milestones (2025, then the 2030 orientation), not
yearly targets: the copies of the 2025 figures that the reference data loaded for 2021–2024 and
2026 are deleted, but only those never edited (no history row) and still citing the loaded
source. A year between milestones is judged on the path to the next one (docs/kpi.md).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROVINCE = "commune_code IS NULL AND institution_id IS NULL"
MILESTONE_INDICATORS = (
    "trained_share_pct",
    "certified_share_pct",
    "structure_nlts_pct",
    "structure_cnxd_pct",
    "structure_dv_pct",
)
RESOLUTION = (
    "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh Điện Biên về phát triển nguồn nhân lực"
    " tỉnh Điện Biên đến năm 2025, định hướng đến năm 2030 (mục II.2.b)"
)
LOADED_SOURCES = (RESOLUTION, RESOLUTION + "; giữ nguyên từ năm 2025 cho đến khi có nghị quyết mới")


def upgrade() -> None:
    with op.batch_alter_table("target") as batch_op:
        batch_op.add_column(
            sa.Column("commune_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True)
        )
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_target_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            "one_scope", "commune_code IS NULL OR institution_id IS NULL"
        )
        batch_op.drop_constraint("uq_target_indicator_year", type_="unique")
        batch_op.create_index(batch_op.f("ix_target_year"), ["year"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_target_institution_id"), ["institution_id"], unique=False
        )
    _partial_unique("uq_target_province", ["indicator", "year"], PROVINCE)
    _partial_unique(
        "uq_target_commune", ["indicator", "year", "commune_code"], "commune_code IS NOT NULL"
    )
    _partial_unique(
        "uq_target_institution",
        ["indicator", "year", "institution_id"],
        "institution_id IS NOT NULL",
    )
    _delete_loaded_yearly_copies_of_milestones()


def _partial_unique(name: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        "target",
        columns,
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def _delete_loaded_yearly_copies_of_milestones() -> None:
    target = sa.table(
        "target",
        sa.column("id", sa.Integer),
        sa.column("indicator", sa.String),
        sa.column("year", sa.Integer),
        sa.column("source_document", sa.String),
    )
    change = sa.table("target_change", sa.column("target_id", sa.Integer))
    op.get_bind().execute(
        target.delete().where(
            target.c.indicator.in_(MILESTONE_INDICATORS),
            target.c.year != 2025,
            target.c.source_document.in_(LOADED_SOURCES),
            ~sa.exists().where(change.c.target_id == target.c.id),
        )
    )


def downgrade() -> None:
    op.drop_index("uq_target_institution", table_name="target")
    op.drop_index("uq_target_commune", table_name="target")
    op.drop_index("uq_target_province", table_name="target")
    op.execute(
        "DELETE FROM target_change WHERE target_id IN (SELECT id FROM target "
        "WHERE commune_code IS NOT NULL OR institution_id IS NOT NULL)"
    )
    op.execute("DELETE FROM target WHERE commune_code IS NOT NULL OR institution_id IS NOT NULL")
    with op.batch_alter_table("target") as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_institution_id"))
        batch_op.drop_index(batch_op.f("ix_target_year"))
        batch_op.create_unique_constraint(
            batch_op.f("uq_target_indicator_year"), ["indicator", "year"]
        )
        batch_op.drop_constraint("one_scope", type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_target_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_column("institution_id")
        batch_op.drop_column("commune_code")
