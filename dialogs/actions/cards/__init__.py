"""The action journey's cards, one module per card family."""
