"""The monthly return's cards, one module per card family."""
