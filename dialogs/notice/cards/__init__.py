"""The notice card."""
