"""The leave card."""
