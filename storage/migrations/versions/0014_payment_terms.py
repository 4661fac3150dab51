"""Payment terms: a contract's fee for service and PbR terms, and a KPI return version's PbR cohort (JSON).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_terms", sa.JSON(), nullable=True))
    with op.batch_alter_table("kpi_return_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cohort", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kpi_return_version", schema=None) as batch_op:
        batch_op.drop_column("cohort")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_column("payment_terms")
