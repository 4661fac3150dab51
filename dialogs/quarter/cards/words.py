"""Numbers and money on the KPI card, as people read them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def number(value: Fraction | Decimal | float | None) -> str:
    """A result or target as people read it: '7,500', '82.5', '0.3333'; '-' for none."""
    if value is None:
        return "-"
    shown = Decimal(str(round(float(value), 4))).normalize()
    return f"{shown:,f}"


def share(value: Fraction | None) -> str:
    """An achievement or weight share as a percentage: 3/4 -> '75%', 1/3 -> '33.33%'."""
    return "-" if value is None else f"{number(value * 100)}%"


def money(pence: int | None) -> str:
    return "not worked out" if pence is None else f"£{int(pence) // 100:,}.{abs(pence) % 100:02d}"
