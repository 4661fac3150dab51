"""APScheduler set-up, the deadline sweep and the outbox dispatcher."""
