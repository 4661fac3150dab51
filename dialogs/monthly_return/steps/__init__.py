"""The monthly return's steps, one module per verb family."""
