"""The leave card: first and last day away, a delegate per contract, errors beside the field; and the receipt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from commissioning.dates import long_date
from commissioning.leave import Leave
from dialogs.cards import card, execute, facts, heading, plain, subtle, text
from dialogs.common import choice, date_input, field

NOBODY = ""


@dataclass(frozen=True)
class DelegateChoice:
    """One contract's picker: the people on the same contract and side who could cover."""

    contract_id: int
    contract: str
    people: Sequence[tuple[str, int]]  # (name, person id)


def delegate_input(contract_id: int) -> str:
    return f"delegate_{contract_id}"


def leave_form(
    choices: Sequence[DelegateChoice],
    values: Mapping[str, str],
    errors: Mapping[str, str],
    *,
    current: Sequence[Leave] = (),
) -> dict[str, Any]:
    """The form, with the person's values kept and each error beneath its input."""
    body: list[dict[str, Any]] = [
        heading("Your leave"),
        subtle(
            "While you are away your reminders wait. What cannot wait (a breach, a meeting deadline, "
            "an escalation) goes to your delegate, or when there is none to the next person on the contract."
        ),
    ]
    for leave in current:
        body.append(
            text(f"Recorded: {long_date(leave.starts_on)} to {long_date(leave.ends_on)}", size="Small")
        )
    body.append(
        field(date_input("starts_on", "First day away", values.get("starts_on", "")), errors.get("starts_on"))
    )
    body.append(
        field(date_input("ends_on", "Last day away", values.get("ends_on", "")), errors.get("ends_on"))
    )
    for item in choices:
        key = delegate_input(item.contract_id)
        options = [("Nobody: the next person on the contract", NOBODY)] + [
            (plain(name), str(person)) for name, person in item.people
        ]
        picker = choice(key, f"Delegate on {plain(item.contract)}", options, values.get(key, NOBODY))
        body.append(field(picker, errors.get(key)))
    return card(body, [execute("Record leave", "leave.record", style="positive")])


def recorded_card(leave: Leave, delegates: Sequence[tuple[str, str]], *, who: str = "") -> dict[str, Any]:
    """The receipt: the dates and who covers where."""
    whose = f"{plain(who)}'s leave" if who else "Your leave"
    pairs = [("First day away", long_date(leave.starts_on)), ("Last day away", long_date(leave.ends_on))]
    pairs += [(plain(contract), plain(name)) for contract, name in delegates]
    return card(
        [heading(f"{whose} is recorded"), facts(pairs)],
        [execute("Change it", "leave.start")],
    )
