"""evaluations: go/no-go evaluations, their invited assessors and every score given

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23 19:45:52.431973

A branch of its own beside the meetings branch (0002); Database.migrate upgrades every head.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import storage.models


revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("prospective_service", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("factor_set_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("factor_set", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["closed_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["lead_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_status"), ["status"], unique=False)

    op.create_table(
        "evaluation_assessor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_scored_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"]),
        sa.ForeignKeyConstraint(["invited_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("evaluation_id", "person_id"),
    )
    with op.batch_alter_table("evaluation_assessor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_assessor_evaluation_id"), ["evaluation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_evaluation_assessor_person_id"), ["person_id"], unique=False)

    op.create_table(
        "evaluation_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("factor_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("rating", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rationale", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("scored_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("evaluation_id", "person_id", "factor_key", "revision"),
    )
    with op.batch_alter_table("evaluation_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_score_current"), ["current"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_evaluation_score_evaluation_id"), ["evaluation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluation_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_score_evaluation_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_score_current"))
    op.drop_table("evaluation_score")

    with op.batch_alter_table("evaluation_assessor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_assessor_person_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_assessor_evaluation_id"))
    op.drop_table("evaluation_assessor")

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_status"))
        batch_op.drop_index(batch_op.f("ix_evaluation_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_lead_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_contract_id"))
    op.drop_table("evaluation")
