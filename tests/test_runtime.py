"""bot/runtime.py: once started, a server process freezes start-up's objects and collects young ones in batches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import gc; from bot.runtime import settle_heap, YOUNG_THRESHOLD; before = gc.get_threshold(); "
    "settle_heap(); after = gc.get_threshold(); "
    "print(gc.get_freeze_count() > 0, after[0] == YOUNG_THRESHOLD, after[1:] == before[1:])"
)


def test_settling_freezes_what_exists_and_raises_only_the_youngest_threshold() -> None:
    # In a process of its own: the collector's settings are the whole process's, the test run's included.
    found = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )

    assert found.stdout.split() == ["True", "True", "True"]
