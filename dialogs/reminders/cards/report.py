"""What an administrator (dead, uncertain) or a commissioner (unreachable) is told about a delivery."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dialogs.cards import card, facts, heading, plain, text


def report_payload(
    kind: str,
    *,
    person: str,
    about: str,
    contract: str = "",
    error: str = "",
    attempts: int = 0,
    told: Sequence[str] = (),
) -> dict[str, Any]:
    """What an administrator (dead, uncertain) or a commissioner (unreachable) is told about a delivery."""
    pairs = [("To", plain(person)), ("About", plain(about, 300))]
    if contract:
        pairs.insert(0, ("Contract", plain(contract)))
    if kind == "unreachable":
        title = f"{plain(person)} could not be reached"
        if told:
            pairs.append(("Told", ", ".join(plain(name) for name in told)))
        lines = unreachable_lines(plain(person))
        summary = f"{person} could not be reached about: {about}"
    elif kind == "uncertain":
        title = "A message may not have been delivered"
        lines = [
            "Steward sent it but the Bot Connector gave no answer in time, so it may or may not have "
            "arrived. It is not sent again, so nobody sees it twice: if it matters, check with them.",
        ]
        summary = f"Message to {person} may not have been delivered: {about}"
    else:
        title = "A message could not be delivered"
        pairs.append(("Attempts", str(attempts)))
        lines = [
            f"Steward gave up after {attempts} attempts. The last answer was: {plain(error, 300) or 'none'}.",
            "It is kept in the outbox as 'dead'. Check the bot's connection to Teams, then send it again "
            "with: steward deliveries --status dead --resend",
        ]
        summary = f"Message to {person} could not be delivered: {about}"
    return {
        "card": card([heading(title), facts(pairs), *[text(line) for line in lines]]),
        "summary": summary[:300],
    }


def unreachable_lines(person: str) -> list[str]:
    """Why Teams refused, what fixes it, where an administrator sees it, and that nothing is lost."""
    return [
        f"Why: Teams would not let Steward reach {person}. They have removed the Steward app, or never "
        "installed it.",
        f"What fixes it: {person} installs the Steward app in Teams again (Apps, search for Steward, "
        "Add). Please let them know.",
        "Their notifications are kept, this one included, and delivered once they are back.",
        "An administrator can list everyone Steward cannot reach with: steward people --unreachable, "
        "and what waits for them with: steward deliveries --status unreachable",
    ]
