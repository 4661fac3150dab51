"""Which years a Contract Performance Notice covers, for which contracts, and each KPI rated from the year's quarters."""

from __future__ import annotations

from datetime import date
from typing import Any

from commissioning.periods import Quarter
from commissioning.quarter import ContractTerm, KpiLine, NoticeRating, kpi_from_dict, kpi_line
from commissioning.quarter.notice_year import (
    needs_notice,
    year_ends_on,
    year_notice,
    year_quarters,
    years_due,
)

TERM = ContractTerm(date(2026, 4, 1), date(2028, 9, 30))  # two whole years, then half of a third


def line(quarter: Quarter, result: float | None, code: str = "VCOP", **fields: Any) -> KpiLine:
    entry = {"code": code, "name": code, "source": "reported", "targets": {1: 90}, "weights": {1: 1}}
    reported = {} if result is None else {code: result}
    return kpi_line(kpi_from_dict(entry | fields), TERM.year_of(quarter), quarter, {}, reported)


def test_a_contract_over_5m_needs_a_notice_and_one_of_5m_exactly_does_not() -> None:
    assert (needs_notice(5_000_000_01), needs_notice(5_000_000_00), needs_notice(1_650_000_00)) == (
        True,
        False,
        False,
    )


def test_a_year_is_its_four_quarters_and_the_last_year_ends_with_the_contract() -> None:
    assert [q.key for q in year_quarters(TERM, 1)] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert [q.key for q in year_quarters(TERM, 3)] == ["2028Q1", "2028Q2"]
    assert (year_ends_on(TERM, 1), year_ends_on(TERM, 3)) == (date(2027, 3, 31), date(2028, 9, 30))


def test_a_notice_falls_due_the_day_after_each_year_ends_and_after_the_contract_ends() -> None:
    assert years_due(TERM, date(2027, 1, 1), date(2027, 3, 31)) == ()
    assert years_due(TERM, date(2027, 1, 1), date(2027, 4, 1)) == (1,)
    assert years_due(TERM, date(2027, 4, 1), date(2028, 10, 1)) == (2, 3)


def test_each_kpi_is_rated_on_its_latest_quarter_with_a_result_and_keeps_the_quarters_behind_it() -> None:
    q1, q2, q3, q4 = year_quarters(TERM, 1)
    lines = {
        q1: [line(q1, 95), line(q1, 70, "REF")],
        q2: [line(q2, 80), line(q2, 86, "REF")],
        q3: [line(q3, 86), line(q3, None, "REF")],  # REF's Q3 not in yet: its Q2 (86 of 90, 95.6%) stands
        q4: [line(q4, None), line(q4, None, "REF")],
    }
    drafted = year_notice(1, (q1, q2, q3, q4), lines)

    assert [(k.code, k.rating) for k in drafted.notice.kpis] == [
        ("VCOP", NoticeRating.APPROACHING_TARGET),  # 86 of 90 is 95.6%
        ("REF", NoticeRating.APPROACHING_TARGET),
    ]
    assert [ln.result.value for ln in drafted.behind["VCOP"]] == [95, 80, 86, None]
    assert drafted.notice.problems == ("only 2 KPI(s) can be rated; a notice reports on at least 3",)
