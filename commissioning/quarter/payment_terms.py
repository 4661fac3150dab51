"""A contract's payment terms from the portfolio file (seed 004): the fee for service and payment by results.

`payment:` on a contract gives either or both. Money is in pounds, as the contract's `value` is; rates
are shares (binary) or reoffences per offender (frequency). The rules themselves are in `pbr.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from commissioning.quarter.pbr import (
    Cohort,
    Measure,
    PbrQuarter,
    PbrTerms,
    fee_for_service,
    payment_by_results,
)
from commissioning.quarter.term import to_pence

COHORT_MAX = 1_000_000
Loc = tuple[str | int, ...]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeeTerms(_Frozen):
    """The fee for service: year 1's quarterly fee in pounds, less `learning_curve` a year, compounded."""

    year_1_quarterly_fee: Decimal = Field(ge=0, le=Decimal(10) ** 9, decimal_places=2)
    learning_curve: Decimal = Field(default=Decimal(0), ge=0, lt=1)


class MeasureTerms(_Frozen):
    """One PbR measure: its baseline, the price of each reoffender (or reoffence) fewer, the penalty for each more.

    `stretch_cap`: how far below the baseline improvement is paid for (a share for binary, reoffences
    per offender for frequency); none: all of it. `penalty_cap`: the most a quarter's penalty can be,
    in pounds; none: no cap.
    """

    baseline: Decimal = Field(ge=0)
    price: Decimal = Field(ge=0, decimal_places=2)
    penalty: Decimal = Field(ge=0, decimal_places=2)
    stretch_cap: Decimal | None = Field(default=None, gt=0)
    penalty_cap: Decimal | None = Field(default=None, ge=0, decimal_places=2)

    @field_validator("stretch_cap")
    @classmethod
    def _within_baseline(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        baseline = info.data.get("baseline")
        if value is not None and baseline is not None and value > baseline:
            raise ValueError(f"must not be more than the baseline, {baseline} (a rate cannot fall below 0)")
        return value

    def rule(self, measure: Measure) -> PbrTerms:
        return PbrTerms(
            measure,
            Fraction(self.baseline),
            to_pence(self.price * 100),
            to_pence(self.penalty * 100),
            None if self.stretch_cap is None else Fraction(self.stretch_cap),
            None if self.penalty_cap is None else to_pence(self.penalty_cap * 100),
        )


class BinaryTerms(MeasureTerms):
    @field_validator("baseline")
    @classmethod
    def _share(cls, value: Decimal) -> Decimal:
        if value > 1:
            raise ValueError("must be the share of the cohort who reoffend, from 0 to 1 (0.45 is 45%)")
        return value


class PbrEntry(_Frozen):
    """Seed 004's two measures: binary (the share of the cohort who reoffend) and frequency (reoffences each)."""

    binary: BinaryTerms
    frequency: MeasureTerms


class PaymentTerms(_Frozen):
    fee_for_service: FeeTerms | None = None
    pbr: PbrEntry | None = None

    @model_validator(mode="after")
    def _something(self) -> PaymentTerms:
        if self.fee_for_service is None and self.pbr is None:
            raise ValueError("give fee_for_service, pbr or both (or leave payment out)")
        return self

    def pbr_rules(self) -> tuple[PbrTerms, PbrTerms] | None:
        if self.pbr is None:
            return None
        return self.pbr.binary.rule(Measure.BINARY), self.pbr.frequency.rule(Measure.FREQUENCY)


class PaymentTermsError(ValueError):
    """Payment terms that cannot be used: `problems` lists (where under `payment`, message) for each."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field_of(loc)}: {message}" for loc, message in problems))


def field_of(loc: Loc) -> str:
    """'payment.pbr.binary.baseline' for a problem's place under the payment block."""
    return ".".join(["payment", *(str(part) for part in loc)])


def payment_terms_from_dict(data: Any) -> PaymentTerms:
    """The terms from a portfolio file's `payment:` block; PaymentTermsError names every field at fault."""
    try:
        return PaymentTerms.model_validate(data)
    except ValidationError as error:
        problems = [
            (tuple(item["loc"]), str(item["msg"]).removeprefix("Value error, ")) for item in error.errors()
        ]
        raise PaymentTermsError(problems) from None


# -- the quarter's fee and payment by results ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeQuarter:
    """The quarter's fee for service: year 1's fee less the learning curve, compounded to this contract year."""

    year: int
    year_1_fee_pence: int
    learning_curve: Fraction
    fee_pence: int

    @property
    def discount(self) -> Fraction:
        """The share taken off year 1's fee this year: 1 − (1 − learning curve)^(year − 1)."""
        return 1 - (1 - self.learning_curve) ** (self.year - 1)


def fee_quarter(terms: FeeTerms, year: int) -> FeeQuarter:
    year_1 = to_pence(terms.year_1_quarterly_fee * 100)
    curve = Fraction(terms.learning_curve)
    return FeeQuarter(year, year_1, curve, fee_for_service(year_1, curve, year))


@dataclass(frozen=True, slots=True)
class PbrOutcome:
    """Payment by results for a quarter: the measures' terms, and their results once the cohort is reported."""

    binary: PbrTerms
    frequency: PbrTerms
    cohort: Cohort | None
    results: PbrQuarter | None
    missing: str = ""  # why there are no results

    @property
    def net_pence(self) -> int | None:
        """What PbR adds (a penalty: takes away); None until the cohort is reported."""
        return None if self.results is None else self.results.net_pence


def pbr_outcome(rules: tuple[PbrTerms, PbrTerms], cohort: Cohort | None, quarter_label: str) -> PbrOutcome:
    binary, frequency = rules
    if cohort is None:
        missing = f"the {quarter_label} cohort is not reported yet: it comes with the quarter's KPI return"
        return PbrOutcome(binary, frequency, None, None, missing)
    return PbrOutcome(binary, frequency, cohort, payment_by_results(binary, frequency, cohort))


def total_pence(
    outcome: int | None, has_kpis: bool, fee: FeeQuarter | None, pbr: PbrOutcome | None
) -> int | None:
    """What the quarter pays: the outcome payment (if the contract has KPIs) + the fee + PbR's net.

    None when a part that applies is not worked out; Steward never adds up a guess.
    """
    parts: list[int | None] = []
    if has_kpis or (fee is None and pbr is None):
        parts.append(outcome)
    if fee is not None:
        parts.append(fee.fee_pence)
    if pbr is not None:
        parts.append(pbr.net_pence)
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)


