"""The reminder cards: a notice, several in one summary, a delivery report, and a card after a press."""
