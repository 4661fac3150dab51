"""The meeting cards, one module per family; each keeps the text it shows."""
