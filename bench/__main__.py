"""`python -m bench` (or `make bench`): run every benchmark, print the table, write bench/results/<date>.md."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import pg, steward
from bench.procs import ROOT, Server, run_json
from bench.report import Results, markdown
from bench.throughput import Subject, install_commissioners, load, rounds, warm_up

ECHO = "Bot Framework echo sample (CloudAdapter)"
AGENTS = "Microsoft 365 Agents SDK echo"
STAGES = ("throughput", "one tenant", "fan-out", "sweep", "analytics")


def log(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def stats(standin: Server) -> dict[str, Any]:
    with urllib.request.urlopen(standin.url + "stats", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def reset(standin: Server) -> None:
    urllib.request.urlopen(urllib.request.Request(standin.url + "reset", method="POST"), timeout=10).close()


def started(stack: ExitStack, server: Server) -> Server:
    stack.callback(server.stop)
    return server


def throughput(results: Results, stack: ExitStack, folder: Path, n: int, postgres: str | None) -> None:
    """Every system its own process, one stand-in, rounds interleaved."""
    standin = started(stack, Server("stand-in", "bench.standin")).wait_ready()
    subjects = [Subject(ECHO, started(stack, Server("echo", "bench.systems", "echo")))]
    if importlib.util.find_spec("microsoft_agents") is not None:
        subjects.append(Subject(AGENTS, started(stack, Server("agents", "bench.systems", "agents"))))
    else:
        results.missing.append(
            "Microsoft 365 Agents SDK echo: microsoft-agents-hosting-aiohttp is not installed"
        )
    subjects.append(
        Subject(
            "bare aiohttp, kept-alive reply (floor)",
            started(stack, Server("floor", "bench.systems", "floor")),
        )
    )
    sqlite = started(stack, steward.start("Steward SQLite", f"sqlite:///{folder}/bench.db", folder))
    stewards = {"SQLite": sqlite}
    if postgres:
        stewards["PostgreSQL"] = started(stack, steward.start("Steward PostgreSQL", postgres, folder))
    for db, server in stewards.items():
        subjects += [
            Subject(f"Steward {db}: help, known person", server, "help"),
            Subject(f"Steward {db}: help, unknown person", server, "stranger"),
            Subject(f"Steward {db}: monthly-return submit", server, "submit"),
        ]
    results.targeted = [s.label for s in subjects if s.server is sqlite]
    for subject in subjects:
        subject.server.wait_ready(timeout=300)
    log("warming up")
    for server in stewards.values():
        install_commissioners(server, standin)
    for subject in subjects:
        warm_up(subject, standin, min(n, 1000) if subject.kind != "submit" else 50)
    log("throughput rounds")
    results.throughput = rounds(subjects, standin, n, results.rounds)
    results.peak_rss = {f"Steward {db}": server.peak_rss_mib() for db, server in stewards.items()}


def one_tenant(results: Results, folder: Path, n: int) -> None:
    """A fresh Steward whose people all speak from one tenant, against a stand-in enforcing Teams' limits."""
    with ExitStack() as stack:
        standin = started(stack, Server("enforcing stand-in", "bench.standin", "--enforce")).wait_ready()
        server = started(stack, steward.start("Steward one tenant", f"sqlite:///{folder}/tenant.db", folder))
        server.wait_ready(timeout=300)
        subject = Subject("one tenant", server, "help", one_tenant=True)
        load(subject, standin, min(n, 1000), 20)  # first contact for everyone, not measured
        reset(standin)
        run = load(subject, standin, n, 20)
        results.one_tenant = {**stats(standin), "turns_per_second": run.turns_per_second}


def fanout(results: Results, n: int) -> None:
    """1,000 reminders through the outbox and dispatcher; the stand-in enforces the limits and injects faults."""
    with ExitStack() as stack:
        standin = started(
            stack, Server("faulty stand-in", "bench.standin", "--enforce", "--fault-every", "100")
        )
        standin.wait_ready()
        result = run_json("bench.fanout", "--standin", standin.url, "--n", str(n))
        seen = stats(standin)
    delivered = seen["delivered"]
    statuses = seen["statuses"]
    results.fanout = {
        **result,
        "lost": n - len(delivered),
        "twice": sum(1 for count in delivered.values() if count > 1),
        "429": statuses.get("429", 0),
        "5xx": sum(v for k, v in statuses.items() if k.startswith("5")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 activities a run, 2 rounds, smaller sweep")
    parser.add_argument("--n", type=int, help="activities a run (default 1,000; 200 with --quick)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; 2 with --quick)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated stages to run (default all: {', '.join(STAGES)})",
    )
    args = parser.parse_args()
    chosen = [stage.strip() for stage in args.stages.split(",") if stage.strip()]
    unknown = [stage for stage in chosen if stage not in STAGES]
    if unknown:
        parser.error(f"unknown stage {', '.join(unknown)}: choose from {', '.join(STAGES)}")
    n = args.n or (200 if args.quick else 1000)
    results = Results(n=n, rounds=args.rounds or (2 if args.quick else 3))
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        folder = Path(name)
        postgres = None
        if args.no_postgres:
            results.missing.append("Steward on PostgreSQL: --no-postgres")
        elif not pg.available():
            results.missing.append(f"Steward on PostgreSQL: no server answered at {pg.ADMIN}")
        else:
            postgres = stack.enter_context(pg.fresh_database())
        if "throughput" in chosen:
            with ExitStack() as servers:
                throughput(results, servers, folder, n, postgres)
        else:
            results.missing.append("throughput: not chosen (--stages)")
        sizes = "10,100" if args.quick else "10,100,1000"
        stages = {
            "one tenant": lambda: one_tenant(results, folder, n),
            "fan-out": lambda: fanout(results, 200 if args.quick else 1000),
            "sweep": lambda: setattr(results, "sweep", run_json("bench.sweep", "--sizes", sizes)["sizes"]),
            "analytics": lambda: setattr(
                results,
                "analytics",
                {b: run_json("bench.analytics", "--build", b) for b in ("pandas", "loops")},
            ),
        }
        for stage, run in stages.items():
            if stage not in chosen:
                continue
            log(stage)
            try:
                run()
            except RuntimeError as error:  # a process that failed: report it, keep the rest of the table
                results.missing.append(f"{stage}: {str(error).splitlines()[-1]}")
    when = datetime.now(UTC)
    text = markdown(results, when.strftime("%d %b %Y %H:%M UTC"))
    sys.stdout.write(text)
    partial = (
        "" if set(chosen) == set(STAGES) else "-" + "-".join(stage.replace(" ", "-") for stage in chosen)
    )
    out = ROOT / "bench" / "results" / f"{when:%Y-%m-%d}{'-quick' if args.quick else ''}{partial}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    log(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
