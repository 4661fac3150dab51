"""The action journey's steps, one module per verb family."""
