"""The KPI card and its parts."""
