"""Join the meetings, evaluations and reminders branches, so the next migration has one parent.

Revision ID: 0005
Revises: 0002_meetings, 0003, 0004_reminders
Create Date: 2026-11-23
"""

revision = "0005"
down_revision = ("0002_meetings", "0003", "0004_reminders")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
