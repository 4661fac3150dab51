"""`python -m bench` (or `make bench`): run every benchmark and print its report."""

from __future__ import annotations

import asyncio
import sys

from bench import turns


def main() -> int:
    sys.stdout.write("Per-turn cost against the Bot Framework echo sample, measured now on this machine\n")
    sys.stdout.write(turns.report(asyncio.run(turns.main())) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
