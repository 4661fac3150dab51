"""The notice journey's steps: open, review, export."""
