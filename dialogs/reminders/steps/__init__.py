"""The reminder steps: acknowledge and snooze, one reminder or all of a summary card's."""
