"""The meetings' flow table is its router: every verb listed once, with its payload, step and cards."""

from __future__ import annotations

from dialogs import meetings
from dialogs.meetings.flow import OFFER
from dialogs.monthly_return.flow import REVIEW_ON_RECEIPT

router = meetings.router


def test_the_reviewers_card_offers_what_the_meetings_table_says() -> None:
    assert set(OFFER.offers) <= set(REVIEW_ON_RECEIPT.offers)
