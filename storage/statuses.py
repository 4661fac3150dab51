"""The statuses the tables store. StrEnums: each member equals the text in the column, so rows read back
as plain strings compare equal to them, and what is written is unchanged.

Action and deliverable statuses are domain rules and live in commissioning (ActionStatus, DeliverableStatus).
"""

from __future__ import annotations

from enum import StrEnum


class NotificationStatus(StrEnum):
    """Where an outbox row is in its delivery (storage/outbox.py, scheduler/dispatcher.py)."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    UNREACHABLE = "unreachable"
    UNCERTAIN = "uncertain"
    CANCELLED = "cancelled"
    NO_CONVERSATION = "no_conversation"


class ReturnStatus(StrEnum):
    """A monthly return: a working draft until its first submission."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class MeetingStatus(StrEnum):
    """A meeting: scheduled, then recorded as held."""

    SCHEDULED = "scheduled"
    HELD = "held"


class EvaluationStatus(StrEnum):
    """A go/no-go evaluation: open for scoring until its lead closes it."""

    OPEN = "open"
    CLOSED = "closed"
