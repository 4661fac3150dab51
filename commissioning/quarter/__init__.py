"""The quarter's rules: KPIs, their results and achievement, the outcome payment and the quarter's summary."""

from commissioning.quarter.kpis import (
    Banding,
    Kpi,
    KpiError,
    KpiStatus,
    Source,
    kpi_from_dict,
    kpis_from_list,
)
from commissioning.quarter.payment import KpiLine, OutcomePayment, kpi_line, outcome_payment, outcome_pot
from commissioning.quarter.results import MonthValues, QuarterlyResult, achievement, exact, quarterly_result
from commissioning.quarter.summary import Approval, QuarterSummary, SummaryKpi, quarter_summary
from commissioning.quarter.term import ContractTerm, even_shares, pounds, to_pence

__all__ = [
    "Approval",
    "Banding",
    "ContractTerm",
    "Kpi",
    "KpiError",
    "KpiLine",
    "KpiStatus",
    "MonthValues",
    "OutcomePayment",
    "QuarterSummary",
    "QuarterlyResult",
    "Source",
    "SummaryKpi",
    "achievement",
    "even_shares",
    "exact",
    "kpi_from_dict",
    "kpi_line",
    "kpis_from_list",
    "outcome_payment",
    "outcome_pot",
    "pounds",
    "quarter_summary",
    "quarterly_result",
    "to_pence",
]
