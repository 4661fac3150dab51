"""The delivery ledger: each notification's delivery events, when it was read and where it went; invite sequence.

`delivery_event` keeps what happened to a notification after it was queued (retried, failed, found
unreachable, uncertain, dead-lettered, requeued, resent) with the HTTP status and error; `notification`
gains `read_at` (a Teams read receipt) and `conversation_id` (the chat it was delivered to); `meeting`
gains `invite_sequence`, the SEQUENCE of its calendar invitation, raised each time it moves.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notification_id", sa.Integer(), sa.ForeignKey("notification.id"), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False, server_default=""),
    )
    op.create_index("ix_delivery_event_notification_id", "delivery_event", ["notification_id"])
    op.create_index("ix_delivery_event_at", "delivery_event", ["at"])
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("read_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("conversation_id", sa.String(length=400), nullable=True))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("invite_sequence", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("invite_sequence")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("conversation_id")
        batch_op.drop_column("read_at")
    op.drop_index("ix_delivery_event_at", table_name="delivery_event")
    op.drop_index("ix_delivery_event_notification_id", table_name="delivery_event")
    op.drop_table("delivery_event")
