"""The Teams edge: aiohttp app, /api/messages, authentication, the outbound sender and the command line."""
