"""Underperformance and improvement (seed 001 §5.1, §5.2; seed 002 §6): flags, plans, breaches and changes."""
