"""Leave: a person away from a first to a last day, with a delegate per contract, and who recorded it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leave",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("delegates", sa.JSON(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_leave_person_id", "leave", ["person_id"])
    op.create_index("ix_leave_ends_on", "leave", ["ends_on"])


def downgrade() -> None:
    op.drop_index("ix_leave_ends_on", table_name="leave")
    op.drop_index("ix_leave_person_id", table_name="leave")
    op.drop_table("leave")
