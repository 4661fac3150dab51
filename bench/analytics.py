"""The portfolio's analytics, in its own process: 200 contracts with three years of monthly data.

`--build pandas` runs Steward's analytics (`commissioning.analytics`): the twelve-month trend of every
indicator against its minimum and the quarterly referral summary (conversion, attrition, self-referral
share), for the whole portfolio at once. `--build loops` builds the same two frames with plain Python
row loops, the way a first version would. Each prints the median seconds of its repeats and a digest of
the frames it built, so the caller can check the two agree before it compares their times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

import pandas as pd

from commissioning.analytics.referrals import referral_summary
from commissioning.analytics.trends import last_twelve_months, twelve_month_trend
from commissioning.indicators import Comparison, IndicatorKind, IndicatorSpec
from commissioning.periods import Month

CONTRACTS = 200
FIRST = Month(2023, 10)
MONTHS = 36
LAST = Month(2026, 9)
SOURCES = ("police", "self", "partner")
SPECS = (
    IndicatorSpec("PI1", "Referrals received", IndicatorKind.COUNT, requirement=2500),
    IndicatorSpec("PI2", "Contacted within two days", IndicatorKind.PERCENTAGE, requirement=90),
    IndicatorSpec("PI3", "Needs assessments completed", IndicatorKind.PERCENTAGE, requirement=85),
    IndicatorSpec("PI4", "High-risk victims supported", IndicatorKind.COUNT, requirement=150),
    IndicatorSpec("PI5", "Witnesses supported", IndicatorKind.COUNT, requirement=400),
    IndicatorSpec("PI6", "User satisfaction", IndicatorKind.PERCENTAGE, requirement=80),
    IndicatorSpec(
        "PI7", "Attrition", IndicatorKind.PERCENTAGE, requirement=40, comparison=Comparison.AT_MOST
    ),
)


def months() -> list[str]:
    keys, month = [], FIRST
    for _ in range(MONTHS):
        keys.append(month.key)
        month = month.next()
    return keys


def portfolio_data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every contract's monthly values (one month in 17 missing) and its referrals by source."""
    values: list[tuple[str, str, str, float]] = []
    referrals: list[tuple[str, str, str, int, int]] = []
    for c in range(CONTRACTS):
        contract = f"C{c:03d}"
        for m, month in enumerate(months()):
            for i, spec in enumerate(SPECS):
                if (c + m + i) % 17 == 0:
                    continue
                values.append(
                    (contract, spec.code, month, float(spec.requirement or 0) + (c * 7 + m * 3 + i) % 21 - 10)
                )
            for s, source in enumerate(SOURCES):
                received = 200 + (c * 11 + m * 5 + s * 3) % 300
                referrals.append((contract, month, source, received, received // 2 + (c + m + s) % 40))
    return (
        pd.DataFrame(values, columns=["contract", "indicator", "month", "value"]),
        pd.DataFrame(referrals, columns=["contract", "month", "source", "referrals", "starts"]),
    )


def with_pandas(values: pd.DataFrame, referrals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return twelve_month_trend(values, SPECS, LAST), referral_summary(referrals, "quarter")


def with_loops(values: pd.DataFrame, referrals: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same frames, row by row: dictionaries, loops and one DataFrame built at the end of each."""
    window = last_twelve_months(LAST)
    by_code = {spec.code: spec for spec in SPECS}
    seen: dict[tuple[str, str, str], float] = {}
    pairs: set[tuple[str, str]] = set()
    for row in values.itertuples(index=False):
        seen[(row.contract, row.indicator, row.month)] = float(row.value)
        pairs.add((row.contract, row.indicator))
    trend_rows = []
    for contract, code in sorted(pairs):
        spec = by_code[code]
        minimum = float(spec.requirement) if spec.requirement is not None else float("nan")
        for month in window:
            value = seen.get((contract, code, month), float("nan"))
            met: bool | None = None
            if value == value and spec.requirement is not None:
                met = value <= minimum if spec.comparison is Comparison.AT_MOST else value >= minimum
            trend_rows.append((contract, code, month, value, minimum, met))
    trend = pd.DataFrame(trend_rows, columns=["contract", "indicator", "month", "value", "minimum", "met"])
    trend["met"] = trend["met"].astype("boolean")
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in referrals.itertuples(index=False):
        quarter = Month.parse(row.month)
        key = (row.contract, _quarter_key(quarter))
        totals[key][0] += int(row.referrals)
        totals[key][1] += int(row.starts)
        totals[key][2] += int(row.referrals) if row.source == "self" else 0
    summary_rows = []
    for (contract, period), (received, starts, own) in sorted(totals.items()):
        lost = max(received - starts, 0)
        summary_rows.append(
            (
                contract,
                period,
                received,
                starts,
                lost,
                _share(starts, received),
                _share(lost, received),
                own,
                _share(own, received),
            )
        )
    summary = pd.DataFrame(
        summary_rows,
        columns=[
            "contract", "period", "referrals", "starts", "not_converted", "conversion", "attrition",
            "self_referrals", "self_referral_share",
        ],
    )  # fmt: skip
    return trend, summary


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def _quarter_key(month: Month, start_month: int = 4) -> str:
    year = month.year - (month.month < start_month)
    return f"{year:04d}Q{(month.month - start_month) % 12 // 3 + 1}"


def digest(frames: tuple[pd.DataFrame, pd.DataFrame]) -> str:
    """The frames' contents, rounded, as a hash: equal when the two builds agree."""
    text = "".join(frame.round(6).astype(str).to_csv(index=False) for frame in frames)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run(build: str, repeats: int) -> dict[str, Any]:
    values, referrals = portfolio_data()
    chosen = with_pandas if build == "pandas" else with_loops
    times, frames = [], chosen(values, referrals)  # the first run warms imports and caches
    for _ in range(repeats):
        started = time.perf_counter()
        frames = chosen(values, referrals)
        times.append(time.perf_counter() - started)
    return {
        "build": build,
        "seconds": statistics.median(times),
        "value_rows": len(values),
        "referral_rows": len(referrals),
        "trend_rows": len(frames[0]),
        "summary_rows": len(frames[1]),
        "digest": digest(frames),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", choices=["pandas", "loops"], required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sys.stdout.write(json.dumps(run(args.build, args.repeats)) + "\n")


if __name__ == "__main__":
    main()
