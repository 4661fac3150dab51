"""Starting Steward for the bench: its environment, the generated portfolio, and the warm-up turns."""

from __future__ import annotations

from pathlib import Path

from bench import portfolio
from bench.procs import Server


def portfolio_file(folder: Path) -> Path:
    path = folder / "bench-portfolio.yaml"
    if not path.exists():
        path.write_text(portfolio.yaml_text(), encoding="utf-8")
    return path


def start(name: str, database_url: str, folder: Path) -> Server:
    """Steward in local mode (no app id), the scheduler off so no sweep runs during a measurement."""
    env = {
        "DATABASE_URL": database_url,
        "DEMO_PORTFOLIO": str(portfolio_file(folder)),
        "SCHEDULER": "off",
        "LOG_LEVEL": "ERROR",
        "MicrosoftAppId": "",
        "ALLOWED_TENANTS": "",
    }
    return Server(name, "bench.systems", "steward", env=env)
