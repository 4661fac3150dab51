"""One indicator's row, as the record form and the minutes show it: name, minimum, value and rating."""

from __future__ import annotations

from typing import Any

from commissioning.indicators import Rag
from dialogs.cards import columns, container, rag_badge, subtle, text


def pi_row(
    name: str,
    shown: str,
    requirement: str,
    rating: Rag | None,
    extra: list[dict[str, Any]],
    *,
    measure: str = "Minimum",  # a KPI's row says "Target"
) -> dict[str, Any]:
    return container(
        [
            columns(
                ([text(name, spacing="None"), subtle(f"{measure}: {requirement}")], "stretch"),
                ([text(shown or "not reported")], "auto"),
                ([rag_badge(rating)], "auto"),
            ),
            *extra,
        ],
        spacing="Small",
    )
