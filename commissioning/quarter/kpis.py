"""KPI definitions: what a KPI measures, where its result comes from, when it goes live, targets and weights."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from commissioning.indicators import Comparison


class Source(StrEnum):
    """Where a KPI's quarterly result comes from: computed from the monthly PIs, or reported for the quarter."""

    SUM = "sum"  # the PI's three monthly values added up
    MEAN = "mean"  # the mean of the PI's three monthly values
    LATEST = "latest"  # the PI's value in the quarter's last month
    RATIO = "ratio"  # numerator PI over denominator PI, each summed over the quarter, times `scale`
    REPORTED = "reported"  # given by the provider in the quarterly KPI return


class KpiStatus(StrEnum):
    """Where a KPI stands in a contract year."""

    NOT_STARTED = "not started"  # before its baseline year (or before it goes live, when it has none)
    BASELINE = "baseline"  # collecting data: a result is shown, with no target and no weight
    LIVE = "live"  # a target and a weight: it counts towards the outcome payment


class KpiError(ValueError):
    """A KPI definition that cannot be used; the message names the KPI and the field at fault."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Banding(_Frozen):
    """How a result turns into achievement (0 to 1).

    Full achievement at or beyond the target; pro rata between the target and the floor; none beyond
    the floor. The floor is a share of the target, so it follows the target from year to year:
    0.8 means "pro rata from 80% of the target". For a "no more than" KPI (lower is better) the floor
    lies above the target: 1.25 means "pro rata up to 125% of the target". The default, 1, is all or
    nothing: full at the target, none short of it.
    """

    floor: Decimal = Field(default=Decimal(1), ge=0)


class Kpi(_Frozen):
    """One quarterly key performance indicator of a contract, as the portfolio file defines it.

    Contract years count from 1. `targets` and `weights` are keyed by contract year; a year without an
    entry keeps the latest earlier one, so a target set for year 2 holds in year 3 unless changed.
    """

    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
    name: str = Field(min_length=1, max_length=200)
    measures: str = Field(default="", max_length=1000)
    source: Source
    pi: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: Decimal = Field(default=Decimal(1), gt=0)
    comparison: Comparison = Comparison.AT_LEAST
    live_from_year: int = Field(default=1, ge=1)
    baseline_year: int | None = Field(default=None, ge=1)
    targets: dict[int, Decimal] = Field(default_factory=dict)
    weights: dict[int, Decimal] = Field(default_factory=dict)
    banding: Banding = Banding()

    @model_validator(mode="after")
    def _check(self) -> Kpi:
        _check_source(self)
        _check_years(self)
        _check_banding(self)
        return self

    @property
    def lower_is_better(self) -> bool:
        return self.comparison is Comparison.AT_MOST

    @property
    def pi_codes(self) -> tuple[str, ...]:
        """The monthly PIs its result is computed from (none for a reported KPI)."""
        codes = (self.numerator, self.denominator) if self.source is Source.RATIO else (self.pi,)
        return tuple(code for code in codes if code)

    def status(self, year: int) -> KpiStatus:
        if year >= self.live_from_year:
            return KpiStatus.LIVE
        if self.baseline_year is not None and year >= self.baseline_year:
            return KpiStatus.BASELINE
        return KpiStatus.NOT_STARTED

    def target_for(self, year: int) -> Decimal | None:
        """This year's target; None before the KPI is live."""
        return _for_year(self.targets, year)

    def weight_for(self, year: int) -> Decimal | None:
        """This year's weight as configured (before renormalising); None before the KPI is live."""
        return _for_year(self.weights, year)


def _for_year(by_year: dict[int, Decimal], year: int) -> Decimal | None:
    earlier = [y for y in by_year if y <= year]
    return by_year[max(earlier)] if earlier else None


def _check_source(kpi: Kpi) -> None:
    if kpi.source is Source.RATIO:
        if not (kpi.numerator and kpi.denominator) or kpi.pi:
            raise ValueError("a ratio names its numerator and denominator PI codes, and no pi")
    elif kpi.source is Source.REPORTED:
        if kpi.pi or kpi.numerator or kpi.denominator:
            raise ValueError("a reported KPI comes from the quarterly return and names no PI")
    elif not kpi.pi or kpi.numerator or kpi.denominator:
        raise ValueError(f"a {kpi.source.value} of monthly values names the PI code in pi")


def _check_years(kpi: Kpi) -> None:
    if kpi.baseline_year is not None and kpi.baseline_year >= kpi.live_from_year:
        raise ValueError(
            f"baseline_year {kpi.baseline_year} must come before live_from_year {kpi.live_from_year}"
        )
    for field, by_year in (("targets", kpi.targets), ("weights", kpi.weights)):
        if kpi.live_from_year not in by_year:
            raise ValueError(f"{field} needs an entry for year {kpi.live_from_year}, the year it goes live")
        early = sorted(y for y in by_year if y < kpi.live_from_year)
        if early:
            raise ValueError(
                f"{field} are set for year {early[0]}, before the KPI goes live (no target or weight then)"
            )
    negative = sorted(y for y, weight in kpi.weights.items() if weight < 0)
    if negative:
        raise ValueError(f"weights: the weight for year {negative[0]} is negative")


def _check_banding(kpi: Kpi) -> None:
    floor = kpi.banding.floor
    if kpi.lower_is_better and floor < 1:
        raise ValueError(
            "banding.floor of a 'no more than' KPI is 1 or more (a share of the target above it)"
        )
    if not kpi.lower_is_better and floor > 1:
        raise ValueError("banding.floor is at most 1 (a share of the target below it)")


def kpi_from_dict(data: dict[str, Any]) -> Kpi:
    """A KPI from plain data (a portfolio file's entry); KpiError names the KPI and every field at fault."""
    try:
        return Kpi.model_validate(data)
    except ValidationError as error:
        code = data.get("code") if isinstance(data, dict) else None
        problems = []
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"]) or "definition"
            problems.append(f"{field}: {str(item['msg']).removeprefix('Value error, ')}")
        raise KpiError(f"KPI {code or '(no code)'!s}: " + "; ".join(problems)) from None


def kpis_from_list(entries: list[dict[str, Any]]) -> tuple[Kpi, ...]:
    """A contract's KPIs in order; codes are unique within a contract."""
    kpis = tuple(kpi_from_dict(entry) for entry in entries)
    codes = [kpi.code for kpi in kpis]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise KpiError(f"KPI codes repeated: {', '.join(repeated)}")
    return kpis
