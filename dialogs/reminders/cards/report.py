"""What an administrator (dead, uncertain) or a commissioner (unreachable) is told about a delivery."""

from __future__ import annotations

from typing import Any

from dialogs.cards import card, facts, heading, plain, text


def report_payload(
    kind: str, *, person: str, about: str, contract: str = "", error: str = "", attempts: int = 0
) -> dict[str, Any]:
    """What an administrator (dead, uncertain) or a commissioner (unreachable) is told about a delivery."""
    pairs = [("To", plain(person)), ("About", plain(about, 300))]
    if contract:
        pairs.insert(0, ("Contract", plain(contract)))
    if kind == "unreachable":
        title = f"{plain(person)} could not be reached"
        lines = [
            f"Steward could not deliver this to {plain(person)}: they have removed Steward from Teams, "
            "or Teams no longer lets Steward reach them.",
            "Until they add Steward again, their reminders wait. Please let them know.",
        ]
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
            "It is kept in the outbox as 'dead'. Check the bot's connection to Teams.",
        ]
        summary = f"Message to {person} could not be delivered: {about}"
    return {
        "card": card([heading(title), facts(pairs), *[text(line) for line in lines]]),
        "summary": summary[:300],
    }
