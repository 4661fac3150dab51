"""The Contract Performance Notice: each contract year's draft, with the commissioner's commentary and review.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _utc() -> storage.models.UtcDateTime:
    return storage.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "performance_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("drafted_at", _utc(), nullable=False),
        sa.Column("commentary", sa.JSON(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["reviewed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "year"),
    )
    op.create_index("ix_performance_notice_contract_id", "performance_notice", ["contract_id"])


def downgrade() -> None:
    op.drop_index("ix_performance_notice_contract_id", table_name="performance_notice")
    op.drop_table("performance_notice")
