"""The outbound Teams client: the Bot Connector REST sender and the bot's own token, for bot and scheduler."""
