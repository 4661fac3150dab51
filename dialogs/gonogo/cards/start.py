"""The start card: what the evaluation is about, its name, and the factor set its assessors will score."""

from __future__ import annotations

from typing import Any

from commissioning.gonogo import FactorSet
from dialogs.cards import card, execute, heading, input_choice, input_text, text
from dialogs.common import field
from dialogs.gonogo.payloads import SERVICE_MAX, TITLE_MAX
from storage.models import Contract


def start_card(
    contracts: list[Contract],
    prospective: bool,
    factor_sets: list[FactorSet],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    body: list[dict[str, Any]] = [
        heading("Start a go/no-go evaluation"),
        text(
            "Weigh re-procuring a service against staying as you are. The people you invite score each "
            "factor Negative (3 points), Neutral (6) or Positive (10); Steward adds up the scores and "
            "recommends go, review or no-go."
        ),
    ]
    if errors:
        body.append(
            text(
                "Please correct the entries below. Nothing has been saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
    body += _fields(contracts, prospective, factor_sets, values, errors)
    return card(body, [execute("Start evaluation", "gonogo.create", style="positive")])


def _fields(
    contracts: list[Contract],
    prospective: bool,
    factor_sets: list[FactorSet],
    values: dict[str, str],
    errors: dict[str, str],
) -> list[dict[str, Any]]:
    subjects = [(c.name[:100], f"contract:{c.id}") for c in contracts]
    if prospective:
        subjects.append(("A prospective service, not yet commissioned", "prospective"))
    return [
        field(
            input_choice(
                "subject", "What is it about?", subjects, values.get("subject", ""), placeholder="Choose"
            ),
            errors.get("subject"),
            spacing="Medium",
        ),
        field(
            input_text(
                "service_name",
                "Prospective service (when it is not a current contract)",
                values.get("service_name", ""),
                max_length=SERVICE_MAX,
            ),
            errors.get("service_name"),
            spacing="Medium",
        ),
        field(
            input_text(
                "title",
                "Name of the evaluation",
                values.get("title", ""),
                max_length=TITLE_MAX,
                placeholder="For example: Re-procure the service from April 2027?",
            ),
            errors.get("title"),
            spacing="Medium",
        ),
        field(
            input_choice(
                "factor_set",
                "Factor set",
                [(f"{s.name[:80]} ({len(s.factors)} factors)", s.key) for s in factor_sets],
                values.get("factor_set", ""),
            ),
            errors.get("factor_set"),
            "The factors assessors will score. Administrators can add factor sets in configuration.",
            spacing="Medium",
        ),
    ]
