"""The leave journey's steps."""
