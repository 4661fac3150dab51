"""The status journey's cards."""
