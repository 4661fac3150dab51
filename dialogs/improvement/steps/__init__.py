"""The improvement journey's steps, one module per kind of item."""
