"""The Teams app manifest, its icons and the packaging of the app zip."""
