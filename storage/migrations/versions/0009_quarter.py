"""The quarter: the provider's KPI return and its versions, the evidence checklist, the outcome payment approval.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_STRING = sqlmodel.sql.sqltypes.AutoString


def _utc() -> storage.models.UtcDateTime:
    return storage.models.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "kpi_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("quarter", _STRING(length=8), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("received_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "quarter"),
    )
    op.create_index("ix_kpi_return_contract_id", "kpi_return", ["contract_id"])
    op.create_index("ix_kpi_return_received_at", "kpi_return", ["received_at"])
    op.create_table(
        "kpi_return_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["kpi_return.id"]),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("return_id", "version"),
    )
    op.create_index("ix_kpi_return_version_return_id", "kpi_return_version", ["return_id"])
    op.create_table(
        "kpi_evidence_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("quarter", _STRING(length=8), nullable=False),
        sa.Column("kpi_code", _STRING(length=32), nullable=False),
        sa.Column("state", _STRING(length=16), nullable=False),
        sa.Column("reason", _STRING(length=1000), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "quarter", "kpi_code"),
    )
    op.create_index("ix_kpi_evidence_check_contract_id", "kpi_evidence_check", ["contract_id"])
    op.create_table(
        "outcome_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("quarter", _STRING(length=8), nullable=False),
        sa.Column("computed_pence", sa.Integer(), nullable=True),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reason", _STRING(length=1000), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["approved_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "quarter"),
    )
    op.create_index("ix_outcome_approval_contract_id", "outcome_approval", ["contract_id"])


def downgrade() -> None:
    op.drop_index("ix_outcome_approval_contract_id", table_name="outcome_approval")
    op.drop_table("outcome_approval")
    op.drop_index("ix_kpi_evidence_check_contract_id", table_name="kpi_evidence_check")
    op.drop_table("kpi_evidence_check")
    op.drop_index("ix_kpi_return_version_return_id", table_name="kpi_return_version")
    op.drop_table("kpi_return_version")
    op.drop_index("ix_kpi_return_received_at", table_name="kpi_return")
    op.drop_index("ix_kpi_return_contract_id", table_name="kpi_return")
    op.drop_table("kpi_return")
