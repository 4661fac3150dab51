"""The tab's place in the house: only bot/ imports it, and it imports commissioning and storage, never
bot/ or dialogs/ (the tab shows state; the journeys change it)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = {"bot", "connector", "dialogs", "scheduler", "storage", "commissioning", "manifest", "tab"}


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & OURS


def test_the_tab_imports_only_commissioning_storage_and_itself() -> None:
    found = {path.name: imported(path) for path in (ROOT / "tab").glob("*.py")}
    assert {
        name: mods for name, mods in found.items() if not mods <= {"commissioning", "storage", "tab"}
    } == {}


def test_only_bot_imports_the_tab() -> None:
    importers = {
        str(path.relative_to(ROOT))
        for folder in OURS - {"tab"}
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts and "tab" in imported(path)
    }
    assert importers == {"bot/app.py", "bot/tab_sso.py"}
