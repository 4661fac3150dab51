"""The factor sets an evaluation can be started with, configured once at start-up by the app."""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.gonogo import DEFAULT_FACTOR_SET, FactorSet, load_factor_sets


class FactorSets:
    """The factor sets an evaluation can be started with: built-in ones plus configuration's.

    Set once at start-up by the app (bot/app.py) from Settings.factor_sets(); an evaluation keeps
    a copy of its set, so what is configured only matters when one is started.
    """

    def __init__(self) -> None:
        self._sets: dict[str, FactorSet] | None = None  # the built-in sets until configured

    def configure(self, factor_sets: Mapping[str, FactorSet]) -> None:
        if DEFAULT_FACTOR_SET not in factor_sets:
            raise ValueError(f"the built-in factor set '{DEFAULT_FACTOR_SET}' is missing")
        self._sets = dict(factor_sets)

    def _current(self) -> dict[str, FactorSet]:
        if self._sets is None:
            self._sets = load_factor_sets()
        return self._sets

    def all(self) -> list[FactorSet]:
        return list(self._current().values())

    def get(self, key: str) -> FactorSet | None:
        return self._current().get(key)


FACTOR_SETS = FactorSets()


def configure(factor_sets: Mapping[str, FactorSet]) -> None:
    """Called by the app at start-up with the built-in and administrator-defined factor sets."""
    FACTOR_SETS.configure(factor_sets)
