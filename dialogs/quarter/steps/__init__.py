"""The KPI card's steps: opening it, saving the evidence checklist, approving the payment."""
