"""KPI definitions: sources, when a KPI goes live, its baseline year, targets and weights by year, and errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from commissioning.quarter import KpiError, KpiStatus, Source, kpi_from_dict, kpis_from_list


def vcop(**changes: Any) -> dict[str, Any]:
    """Victims' Code compliance: reported for the quarter, baseline in year 1, live from year 2."""
    entry: dict[str, Any] = {
        "code": "VCOP",
        "name": "Victims' Code compliance",
        "measures": "Share of victims told of their rights within five days",
        "source": "reported",
        "baseline_year": 1,
        "live_from_year": 2,
        "targets": {2: 90, 4: 95},
        "weights": {2: 50, 3: 60},
    }
    return entry | changes


def test_a_kpi_collects_data_in_its_baseline_year_and_counts_once_live() -> None:
    kpi = kpi_from_dict(vcop())

    assert [kpi.status(year) for year in (1, 2, 3)] == [KpiStatus.BASELINE, KpiStatus.LIVE, KpiStatus.LIVE]
    assert (kpi.target_for(1), kpi.weight_for(1)) == (None, None)


def test_a_kpi_without_a_baseline_year_has_not_started_before_it_goes_live() -> None:
    kpi = kpi_from_dict(vcop(baseline_year=None, live_from_year=2))

    assert kpi.status(1) is KpiStatus.NOT_STARTED


def test_targets_and_weights_hold_until_a_later_year_changes_them() -> None:
    kpi = kpi_from_dict(vcop())

    assert [kpi.target_for(year) for year in (2, 3, 4)] == [Decimal(90), Decimal(90), Decimal(95)]
    assert [kpi.weight_for(year) for year in (2, 3, 4)] == [Decimal(50), Decimal(60), Decimal(60)]


def test_year_keys_from_a_yaml_file_may_be_text() -> None:
    kpi = kpi_from_dict(vcop(targets={"2": "90.5"}, weights={"2": 50}))

    assert kpi.target_for(2) == Decimal("90.5")


def test_a_ratio_names_two_pi_codes() -> None:
    kpi = kpi_from_dict(
        {
            "code": "SAT",
            "name": "Service users satisfied",
            "source": "ratio",
            "numerator": "satisfied",
            "denominator": "surveyed",
            "scale": 100,
            "targets": {1: 85},
            "weights": {1: 20},
        }
    )

    assert (kpi.source, kpi.pi_codes) == (Source.RATIO, ("satisfied", "surveyed"))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"targets": {1: 80, 2: 90}}, "targets are set for year 1, before the KPI goes live"),
        ({"weights": {3: 60}}, "weights needs an entry for year 2"),
        ({"baseline_year": 2}, "baseline_year 2 must come before live_from_year 2"),
        ({"pi": "referrals"}, "a reported KPI comes from the quarterly return"),
        ({"source": "sum"}, "names the PI code in pi"),
        ({"weights": {2: -5}}, "the weight for year 2 is negative"),
        ({"banding": {"floor": 1.2}}, "banding.floor is at most 1"),
        (
            {"comparison": "<=", "banding": {"floor": 0.8}},
            "banding.floor of a 'no more than' KPI is 1 or more",
        ),
        ({"target": 90}, "target: Extra inputs are not permitted"),
    ],
)
def test_a_definition_that_cannot_be_used_names_the_kpi_and_what_is_wrong(
    changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(KpiError) as raised:
        kpi_from_dict(vcop(**changes))

    assert str(raised.value).startswith("KPI VCOP: ")
    assert words in str(raised.value)


def test_kpi_codes_are_unique_within_a_contract() -> None:
    with pytest.raises(KpiError, match="KPI codes repeated: VCOP"):
        kpis_from_list([vcop(), vcop()])
