"""Greeting, help and the card for people Steward does not know."""

from __future__ import annotations

import difflib
from typing import Any

from commissioning.roles import Permission
from dialogs.base import Reply, Router, Turn, normalise_command
from dialogs.cards import card, execute, facts, heading, plain, subtle, text
from storage.models import Person
from storage.quarter import uses_pbr

SUGGEST_AT_LEAST = 0.6
"""How close (difflib's ratio, 0 to 1) a command must be to what was typed to be suggested."""

router = Router("welcome")
router.command(
    "welcome",
    "help",
    "hi",
    "hello",
    "menu",
    "start",
    "what can you do",
    help_text="Show what you can do with Steward",
)


def greeting_word(hour: int) -> str:
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


def nearest_commands(typed: str, phrases: list[str], limit: int = 3) -> list[str]:
    """The typed commands closest to what was typed, closest first, by difflib on the whole and on words."""
    typed = normalise_command(typed)
    if not typed:
        return []

    def closeness(phrase: str) -> float:
        whole = difflib.SequenceMatcher(None, typed, phrase).ratio()
        words = [
            difflib.SequenceMatcher(None, mine, theirs).ratio()
            for mine in typed.split()
            for theirs in phrase.split()
            if len(mine) > 2 and len(theirs) > 2  # "a", "the", "my" make no match
        ]
        return max([whole, *words])

    scored = [(closeness(phrase), n, phrase) for n, phrase in enumerate(phrases)]
    ranked = sorted(scored, key=lambda item: (-item[0], item[1]))  # ties keep the help card's order
    return [phrase for score, _, phrase in ranked if score >= SUGGEST_AT_LEAST][:limit]


def _not_understood(turn: Turn, typed: str) -> list[dict[str, Any]]:
    """What was typed that Steward does not understand, and the commands nearest to it."""
    shown = plain(" ".join(typed.split()), 100)
    body = [text(f"I didn't understand \u201c{shown}\u201d.", weight="Bolder")]
    nearest = nearest_commands(typed, [phrase for phrase, _ in turn.commands])
    if nearest:
        quoted = [f"\u201c{plain(phrase)}\u201d" for phrase in nearest]
        choices = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
        body.append(text(f"Did you mean {choices}? Or choose from the menu below."))
    else:
        body.append(text("Choose from the menu below, or type \u201chelp\u201d for every command."))
    return body


def welcome_card(turn: Turn, unmatched: str | None = None) -> dict[str, Any]:
    """The menu: greeting, roles and what this person can start; first, any typed text not understood."""
    person = turn.person
    first_name = plain(person.name.split()[0] if person.name else "there")
    body: list[dict[str, Any]] = [heading(f"{greeting_word(turn.local_now.hour)}, {first_name}")]
    if unmatched and unmatched.strip():
        body.extend(_not_understood(turn, unmatched))
    if turn.memberships:
        body.append(text("Here is where you work with Steward:"))
        by_contract: dict[str, list[str]] = {}
        for membership in turn.memberships:
            by_contract.setdefault(membership.contract.name, []).append(membership.role.label)
        body.append(facts([(plain(name), ", ".join(roles)) for name, roles in by_contract.items()]))
    else:
        body.append(text("You have no role on any contract yet. An administrator can give you one."))
    body.append(subtle('You can also type a command, for example "submit return" or "help".'))
    return card(body, _menu(_journey_buttons(turn)))


# Teams shows at most six of a card's actions; Adaptive Cards 1.5 puts secondary ones in its "…" menu.
MAX_SHOWN = 6


def _menu(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The journeys' buttons and Help last, the overflow (the least used, at the end) in the "…" menu."""
    shown, more = buttons[: MAX_SHOWN - 1], buttons[MAX_SHOWN - 1 :]
    return [*shown, execute("Help", "help"), *({**button, "mode": "secondary"} for button in more)]


def _journey_buttons(turn: Turn) -> list[dict[str, Any]]:
    """What this person can start, by their roles: provider work, commissioning work, then everyone's.

    They are the card's one group of actions (help is added last), so they wrap as one row of buttons
    with no text between them.
    """
    provider: list[dict[str, Any]] = []
    commissioning: list[dict[str, Any]] = []
    if turn.contracts_where(Permission.SUBMIT_RETURN):
        provider.append(execute("Submit a monthly return", "return.start", style="positive"))
    if any(c.kpis or uses_pbr(c) for c in turn.contracts_where(Permission.SUBMIT_RETURN)):
        provider.append(execute("Submit a KPI return", "kpi_return.start"))
    supplies = turn.contracts_where(Permission.SUPPLY_DELIVERABLES)
    if supplies:
        provider.append(execute("Quarterly deliverables", "deliverables.start"))
    if turn.contracts_where(Permission.SCHEDULE_MEETING):
        commissioning.append(execute("Schedule a meeting", "meeting.schedule_list", style="positive"))
    if turn.contracts_where(Permission.RECORD_MEETING):
        commissioning.append(execute("Record a meeting", "meeting.record_list"))
    if not supplies and turn.contracts_where(Permission.VIEW_DELIVERABLES):
        commissioning.append(execute("Deliverables", "deliverables.start"))  # what is in and what is missing
    if turn.contracts_where(Permission.RUN_EVALUATION):
        commissioning.append(execute("Go/no-go evaluations", "gonogo.list"))
    everyone: list[dict[str, Any]] = []
    if turn.memberships:
        everyone = [
            execute("My actions", "actions.mine"),
            execute("Meeting agendas", "meeting.agenda_list"),
            execute("Portfolio", "status.portfolio"),  # each contract's status card opens from it
        ]
    return [*provider, *commissioning, *everyone]


def help_card(turn: Turn) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("What you can type")]
    body.append(facts([(plain(phrase), plain(description)) for phrase, description in turn.commands]))
    body.append(
        text(
            "Buttons on the cards do the same things. Every action is checked against your role on "
            "the contract, so you only see what is yours."
        )
    )
    return card(body, [execute("Back to the start", "welcome")])


@router.action("welcome")
async def welcome(turn: Turn, _: object) -> Reply:
    unmatched = turn.raw.get("unmatched")  # typed text that matched no command (bot/handler.py)
    return Reply(card=welcome_card(turn, unmatched if isinstance(unmatched, str) else None))


@router.action("help")
async def show_help(turn: Turn, _: object) -> Reply:
    return Reply(card=help_card(turn))


def unknown_person_card(administrators: list[Person], display_name: str | None) -> dict[str, Any]:
    """Shown to someone with no record: who can grant access, and nothing else."""
    who = plain(display_name or "there")
    body: list[dict[str, Any]] = [
        heading(f"Hello {who}"),
        text("Steward does not know you yet, so it cannot show you any contract information."),
    ]
    if administrators:
        body.append(
            text("To get access, ask one of Steward's administrators to add you with your work email:")
        )
        body.append(facts([(plain(admin.name), plain(admin.email)) for admin in administrators]))
    else:
        body.append(
            text(
                "To get access, ask the person who runs Steward in your organisation to add you with "
                "your work email."
            )
        )
    return card(body)


def not_allowed_card(message: str) -> dict[str, Any]:
    return card(
        [heading("That isn't available to you"), text(message)], [execute("Back to the start", "welcome")]
    )


def problem_card(message: str) -> dict[str, Any]:
    return card([heading("Something went wrong"), text(message)], [execute("Back to the start", "welcome")])
