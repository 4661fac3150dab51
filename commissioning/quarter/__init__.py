"""The quarter's rules: KPIs and achievement, the outcome payment, fees, payment by results, the notice, the summary."""

from commissioning.quarter.fee import FeeStatus, ServiceFee, monthly_service_fee
from commissioning.quarter.kpis import (
    Banding,
    Kpi,
    KpiError,
    KpiStatus,
    Source,
    kpi_from_dict,
    kpis_from_list,
)
from commissioning.quarter.notice import (
    NOTICE_MINIMUM_KPIS,
    NoticeKpi,
    NoticeRating,
    NoticeThresholds,
    PerformanceNotice,
    performance_notice,
    rate_kpi,
    share_of_target,
)
from commissioning.quarter.payment import KpiLine, OutcomePayment, kpi_line, outcome_payment, outcome_pot
from commissioning.quarter.pbr import (
    Cohort,
    Measure,
    MeasureResult,
    PbrQuarter,
    PbrTerms,
    fee_for_service,
    measure_result,
    payment_by_results,
)
from commissioning.quarter.results import MonthValues, QuarterlyResult, achievement, exact, quarterly_result
from commissioning.quarter.summary import Approval, QuarterSummary, SummaryKpi, quarter_summary
from commissioning.quarter.term import ContractTerm, even_shares, pounds, to_pence

__all__ = [
    "NOTICE_MINIMUM_KPIS",
    "Approval",
    "Banding",
    "Cohort",
    "ContractTerm",
    "FeeStatus",
    "Kpi",
    "KpiError",
    "KpiLine",
    "KpiStatus",
    "Measure",
    "MeasureResult",
    "MonthValues",
    "NoticeKpi",
    "NoticeRating",
    "NoticeThresholds",
    "OutcomePayment",
    "PbrQuarter",
    "PbrTerms",
    "PerformanceNotice",
    "QuarterSummary",
    "QuarterlyResult",
    "ServiceFee",
    "Source",
    "SummaryKpi",
    "achievement",
    "even_shares",
    "exact",
    "fee_for_service",
    "kpi_from_dict",
    "kpi_line",
    "kpis_from_list",
    "measure_result",
    "monthly_service_fee",
    "outcome_payment",
    "outcome_pot",
    "payment_by_results",
    "performance_notice",
    "pounds",
    "quarter_summary",
    "quarterly_result",
    "rate_kpi",
    "share_of_target",
    "to_pence",
]
