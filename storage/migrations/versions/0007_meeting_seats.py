"""Meeting seats from the portfolio file: an organisation's or a contract's own seats (NULL: seed 001's).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("organisation", "contract"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("seats", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ("contract", "organisation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("seats")
