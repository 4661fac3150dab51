"""The quarterly KPI return: the provider's results for the KPIs not computed from the months, with evidence."""

from dialogs.kpi_return.flow import router

__all__ = ["router"]
