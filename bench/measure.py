"""One measured load run and its figures: turns a second, p50 and p99, non-2xx answers."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Measurement:
    """What the load generator saw in one run against one system."""

    label: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(repr=False)
    statuses: dict[str, int]
    unexpected: int = 0

    @classmethod
    def of(cls, label: str, concurrency: int, raw: dict[str, Any]) -> Measurement:
        return cls(label, concurrency, raw["seconds"], raw["latencies"], raw["statuses"], raw["unexpected"])

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98] * 1000

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status.startswith("2"))


def median_round(runs: list[Measurement]) -> Measurement:
    """The run whose throughput is the median of the rounds (the lower middle for an even count)."""
    ordered = sorted(runs, key=lambda run: run.turns_per_second)
    return ordered[(len(ordered) - 1) // 2]
