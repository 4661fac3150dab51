"""KPI definitions from the portfolio file: a contract's own KPIs as JSON (NULL: none).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kpis", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_column("kpis")
