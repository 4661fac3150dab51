"""Referrals, referral-to-start conversion, attrition and self-referral share, from counts."""

from __future__ import annotations

import pandas as pd

from commissioning.analytics.frames import (
    Period,
    period_keys,
    ratio,
    require_columns,
    require_non_negative,
)

RETURN_COLUMNS = ("contract", "month", "source", "referrals", "starts")
SELF_REFERRAL = "self"


def referral_summary(
    returns: pd.DataFrame,
    period: Period = "month",
    *,
    start_month: int = 4,
    self_source: str = SELF_REFERRAL,
) -> pd.DataFrame:
    """Per contract and period: referrals, starts, not_converted, conversion, attrition, self_referral_share.

    `returns` has one row per contract, month ('YYYY-MM') and referral source, with the counts of
    referrals received from that source and of starts made from them. Rates are fractions (0.5 is 50%),
    computed from the summed counts, NaN where there were no referrals.
    """
    require_columns(returns, RETURN_COLUMNS, "returns")
    require_non_negative(returns, ("referrals", "starts"), "returns")
    frame = pd.DataFrame(
        {
            "contract": returns["contract"].astype(str),
            "period": period_keys(returns["month"], period, start_month),
            "referrals": returns["referrals"].astype(int),
            "starts": returns["starts"].astype(int),
        }
    )
    is_self = returns["source"].astype(str).str.strip().str.lower() == self_source.lower()
    frame["self_referrals"] = frame["referrals"].where(is_self, 0)
    totals = frame.groupby(["contract", "period"], as_index=False, sort=True)[
        ["referrals", "starts", "self_referrals"]
    ].sum()
    totals["not_converted"] = (totals["referrals"] - totals["starts"]).clip(lower=0)
    totals["conversion"] = ratio(totals["starts"], totals["referrals"])
    totals["attrition"] = ratio(totals["not_converted"], totals["referrals"])
    totals["self_referral_share"] = ratio(totals["self_referrals"], totals["referrals"])
    return totals[
        [
            "contract",
            "period",
            "referrals",
            "starts",
            "not_converted",
            "conversion",
            "attrition",
            "self_referrals",
            "self_referral_share",
        ]
    ].reset_index(drop=True)


def referrals_by_source(
    returns: pd.DataFrame, period: Period = "month", *, start_month: int = 4
) -> pd.DataFrame:
    """Per contract, period and source: referrals and each source's share of the period's referrals."""
    require_columns(returns, RETURN_COLUMNS, "returns")
    require_non_negative(returns, ("referrals",), "returns")
    frame = pd.DataFrame(
        {
            "contract": returns["contract"].astype(str),
            "period": period_keys(returns["month"], period, start_month),
            "source": returns["source"].astype(str).str.strip().str.lower(),
            "referrals": returns["referrals"].astype(int),
        }
    )
    by_source = frame.groupby(["contract", "period", "source"], as_index=False, sort=True)[
        ["referrals"]
    ].sum()
    period_total = by_source.groupby(["contract", "period"])["referrals"].transform("sum")
    by_source["share"] = ratio(by_source["referrals"], period_total)
    return by_source.reset_index(drop=True)
