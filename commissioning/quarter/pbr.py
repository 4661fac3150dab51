"""Fee for service with an annual learning-curve discount, and payment by results on reoffending (seed 004)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from commissioning.quarter.term import to_pence


def fee_for_service(year_1_fee_pence: int, learning_curve: Fraction, year: int) -> int:
    """The fee for service in contract `year`: year 1's fee less the learning-curve discount, compounded yearly.

    £100,000.00 a quarter with a 2% discount: year 2 £98,000.00, year 3 £96,040.00 (100,000 × 0.98²).
    """
    if year < 1 or not 0 <= learning_curve < 1:
        raise ValueError("contract years count from 1 and the discount is a share below 1")
    return to_pence(year_1_fee_pence * (1 - learning_curve) ** (year - 1))


class Measure(StrEnum):
    """Seed 004's two PbR measures."""

    BINARY = "binary"  # the share of the cohort who reoffend
    FREQUENCY = "frequency"  # reoffences per offender in the cohort


@dataclass(frozen=True, slots=True)
class PbrTerms:
    """One measure's terms, all parameters (seed 004 names the shape, not the numbers).

    `baseline` is the historic rate for the contract area (a share for binary, reoffences per offender
    for frequency). Below it, each reoffender (or reoffence) fewer than the baseline would give earns
    `price_pence`, counted up to `stretch_cap` below the baseline. Above it, each one more costs
    `penalty_pence`, up to `penalty_cap_pence` if given.
    """

    measure: Measure
    baseline: Fraction
    price_pence: int
    penalty_pence: int
    stretch_cap: Fraction | None = None
    penalty_cap_pence: int | None = None


@dataclass(frozen=True, slots=True)
class Cohort:
    """The offenders a quarter's results are measured on, and what they did in the follow-up period."""

    offenders: int
    reoffenders: int
    reoffences: int


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """A measure's rate against its baseline; `payment_pence` minus `penalty_pence` is what it is worth."""

    measure: Measure
    rate: Fraction | None
    baseline: Fraction
    payment_pence: int
    penalty_pence: int
    reason: str

    @property
    def net_pence(self) -> int:
        return self.payment_pence - self.penalty_pence


def measure_result(terms: PbrTerms, cohort: Cohort) -> MeasureResult:
    """Payment only for improvement beyond the baseline (capped at the stretch); a penalty when the rate rises above it."""
    if cohort.offenders <= 0:
        return MeasureResult(
            terms.measure, None, terms.baseline, 0, 0, "the cohort is empty: nothing to measure"
        )
    count = cohort.reoffenders if terms.measure is Measure.BINARY else cohort.reoffences
    rate = Fraction(count, cohort.offenders)
    if rate < terms.baseline:
        improvement = terms.baseline - rate
        counted = min(improvement, terms.stretch_cap) if terms.stretch_cap is not None else improvement
        paid = to_pence(counted * cohort.offenders * terms.price_pence)
        capped = " (capped at the stretch)" if counted < improvement else ""
        return MeasureResult(
            terms.measure, rate, terms.baseline, paid, 0, f"better than the baseline{capped}"
        )
    if rate > terms.baseline:
        penalty = to_pence((rate - terms.baseline) * cohort.offenders * terms.penalty_pence)
        if terms.penalty_cap_pence is not None:
            penalty = min(penalty, terms.penalty_cap_pence)
        return MeasureResult(
            terms.measure, rate, terms.baseline, 0, penalty, "worse than the baseline: a penalty"
        )
    return MeasureResult(terms.measure, rate, terms.baseline, 0, 0, "at the baseline: no payment, no penalty")


@dataclass(frozen=True, slots=True)
class PbrQuarter:
    binary: MeasureResult
    frequency: MeasureResult

    @property
    def net_pence(self) -> int:
        """What PbR adds to (or, as a penalty, takes from) the quarter's payment."""
        return self.binary.net_pence + self.frequency.net_pence


def payment_by_results(binary: PbrTerms, frequency: PbrTerms, cohort: Cohort) -> PbrQuarter:
    if binary.measure is not Measure.BINARY or frequency.measure is not Measure.FREQUENCY:
        raise ValueError("payment by results takes the binary measure's terms, then the frequency measure's")
    return PbrQuarter(measure_result(binary, cohort), measure_result(frequency, cohort))
