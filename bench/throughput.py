"""Throughput at c=20 and c=1: every system its own process, rounds interleaved, the median round reported."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field

from bench import portfolio
from bench.measure import Measurement, median_round
from bench.procs import Server, run_json

CONCURRENCIES = (20, 1)
_tags = itertools.count(1)


@dataclass
class Subject:
    """One row of the table: a system and the kind of turn it is sent."""

    label: str
    server: Server
    kind: str = "help"
    one_tenant: bool = False  # everyone speaks from tenant 0
    months_used: int = 0  # submit turns take a fresh month per person and run
    runs: dict[int, list[Measurement]] = field(default_factory=dict)


def load(subject: Subject, standin: Server, n: int, concurrency: int) -> Measurement:
    """One run of the load generator (its own process) against the subject."""
    args = [
        "--target",
        subject.server.url,
        "--service-url",
        standin.url,
        "--kind",
        subject.kind,
        "--n",
        str(n),
        "--concurrency",
        str(concurrency),
        "--tag",
        f"{subject.kind}-{next(_tags)}",
        "--month-offset",
        str(subject.months_used),
    ]
    if subject.one_tenant:
        args.append("--one-tenant")
    if subject.kind == "submit":
        subject.months_used += 5 * -(-n // portfolio.PEOPLE)
    return Measurement.of(subject.label, concurrency, run_json("bench.load", *args))


def warm_up(subject: Subject, standin: Server, n: int) -> None:
    """Imports, caches, connections, and for Steward each person's first contact: not measured."""
    load(subject, standin, n, 20)


def install_commissioners(server: Server, standin: Server) -> None:
    """Each tenant's commissioner opens a chat, so submitted returns have someone to be sent to."""
    load(Subject("install", server, "install"), standin, portfolio.TENANTS, 5)


def rounds(subjects: list[Subject], standin: Server, n: int, count: int) -> dict[str, dict[int, Measurement]]:
    """`count` rounds, the systems alternating (the order rotating each round); the median round of each."""
    for r in range(count):
        order = subjects[r % len(subjects) :] + subjects[: r % len(subjects)]
        for subject in order:
            for concurrency in CONCURRENCIES:
                run = load(subject, standin, n, concurrency)
                subject.runs.setdefault(concurrency, []).append(run)
                sys.stderr.write(
                    f"  round {r + 1}: {subject.label:44} c={concurrency:<2} "
                    f"{run.turns_per_second:8.1f} turns/s  p99 {run.p99_ms:7.1f} ms  non-2xx {run.non_2xx}\n"
                )
    return {s.label: {c: median_round(runs) for c, runs in s.runs.items()} for s in subjects}
