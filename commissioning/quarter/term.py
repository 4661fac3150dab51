"""A contract's term: its quarters, its contract years, and money spread evenly over them in pence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from commissioning.periods import Month, Quarter


@dataclass(frozen=True, slots=True)
class ContractTerm:
    """When a contract runs. Year 1 is the contract year (from `year_start_month`) that holds its first day."""

    starts_on: date
    ends_on: date
    year_start_month: int = 4

    def __post_init__(self) -> None:
        if self.ends_on <= self.starts_on:
            raise ValueError("a contract ends after it starts")

    @property
    def first_quarter(self) -> Quarter:
        return Quarter.containing(Month.of(self.starts_on), self.year_start_month)

    @property
    def last_quarter(self) -> Quarter:
        return Quarter.containing(Month.of(self.ends_on), self.year_start_month)

    @property
    def quarters(self) -> tuple[Quarter, ...]:
        """Every quarter the contract runs in, a part quarter at either end included."""
        found = [self.first_quarter]
        while found[-1] != self.last_quarter:
            found.append(found[-1].next())
        return tuple(found)

    def covers(self, quarter: Quarter) -> bool:
        return quarter in self.quarters

    def year_of(self, quarter: Quarter) -> int:
        """The contract year a quarter falls in: 1 for the first, 2 for the next, and so on."""
        return quarter.contract_year_start - self.first_quarter.contract_year_start + 1


def to_pence(amount: Fraction | Decimal | int) -> int:
    """An exact amount of pence rounded half up to a whole penny."""
    exact = Fraction(amount)
    return int((Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal(1), ROUND_HALF_UP))


def even_shares(total_pence: int, parts: int) -> tuple[int, ...]:
    """`total_pence` split into `parts` shares that differ by at most a penny and add up to it exactly.

    Share i is floor(total × (i+1) / parts) − floor(total × i / parts), so the odd pennies fall in the
    later shares: £100.00 over 3 quarters is 3333, 3333, 3334.
    """
    if parts < 1:
        raise ValueError("money is spread over at least one period")
    return tuple(total_pence * (i + 1) // parts - total_pence * i // parts for i in range(parts))


def pounds(pence: int) -> str:
    """Pence as pounds for JSON and cards, exact: 1250050 -> '12500.50'."""
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"
