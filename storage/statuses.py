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


class DeliveryStatus(StrEnum):
    """What the delivery ledger says of a notification (`steward deliveries`, storage/deliveries.py).

    The first ten are events as well as states; `queued` and `read` are states only (the row's own times).
    """

    QUEUED = "queued"  # waiting for its time, or for working hours
    RETRIED = "retried"  # Teams answered 429 or 5xx and the sender tried again in the same send
    FAILED = "failed"  # a send failed; another try is due later
    SENT = "sent"  # Teams accepted it
    READ = "read"  # Teams sent a read receipt covering it
    WAITING = "waiting"  # the person has not opened a chat with Steward yet
    UNREACHABLE = "unreachable"  # Teams refused (403/404): the person removed the app
    UNCERTAIN = "uncertain"  # it may or may not have reached Teams; never sent again by itself
    DEAD = "dead"  # given up after the last try (dead-lettered)
    CANCELLED = "cancelled"  # no longer due before it went
    REQUEUED = "requeued"  # the person came back (added Steward again): due once more
    RESENT = "resent"  # an administrator resent it (`steward deliveries --resend`)


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
