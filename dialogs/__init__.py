"""One module per conversation, each owning its verbs, payload models and Adaptive Cards."""
