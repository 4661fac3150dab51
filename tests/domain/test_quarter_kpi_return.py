"""The provider's quarterly KPI return: the KPIs it asks for, and its entries checked field by field."""

from __future__ import annotations

from commissioning.quarter import kpis_from_list
from commissioning.quarter.kpi_return import KpiEntry, KpiEvidence, check_return, parse_value, reported_kpis

KPIS = kpis_from_list(
    [
        {"code": "REF", "name": "Referrals", "source": "sum", "pi": "PI1", "targets": {1: 900}, "weights": {1: 30}},
        {"code": "COPE", "name": "Cope and recover", "source": "reported", "baseline_year": 1,
         "live_from_year": 2, "targets": {2: 75}, "weights": {2: 25}},
        {"code": "LATE", "name": "Starts in year 3", "source": "reported", "live_from_year": 3,
         "targets": {3: 50}, "weights": {3: 10}},
    ]
)  # fmt: skip


def test_the_return_asks_for_reported_kpis_in_their_baseline_or_live_years_only() -> None:
    assert [kpi.code for kpi in reported_kpis(KPIS, 1)] == ["COPE"]
    assert [kpi.code for kpi in reported_kpis(KPIS, 3)] == ["COPE", "LATE"]


def test_figures_are_read_with_commas_and_a_percent_sign() -> None:
    assert parse_value("1,250") == 1250
    assert parse_value(" 78.5% ") == 78.5
    assert parse_value("nan") is None
    assert parse_value("about 70") is None


def test_a_value_and_its_data_source_are_stored_and_the_evidence_may_be_left_as_a_gap() -> None:
    checked = check_return(reported_kpis(KPIS, 2), {"COPE": KpiEntry("78", "Outcome survey Q2", "")})

    assert checked.values == {"COPE": 78.0}
    assert checked.evidence == {"COPE": KpiEvidence("Outcome survey Q2", "")}
    assert checked.errors == {}


def test_each_problem_is_named_beside_its_field_and_nothing_is_taken() -> None:
    checked = check_return(
        reported_kpis(KPIS, 3), {"COPE": KpiEntry("lots", ""), "LATE": KpiEntry("-4", "CMS")}
    )

    assert checked.values == {}
    assert checked.errors == {
        "COPE": {
            "value": "Enter a number, like 78 or 78.5 (not 'lots').",
            "source": "Say where the figure comes from (the data source).",
        },
        "LATE": {"value": "Enter a result from 0 to 1,000,000,000."},
    }


def test_an_empty_value_asks_for_the_result() -> None:
    checked = check_return(reported_kpis(KPIS, 2), {})

    assert checked.errors == {
        "COPE": {
            "value": "Enter the quarter's result.",
            "source": "Say where the figure comes from (the data source).",
        }
    }
