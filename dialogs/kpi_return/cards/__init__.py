"""The KPI return's cards: the form, the receipt, what the commissioner is sent."""