# -- the cohort on the KPI return ---------------------------------------------------------------------------

COHORT_FIELDS = ("offenders", "reoffenders", "reoffences")


@dataclass(frozen=True, slots=True)
class CohortEntry:
    """The cohort's three figures as typed on the KPI return."""

    offenders: str = ""
    reoffenders: str = ""
    reoffences: str = ""


def _whole(typed: str) -> int | None:
    cleaned = typed.strip().replace(",", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    return int(cleaned) if cleaned.isdigit() else None


def check_cohort(entry: CohortEntry) -> tuple[Cohort | None, dict[str, str]]:
    """The cohort, or what is wrong beside each field: whole numbers from 0, and figures that fit together."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for name in COHORT_FIELDS:
        typed = getattr(entry, name).strip()
        number = _whole(typed)
        if not typed:
            errors[name] = f"Enter the number of {name} (0 if there were none)."
        elif number is None:
            errors[name] = f"Enter a whole number from 0, like 120 (not {typed[:40]!r})."
        elif number > COHORT_MAX:
            errors[name] = f"Enter a number up to {COHORT_MAX:,}."
        else:
            numbers[name] = number
    offenders, reoffenders, reoffences = (numbers.get(name) for name in COHORT_FIELDS)
    if offenders is not None and reoffenders is not None and reoffenders > offenders:
        errors["reoffenders"] = (
            f"There cannot be more reoffenders ({reoffenders}) than offenders ({offenders})."
        )
    if reoffenders is not None and reoffences is not None and "reoffenders" not in errors:
        if reoffences < reoffenders:
            errors["reoffences"] = (
                f"Each reoffender reoffended at least once: reoffences cannot be fewer than {reoffenders}."
            )
        elif reoffenders == 0 and reoffences > 0:
            errors["reoffences"] = "With no reoffenders there are no reoffences: enter 0, or the reoffenders."
    if errors or offenders is None or reoffenders is None or reoffences is None:
        return None, errors
    return Cohort(offenders, reoffenders, reoffences), {}


def cohort_json(cohort: Cohort) -> dict[str, int]:
    return {"offenders": cohort.offenders, "reoffenders": cohort.reoffenders, "reoffences": cohort.reoffences}


def cohort_from_json(data: Any) -> Cohort | None:
    """A stored cohort (a KPI return version's), or None when there is none."""
    if not isinstance(data, dict) or not data:
        return None
    return Cohort(int(data["offenders"]), int(data["reoffenders"]), int(data["reoffences"]))
