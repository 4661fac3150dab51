"""The KPI return's steps: opening the form, submitting it."""
