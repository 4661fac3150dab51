"""Pure analytics on pandas frames of monthly returns: vectorised, no I/O (see docs/analytics.md)."""
