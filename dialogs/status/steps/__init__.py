"""The status journey's steps."""
