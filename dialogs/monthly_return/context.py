"""What every return step starts from: the contract and month checked, and the form's entries as sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissioning.indicators import validate_values
from commissioning.periods import Month, last_completed_month
from commissioning.roles import Permission
from dialogs.base import Refused, Turn
from dialogs.cards import plain
from dialogs.common import contract_for
from dialogs.inputs import input_text
from dialogs.monthly_return.cards.form import FormView, narrative_empty_error, narrative_short_error
from dialogs.monthly_return.payloads import (
    ENTRY_MAX,
    INPUT_PREFIX,
    NARRATIVE_MAX,
    NARRATIVE_MIN,
    ReturnForm,
)
from storage.contracts import indicator_spec
from storage.models import Contract, Indicator, MonthlyReturn

# The narrative is read whole (the app refuses bodies over Settings.max_body_bytes, at most 16 MiB), so the
# length message counts what was sent and the form gives it back as typed.
NARRATIVE_READ_MAX = 16 * 1024 * 1024


def check_month(contract: Contract, month: Month, turn: Turn) -> None:
    """A return is for a month that is over and that the contract ran in."""
    latest = last_completed_month(turn.local_now.date())
    if month > latest:
        raise Refused(
            f"A return for {month.label} can be made once the month is over.", reason="future month"
        )
    if month.last_day < contract.starts_on or month.first_day > contract.ends_on:
        raise Refused(f"{plain(contract.name)} did not run in {month.label}.", reason="outside contract")


@dataclass(frozen=True)
class FilledForm:
    """The form as sent, read and checked: the entries as typed, the values they parse to, what is wrong."""

    contract: Contract
    month: Month
    indicators: list[Indicator]
    entries: dict[str, str]
    narrative: str
    values: dict[str, float]
    errors: dict[str, str]
    monthly: MonthlyReturn

    def view(self) -> FormView:
        """The form again, with the entries kept as typed."""
        return FormView(
            self.contract, self.month, self.indicators, self.entries, self.narrative, self.monthly
        )


async def read_form(turn: Turn, payload: ReturnForm, *, final: bool) -> FilledForm:
    """Authorise, then read and check the form's entries; a draft may leave values empty, a submission not."""
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    month = Month.parse(payload.month)
    check_month(contract, month, turn)
    indicators = await turn.repos.contracts.indicators(contract.id)
    entries, narrative = read_entries(turn.raw, indicators), read_narrative(turn.raw)
    values, errors = validate_values(
        [indicator_spec(i) for i in indicators], dict[str, object](entries), require_all=final
    )
    errors.update(narrative_errors(narrative, required=final))
    monthly = await turn.repos.returns.find_or_create(contract.id, month, turn.now)
    return FilledForm(contract, month, indicators, entries, narrative, values, errors, monthly)


def read_entries(raw: Mapping[str, Any], indicators: list[Indicator]) -> dict[str, str]:
    """The card's inputs as text, only for this contract's indicators; anything else in the payload is ignored.

    An input not sent is no entry; one sent is kept as typed (not trimmed), cut to ENTRY_MAX characters.
    """
    entries: dict[str, str] = {}
    for indicator in indicators:
        key = INPUT_PREFIX + indicator.code
        if raw.get(key) is None:
            continue
        # input_text keeps one character over its limit: ENTRY_MAX in all
        entries[indicator.code] = input_text(raw, key, ENTRY_MAX - 1, strip=False)
    return entries


def read_narrative(raw: Mapping[str, Any]) -> str:
    return input_text(raw, "narrative", NARRATIVE_READ_MAX)


def narrative_errors(narrative: str, *, required: bool) -> dict[str, str]:
    if len(narrative) > NARRATIVE_MAX:
        return {
            "narrative": f"Keep the narrative under {NARRATIVE_MAX:,} characters (it has {len(narrative):,})."
        }
    if required and not narrative:
        return {"narrative": narrative_empty_error()}
    if required and len(narrative) < NARRATIVE_MIN:
        return {"narrative": narrative_short_error(len(narrative))}
    return {}


def entry_text(value: float) -> str:
    """A stored value as the form shows it: whole numbers without '.0'."""
    return str(int(value)) if float(value).is_integer() else str(value)
