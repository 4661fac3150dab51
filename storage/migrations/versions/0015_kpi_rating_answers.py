"""KPI rating answers: a provider's answer to a red or amber KPI on the KPI card, in `rating_response`.

An answer to a KPI names its quarter (`quarter`, like '2026Q2') and no monthly return, so `return_id`
may now be NULL. Downgrading removes the KPI answers (they have no return to point at).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rating_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quarter", sa.String(length=8), nullable=True))
        batch_op.alter_column("return_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM improvement_event WHERE subject = 'rating' AND subject_id IN "
               "(SELECT id FROM rating_response WHERE return_id IS NULL)")
    op.execute("DELETE FROM rating_response WHERE return_id IS NULL")
    with op.batch_alter_table("rating_response", schema=None) as batch_op:
        batch_op.alter_column("return_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("quarter")
